"""The real Rasa server and action server for integration tests (session-scoped).

`rasa_stack` starts both once per test session on free ports, with the project's
endpoints.yml / credentials.yml and the model in SHOWROOM_TEST_MODEL_DIR (default:
models/). Without a trained model the tests skip locally and fail under CI=true.

The action server reads the app database `rasa_stack.database_url`: PostgreSQL when the
server is there (always under CI=true), else SQLite. A test that needs data for the
actions uses `stack_db`: that database, emptied, and DATABASE_URL pointing at it.

    async def test_x(rasa_stack, stack_db):
        ...seed stack_db..., then talk to rasa_stack.rasa_url
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest
from channels.conftest import twilio_api  # noqa: F401 - fixture registered by import
from sqlalchemy import create_engine, text

from showroom.db.models import Base
from showroom.db.session import session_scope
from showroom.settings import get_settings

from .rasa_stack import RasaStack, StackError, has_model, model_dir

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
IN_CI_FAIL = "under CI=true this test must run"


def _stack_database(request: pytest.FixtureRequest) -> str:
    try:
        url: str = request.getfixturevalue("postgres_url")
    except pytest.skip.Exception:
        url = request.getfixturevalue("sqlite_url")
    return url


def _tracker_store(app_database_url: str) -> Iterator[str | None]:
    """Rasa's tracker store: a database of its own on the same PostgreSQL server as the
    app database (as in production), or SQLite in the stack's work directory."""
    if not app_database_url.startswith("postgresql"):
        yield None
        return
    server, app_db = app_database_url.rsplit("/", 1)
    name = f"{app_db}_tracker"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'create database "{name}"'))
    yield f"{server.replace('+psycopg', '')}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()


def _lock_store(request: pytest.FixtureRequest) -> str | None:
    """Redis lock store (as with several Rasa replicas) when Redis is there."""
    try:
        url: str = request.getfixturevalue("redis_url")
    except pytest.skip.Exception:
        return None
    return url.rsplit("/", 1)[0] + "/1"


@pytest.fixture(scope="session")
def rasa_stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RasaStack]:
    """Rasa (REST channel + API) and the action server, healthy; stopped after the session."""
    model = model_dir()
    if not has_model(model):
        message = f"no trained Rasa model (*.tar.gz) in {model}; run `make train`"
        if IN_CI:
            pytest.fail(f"{message}; {IN_CI_FAIL}", pytrace=False)
        pytest.skip(message)
    database_url = _stack_database(request)
    tracker = _tracker_store(database_url)
    stack = RasaStack(
        model=model,
        database_url=database_url,
        workdir=tmp_path_factory.mktemp("rasa-stack"),
        tracker_store_url=next(tracker),
        lock_store_url=_lock_store(request),
    )
    try:
        stack.start()
    except StackError as exc:
        stack.stop()
        pytest.fail(str(exc), pytrace=False)
    yield stack
    stack.stop()
    next(tracker, None)


@pytest.fixture
def stack_db(rasa_stack: RasaStack, monkeypatch: pytest.MonkeyPatch) -> str:
    """The database the action server reads, emptied; DATABASE_URL points at it."""
    with session_scope(rasa_stack.database_url) as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())
    monkeypatch.setenv("DATABASE_URL", rasa_stack.database_url)
    get_settings.cache_clear()
    return rasa_stack.database_url


@pytest.fixture
async def running_rasa(rasa_stack: RasaStack) -> AsyncIterator[RasaStack]:
    """`rasa_stack`, restarted afterwards if a test stopped Rasa or the action server."""
    yield rasa_stack
    if not rasa_stack.actions.running():
        rasa_stack.start_actions()
    if not rasa_stack.rasa.running():
        rasa_stack.start_rasa()
