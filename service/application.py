"""The Application: one method per use case; it is the unit of work and the repository."""

import hashlib
import secrets
import threading
from uuid import UUID, NAMESPACE_URL, uuid5

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent, Repository

from domain.account import Account
from domain.errors import NotFoundError
from domain.town import Town
from domain.village import Village
from projections.base import Projector
from projections.chain import HashChain
from projections.directory import account_with_token, towns

from .boards import BoardQueries
from .consequences import ConsequenceUseCases
from .contests import ContestUseCases
from .followups import FollowUpUseCases
from .groupcommit import GroupCommit
from .keys import key_saved, key_to_save
from .periods import PeriodUseCases
from .retry import retried

BOOTSTRAP_ID = uuid5(NAMESPACE_URL, "leitai:bootstrap-organizer")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CopyingRepository(Repository):
    """eventsourcing 9.5.6 deep-copies a cached aggregate after releasing the lock under which another
    thread fast-forwards that same object, so a copy could fail ("dictionary changed size during
    iteration") or come out torn. Here one thread at a time gets a given aggregate."""

    STRIPES = 64

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stripes = [threading.Lock() for _ in range(self.STRIPES)]

    def get(self, aggregate_id, **kwargs):
        with self.stripes[hash(aggregate_id) % self.STRIPES]:
            return super().get(aggregate_id, projector_func=mutated, **kwargs)


