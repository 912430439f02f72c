"""One writer at a time on the SQLite event store, across the threads and the processes that share it.

SQLite lets one transaction write at a time. A writer that finds the file locked sleeps in SQLite's
busy handler in steps of 1, 2, 5, 10 ... 100 ms and tries again: with two API processes taking
sheets at once, those sleeps were the sheet PUT's p99. Here writers queue on a lock file next to
the store instead (`flock`, and a thread lock within a process, since `flock` is held per open
file), and the next writer starts the moment the last one has committed. Durability is unchanged:
each save is still one transaction, committed with `synchronous=FULL`.
"""

import fcntl
import os
import threading
from contextlib import contextmanager
from typing import Iterator

from eventsourcing.sqlite import SQLiteApplicationRecorder


class OneWriterRecorder(SQLiteApplicationRecorder):
    """eventsourcing's SQLite recorder, its inserts taken in turn (`APPLICATION_RECORDER_TOPIC`)."""

    def insert_events(self, stored_events, **kwargs):
        if self.datastore.pool.is_sqlite_memory_mode:
            return super().insert_events(stored_events, **kwargs)
        with writing(self.datastore.pool.db_name):
            return super().insert_events(stored_events, **kwargs)


class WriterLock:
    """The lock file of one store, opened once per process."""

    def __init__(self, path: str):
        self.path = path
        self.in_process = threading.Lock()
        self.descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    @contextmanager
    def held(self) -> Iterator[None]:
        with self.in_process:
            fcntl.flock(self.descriptor, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self.descriptor, fcntl.LOCK_UN)


LOCKS: dict[str, WriterLock] = {}
LOCKS_GUARD = threading.Lock()


def writing(db_name: str):
    """The writer lock of the store at `db_name`, held for one transaction."""
    with LOCKS_GUARD:
        lock = LOCKS.get(db_name) or LOCKS.setdefault(db_name, WriterLock(f"{db_name}-writer.lock"))
    return lock.held()


def forget_locks() -> None:
    """A forked child opens its own lock files: a descriptor shared with the parent would share its lock."""
    global LOCKS_GUARD
    LOCKS.clear()
    LOCKS_GUARD = threading.Lock()


os.register_at_fork(after_in_child=forget_locks)
