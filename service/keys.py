"""Idempotency keys in the core: the key of the request being served is saved with its first write.

The HTTP room (service/idempotency.py) reserves a key before a request runs and keeps its response;
this module holds what the Application needs and loads no web framework.
"""

from contextvars import ContextVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic

from domain.errors import RuleError

TABLE = ("idempotency", "account_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, "
                        "status INTEGER, body TEXT, PRIMARY KEY (account_id, key)")


def create_table(store) -> None:
    with store.transaction() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE[0]} ({TABLE[1]})")


class IdempotencyKey(Aggregate):
    """An Idempotency-Key that made a write, saved in the same atomic save as the write's events."""

    @staticmethod
    def create_id(account_id: str, key: str) -> UUID:
        return key_id(account_id, key)

    @event("Used")
    def __init__(self, account_id: str, key: str):
        self.account_id = account_id
        self.key = key


writing: ContextVar[tuple[str, str] | None] = ContextVar("idempotency_writing", default=None)


def key_id(account_id: str, key: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"leitai:idempotency:{account_id}:{key}")


def recorded(app, account_id: str, key: str) -> bool:
    return app.find(IdempotencyKey, key_id(account_id, key)) is not None


def key_to_save(app, objs) -> list[IdempotencyKey]:
    """The request's key, to save with its first write; a key already recorded refuses a second one."""
    reserved = writing.get()
    if reserved is None or not any(getattr(o, "pending_events", None) for o in objs):
        return []
    if recorded(app, *reserved):
        raise RuleError("This Idempotency-Key's request was already recorded.")
    return [IdempotencyKey(account_id=reserved[0], key=reserved[1])]


def key_saved(saved: list[IdempotencyKey]) -> None:
    if saved:
        writing.set(None)


# Recorded before the class moved here from service/idempotency.py: stored events name the old topic.
register_topic("service.idempotency:IdempotencyKey", IdempotencyKey)
register_topic("service.idempotency:IdempotencyKey.Used", IdempotencyKey.Used)
