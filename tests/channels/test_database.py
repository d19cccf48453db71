"""The gateway's database budget: pools hold a connection per thread, and on PostgreSQL
a webhook's database work is bounded so Twilio (which waits 15 s) always gets an answer."""

from __future__ import annotations

import asyncio
import time
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from showroom.channels.gateway import gateway_databases
from showroom.db.session import PoolOptions, create_database_engine, normalize_url
from showroom.settings import Settings

from .conftest import messages, seed_branches
from .support.app_server import RunningApp, gateway_settings, serve_app, whatsapp_form
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import TwilioStandin


def pg_gateway(
    url: str, rasa: RasaStandin, twilio: TwilioStandin, **overrides: Any
) -> AbstractAsyncContextManager[RunningApp]:
    """The real app on PostgreSQL (these tests are about PostgreSQL's limits)."""

    def make(base_url: str) -> Settings:
        values = {"rasa_url": rasa.url, "twilio_api_base_url": twilio.base_url, **overrides}
        return gateway_settings(url, base_url, **values)

    return serve_app(make, run_worker=False)


def test_pools_are_sized_from_the_threads_that_use_them(pg_url: str) -> None:
    settings = Settings(database_url=pg_url, gateway_concurrency=24, gateway_intake_threads=12)
    worker, intake = gateway_databases(settings)
    try:
        assert worker.threads == 24 + 4 and intake.threads == 12
        for db in (worker, intake):
            assert db.engine.pool.size() >= db.threads  # type: ignore[attr-defined]
        assert intake.engine.pool.timeout() <= settings.gateway_intake_db_timeout_s  # type: ignore[attr-defined]

        def setting(session: Session, name: str) -> Any:
            return session.execute(text(f"show {name}")).scalar()

        assert worker.run_sync(setting, "statement_timeout") == "15s"
        assert intake.run_sync(setting, "statement_timeout") == "5s"
    finally:
        worker.close()
        intake.close()


def test_sizing_a_pool_keeps_in_memory_sqlite_working() -> None:
    """An in-memory SQLite database has no sized pool (one connection per thread): pool
    options must not make its engine refuse to be built."""
    for url in ("sqlite://", "sqlite:///:memory:"):
        engine = create_database_engine(url, PoolOptions(size=3, timeout_s=1.0))
        try:
            with engine.connect() as connection:
                assert connection.execute(text("select 1")).scalar() == 1
        finally:
            engine.dispose()


async def test_webhooks_are_answered_while_every_worker_thread_is_busy(
    pg_url: str, rasa: RasaStandin, twilio_api: TwilioStandin
) -> None:
    """The worker's threads all waiting on the database never make Twilio wait."""
    numbers = seed_branches(pg_url)
    async with pg_gateway(pg_url, rasa, twilio_api, gateway_concurrency=12) as app:
        worker_db = app.gateway.db
        busy = [
            worker_db.run(lambda s: s.execute(text("select pg_sleep(4)")))
            for _ in range(worker_db.threads)
        ]
        busy_all = asyncio.gather(*busy)
        await asyncio.sleep(0.3)  # every worker thread holds a connection now
        started = time.perf_counter()
        answers = await asyncio.gather(
            *(
                app.send_whatsapp(
                    body=f"hola {n}", from_phone=f"+52811234500{n}", to=numbers["MTY"]
                )
                for n in range(app.settings.gateway_intake_threads)
            )
        )
        elapsed = time.perf_counter() - started
        await busy_all
    assert [a.status_code for a in answers] == [200] * len(answers)
    assert elapsed < 3.0, f"webhooks waited {elapsed:.1f} s behind the worker"
    assert len(messages(pg_url, "in")) == len(answers)


async def test_a_locked_database_answers_twilio_in_seconds_not_never(
    pg_url: str, rasa: RasaStandin, twilio_api: TwilioStandin
) -> None:
    numbers = seed_branches(pg_url)
    locker = create_engine(normalize_url(pg_url))
    try:
        async with pg_gateway(pg_url, rasa, twilio_api, gateway_intake_db_timeout_s=1.0) as app:
            form = whatsapp_form(body="hola", to=numbers["MTY"])
            with locker.connect() as conn:
                conn.execute(text("lock table messages in access exclusive mode"))
                started = time.perf_counter()
                refused = await app.post_signed("/webhooks/twilio/whatsapp", form)
                elapsed = time.perf_counter() - started
                conn.rollback()
            # Twilio's retry of the same message, once the database is back
            accepted = await app.post_signed("/webhooks/twilio/whatsapp", form)
    finally:
        locker.dispose()
    assert refused.status_code == 500 and refused.text == "Temporarily unavailable"
    assert elapsed < 4.0
    assert accepted.status_code == 200
    assert [m.body for m in messages(pg_url, "in")] == ["hola"]
