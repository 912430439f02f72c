"""The one wiring point: the Application and its read models, built once per process."""

from contextlib import contextmanager

import psycopg

from projections.assessment import Assessment
from projections.consequences import Consequences
from projections.people import People
from projections.directory import Directory
from projections.followups import FollowUps
from projections.results import ContestResults
from projections.store import PostgresViews, SQLiteViews

from .application import Leitai
from .config import Settings

TABLES_LOCK = 7_135_201  # a PostgreSQL advisory lock key: processes that start together create tables in turn


@contextmanager
def one_at_a_time(settings: Settings):
    """PostgreSQL refuses concurrent CREATE OR REPLACE FUNCTION ("tuple concurrently updated"), which
    eventsourcing runs at every start: API workers restarted together must not run it at once."""
    if not settings.uses_postgres:
        yield
        return
    with psycopg.connect(settings.database_url, autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (TABLES_LOCK,))
        yield


def read_models():
    return [Directory(), ContestResults(), Assessment(), Consequences(), FollowUps(), People()]


def build(settings: Settings) -> Leitai:
    with one_at_a_time(settings):
        return Leitai(env=settings.event_store_env(), views=views_of(settings), read_models=read_models(), chained=True)


def views_of(settings: Settings):
    if settings.uses_postgres:
        return PostgresViews(settings.database_url, max(settings.pool_min, 1), settings.pool_max)
    return SQLiteViews(settings.data_dir / "views.sqlite")


def prepare(settings: Settings) -> None:
    """Create every table once, before several processes start, so they never race to create them."""
    from .keys import create_table

    app = build(settings)
    create_table(app.projector.store)
    app.projector.store.close()
    app.close()
