"""Twilio answering in ways the library does not turn into a `TwilioRestException`: a 200
that is not JSON, RFC 9457 problem documents. Each is an attempt: a refusal fails the
message, anything else is looked up and retried until OUTBOUND_MAX_ATTEMPTS, and the
conversation goes on. The real `twilio` client against the loopback stand-in."""

from __future__ import annotations

from showroom.db.models.conversations import Message

from .conftest import GatewayFactory, messages, sends_settled
from .support.app_server import RunningApp, wait_until
from .support.twilio_standin import RawAnswer, SentMessage, TwilioStandin, problem

NOT_JSON = RawAnswer(200, "<html><body>OK</body></html>", "text/html")
FAST_LOOKUPS = {"twilio_timeout_s": 0.5}


async def uno_then_dos(
    app: RunningApp, twilio_api: TwilioStandin, db_url: str, to: str, first_within_s: float
) -> tuple[SentMessage, Message, Message]:
    """ "uno" to `to`, and once its reply has an outcome, "dos": (the one message Twilio
    then has, both stored replies)."""
    await app.send_whatsapp(body="uno", to=to)
    await wait_until(lambda: sends_settled(db_url, 1), timeout=first_within_s)
    await app.send_whatsapp(body="dos", to=to)
    [sent] = await twilio_api.wait_for(1, timeout=20)
    await wait_until(lambda: sends_settled(db_url, 2), timeout=20)
    first, second = messages(db_url, "out")
    return sent, first, second


async def test_a_200_that_is_not_json_is_an_attempt_looked_up_then_sent(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    twilio_api.raw_answers = [NOT_JSON]  # a proxy's page; Twilio never got the message
    async with gateway_factory(**FAST_LOOKUPS) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        [sent] = await twilio_api.wait_for(1, timeout=20)
        await wait_until(lambda: sends_settled(db_url, 1), timeout=20)
    [out] = messages(db_url, "out")
    assert (out.status, out.provider_sid, out.attempts) == ("queued", sent.sid, 1)
    assert len(twilio_api.lookups) == 1  # looked for at Twilio before it was sent again
    assert twilio_api.create_requests == 2


async def test_a_problem_document_refusing_the_message_fails_it_and_the_next_goes_on(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    twilio_api.raw_answers = [problem(400, 21211, "Invalid 'To' Phone Number")]
    async with gateway_factory(**FAST_LOOKUPS) as app:
        sent, first, second = await uno_then_dos(app, twilio_api, db_url, branches["MTY"], 20)
    assert (first.body, first.status, first.error_code) == ("eco: uno", "failed", "21211")
    assert "HTTP 400" in (first.error or "")
    assert (second.status, second.provider_sid) == ("queued", sent.sid)
    assert sent.body == "eco: dos"
    assert twilio_api.create_requests == 2  # a refusal is not retried
    assert twilio_api.lookups == []


async def test_unexpected_answers_count_as_attempts_until_the_message_fails(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    """Neither answer says whether Twilio has the message: each is looked up, sent again,
    and counted; at OUTBOUND_MAX_ATTEMPTS the message fails and the conversation moves on."""
    twilio_api.raw_answers = [NOT_JSON, problem(500, 20500, "Internal Server Error")]
    async with gateway_factory(outbound_max_attempts=2, **FAST_LOOKUPS) as app:
        sent, first, second = await uno_then_dos(app, twilio_api, db_url, branches["MTY"], 30)
    assert (first.body, first.status, first.attempts) == ("eco: uno", "failed", 2)
    assert first.provider_sid is None
    assert (second.body, second.status, second.provider_sid) == ("eco: dos", "queued", sent.sid)
    assert len(twilio_api.lookups) == 2  # each unknown outcome was looked for first
    assert twilio_api.create_requests == 3
