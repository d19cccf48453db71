"""Engines and sessions. Nothing connects at import time; the URL comes from Settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from showroom.settings import get_settings


def normalize_url(url: str) -> str:
    """Accept `postgresql://` / `postgres://` and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker[Session]] = {}


def get_engine(url: str | None = None) -> Engine:
    """One engine per database URL for the life of the process."""
    url = normalize_url(url or get_settings().database_url)
    if url not in _engines:
        _engines[url] = _create_engine(url)
    return _engines[url]


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"connect_timeout": 5},
    )


def _factory(url: str | None) -> sessionmaker[Session]:
    engine = get_engine(url)
    key = str(engine.url)
    if key not in _factories:
        _factories[key] = sessionmaker(bind=engine, expire_on_commit=False)
    return _factories[key]


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A transaction: commits when the block ends, rolls back on any exception."""
    session = _factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def reset_engines() -> None:
    """Dispose of every engine (tests switch databases; forked workers must not share pools)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
    _factories.clear()
