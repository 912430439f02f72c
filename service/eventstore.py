"""The event store on SQLite: eventsourcing's, except that a read never waits for a write, and a
write waits for another process's in a queue rather than in SQLite's sleeps.

eventsourcing 9.5.6's connection pool hands out connections one thread at a time, and a thread that
wants to write keeps that turn while it waits for the write lock: behind another thread's commit, or
behind another process's, where SQLite's busy handler sleeps 1, 2, 5 ms and more between tries. Every
read in the process waited with it, the fast-forward of a cached aggregate included: 16% of the time
of a sheet PUT served by two gunicorn workers (py-spy, docs/benchmarks.md). In WAL mode a reader
takes no lock that a writer holds, so here each thread reads on a connection of its own; writes keep
eventsourcing's pool and its one writer at a time.

Between processes, SQLite's busy handler polls: a writer that finds the file locked sleeps 1, 2, 5,
10 ms... before trying again, however soon the lock was free, and the sleeps make the slowest writes
(the p99 of two processes writing as fast as they can: 62-76 ms with the busy handler, 21-23 ms
queued on a lock file; docs/benchmarks.md). So each write takes an exclusive `flock` on
`<store>.lock` first: the kernel wakes the next writer as soon as the last one lets go.
"""

import fcntl
from contextlib import contextmanager

from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.sqlite import SQLiteFactory as PooledFactory

from projections.store import ThreadConnections


class SQLiteEvents(SQLiteDatastore):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.readers = ThreadConnections(self.pool._create_connection)
        self.turns = ThreadConnections(lambda: open(f"{self.pool.db_name}.lock", "a"))

    @contextmanager
    def transaction(self, *, commit: bool):
        if commit:
            with self.writer_turn(), super().transaction(commit=True) as cursor:
                yield cursor
        else:
            with self.readers.kept("reader").transaction(commit=False) as cursor:
                yield cursor

    @contextmanager
    def writer_turn(self):
        """The lock file, one open file per thread, so that threads queue for it as processes do."""
        turn = self.turns.kept("writer")
        fcntl.flock(turn, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(turn, fcntl.LOCK_UN)

    def close(self) -> None:
        self.readers.close()
        self.turns.close()
        super().close()


class SQLiteFactory(PooledFactory):
    """PERSISTENCE_MODULE=service.eventstore:SQLiteFactory; the settings are eventsourcing's."""

    def __init__(self, env):
        super().__init__(env)
        pooled = self.datastore
        self.datastore = SQLiteEvents(pooled.pool.db_name, lock_timeout=pooled.pool.lock_timeout,
                                      single_row_tracking=pooled.single_row_tracking,
                                      originator_id_type=pooled.originator_id_type)
        pooled.close()
