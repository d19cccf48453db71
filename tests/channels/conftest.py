"""Fixtures for gateway tests: branches, a Twilio stand-in, a Rasa stand-in, the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.db.models.conversations import Conversation, Message
from showroom.db.models.inventory import Branch
from showroom.db.session import session_scope

from .support.app_server import RunningApp, gateway_settings, serve_app
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import TwilioStandin

BRANCHES = [
    ("MTY", "Showroom Monterrey Valle", "Monterrey", "+528180001000", "America/Monterrey"),
    ("CDMX", "Showroom Polanco", "Ciudad de México", "+525580002000", "America/Mexico_City"),
    ("TIJ", "Showroom Tijuana", "Tijuana", "+526640003000", "America/Tijuana"),
]


def seed_branches(url: str) -> dict[str, str]:
    """The three test branches; {code: whatsapp number}."""
    with session_scope(url) as session:
        for code, name, city, number, tz in BRANCHES:
            session.add(
                Branch(
                    code=code,
                    name=name,
                    city=city,
                    address=f"Av. Principal 100, {city}",
                    whatsapp_number=number,
                    voice_number=None,
                    timezone=tz,
                    opening_hours="lun-vie 09:00-19:00; sab 10:00-15:00",
                )
            )
    return {code: number for code, _, _, number, _ in BRANCHES}


@pytest.fixture
def branches(db_url: str) -> dict[str, str]:
    return seed_branches(db_url)


@pytest.fixture
async def twilio_api() -> AsyncIterator[TwilioStandin]:
    standin = TwilioStandin()
    await standin.start()
    yield standin
    await standin.stop()


# Rasa's --auth-token in the gateway tests: its HTTP API (tracker lookups) wants it
RASA_TOKEN = "rasa-api-test-token"


@pytest.fixture
async def rasa() -> AsyncIterator[RasaStandin]:
    standin = RasaStandin(token=RASA_TOKEN)
    await standin.start()
    yield standin
    await standin.stop()


@pytest.fixture
async def action_server() -> AsyncIterator[RasaStandin]:
    """A stand-in action server, down until the test starts it (only its /health matters:
    the gateway checks it before a turn); stopped at the end."""
    standin = RasaStandin()
    yield standin
    await standin.stop()


GatewayFactory = Callable[..., AbstractAsyncContextManager[RunningApp]]


@pytest.fixture
def gateway_factory(db_url: str, twilio_api: TwilioStandin, rasa: RasaStandin) -> GatewayFactory:
    """`async with gateway_factory(**settings) as app:` — the real app wired to the stand-ins."""

    def factory(
        run_worker: bool = True, **overrides: Any
    ) -> AbstractAsyncContextManager[RunningApp]:
        def make(base_url: str) -> Any:
            values = {
                "rasa_url": rasa.url,
                "rasa_token": RASA_TOKEN,
                "twilio_api_base_url": twilio_api.base_url,
                "media_loopback_host": twilio_api.host,
                **overrides,
            }
            return gateway_settings(db_url, base_url, **values)

        return serve_app(make, run_worker=run_worker)

    return factory


@pytest.fixture
async def gateway(
    gateway_factory: GatewayFactory, branches: dict[str, str]
) -> AsyncIterator[RunningApp]:
    async with gateway_factory() as app:
        yield app


def messages(url: str, direction: str | None = None) -> list[Message]:
    with session_scope(url) as session:
        query = select(Message).order_by(Message.id)
        if direction:
            query = query.where(Message.direction == direction)
        return list(session.scalars(query))


def sends_settled(url: str, count: int | None = None) -> bool:
    """Every outbound message has an outcome (none pending or submitting) and, with
    `count`, there are that many."""
    out = messages(url, "out")
    if count is not None and len(out) != count:
        return False
    return all(m.status not in ("pending", "submitting") for m in out)


def conversations(url: str) -> list[Conversation]:
    with session_scope(url) as session:
        return list(session.scalars(select(Conversation).order_by(Conversation.id)))


def run(url: str, fn: Callable[[Session], Any]) -> Any:
    with session_scope(url) as session:
        return fn(session)
