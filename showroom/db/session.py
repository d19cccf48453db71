"""Engines and sessions. Nothing connects at import time; the URL comes from Settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
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


@dataclass(frozen=True)
class PoolOptions:
    """Connection pool of one engine. Size it from the threads that use it: a thread
    holds at most one connection (one `session_scope` at a time), so `size` >= threads
    means no thread ever waits for a connection; `timeout_s` bounds the wait otherwise.
    `statement_timeout_s` (PostgreSQL) bounds every statement, lock waits included."""

    size: int = 5
    max_overflow: int = 10
    timeout_s: float = 30.0
    statement_timeout_s: float | None = None


_engines: dict[str, Engine] = {}
_factories: dict[str, sessionmaker[Session]] = {}


def get_engine(url: str | None = None) -> Engine:
    """One engine per database URL for the life of the process."""
    url = normalize_url(url or get_settings().database_url)
    if url not in _engines:
        _engines[url] = create_database_engine(url)
    return _engines[url]


def create_database_engine(url: str, pool: PoolOptions | None = None) -> Engine:
    """A new engine (the caller disposes of it). Errors never carry the statement's
    parameters (`hide_parameters`): they would put message bodies and phones in logs."""
    url = normalize_url(url)
    pool = pool or PoolOptions()
    if url.startswith("sqlite"):
        path = make_url(url).database or ""
        sizing: dict[str, Any] = {}
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            # a file's pool; an in-memory database has one connection per thread, unsized
            sizing = {
                "pool_size": pool.size,
                "max_overflow": pool.max_overflow,
                "pool_timeout": pool.timeout_s,
            }
        engine = create_engine(
            url,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": 10},
            **sizing,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {"connect_timeout": 5}
    if pool.statement_timeout_s:
        connect_args["options"] = f"-c statement_timeout={int(pool.statement_timeout_s * 1000)}"
    return create_engine(
        url,
        hide_parameters=True,
        pool_pre_ping=True,
        pool_size=pool.size,
        max_overflow=pool.max_overflow,
        pool_timeout=pool.timeout_s,
        connect_args=connect_args,
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
    with transaction(_factory(url)) as session:
        yield session


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """`session_scope` on a session factory of one's own (an engine with its own pool)."""
    session = factory()
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
