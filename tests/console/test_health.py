"""GET /health."""

from __future__ import annotations

import httpx
from channels.conftest import GatewayFactory
from channels.support.rasa_standin import RasaStandin


async def _health(base_url: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(base_url + "/health")


async def test_health_reports_db_rasa_actions_and_mode(
    gateway_factory: GatewayFactory, branches: dict[str, str], rasa: RasaStandin
) -> None:
    local = {"twilio_account_sid": None, "twilio_auth_token": None}
    async with gateway_factory(action_endpoint_url=rasa.url + "/webhook", **local) as app:
        up = await _health(app.base_url)
        await rasa.stop()
        down = await _health(app.base_url)
    assert up.status_code == 200
    assert up.json() == {
        "status": "ok",
        "mode": "local",
        "db": {"ok": True},
        "rasa": {"ok": True},
        "action_server": {"ok": True},
        "queue": {"pending_inbound": 0, "pending_outbound": 0},
    }
    assert down.status_code == 200  # the gateway still takes and keeps messages
    assert down.json()["status"] == "degraded"
    assert down.json()["rasa"] == {"ok": False}
    assert down.json()["action_server"] == {"ok": False}


async def test_health_says_twilio_mode_with_credentials_and_counts_waiting_messages(
    gateway_factory: GatewayFactory, branches: dict[str, str], rasa: RasaStandin
) -> None:
    await rasa.stop()
    async with gateway_factory(run_worker=False) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        body = (await _health(app.base_url)).json()
    assert body["mode"] == "twilio"
    assert body["queue"] == {"pending_inbound": 1, "pending_outbound": 0}
    assert set(body) == {"status", "mode", "db", "rasa", "action_server", "queue"}


async def test_outbound_being_sent_counts_as_waiting(
    gateway_factory: GatewayFactory, branches: dict[str, str], rasa: RasaStandin, db_url: str
) -> None:
    from sqlalchemy import select

    from showroom.conversations import statuses
    from showroom.db.models.conversations import Message
    from showroom.db.session import session_scope

    await rasa.stop()
    async with gateway_factory(run_worker=False) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        with session_scope(db_url) as session:
            inbound = session.scalars(select(Message)).one()
            for status in (statuses.OUT_PENDING, statuses.OUT_SUBMITTING, "sent"):
                session.add(
                    Message(
                        conversation_id=inbound.conversation_id,
                        direction="out",
                        author="bot",
                        body="",
                        status=status,
                    )
                )
        body = (await _health(app.base_url)).json()
    assert body["queue"] == {"pending_inbound": 1, "pending_outbound": 2}
