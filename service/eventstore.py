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
from contextlib import contextmanager
from functools import lru_cache
from uuid import UUID

from eventsourcing import persistence
from eventsourcing.sqlite import SQLITE3_DEFAULT_LOCK_TIMEOUT, SQLiteApplicationRecorder, SQLiteConnection, SQLiteDatastore
from eventsourcing.sqlite import SQLiteFactory as PooledFactory

from projections.store import ThreadConnections

BACKSTOP_PAGES = 10_000  # SQLite's own checkpoint in the commit, should the checkpointer fall behind
ROWS_A_STATEMENT = 64
WRITER_CACHE_KIB = 65_536  # a writer connection's page cache, at most
TRANSLATED = {sqlite3.IntegrityError: persistence.IntegrityError, sqlite3.OperationalError: persistence.OperationalError,
              sqlite3.InterfaceError: persistence.InterfaceError, sqlite3.DataError: persistence.DataError,
              sqlite3.InternalError: persistence.InternalError, sqlite3.ProgrammingError: persistence.ProgrammingError,
              sqlite3.NotSupportedError: persistence.NotSupportedError, sqlite3.DatabaseError: persistence.DatabaseError,
              sqlite3.Error: persistence.PersistenceError}


class Checkpointer:
    """A thread of the process that checkpoints the WAL after commits, at most once every `every` seconds."""

    def __init__(self, db_name: str, every: float = 0.2):
        self.db_name, self.every = db_name, every
        self.wanted, self.stopping = threading.Event(), threading.Event()
        self.pid = None
        self.starting = threading.Lock()
        self.thread: threading.Thread | None = None
        self.stopped = False

    def commit_done(self) -> None:
        if self.pid != os.getpid():  # not started yet, or started by the process this one was forked from
            self.start()
        self.wanted.set()

    def start(self) -> None:
        with self.starting:
            if self.pid != os.getpid():
                self.wanted, self.stopping = threading.Event(), threading.Event()
                self.thread = threading.Thread(target=self.run, args=(self.wanted,), name="wal-checkpoint", daemon=True)
                self.thread.start()
                self.pid = os.getpid()

    def stop(self) -> None:
        """The thread closes its connection and ends before the store that started it is closed: a process
        that closes its store and then forks (gunicorn's master after `prepare`) must hold no SQLite
        connection, or its children inherit the connection's file and locks (SQLite's documented fork
        hazard: readers there failed with "disk I/O error")."""
        self.stopped = True
        self.stopping.set()
        self.wanted.set()
        if self.thread is not None and self.pid == os.getpid() and self.thread is not threading.current_thread():
            self.thread.join()

    def run(self, wanted: threading.Event) -> None:
        connection = sqlite3.connect(self.db_name, uri=True, isolation_level=None)
        try:
            while not self.stopped:
                wanted.wait()
                wanted.clear()
                if not self.stopped:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # copies what it can, waits for no one
                    self.stopping.wait(self.every)  # the pause between checkpoints, cut short by a stop
        finally:
            connection.close()


class SQLiteEvents(SQLiteDatastore):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connect = self.pool._create_connection
        self.pool._create_connection = self.writer_connection
        self.readers = ThreadConnections(self.connect)
        self.turns = ThreadConnections(lambda: open(f"{self.pool.db_name}.lock", "a"))
        self.checkpointer = Checkpointer(self.pool.db_name)

    def writer_connection(self) -> SQLiteConnection:
        """eventsourcing's connection (WAL, autocommit, its row factory), but with a statement cache for each
        size of save (eventsourcing's holds one statement; preparing another lets go of the GIL too), a page
        cache that holds the event index's pages a month's close inserts into (SQLite's default of 2 MB
        held few of them: a close's 930 inserts 10.3 -> 7.9 ms with it, minimums), and SQLite's own
        checkpoint only as a backstop."""
        pool = self.pool
        connection = sqlite3.connect(pool.db_name, uri=True, check_same_thread=False, isolation_level=None,
                                     cached_statements=ROWS_A_STATEMENT + 8,
                                     timeout=pool.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        connection.execute(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")
        return SQLiteConnection(connection, max_age=pool.max_age)

    @contextmanager
    def transaction(self, *, commit: bool):
        if commit:
            with self.writing(), super().transaction(commit=True) as cursor:
                yield cursor
        else:
            with self.readers.kept("reader").transaction(commit=False) as cursor:
                yield cursor

    @contextmanager
    def writing(self):
        """A write: its turn on the lock file, and the checkpointer woken once it is committed."""
        with self.writer_turn():
            yield
        self.checkpointer.commit_done()

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
        self.checkpointer.stop()
        self.readers.close()
        self.turns.close()
        super().close()


class SQLiteEventsRecorder(SQLiteApplicationRecorder):
    """eventsourcing's recorder, but a save of up to 64 events (a sheet, a delivery, a command's few
    aggregates) is one `INSERT` of several rows, run as its own transaction, instead of `BEGIN`, an `INSERT`
    an event and `COMMIT`: one statement for Python to step while the writer holds the lock file, where
    each statement lets go of the GIL and must win it back from the threads that ran meanwhile.
    The rows of one statement take consecutive rowids, the first one more than the table's largest, as
    SQLite gives a row without a rowid (https://www.sqlite.org/autoinc.html); those are the notification
    ids. A larger save (a month's close) is eventsourcing's, an `INSERT` a row in one transaction, which
    measured no slower than statements of 64 rows."""

    def insert_events(self, stored_events, **kwargs):
        if len(stored_events) > ROWS_A_STATEMENT:
            return super().insert_events(stored_events, **kwargs)
        if not stored_events:
            return []
        values = [v for s in stored_events for v in (hexed(s.originator_id), s.originator_version, s.topic, s.state)]
        with self.datastore.writing(), self.datastore.get_connection(commit=True) as connection:
            cursor = connection._sqlite_conn.cursor()
            try:
                cursor.execute(insert_statement(self.events_table_name, len(stored_events)), values)
            except sqlite3.Error as error:
                raise translated(error) from error
        return list(range(cursor.lastrowid - len(stored_events) + 1, cursor.lastrowid + 1))


@lru_cache(maxsize=ROWS_A_STATEMENT)
def insert_statement(table: str, rows: int) -> str:
    return f"INSERT INTO {table} VALUES " + ",".join(["(?,?,?,?)"] * rows)


def hexed(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id


def translated(error: sqlite3.Error) -> persistence.PersistenceError:
    """eventsourcing's exception for a sqlite3 one, as its transactions raise them."""
    return next(TRANSLATED[kind] for kind in type(error).__mro__ if kind in TRANSLATED)(error)


class SQLiteFactory(PooledFactory):
    """PERSISTENCE_MODULE=service.eventstore:SQLiteFactory; the settings are eventsourcing's."""

    application_recorder_class = SQLiteEventsRecorder

    def __init__(self, env):
        super().__init__(env)
        pooled = self.datastore
        self.datastore = SQLiteEvents(pooled.pool.db_name, lock_timeout=pooled.pool.lock_timeout,
                                      single_row_tracking=pooled.single_row_tracking,
                                      originator_id_type=pooled.originator_id_type)
        pooled.close()