def mutated(aggregate, events):
    """eventsourcing's `project_aggregate` without its `isinstance` of every event against a runtime
    Protocol, which Python 3.11 checks attribute by attribute on each call."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


class Leitai(ContestUseCases, PeriodUseCases, BoardQueries, ConsequenceUseCases, FollowUpUseCases, Application):
    """擂台: the programme's use cases over one event store."""

    name = "Leitai"

    def __init__(self, env: dict | None = None, views=None, read_models=(), as_of=None, on_progress=None,
                 chained: bool = False):
        """The event store from `env`; the read models kept in `views` (a store of projections/store.py),
        replayed only up to `as_of` when given; the audit hash chain beside them when `chained`."""
        super().__init__(env=env)
        self.projector = None if views is None else Projector(self, views, list(read_models), as_of, on_progress)
        self.chain = HashChain(self, views) if chained else None
        self.group = GroupCommit(self.record)

    def load(self, cls: type, entity_id: UUID | str, copied: bool = True):
        """An aggregate to change: a copy of the cached one, so a refused command leaves the cache as it was.
        `copied=False` hands out the cached object itself, for callers that only read it."""
        try:
            aggregate = self.repository.get(UUID(str(entity_id)), deepcopy_from_cache=copied)
        except (AggregateNotFoundError, ValueError):
            aggregate = None
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"{cls.__name__.lower()} {entity_id} not found")
        return aggregate

    def construct_repository(self) -> Repository:
        plain = super().construct_repository()
        return CopyingRepository(event_store=plain.event_store, snapshot_store=plain.snapshot_store,
                                 cache_maxsize=None if plain.cache is None else getattr(plain.cache, "maxsize", 0),
                                 fastforward=plain.fastforward, fastforward_skipping=plain.fastforward_skipping,
                                 deepcopy_from_cache=plain.deepcopy_from_cache)

    def save(self, *objs, **kwargs):
        """A write under an Idempotency-Key records the key in the same atomic save (see service/keys.py).
        Saves that threads of this process ask for while another commits share the next transaction
        (service/groupcommit.py); each returns once its own events are committed, with its own outcome."""
        key = key_to_save(self, objs)
        aggregates = [aggregate for aggregate in (*objs, *key) if aggregate is not None]
        recordings = self.record(aggregates, **kwargs) if kwargs else self.group.save(aggregates)
        key_saved(key)
        return recordings

    def record(self, aggregates: list, **kwargs) -> list:
        """The aggregates' pending events in one transaction.

        eventsourcing 9.5.6's `Application.save`, but its `collect_events` is done here: it asks of every
        object `isinstance` against two runtime Protocols, which Python 3.11 answers attribute by
        attribute (an eighth of a month's close, which saves about a thousand aggregates)."""
        processing = ProcessingEvent()
        for aggregate in aggregates:
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        return recordings

    def read(self, cls: type, entity_id: UUID | str):
        """An aggregate to read, never to change: the cached object, not a copy. Another thread may bring
        it up to date meanwhile, so read scalars and rulebooks from it, not whole containers to walk."""
        return self.load(cls, entity_id, copied=False)

    def find(self, cls: type, entity_id: UUID):
        try:
            return self.load(cls, entity_id)
        except NotFoundError:
            return None

    # Towns and rulebooks

    def create_town(self, name: str, county: str | None, by: UUID) -> Town:
        town = Town(name=name, county=county, by=by)
        self.save(town)
        return town

    def towns(self) -> list[dict]:
        self.projector.catch_up("directory")
        return towns(self.projector.store)

    @retried
    def adopt_rulebook(self, town_id: UUID, changes: dict, effective_from: str, by: UUID) -> dict:
        town = self.load(Town, town_id)
        self.check_months_open(town.id, effective_from, None, "the rules in force")
        town.adopt_rulebook(changes, effective_from, by)
        self.save(town)
        return town.rulebook

    # Villages and accounts

    @retried
    def register_village(self, town_id: UUID, code: str, name: str, track: str, secretary: str, by: UUID,
                         joined_from: str | None = None) -> Village:
        """A village joins from a month (by default the first month after the town's last closed one)."""
        town = self.load(Town, town_id)
        joined_from = joined_from or self.first_open_month(town.id)
        self.check_months_open(town.id, joined_from, None, "the villages taking part")
        village = Village(town_id=town.id, code=code, name=name, track=track, secretary=secretary, by=by,
                          joined_from=joined_from)
        town.register_village(village.id, code, by)
        self.save(town, village)
        return village

    def villages_of(self, town_id: UUID) -> list[Village]:
        town = self.load(Town, town_id)
        villages = [self.load(Village, vid) for vid in town.village_codes]
        return sorted(villages, key=lambda v: v.code)

    @retried
    def change_track(self, village_id: UUID, track: str, effective_from: str, reason: str, by: UUID) -> Village:
        return self.change_village(village_id, effective_from, "a village's track",
                                   lambda v: v.change_track(track, effective_from, reason, by))

    @retried
    def retire_village(self, village_id: UUID, effective_from: str, reason: str, by: UUID) -> Village:
        return self.change_village(village_id, effective_from, "the villages taking part",
                                   lambda v: v.retire(effective_from, reason, by))

    @retried
    def change_secretary(self, village_id: UUID, name: str, since: str, by: UUID) -> Village:
        return self.change_village(village_id, since[:7], "who was in office", lambda v: v.change_secretary(name, since, by))

    def change_village(self, village_id: UUID, effective_from: str, what: str, change) -> Village:
        """A change dated from a month on: refused while a month it reaches is closed (R13)."""
        village = self.load(Village, village_id)
        self.check_months_open(village.town_id, effective_from, None, what)
        change(village)
        self.save(village)
        return village

    def open_account(self, name: str, role: str, village_id: UUID | None, by: UUID) -> tuple[Account, str]:
        if village_id is not None:
            self.read(Village, village_id)
        token = secrets.token_urlsafe(32)
        account = Account(name=name, role=role, village_id=village_id, token_hash=token_hash(token), by=by)
        self.save(account)
        return account, token

    @retried
    def disable_account(self, account_id: UUID, reason: str, by: UUID) -> Account:
        account = self.load(Account, account_id)
        account.disable(reason, by)
        self.save(account)
        return account

    @retried
    def rotate_token(self, account_id: UUID, reason: str, by: UUID) -> tuple[Account, str]:
        """A new token, returned once; only its hash is recorded, and the old one is refused from now on."""
        account = self.load(Account, account_id)
        token = secrets.token_urlsafe(32)
        account.rotate_token(token_hash(token), reason, by)
        self.save(account)
        return account, token

    def account_for_token(self, token: str) -> Account | None:
        """The account whose current token this is: a replaced token finds its account in a lagging read model,
        and is refused here by its hash."""
        digest = token_hash(token)
        found = account_with_token(self.projector.store, digest)
        if found is None:
            self.projector.catch_up("directory")
            found = account_with_token(self.projector.store, digest)
        account = self.read(Account, found) if found else None
        return account if account is not None and account.token_hash == digest else None
