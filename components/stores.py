"""Tracker and lock stores configured from the environment (see endpoints.yml).

Rasa's endpoints.yml cannot express "SQLite by default, PostgreSQL when configured"; these
two classes read one URL each, so `make run`, docker-compose and CI share one file:

- TRACKER_STORE_URL: `sqlite:///var/rasa_tracker.db` (default) or `postgresql://u:p@h/db`
- LOCK_STORE_URL: `redis://host:6379/1` for several Rasa replicas; unset = in memory
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore

DEFAULT_TRACKER_STORE_URL = "sqlite:///var/rasa_tracker.db"


def sql_store_arguments(url: str) -> dict[str, Any]:
    """Split a database URL into SQLTrackerStore's keyword arguments."""
    parsed = urlparse(url)
    scheme = parsed.scheme.split("+", 1)[0]
    if scheme == "sqlite":
        return {"dialect": "sqlite", "db": url.split("///", 1)[-1]}
    if scheme in ("postgres", "postgresql"):
        return {
            "dialect": "postgresql",
            "host": parsed.hostname or "localhost",
            "port": parsed.port or 5432,
            "db": parsed.path.lstrip("/") or "rasa",
            "username": unquote(parsed.username) if parsed.username else None,
            "password": unquote(parsed.password) if parsed.password else None,
        }
    raise ValueError(f"TRACKER_STORE_URL: unsupported database scheme {scheme!r}")


class EnvSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose database comes from TRACKER_STORE_URL."""

    def __init__(
        self, host: str | None = None, domain: Any = None, event_broker: Any = None, **_: Any
    ) -> None:
        url = os.environ.get("TRACKER_STORE_URL") or DEFAULT_TRACKER_STORE_URL
        arguments = sql_store_arguments(url)
        if arguments["dialect"] == "sqlite":
            Path(arguments["db"]).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, event_broker=event_broker, **arguments)


class EnvLockStore(LockStore):
    """Redis lock store when LOCK_STORE_URL is set (several replicas), else in memory."""

    def __new__(cls, endpoint_config: Any = None) -> Any:
        url = os.environ.get("LOCK_STORE_URL")
        if not url:
            return InMemoryLockStore()
        parsed = urlparse(url)
        return RedisLockStore(
            host=parsed.hostname or "localhost",
            port=parsed.port or 6379,
            db=int(parsed.path.lstrip("/") or 1),
            password=unquote(parsed.password) if parsed.password else None,
            use_ssl=parsed.scheme == "rediss",
            key_prefix="showroom",
        )
