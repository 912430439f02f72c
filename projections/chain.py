"""The audit hash chain over the notification log, kept in its own table with tracking.

h(0) is 32 zero bytes and h(n) = SHA-256(h(n-1) || canonical bytes of the event at position n), over
every stored event in position order. The canonical bytes of an event are

    position (8 bytes, big-endian) || originator_id (16 bytes) || originator_version (8 bytes, big-endian)
    || topic (UTF-8) || 0x00 || state (the stored bytes, as recorded)

so anyone holding the rows can recompute a digest `{position, hash}` (hash in lowercase hex).
"""

import hashlib
from dataclasses import replace
from typing import Callable, Iterator
from uuid import UUID

from .stored_rows import stored_rows
from .tracking import Tracking

NAME = "audit_chain"
ZERO = bytes(32)
UNREADABLE = "unreadable"  # never equal to a kept hash
BATCH = 500


def canonical(notification) -> bytes:
    """The bytes of one stored event that the chain covers."""
    return (notification.id.to_bytes(8, "big") + notification.originator_id.bytes
            + notification.originator_version.to_bytes(8, "big") + notification.topic.encode() + b"\0"
            + bytes(notification.state))


def link(previous: bytes, notification) -> bytes:
    return hashlib.sha256(previous + canonical(notification)).digest()


def relink(previous: bytes, row) -> bytes | None:
    """The link of a row read as it is now; None when the row no longer has an event's shape (a state
    retyped to TEXT or emptied to NULL, an id that is no UUID): it cannot be what was linked."""
    try:
        originator = row.originator_id if isinstance(row.originator_id, UUID) else UUID(row.originator_id)
        if not isinstance(row.state, (bytes, bytearray, memoryview)):
            raise TypeError(f"state stored as {type(row.state).__name__}")
        return link(previous, replace(row, originator_id=originator, state=bytes(row.state)))
    except (TypeError, ValueError, AttributeError, OverflowError):
        return None


def parse_digest(text: str) -> tuple[int, str]:
    """A digest written as POSITION:HASH."""
    position, _, digest = text.partition(":")
    if not position.isdigit() or len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest.lower()):
        raise ValueError("give the digest as POSITION:HASH, the hash as 64 hex digits")
    return int(position), digest.lower()


class HashChain:
    """审计哈希链: the audit hash chain, one row per stored event, written with its tracking position.

    It is never rebuilt with the read models: a chain recomputed from an edited store would bless
    the edit. What an auditor keeps outside the system is a digest; `verify(against=...)` checks
    that the chain still reaches it.
    """

    def __init__(self, app, store):
        self.app = app
        self.store = store
        self.tracking = Tracking(store)
        with store.transaction() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {NAME} (position BIGINT PRIMARY KEY, hash TEXT NOT NULL)")
            self.tracking.register(cursor, NAME)

    def digest(self) -> dict:
        """The head of the kept chain, without catching up."""
        row = self.store.query(f"SELECT t.position, c.hash FROM tracking t LEFT JOIN {NAME} c "
                               "ON c.position = t.position WHERE t.name = ?", (NAME,))[0]
        return {"position": row["position"], "hash": row["hash"] or ZERO.hex()}

    def catch_up(self) -> dict:
        """Link every event recorded since the head; returns the new head."""
        if (self.app.recorder.max_notification_id() or 0) > self.digest()["position"]:
            while self.step() == BATCH:
                pass
        return self.digest()

    def step(self) -> int:
        with self.tracking.advancing(NAME) as (cursor, position, moved):
            previous = self.hash_at(cursor, position)
            rows = []
            for notification in self.stored(position, BATCH):
                previous = link(previous, notification)
                rows.append((notification.id, previous.hex()))
            cursor.executemany(f"INSERT INTO {NAME} (position, hash) VALUES (?, ?)", rows)
            moved += [position for position, _ in rows[-1:]]
        return len(rows)

    def hash_at(self, cursor, position: int) -> bytes:
        row = cursor.execute(f"SELECT hash FROM {NAME} WHERE position = ?", (position,)).one()
        return bytes.fromhex(row["hash"]) if row else ZERO

    def stored(self, after: int, limit: int, stop: int | None = None) -> list:
        return self.app.recorder.select_notifications(start=after, limit=limit, stop=stop, inclusive_of_start=False)

    def all_stored(self, head: int) -> Iterator:
        after = 0
        while batch := stored_rows(self.app.recorder, after, head, BATCH):
            yield from batch
            after = batch[-1].id

    def all_kept(self, head: int) -> Iterator[tuple[int, str]]:
        after = 0
        while batch := self.store.query(f"SELECT position, hash FROM {NAME} WHERE position > ? AND position <= ? "
                                        "ORDER BY position LIMIT ?", (after, head, BATCH)):
            yield from ((row["position"], row["hash"]) for row in batch)
            after = batch[-1]["position"]

    def verify(self, against: tuple[int, str] | None = None,
               on_progress: Callable[[int], None] | None = None) -> dict:
        """Recompute the chain from position 0 over the store's rows as they are now, and compare.

        An edited event changes its link; a deleted one leaves a kept position without a row; a row
        put in below the head sits at a position the chain never had. A row appended beyond the head
        looks like any new event and joins the chain on catching up: only a digest kept elsewhere
        (`against`) shows that what came before it is unchanged. Stops at the first bad position.
        """
        head = self.catch_up()["position"]
        reached, checked = against is None or against == (0, ZERO.hex()), 0
        for checked, (position, recomputed, kept) in enumerate(relinked(self.all_stored(head), self.all_kept(head)), 1):
            if recomputed != kept or (against and position == against[0] and recomputed != against[1]):
                return verdict(checked, position)
            reached = reached or position == against[0]
            if on_progress:
                on_progress(position)
        return verdict(checked, None if reached else against[0])


def relinked(stored: Iterator, kept: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str | None, str | None]]:
    """(position, hash recomputed from the store, hash kept), in position order; None where a side has no row."""
    previous = ZERO
    for position, row, kept_hash in aligned(stored, kept):
        recomputed = None
        if row is not None:
            linked = relink(previous, row)
            recomputed = linked.hex() if linked else UNREADABLE
            previous = linked or previous
        yield position, recomputed, kept_hash


def aligned(stored: Iterator, kept: Iterator[tuple[int, str]]) -> Iterator[tuple[int, object, str | None]]:
    """The store's rows and the kept links side by side, by position; None where one side has nothing."""
    row, kept_row = next(stored, None), next(kept, None)
    while row is not None or kept_row is not None:
        if kept_row is None or (row is not None and row.id < kept_row[0]):
            yield row.id, row, None
            row = next(stored, None)
        elif row is None or kept_row[0] < row.id:
            yield kept_row[0], None, kept_row[1]
            kept_row = next(kept, None)
        else:
            yield row.id, row, kept_row[1]
            row, kept_row = next(stored, None), next(kept, None)


def verdict(checked: int, first_bad: int | None) -> dict:
    return {"ok": first_bad is None, "checked": checked, "first_bad_position": first_bad}
