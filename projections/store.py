"""The read models' database: a SQLite file beside the event store, or the events' PostgreSQL database.

SQL here is written once, with `?` placeholders, in the subset both engines share.
"""

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence


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


class SQLiteViews:
    """Read models in their own SQLite file; they can always be rebuilt, so NORMAL sync suffices."""

    postgres = False
    for_update = ""

    def __init__(self, path: Path):
        self.path = str(path)

    def connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """A write transaction: BEGIN IMMEDIATE takes the file's write lock up front."""
        connection = self.connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield Cursor(connection.cursor(), postgres=False)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def query(self, statement: str, params: Sequence = ()) -> list[dict]:
        connection = self.connect()
        try:
            return [dict(row) for row in connection.execute(statement, tuple(params)).fetchall()]
        finally:
            connection.close()

    def close(self) -> None:
        pass


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
