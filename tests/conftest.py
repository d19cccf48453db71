"""Shared fixtures: databases (SQLite and a real PostgreSQL), settings, Redis.

PostgreSQL and Redis tests use the real servers. Without them they skip with the reason;
under CI=true a missing server is an error, never a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from availability import unavailable
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from showroom.db import migrate
from showroom.db.models import Base
from showroom.db.session import reset_engines, session_scope
from showroom.settings import get_settings

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's .env or touches var/."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHOWROOM_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'default.db'}")
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "DUCKLING_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
    reset_engines()


# ------------------------------------------------------------------ databases
@contextmanager
def _throwaway_postgres_db() -> Iterator[str]:
    """An empty PostgreSQL database, dropped afterwards."""
    try:
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        unavailable("PostgreSQL", exc)
    name = f"showroom_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'create database "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        reset_engines()
        with admin.connect() as conn:
            conn.execute(text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test session, migrated to head."""
    with _throwaway_postgres_db() as url:
        migrate.upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all (no migration run), on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with _throwaway_postgres_db() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'showroom.db'}"
    migrate.upgrade(url)
    return url


def _empty_all_tables(url: str) -> None:
    with session_scope(url) as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test using it runs twice: on SQLite and on PostgreSQL, starting from empty tables.

    DATABASE_URL points at the same database, so code calling `session_scope()` sees it.
    """
    url: str = request.getfixturevalue(f"{request.param}_url")
    _empty_all_tables(url)
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url


@pytest.fixture
def pg_url(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """PostgreSQL only (a test of what SQLite does not have), from empty tables; DATABASE_URL
    points at it."""
    _empty_all_tables(postgres_url)
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    get_settings.cache_clear()
    yield postgres_url


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as s:
        yield s


# ------------------------------------------------------------------ redis
@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping()
    except Exception as exc:
        unavailable("Redis", exc)
    return REDIS_TEST_URL
