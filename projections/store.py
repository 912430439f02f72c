"""The read models' database: a SQLite file beside the event store, or the events' PostgreSQL database.

SQL here is written once, with `?` placeholders, in the subset both engines share.
"""

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence


def present(store, table: str, column: str, ids: list[str]) -> set[str]:
    """Which of `ids` have a row in `table`: one query however many are asked."""
    if not ids:
        return set()
    rows = store.query(f"SELECT {column} FROM {table} WHERE {column} IN ({', '.join('?' * len(ids))})", ids)
    return {row[column] for row in rows}


class Cursor:
    """One transaction's cursor; rows come back as dicts."""

    def __init__(self, raw: Any, postgres: bool):
        self.raw = raw
        self.postgres = postgres

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement

    def execute(self, statement: str, params: Sequence = ()) -> "Cursor":
        self.raw.execute(self.sql(statement), tuple(params))
        return self

    def executemany(self, statement: str, rows: Sequence[Sequence]) -> None:
        if rows:
            self.raw.executemany(self.sql(statement), [tuple(r) for r in rows])

    @property
    def rowcount(self) -> int:
        return self.raw.rowcount

    def one(self) -> dict | None:
        row = self.raw.fetchone()
        return None if row is None else dict(row)

    def all(self) -> list[dict]:
        return [dict(row) for row in self.raw.fetchall()]


class ThreadConnections:
    """A connection per thread and role, opened once with `connect`. A process forked after opening one
    opens its own, and the connections of threads that have ended are closed when another is opened,
    so a server that runs each request in a thread of its own holds no more of them than it has threads."""

    def __init__(self, connect: Callable[[], Any]):
        self.connect = connect
        self.local = threading.local()
        self.opened: dict[int, list] = {}  # by thread
        self.opened_lock = threading.Lock()

    def kept(self, role: str):
        pid, connection = getattr(self.local, role, (None, None))
        if pid != os.getpid():
            connection = self.connect()
            setattr(self.local, role, (os.getpid(), connection))
            self.keep(connection)
        return connection

    def keep(self, connection) -> None:
        alive = {thread.ident for thread in threading.enumerate()}
        with self.opened_lock:
            ended = [ident for ident in self.opened if ident not in alive]
            for ident in ended:
                for old in self.opened.pop(ident):
                    old.close()
            self.opened.setdefault(threading.get_ident(), []).append(connection)

    def close(self) -> None:
        with self.opened_lock:
            opened, self.opened = self.opened, {}
        self.local = threading.local()
        for connections in opened.values():
            for connection in connections:
                connection.close()


class SQLiteViews:
    """Read models in their own SQLite file; they can always be rebuilt, so NORMAL sync suffices.

    Each thread keeps two connections, opened once: one for its write transactions and one for its
    queries, so a query made while the thread holds a transaction reads what is committed, as before.
    Opening a connection and setting its pragmas cost about half a millisecond, once per query.
    """

    postgres = False
    for_update = ""

    def __init__(self, path: Path):
        self.path = str(path)
        self.connections = ThreadConnections(self.connect)

    def connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """A write transaction: BEGIN IMMEDIATE takes the file's write lock up front."""
        kept = self.connections.kept("writer")
        connection = self.connect() if kept.in_transaction else kept  # a transaction inside another one
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield Cursor(connection.cursor(), postgres=False)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            if connection is not kept:
                connection.close()

    def query(self, statement: str, params: Sequence = ()) -> list[dict]:
        return [dict(row) for row in self.connections.kept("reader").execute(statement, tuple(params)).fetchall()]

    def close(self) -> None:
        self.connections.close()


class PostgresViews:
    """Read models in tables of the event store's PostgreSQL database."""

    postgres = True
    for_update = " FOR UPDATE"

    def __init__(self, conninfo: str, min_size: int = 1, max_size: int = 8):
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        self.pool = ConnectionPool(conninfo, min_size=min_size, max_size=max(max_size, min_size),
                                   kwargs={"row_factory": dict_row}, open=True, max_idle=60)

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        with self.pool.connection() as connection, connection.transaction():
            yield Cursor(connection.cursor(), postgres=True)

    def query(self, statement: str, params: Sequence = ()) -> list[dict]:
        with self.pool.connection() as connection:
            return connection.execute(statement.replace("?", "%s"), tuple(params)).fetchall()

    def close(self) -> None:
        self.pool.close()
