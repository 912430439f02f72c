from uuid import UUID

from eventsourcing.domain import Aggregate, event

from .errors import RuleError
from .rulebook import Rulebook, first_rulebook, next_rulebook


class Town(Aggregate):
    """乡镇: runs the 擂台比武 programme under versioned rulebooks; registers its villages and contests."""

    @event("Created")
    def __init__(self, name: str, county: str | None, by: UUID):
        self.name = name
        self.county = county
        self.rulebooks = [first_rulebook()]
        self.village_codes: dict[str, str] = {}
        self.contests: dict[str, dict] = {}

    @property
    def rulebook(self) -> Rulebook:
        return self.rulebooks[-1]

    def rulebook_for(self, month: str) -> Rulebook:
        return [book for book in self.rulebooks if book.effective_from <= month][-1]

    def rulebook_version(self, version: int) -> Rulebook:
        for book in self.rulebooks:
            if book.version == version:
                return book
        raise RuleError(f"rulebook version {version} does not exist")

    def adopt_rulebook(self, changes: dict, effective_from: str, by: UUID) -> None:
        if effective_from < self.rulebook.effective_from:
            raise RuleError(f"a new rulebook cannot take effect before version {self.rulebook.version} ({self.rulebook.effective_from})")
        self._adopt(next_rulebook(self.rulebook, changes, effective_from).as_dict(), by)

    @event("RulebookAdopted")
    def _adopt(self, rulebook: dict, by: UUID) -> None:
        self.rulebooks.append(Rulebook.of(rulebook))

    def register_village(self, village_id: UUID, code: str, by: UUID) -> None:
        if code in self.village_codes.values():
            raise RuleError(f"village code {code} is already used in this town")
        self._register_village(village_id, code, by)

    @event("VillageRegistered")
    def _register_village(self, village_id: UUID, code: str, by: UUID) -> None:
        self.village_codes[str(village_id)] = code

    def register_contest(self, contest_id: UUID, month: str, tracks: list[str], by: UUID) -> None:
        """一周期一比武: one live contest per track per month."""
        for other in self.contests.values():
            clash = set(tracks) & set(other["tracks"])
            if other["month"] == month and not other["cancelled"] and clash:
                raise RuleError(f"track {sorted(clash)[0]} already has a contest in {month}")
        self._register_contest(contest_id, month, tracks, by)

    @event("ContestRegistered")
    def _register_contest(self, contest_id: UUID, month: str, tracks: list[str], by: UUID) -> None:
        self.contests[str(contest_id)] = {"month": month, "tracks": tracks, "cancelled": False}

    @event("ContestReleased")
    def release_contest(self, contest_id: UUID, by: UUID) -> None:
        self.contests[str(contest_id)]["cancelled"] = True

    def contest_ids(self, month: str | None = None) -> list[str]:
        return [cid for cid, c in self.contests.items() if month in (None, c["month"])]
