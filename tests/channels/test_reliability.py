"""Nothing lost, nothing twice, in order: slow or down Rasa, restarts, replicas, Twilio
failures. The real app and database; loopback stand-ins for Rasa and Twilio."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from showroom.channels import leases, texts
from showroom.db.base import utcnow
from showroom.db.models.conversations import Conversation
from showroom.db.session import session_scope

from .conftest import GatewayFactory, messages, sends_settled
from .support.app_server import WEBHOOK, wait_until, whatsapp_form
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import TwilioStandin

CUSTOMER = "+528112345678"


async def test_messages_of_a_conversation_reach_rasa_one_at_a_time_in_order(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
) -> None:
    rasa.delay_s = 0.3
    async with gateway_factory() as app:
        for text in ("hola", "busco una suv", "de 300 mil", "automática"):
            response = await app.send_whatsapp(body=text, from_phone=CUSTOMER, to=branches["MTY"])
            assert response.status_code == 200
        sent = await twilio_api.wait_for(4)

    assert rasa.messages == ["hola", "busco una suv", "de 300 mil", "automática"]
    assert rasa.max_in_flight == 1
    assert [m.body for m in sent] == [
        "eco: hola",
        "eco: busco una suv",
        "eco: de 300 mil",
        "eco: automática",
    ]


async def test_rasa_down_then_back_every_message_answered_once_in_order_with_one_notice(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    await rasa.stop()
    async with gateway_factory() as app:
        await app.send_whatsapp(body="hola", from_phone=CUSTOMER, to=branches["MTY"])
        [notice] = await twilio_api.wait_for(1)
        assert notice.body == texts.HOLDING
        await app.send_whatsapp(body="sigo esperando", from_phone=CUSTOMER, to=branches["MTY"])
        # retries happen while Rasa is down, and the notice is not repeated
        await wait_until(lambda: messages(db_url, "in")[0].attempts >= 2)
        assert len(twilio_api.sent) == 1

        await rasa.start()
        sent = await twilio_api.wait_for(3)
        await asyncio.sleep(0.3)  # nothing else should arrive

    assert [m.body for m in twilio_api.sent] == [texts.HOLDING, "eco: hola", "eco: sigo esperando"]
    assert rasa.messages == ["hola", "sigo esperando"]
    assert [m.status for m in messages(db_url, "in")] == ["done", "done"]
    assert sent[0].from_ == "whatsapp:" + branches["MTY"]


async def test_a_newer_message_due_behind_a_waiting_one_is_not_claimed_in_a_loop(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rasa is down: the first message waits for its retry (1, 2, 4 … s); the second one
    is due but must wait behind it. The worker looks at the conversation about once per
    poll, not in a claim/read/release loop."""
    claims: list[int] = []
    real_claim = leases.claim

    def counting_claim(session: Session, conversation_id: int, *args: Any) -> bool:
        claims.append(conversation_id)
        return real_claim(session, conversation_id, *args)

    monkeypatch.setattr(leases, "claim", counting_claim)
    await rasa.stop()
    poll_s, window_s = 0.2, 2.0
    async with gateway_factory(gateway_poll_interval_s=poll_s, gateway_retry_max_delay_s=30) as app:
        await app.send_whatsapp(body="hola", from_phone=CUSTOMER, to=branches["MTY"])
        await wait_until(lambda: messages(db_url, "in")[0].attempts >= 2)
        await app.send_whatsapp(body="¿siguen ahí?", from_phone=CUSTOMER, to=branches["MTY"])
        await wait_until(lambda: len(messages(db_url, "in")) == 2)
        claims.clear()
        await asyncio.sleep(window_s)
        counted = len(claims)
        first, second = messages(db_url, "in")

    assert counted <= window_s / poll_s + 2, f"{counted} claims in {window_s} s"
    # in fact only when the first message's retry comes due (at most once in the window)
    assert counted <= 2, f"{counted} claims in {window_s} s"
    assert first.next_attempt_at is not None and second.attempts == 0  # order kept
    assert [m.body for m in twilio_api.sent] == [texts.HOLDING]


async def test_slow_rasa_gets_a_holding_notice_then_the_answer(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
) -> None:
    rasa.delay_s = 1.0
    async with gateway_factory(holding_notice_after_s=0.3) as app:
        await app.send_whatsapp(body="hola", to=branches["CDMX"])
        sent = await twilio_api.wait_for(2)
    assert [m.body for m in sent] == [texts.HOLDING, "eco: hola"]
    assert rasa.messages == ["hola"]


