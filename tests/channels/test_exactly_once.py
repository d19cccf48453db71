"""Never twice: a crash, a stop or a timeout between handing a message on (to Rasa, to
Twilio) and recording the answer neither runs a second Rasa turn nor sends a reply twice.

Crashes are real: `showroom serve` runs as its own process and is SIGKILLed at the worst
moment, from inside the Rasa or Twilio stand-in (after the turn is saved / the message is
created, before the answer goes back). Another gateway then takes over.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from twilio.request_validator import RequestValidator

from showroom.channels.leases import LeaseLostError
from showroom.conversations.messages import queue_outbound
from showroom.db.base import utcnow
from showroom.db.models.conversations import Conversation
from showroom.db.session import session_scope

from .conftest import GatewayFactory, messages, sends_settled
from .support.app_server import WEBHOOK, wait_until, whatsapp_form
from .support.gateway_process import GatewayProcess
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, SentMessage, TwilioStandin

pytestmark = pytest.mark.slow

CUSTOMER = "+528112345678"


@pytest.fixture
async def replica(
    tmp_path: Path,
    db_url: str,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
) -> AsyncIterator[GatewayProcess]:
    """A running `showroom serve` replica of the test branches, wired to the stand-ins,
    with short leases; killed at the end if the test has not crashed it."""
    env = {
        "SHOWROOM_ENV": "test",
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": db_url,
        "RASA_URL": rasa.url,
        "ACTION_ENDPOINT_URL": "",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_API_BASE_URL": twilio_api.base_url,
        "MEDIA_DIR": str(tmp_path / "media"),
        "GATEWAY_POLL_INTERVAL_S": "0.05",
        "GATEWAY_LEASE_S": "1",
        "RASA_TIMEOUT_S": "2",
        "HOLDING_NOTICE_AFTER_S": "30",
    }
    process = GatewayProcess(env, tmp_path / "replica")
    await asyncio.to_thread(process.start)
    try:
        yield process
    finally:
        process.kill()


async def post_whatsapp(base_url: str, **fields: Any) -> httpx.Response:
    params = whatsapp_form(**fields)
    signature = RequestValidator(AUTH_TOKEN).compute_signature(base_url + WEBHOOK, params)
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.post(
            base_url + WEBHOOK, data=params, headers={"X-Twilio-Signature": signature}
        )


async def test_a_replica_killed_after_rasa_answered_does_not_make_rasa_answer_twice(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
    replica: GatewayProcess,
) -> None:
    async def crash(_payload: dict[str, Any]) -> None:
        await asyncio.to_thread(replica.kill)  # Rasa saved the turn; its answer is lost

    rasa.before_reply = crash
    response = await post_whatsapp(replica.base_url, body="hola", to=branches["MTY"])
    assert response.status_code == 200
    await rasa.wait_for(1)
    await wait_until(lambda: not replica.running())
    rasa.before_reply = None
    [inbound] = messages(db_url, "in")
    assert inbound.status == "pending" and inbound.rasa_sent_at is not None
    assert twilio_api.sent == []

    async with gateway_factory(rasa_timeout_s=1.0):
        [reply] = await twilio_api.wait_for(1, timeout=20)
        await asyncio.sleep(1.0)  # a second turn or reply would show up by now
    assert rasa.messages == ["hola"]
    assert reply.body == "eco: hola"
    assert len(twilio_api.sent) == 1
    assert [m.status for m in messages(db_url, "in")] == ["done"]


async def test_a_stop_that_cancels_a_turn_inside_rasa_does_not_run_it_twice(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    rasa.delay_s = 1.5  # longer than the stop's grace: the turn is cancelled on our side
    quick_stop = {"gateway_stop_timeout_s": 0.1, "rasa_timeout_s": 3.0, "gateway_lease_s": 2.0}
    async with gateway_factory(**quick_stop) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        await rasa.wait_for(1)
    [inbound] = messages(db_url, "in")
    assert inbound.status == "pending" and inbound.rasa_sent_at is not None

    rasa.delay_s = 0.0
    async with gateway_factory(rasa_timeout_s=3.0):
        await twilio_api.wait_for(1, timeout=20)
        await asyncio.sleep(1.0)
    assert rasa.messages == ["hola"]
    assert [m.body for m in twilio_api.sent] == ["eco: hola"]


async def test_a_replica_killed_after_twilio_created_the_reply_does_not_send_it_again(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
    replica: GatewayProcess,
) -> None:
    async def crash(_message: Any) -> None:
        await asyncio.to_thread(replica.kill)  # Twilio has it; the sid never reaches us

    twilio_api.on_create = crash
    await post_whatsapp(replica.base_url, body="hola", from_phone=CUSTOMER, to=branches["TIJ"])
    [sent] = await twilio_api.wait_for(1, timeout=20)
    await wait_until(lambda: not replica.running())
    twilio_api.on_create = None
    [pending] = messages(db_url, "out")
    assert (pending.status, pending.provider_sid) == ("submitting", None)

    async with gateway_factory(twilio_timeout_s=0.5):
        recorded = await wait_until(
            lambda: [m for m in messages(db_url, "out") if m.provider_sid], timeout=20
        )
        await asyncio.sleep(1.0)  # a resend would show up by now
    assert len(twilio_api.sent) == 1
    assert (recorded[0].provider_sid, recorded[0].status) == (sent.sid, "queued")
    # found by asking Twilio's list for this customer and this branch number
    assert twilio_api.lookups[0]["To"] == "whatsapp:" + CUSTOMER
    assert twilio_api.lookups[0]["From"] == "whatsapp:" + branches["TIJ"]


async def test_a_timed_out_send_that_twilio_created_is_looked_up_not_resent(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    twilio_api.create_delays = [3.0]  # created, but the answer comes after our timeout
    async with gateway_factory(twilio_timeout_s=0.5) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        [sent] = await twilio_api.wait_for(1)
        [recorded] = await wait_until(
            lambda: [m for m in messages(db_url, "out") if m.provider_sid], timeout=20
        )
        # the conversation goes on behind it
        await app.send_whatsapp(body="sigo aquí", to=branches["MTY"])
        await twilio_api.wait_for(2)
        await asyncio.sleep(0.5)
    assert [m.body for m in twilio_api.sent] == ["eco: hola", "eco: sigo aquí"]
    assert recorded.provider_sid == sent.sid
    assert recorded.attempts == 1  # one attempt, whose answer was lost
    assert len(twilio_api.lookups) == 1


async def test_an_unknown_outcome_twilio_does_not_have_is_sent_again(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    twilio_api.failures = [(500, 20500)]  # an internal error: created or not? not, here
    async with gateway_factory(twilio_timeout_s=0.5) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        [sent] = await twilio_api.wait_for(1, timeout=20)
        await asyncio.sleep(0.5)
    assert sent.body == "eco: hola"
    assert len(twilio_api.lookups) == 1  # asked before sending again
    [out] = messages(db_url, "out")
    assert (out.status, out.provider_sid, out.attempts) == ("queued", sent.sid, 1)


async def test_a_status_callback_naming_our_message_settles_an_unanswered_send(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    twilio_api.create_delays = [30.0]  # we never get the answer
    async with gateway_factory(twilio_timeout_s=0.5) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        [sent] = await twilio_api.wait_for(1)
        assert "?m=" in sent.status_callback
        assert (await twilio_api.send_status(sent, "delivered")).status_code == 204
        [out] = messages(db_url, "out")
        # past the moment a lookup would have been made: none needed, nothing resent
        await asyncio.sleep(4.0)
    assert (out.provider_sid, out.status) == (sent.sid, "delivered")
    assert len(twilio_api.sent) == 1
    assert twilio_api.lookups == []


async def test_a_process_that_lost_the_lease_sends_nothing(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    async with gateway_factory(run_worker=False) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        with session_scope(db_url) as session:
            conversation = session.scalars(select(Conversation)).one()
            queue_outbound(session, conversation, body="Hola, soy Ana", author="agent")
            conversation_id = conversation.id
            # another replica holds the conversation now
            session.execute(
                update(Conversation).values(
                    lease_owner="other-host:1:abcd",
                    lease_expires_at=utcnow() + timedelta(seconds=60),
                )
            )
        with pytest.raises(LeaseLostError):
            await app.gateway.sender.flush(conversation_id)
    assert twilio_api.sent == []
    assert [m.status for m in messages(db_url, "out")] == ["pending"]


async def test_a_copy_twilio_got_twice_is_never_taken_for_a_later_message_with_the_same_text(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    """An agent's "dame un momento" times out; Twilio's list does not show it yet, so it
    is sent again — and then the first copy's callback arrives. A later "dame un momento"
    whose outcome is unknown must not take that first copy for itself (it would never be
    sent): the copy's sid is recorded."""
    text = "dame un momento"
    hidden: list[str] = []

    async def list_lags_behind(sent: SentMessage) -> None:
        if sent.body == text and not hidden:
            hidden.append(sent.sid)
            twilio_api.unlisted.add(sent.sid)

    async with gateway_factory(twilio_timeout_s=1.0) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        await twilio_api.wait_for(1)
        await wait_until(lambda: messages(db_url, "out")[0].provider_sid)

        twilio_api.on_create = list_lags_behind
        twilio_api.create_delays = [3.0]  # created, but the answer comes after our timeout
        first_id = _queue_agent_message(db_url, text)
        app.gateway.worker.wake()
        sent = await twilio_api.wait_for(3, timeout=20)  # the lost one and the resend
        await wait_until(lambda: messages(db_url, "out")[1].provider_sid, timeout=10)
        first_copy = next(m for m in sent if m.sid == hidden[0])
        twilio_api.unlisted.clear()  # Twilio's list caught up
        assert (await twilio_api.send_status(first_copy, "delivered")).status_code == 204

        twilio_api.failures = [(500, 20500)]  # not created, but we cannot know that
        second_id = _queue_agent_message(db_url, text)
        app.gateway.worker.wake()
        sent = await twilio_api.wait_for(4, timeout=20)
        await wait_until(lambda: sends_settled(db_url), timeout=20)

    by_id = {m.id: m for m in messages(db_url, "out")}
    first, second = by_id[first_id], by_id[second_id]
    assert first.provider_sid == sent[2].sid  # the resend's sid stays the message's
    [copy] = [m for m in by_id.values() if m.provider_sid == first_copy.sid]
    assert (copy.body, copy.status) == (text, "delivered")
    assert second.provider_sid == sent[3].sid != first_copy.sid
    assert [m.body for m in sent[1:]] == [text, text, text]
    assert len(twilio_api.lookups) == 2


def _queue_agent_message(db_url: str, body: str) -> int:
    with session_scope(db_url) as session:
        conversation = session.scalars(select(Conversation)).one()
        return queue_outbound(session, conversation, body=body, author="agent").id
