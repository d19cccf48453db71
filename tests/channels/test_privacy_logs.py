"""No full phone number and no message body in any log line — of a whole gateway turn
(inbound, Rasa, outbound, a lost Twilio answer looked up, status callbacks), of a forged
request, and of database errors (whose exceptions would otherwise carry the statement's
values). Logs are captured at DEBUG, from every library."""

from __future__ import annotations

import hashlib
import logging
import secrets

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from showroom.channels.rate_limit import RedisRateLimiter
from showroom.db.session import session_scope
from showroom.privacy import fingerprint

from .conftest import GatewayFactory, messages
from .support.app_server import WEBHOOK, wait_until, whatsapp_form
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import TwilioStandin

PHONE = "+528119876543"
NATIONAL = "8119876543"
BODY = "Hola, busco una Hilux 2022 para mi rancho en Linares"
PROFILE = "Rosalinda Garza"


def leaks(caplog: pytest.LogCaptureFixture, *secrets_: str) -> list[str]:
    """Log lines (with their tracebacks) that contain any of `secrets_`."""
    formatter = logging.Formatter()
    found = []
    for record in caplog.records:
        line = record.getMessage()
        if record.exc_info:
            line += "\n" + formatter.formatException(record.exc_info)
        if any(s in line for s in secrets_):
            found.append(f"{record.name}: {line[:300]}")
    return found


def _fail_inserts(url: str, direction: str) -> None:
    """A trigger that makes the database refuse messages of one direction (a real error
    from the database, raised on a statement carrying a body and numbers)."""
    with session_scope(url) as session:
        if url.startswith("sqlite"):
            session.execute(
                text(
                    f"create trigger refuse_{direction} before insert on messages "
                    f"when new.direction = '{direction}' "
                    "begin select raise(abort, 'disk quota exceeded'); end"
                )
            )
        else:
            session.execute(
                text(
                    "create or replace function refuse_message() returns trigger as $$ "
                    "begin raise exception 'disk quota exceeded'; end $$ language plpgsql"
                )
            )
            session.execute(
                text(
                    f"create trigger refuse_{direction} before insert on messages "
                    f"for each row when (new.direction = '{direction}') "
                    "execute function refuse_message()"
                )
            )


def _allow_inserts(url: str, direction: str) -> None:
    with session_scope(url) as session:
        on = "" if url.startswith("sqlite") else " on messages"
        session.execute(text(f"drop trigger refuse_{direction}{on}"))


async def test_a_whole_gateway_turn_logs_no_phone_and_no_body(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    twilio_api.create_delays = [2.0]  # the answer is lost: the reply is looked up at Twilio
    async with gateway_factory(twilio_timeout_s=0.3, rate_limit_ip_per_minute=1) as app:
        ok = await app.send_whatsapp(
            body=BODY, from_phone=PHONE, to=branches["MTY"], profile_name=PROFILE
        )
        forged = whatsapp_form(body=BODY, from_phone=PHONE, to=branches["MTY"])
        refused = [await app.post_signed(WEBHOOK, forged, token="forged") for _ in range(2)]
        [sent] = await twilio_api.wait_for(1)
        await wait_until(lambda: messages(db_url, "out")[0].provider_sid, timeout=20)
        await twilio_api.send_status(sent, "delivered")
    assert ok.status_code == 200
    assert [r.status_code for r in refused] == [403, 429]
    assert sent.body == f"eco: {BODY}" and twilio_api.lookups
    assert caplog.records, "nothing was logged at all"
    assert leaks(caplog, PHONE, NATIONAL, BODY, PROFILE) == []


async def test_database_errors_log_no_phone_and_no_body(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with gateway_factory() as app:
        # the worker's turn cannot be saved (the bot's reply is refused by the database)
        _fail_inserts(db_url, "out")
        await app.send_whatsapp(body=BODY, from_phone=PHONE, to=branches["MTY"])
        await rasa.wait_for(1)
        await wait_until(lambda: messages(db_url, "in")[0].attempts >= 1)
        _allow_inserts(db_url, "out")
        # then it goes on (perhaps after a "dame un momento"), answered once
        await wait_until(lambda: any(m.body.startswith("eco:") for m in twilio_api.sent), 20)
        # the webhook cannot store the message: Twilio gets a 500
        _fail_inserts(db_url, "in")
        refused = await app.send_whatsapp(body=BODY, from_phone=PHONE, to=branches["MTY"])
        _allow_inserts(db_url, "in")
    assert refused.status_code == 500
    assert [m.body for m in twilio_api.sent if m.body.startswith("eco:")] == [f"eco: {BODY}"]
    assert rasa.messages == [BODY]  # the turn that could not be saved was not run again
    assert any("database error" in r.getMessage() for r in caplog.records)
    assert any(r.exc_info for r in caplog.records), "the worker's error was not logged"
    assert leaks(caplog, PHONE, NATIONAL, BODY) == []


def test_database_exceptions_carry_no_parameters(db_url: str) -> None:
    with pytest.raises(SQLAlchemyError) as raised, session_scope(db_url) as session:
        session.execute(text("insert into no_such_table (phone) values (:p)"), {"p": PHONE})
    assert "no_such_table" in str(raised.value)
    assert PHONE not in str(raised.value)


def test_fingerprints_are_keyed_not_plain_hashes() -> None:
    plain = hashlib.sha256(PHONE.encode()).hexdigest()[:12]
    assert fingerprint(PHONE, key="one") != plain
    assert fingerprint(PHONE, key="one") != fingerprint(PHONE, key="two")
    assert fingerprint(PHONE, key="one") == fingerprint(PHONE, key="one")
    assert len(fingerprint("203.0.113.7")) == 12


async def test_rate_limit_keys_in_redis_are_keyed_hashes(redis_url: str) -> None:
    import redis

    phone = "+5281" + str(secrets.randbelow(10**8)).zfill(8)
    limiter = RedisRateLimiter(redis_url, "deployment-secret")
    try:
        await limiter.allow("sender", phone, 5)
    finally:
        await limiter.close()
    client = redis.Redis.from_url(redis_url)
    try:
        keys = [k.decode() for k in client.scan_iter("showroom:rl:sender:*")]
    finally:
        client.close()
    plain = hashlib.sha256(f"sender:{phone}".encode()).hexdigest()[:20]
    assert keys
    assert not [k for k in keys if phone in k or plain in k or phone.lstrip("+") in k]