async def test_a_turn_slower_than_the_timeout_is_answered_once(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
) -> None:
    """The call times out but Rasa finishes the turn: the retry finds it in the tracker
    and sends those replies, without a second turn in Rasa."""
    rasa.delay_s = 0.8
    async with gateway_factory(rasa_timeout_s=0.3, holding_notice_after_s=0.1) as app:
        await app.send_whatsapp(body="hola", to=branches["CDMX"])
        sent = await twilio_api.wait_for(2)
        await asyncio.sleep(1.0)  # time for a wrong second turn to show up
    assert [m.body for m in twilio_api.sent] == [texts.HOLDING, "eco: hola"]
    assert rasa.messages == ["hola"]
    assert sent[1].from_ == "whatsapp:" + branches["CDMX"]
    # found through Rasa's HTTP API, with RASA_TOKEN
    assert rasa.tracker_lookups and all(ok for _, ok in rasa.tracker_lookups)


async def test_a_wrong_rasa_token_is_reported_as_the_configuration_error_it_is(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Rasa refuses the tracker lookup after a timed-out turn: the gateway cannot tell
    whether that turn ran, so it asks again (the message is not left waiting for ever) —
    and its log says which setting made it unable to check."""
    rasa.delay_s = 0.8
    settings = {"rasa_timeout_s": 0.3, "holding_notice_after_s": 0.1, "rasa_token": "wrong"}
    async with gateway_factory(**settings) as app:
        await app.send_whatsapp(body="hola", to=branches["CDMX"])
        await rasa.wait_for(1)
        rasa.delay_s = 0.0
        sent = await twilio_api.wait_for(2)
    assert [m.body for m in sent] == [texts.HOLDING, "eco: hola"]
    assert rasa.tracker_lookups and not any(ok for _, ok in rasa.tracker_lookups)
    assert rasa.messages == ["hola", "hola"]  # what a right token prevents (test above)
    assert "RASA_TOKEN must be the token Rasa runs with" in caplog.text


async def test_rasa_down_past_the_retry_window_the_customer_is_told(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    await rasa.stop()
    async with gateway_factory(gateway_give_up_after_s=1.0) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        sent = await twilio_api.wait_for(2)
    assert [m.body for m in sent] == [texts.HOLDING, texts.GAVE_UP]
    assert [m.status for m in messages(db_url, "in")] == ["failed"]
    assert rasa.received == []


async def test_a_restarted_gateway_resumes_what_was_pending(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    await rasa.stop()
    async with gateway_factory() as first:
        await first.send_whatsapp(body="¿tienen la hilux?", to=branches["MTY"])
        await twilio_api.wait_for(1)  # the holding notice
    assert [m.status for m in messages(db_url, "in")] == ["pending"]

    await rasa.start()
    async with gateway_factory():
        sent = await twilio_api.wait_for(2)
    assert sent[1].body == "eco: ¿tienen la hilux?"
    assert rasa.messages == ["¿tienen la hilux?"]


async def test_a_crashed_replicas_expired_lease_is_taken_over(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    async with gateway_factory(run_worker=False) as receiver:
        await receiver.send_whatsapp(body="hola", to=branches["MTY"])
    with session_scope(db_url) as session:  # a replica died while holding the conversation
        session.execute(
            update(Conversation).values(
                lease_owner="dead-host:1234:abcd", lease_expires_at=utcnow() - timedelta(seconds=1)
            )
        )
    async with gateway_factory():
        [reply] = await twilio_api.wait_for(1)
    assert reply.body == "eco: hola"


async def test_two_replicas_keep_one_conversation_in_order(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
) -> None:
    rasa.delay_s = 0.2
    texts_sent = [f"mensaje {n}" for n in range(1, 7)]
    async with gateway_factory() as one, gateway_factory() as two:
        for n, text in enumerate(texts_sent):
            replica = one if n % 2 == 0 else two
            await replica.send_whatsapp(body=text, from_phone=CUSTOMER, to=branches["TIJ"])
        sent = await twilio_api.wait_for(6, timeout=30)
    assert rasa.messages == texts_sent
    assert rasa.max_in_flight == 1
    assert [m.body for m in sent] == [f"eco: {t}" for t in texts_sent]


async def test_twilio_errors_retry_or_fail_without_blocking_the_conversation(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    twilio_api.failures = [(503, 20503)]  # Twilio hiccup: retried
    async with gateway_factory() as app:
        await app.send_whatsapp(body="uno", to=branches["MTY"])
        [first] = await twilio_api.wait_for(1)
        twilio_api.failures = [(400, 63016)]  # refused for good: recorded, next goes on
        await app.send_whatsapp(body="dos", to=branches["MTY"])
        await app.send_whatsapp(body="tres", to=branches["MTY"])
        sent = await twilio_api.wait_for(2)
        await wait_until(lambda: sends_settled(db_url))

    assert [m.body for m in sent] == ["eco: uno", "eco: tres"]
    out = messages(db_url, "out")
    assert [(m.body, m.status) for m in out] == [
        ("eco: uno", "queued"),
        ("eco: dos", "failed"),
        ("eco: tres", "queued"),
    ]
    assert out[0].attempts == 1
    assert out[1].error_code == "63016"
    assert first.body == "eco: uno"


async def test_a_slow_turn_keeps_its_lease_so_no_other_replica_repeats_it(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
) -> None:
    rasa.delay_s = 1.5  # longer than the lease: only the heartbeat keeps it
    fast_leases = {"gateway_lease_s": 0.6, "holding_notice_after_s": 10.0}
    async with gateway_factory(**fast_leases) as one, gateway_factory(**fast_leases):
        await one.send_whatsapp(body="hola", to=branches["MTY"])
        await twilio_api.wait_for(1)
        await asyncio.sleep(1.0)
    assert rasa.messages == ["hola"]
    assert [m.body for m in twilio_api.sent] == ["eco: hola"]


async def test_action_server_down_the_message_waits_without_reaching_rasa(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
    action_server: RasaStandin,
) -> None:
    async with gateway_factory(action_endpoint_url=action_server.url + "/webhook") as app:
        await app.send_whatsapp(body="quiero agendar", to=branches["MTY"])
        [notice] = await twilio_api.wait_for(1)
        await wait_until(lambda: messages(db_url, "in")[0].attempts >= 2)
        assert rasa.received == []  # not half-run in Rasa while its actions are down
        assert "action server" in (messages(db_url, "in")[0].error or "")

        await action_server.start()
        sent = await twilio_api.wait_for(2)
    assert notice.body == texts.HOLDING
    assert sent[1].body == "eco: quiero agendar"
    assert rasa.messages == ["quiero agendar"]


async def test_a_long_outage_gets_one_apology_and_one_notice_until_rasa_answers(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    """Rasa down past the retry window while the customer keeps writing: one "dame un
    momento", one apology for everything written before it (not one per message, nor a
    new notice after each); a message written after the apology gets its own apology
    when it expires, still no new notice. Once Rasa has answered, the next outage is
    announced again."""
    await rasa.stop()

    def to_customer() -> list[str]:
        return [m.body for m in twilio_api.sent]

    def inbound_statuses() -> list[str]:
        return [m.status for m in messages(db_url, "in")]

    async with gateway_factory(gateway_give_up_after_s=1.0) as app:
        for text in ("hola", "¿hay alguien?", "???"):
            await app.send_whatsapp(body=text, from_phone=CUSTOMER, to=branches["MTY"])
        await wait_until(lambda: inbound_statuses() == ["failed"] * 3)
        await asyncio.sleep(0.5)  # a second apology or notice would be sent by now
        assert to_customer() == [texts.HOLDING, texts.GAVE_UP]

        await app.send_whatsapp(body="sigo aquí", from_phone=CUSTOMER, to=branches["MTY"])
        await wait_until(lambda: inbound_statuses() == ["failed"] * 4)
        await twilio_api.wait_for(3)
        await asyncio.sleep(0.5)
        assert to_customer() == [texts.HOLDING, texts.GAVE_UP, texts.GAVE_UP]
        failed = messages(db_url, "in")
        apologies = [m for m in messages(db_url, "out") if m.body == texts.GAVE_UP]
        assert len(apologies) == 2 and apologies[1].reply_to_id == failed[3].id

        await rasa.start()
        await app.send_whatsapp(body="ya volviste", from_phone=CUSTOMER, to=branches["MTY"])
        await twilio_api.wait_for(4)
        await rasa.stop()
        await app.send_whatsapp(body="otra vez", from_phone=CUSTOMER, to=branches["MTY"])
        sent = await twilio_api.wait_for(5)
    assert [m.body for m in sent[3:5]] == ["eco: ya volviste", texts.HOLDING]


async def test_one_message_sid_replayed_to_two_replicas_at_once_is_answered_once(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    """Twilio retrying while the first delivery is still being stored, through a load
    balancer: both replicas get the same MessageSid in the same instant."""
    forms = [
        whatsapp_form(body=f"mensaje {n}", from_phone=f"+52664555000{n}", to=branches["TIJ"])
        for n in range(4)
    ]
    async with gateway_factory() as one, gateway_factory() as two:
        for form in forms:
            first, second = await asyncio.gather(
                one.post_signed(WEBHOOK, form), two.post_signed(WEBHOOK, form)
            )
            assert first.status_code == second.status_code == 200
        await twilio_api.wait_for(4)
        await asyncio.sleep(0.5)  # a second answer would arrive by now
    assert sorted(rasa.messages) == [f"mensaje {n}" for n in range(4)]
    assert sorted(m.body for m in twilio_api.sent) == [f"eco: mensaje {n}" for n in range(4)]
    assert sorted(m.body for m in messages(db_url, "in")) == [f"mensaje {n}" for n in range(4)]
