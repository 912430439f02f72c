"""Tracking: how far each follower of the event log has come, moved in the transaction that does its work.

Every follower of the log — each read model, the audit chain, the relay — keeps one row here: its
name and the position of the last notification it has applied. A follower reads its position under
a row lock, does its work and moves the position in the same transaction, so a crash neither skips
nor doubles an event, and two processes following together take turns.

Why not eventsourcing's `TrackingRecorder` and `ProjectionRunner`: the runner needs the
recorder's `subscribe()`, which SQLite — our default store — does not have; a `TrackingRecorder`
records one row per notification for one view, while our read models share one store and a rebuild
moves six of them in one transaction (`projections/bulk.py`). One position per follower, here, is
that mechanism in one place.
"""

from contextlib import contextmanager
from typing import Iterator

TABLE = "tracking (name TEXT PRIMARY KEY, position BIGINT NOT NULL)"


class Tracking:
    """The tracking rows of one store of read models."""

    def __init__(self, store):
        self.store = store
        with store.transaction() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE}")

    def register(self, cursor, name: str) -> None:
        cursor.execute("INSERT INTO tracking (name, position) VALUES (?, 0) ON CONFLICT (name) DO NOTHING", (name,))

    def position(self, name: str) -> int:
        return self.store.query("SELECT position FROM tracking WHERE name = ?", (name,))[0]["position"]

    def locked(self, cursor, names: list[str]) -> dict[str, int]:
        """The followers' positions, locked until the transaction ends."""
        rows = cursor.execute(f"SELECT name, position FROM tracking WHERE name IN ({', '.join('?' * len(names))})"
                              f"{self.store.for_update}", names).all()
        return {row["name"]: row["position"] for row in rows}

    def move(self, cursor, names: list[str], position: int) -> None:
        cursor.executemany("UPDATE tracking SET position = ? WHERE name = ? AND position < ?",
                           [(position, name, position) for name in names])

    @contextmanager
    def advancing(self, name: str) -> Iterator[tuple[object, int, list[int]]]:
        """(cursor, position, moved): the work of one step; append the new position to `moved` to move there."""
        with self.store.transaction() as cursor:
            moved: list[int] = []
            yield cursor, self.locked(cursor, [name])[name], moved
            if moved:
                self.move(cursor, [name], moved[-1])

    def rewind(self, cursor, name: str) -> None:
        cursor.execute("UPDATE tracking SET position = 0 WHERE name = ?", (name,))
