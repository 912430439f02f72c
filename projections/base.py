"""Read models kept with tracking: every update is written in the transaction that moves its position."""

from typing import Callable

from eventsourcing.utils import get_topic

from .store import Cursor
from .tracking import Tracking

BATCH = 500


class Projection:
    """One read model: its tables, and a handler per event type it follows."""

    name: str = ""
    tables: dict[str, str] = {}
    indexes: dict[str, str] = {}  # index name -> "table (columns)"
    overwritten: tuple[type, ...] = ()  # event types whose effect the next one of the type and originator replaces whole

    def handlers(self) -> dict[type, Callable[[Cursor, object, int], None]]:
        raise NotImplementedError

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(get_topic(cls) for cls in self.handlers())

    def process(self, cursor: Cursor, event: object, position: int) -> None:
        self.handlers()[type(event)](cursor, event, position)


class Projector:
    """Keeps projections up to date by polling the application's notification log."""

    def __init__(self, app, store, projections: list[Projection], until=None, on_progress=None):
        """`until` (an aware datetime) replays only events recorded before it; `on_progress(position)` follows a replay."""
        self.app = app
        self.store = store
        self.tracking = Tracking(store)
        self.projections = {p.name: p for p in projections}
        self.until = until
        self.on_progress = on_progress
        self.create_tables()

    def create_tables(self) -> None:
        with self.store.transaction() as cursor:
            for projection in self.projections.values():
                for table, columns in projection.tables.items():
                    cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
                for index, on in projection.indexes.items():
                    cursor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {on}")
                self.tracking.register(cursor, projection.name)

    def position(self, name: str) -> int:
        return self.tracking.position(name)

    def catch_up(self, name: str) -> None:
        """Read your writes: cheap when nothing is new, exactly once when something is."""
        projection = self.projections[name]
        if not self.pending(projection, self.position(name), limit=1):
            return
        while self.step(projection) == BATCH:
            pass

    def catch_up_all(self) -> None:
        for name in self.projections:
            self.catch_up(name)

    def pending(self, projection: Projection, after: int, limit: int) -> list:
        return self.app.recorder.select_notifications(
            start=after, limit=limit, topics=projection.topics, inclusive_of_start=False)

    def step(self, projection: Projection) -> int:
        with self.tracking.advancing(projection.name) as (cursor, position, moved):
            notifications = self.pending(projection, position, BATCH)
            for notification in notifications:
                event = self.app.mapper.to_domain_event(notification)
                if self.until is None or event.timestamp < self.until:
                    projection.process(cursor, event, notification.id)
                moved.append(notification.id)
        if notifications and self.on_progress:
            self.on_progress(projection.name, notifications[-1].id)
        return len(notifications)

    def rebuild_all(self) -> None:
        for name in self.projections:
            self.rebuild(name)

    def rebuild(self, name: str) -> None:
        """Empty the read model and its tracking, then replay from position 0."""
        projection = self.projections[name]
        with self.store.transaction() as cursor:
            for table in projection.tables:
                cursor.execute(f"DELETE FROM {table}")
            self.tracking.rewind(cursor, name)
        self.catch_up(name)
