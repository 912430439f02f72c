"""Configuration from the environment, with local defaults; tests pass their own."""

import os
from dataclasses import dataclass
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

MIN_BOOTSTRAP_LENGTH = 24


class ConfigError(ValueError):
    """A setting the server refuses to start with; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None = None
    redis_url: str | None = None
    bootstrap_token: str | None = None
    auth_failures_per_minute: int = 20
    trust_proxy: int = 0
    pool_min: int = 1
    pool_max: int = 2

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values = {
            "data_dir": Path(os.environ.get("LEITAI_DATA_DIR", "./var")),
            "database_url": os.environ.get("LEITAI_DATABASE_URL") or None,
            "redis_url": os.environ.get("LEITAI_REDIS_URL") or None,
            "bootstrap_token": os.environ.get("LEITAI_BOOTSTRAP_TOKEN") or None,
            "auth_failures_per_minute": whole_number("LEITAI_AUTH_FAILURES_PER_MINUTE", 20),
            "trust_proxy": whole_number("LEITAI_TRUST_PROXY", 0),
            "pool_min": whole_number("LEITAI_PG_POOL_MIN", 1),
            "pool_max": whole_number("LEITAI_PG_POOL_MAX", 2),
        }
        return cls(**{**values, **overrides})

    def check(self) -> "Settings":
        """Refuses a bootstrap token anyone could guess: it acts as an organizer."""
        token = self.bootstrap_token
        if token is not None and len(token) < MIN_BOOTSTRAP_LENGTH:
            raise ConfigError(f"LEITAI_BOOTSTRAP_TOKEN is {len(token)} characters long; it must be at least "
                              f"{MIN_BOOTSTRAP_LENGTH} (for instance: python -c 'import secrets; "
                              f"print(secrets.token_urlsafe(32))'), or unset")
        return self

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url)

    def event_store_env(self) -> dict[str, str]:
        """eventsourcing's settings: SQLite keeps its default synchronous=FULL (see the README)."""
        common = {"AGGREGATE_CACHE_MAXSIZE": "10000", "TRANSCODER_TOPIC": "service.transcoder:EventJSON"}
        if not self.uses_postgres:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return {**common, "PERSISTENCE_MODULE": "service.eventstore:SQLiteFactory",
                    "SQLITE_DBNAME": str(self.data_dir / "events.sqlite"), "SQLITE_LOCK_TIMEOUT": "30"}
        parts = conninfo_to_dict(self.database_url)
        return {**common, "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": parts.get("dbname", "postgres"), "POSTGRES_HOST": parts.get("host", "127.0.0.1"),
                "POSTGRES_PORT": str(parts.get("port", "5432")), "POSTGRES_USER": parts.get("user", "postgres"),
                "POSTGRES_PASSWORD": parts.get("password", ""), **self.event_store_pool(),
                "POSTGRES_LOCK_TIMEOUT": "10"}

    def event_store_pool(self) -> dict[str, str]:
        """The connection budget (README, "Several nodes"): `pool_min` kept open, at most `pool_max` per pool.

        A process has two pools of this size, the event store's and the read models'; a thread holds
        at most one of each at a time, so `pool_max` below the thread count only makes threads wait.
        """
        low, high = max(self.pool_min, 1), max(self.pool_max, self.pool_min, 1)
        return {"POSTGRES_POOL_SIZE": str(low), "POSTGRES_MAX_OVERFLOW": str(high - low)}


def whole_number(variable: str, default: int) -> int:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise ConfigError(f"{variable} must be a whole number ≥ 0, not {text!r}")
    return int(text)
