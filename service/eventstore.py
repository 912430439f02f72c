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

SQLite's own WAL checkpoint runs inside the commit that takes the log past 1,000 pages: that write
then also copies the pages back into the database file and syncs it, holding the write lock all the
while (a month's close writes about 900 pages: every other close paid 14 ms more for it, and every
two hundredth sheet PUT). Here a thread of each writing process checkpoints instead, woken after its
commits and at most five times a second; the commits only append to the log and sync it, which is
all their durability needs. Should that thread fall behind, SQLite still checkpoints in the commit
once the log passes 10,000 pages.
"""

import fcntl
import os
import sqlite3
import threading
import time
from contextlib import contextmanager

from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.sqlite import SQLiteFactory as PooledFactory

from projections.store import ThreadConnections


BACKSTOP_PAGES = 10_000  # SQLite's own checkpoint in the commit, should the checkpointer fall behind


class Checkpointer:
    """A thread of the process that checkpoints the WAL after commits, at most once every `every` seconds."""

    def __init__(self, db_name: str, every: float = 0.2):
        self.db_name, self.every = db_name, every
        self.wanted = threading.Event()
        self.pid = None
        self.starting = threading.Lock()

    def commit_done(self) -> None:
        if self.pid != os.getpid():  # not started yet, or started by the process this one was forked from
            self.start()
        self.wanted.set()

    def start(self) -> None:
        with self.starting:
            if self.pid != os.getpid():
                self.wanted = threading.Event()
                threading.Thread(target=self.run, args=(self.wanted,), name="wal-checkpoint", daemon=True).start()
                self.pid = os.getpid()

    def run(self, wanted: threading.Event) -> None:
        connection = sqlite3.connect(self.db_name, uri=True, isolation_level=None)
        while True:
            wanted.wait()
            wanted.clear()
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # copies what it can, waits for no one
            time.sleep(self.every)


class SQLiteEvents(SQLiteDatastore):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connect = self.pool._create_connection
        self.pool._create_connection = self.writer_connection
        self.readers = ThreadConnections(self.connect)
        self.turns = ThreadConnections(lambda: open(f"{self.pool.db_name}.lock", "a"))
        self.checkpointer = Checkpointer(self.pool.db_name)

    def writer_connection(self):
        connection = self.connect()
        connection._sqlite_conn.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        return connection

    @contextmanager
    def transaction(self, *, commit: bool):
        if commit:
            with self.writer_turn(), super().transaction(commit=True) as cursor:
                yield cursor
            self.checkpointer.commit_done()
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
