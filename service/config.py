"""Configuration from the environment, with local defaults; tests pass their own."""

import os
from dataclasses import dataclass
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None = None
    redis_url: str | None = None
    bootstrap_token: str | None = None

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values = {
            "data_dir": Path(os.environ.get("LEITAI_DATA_DIR", "./var")),
            "database_url": os.environ.get("LEITAI_DATABASE_URL") or None,
            "redis_url": os.environ.get("LEITAI_REDIS_URL") or None,
            "bootstrap_token": os.environ.get("LEITAI_BOOTSTRAP_TOKEN") or None,
        }
        return cls(**{**values, **overrides})

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url)

    def event_store_env(self) -> dict[str, str]:
        """eventsourcing's settings: SQLite keeps its default synchronous=FULL (see the README)."""
        common = {"AGGREGATE_CACHE_MAXSIZE": "10000"}
        if not self.uses_postgres:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return {**common, "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                    "SQLITE_DBNAME": str(self.data_dir / "events.sqlite"), "SQLITE_LOCK_TIMEOUT": "30"}
        parts = conninfo_to_dict(self.database_url)
        return {**common, "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": parts.get("dbname", "postgres"), "POSTGRES_HOST": parts.get("host", "127.0.0.1"),
                "POSTGRES_PORT": str(parts.get("port", "5432")), "POSTGRES_USER": parts.get("user", "postgres"),
                "POSTGRES_PASSWORD": parts.get("password", ""), "POSTGRES_POOL_SIZE": "8",
                "POSTGRES_MAX_OVERFLOW": "8", "POSTGRES_LOCK_TIMEOUT": "10"}
