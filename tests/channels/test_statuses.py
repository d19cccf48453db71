"""Delivery statuses only move forward; callbacks that beat our record of the sid wait."""

from __future__ import annotations

import threading
from urllib.parse import quote

import pytest
from records_kit import whatsapp_conversation
from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.channels.outbox import known_sids, record_submitted
from showroom.channels.status_callbacks import apply_unapplied_events, record_status
from showroom.conversations.messages import queue_outbound, record_inbound
from showroom.conversations.statuses import may_advance
from showroom.db.base import utcnow
from showroom.db.models.conversations import Message, MessageStatusEvent
from showroom.db.session import get_engine, session_scope

from .conftest import GatewayFactory, messages
from .support.app_server import wait_until
from .support.twilio_standin import SentMessage, TwilioStandin


@pytest.mark.parametrize(
    ("current", "new", "moves"),
    [
        ("queued", "sent", True),
        ("sent", "delivered", True),
        ("delivered", "read", True),
        ("queued", "delivered", True),
        ("delivered", "sent", False),
        ("read", "delivered", False),
        ("sent", "queued", False),
        ("sent", "failed", True),
        ("queued", "undelivered", True),
        ("delivered", "failed", False),
        ("failed", "delivered", False),
        ("undelivered", "sent", False),
        ("read", "failed", False),
        ("local", "sent", False),
        ("refused", "sent", False),
        ("sent", "sent", False),
        ("sent", "bogus", False),
    ],
)
def test_may_advance(current: str, new: str, moves: bool) -> None:
    assert may_advance(current, new) is moves


def _outbound(session: Session) -> Message:
    return queue_outbound(session, whatsapp_conversation(session), body="hola")


def test_a_callback_before_the_sid_is_recorded_is_applied_when_it_is(session: Session) -> None:
    message = _outbound(session)
    assert record_status(session, "SMearly", "sent") is False
    assert record_status(session, "SMearly", "delivered") is False
    # what the sender records when Twilio accepts the message
    assert record_submitted(session, message.id, "queued", "SMearly")
    session.flush()
    assert message.status == "delivered"
    assert message.sent_at is not None and message.delivered_at is not None
    events = session.scalars(select(MessageStatusEvent)).all()
    assert {(e.status, e.applied, e.message_id) for e in events} == {
        ("sent", True, message.id),
        ("delivered", True, message.id),
    }


def test_unknown_statuses_are_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="unknown message status"):
        record_status(session, "SM1", "exploded")


def test_callbacks_never_touch_inbound_messages(session: Session) -> None:
    inbound = record_inbound(
        session, whatsapp_conversation(session), provider_sid="SMin", body="hola"
    )
    assert inbound is not None
    assert record_status(session, "SMin", "failed") is False
    assert inbound.status == "pending"


def test_a_callback_committed_just_after_the_sid_was_recorded_is_applied_by_the_sweep(
    pg_url: str,
) -> None:
    """On PostgreSQL the sender's look for waiting callbacks cannot see a callback whose
    transaction commits a moment later: the event stays unapplied until the sweep."""
    with session_scope(pg_url) as setup:
        message_id = _outbound(setup).id
    callback = Session(get_engine(pg_url))
    try:
        assert record_status(callback, "SMrace", "delivered") is False  # sid unknown yet
        callback.flush()
        with session_scope(pg_url) as sender:  # the sender records the sid meanwhile
            assert record_submitted(sender, message_id, "queued", "SMrace")
        callback.commit()
    finally:
        callback.close()
    with session_scope(pg_url) as check:
        assert check.get(Message, message_id).status == "queued"  # type: ignore[union-attr]
        [event] = check.scalars(select(MessageStatusEvent)).all()
        assert event.applied is False

    with session_scope(pg_url) as sweep:
        assert apply_unapplied_events(sweep) == 1
    with session_scope(pg_url) as check:
        message = check.get(Message, message_id)
        assert message is not None and message.status == "delivered"
        assert message.delivered_at is not None
        assert check.scalars(select(MessageStatusEvent)).one().applied is True
        assert apply_unapplied_events(check) == 0


def test_a_callback_naming_our_message_adopts_its_sid(session: Session) -> None:
    message = _outbound(session)
    message.status = "submitting"  # handed to Twilio, answer not recorded
    assert record_status(session, "SMnew", "sent", message_id=message.id) is True
    assert (message.provider_sid, message.status) == ("SMnew", "sent")
    assert message.sent_at is not None
    # a callback for another sid naming the same message never replaces the first sid:
    # Twilio got the message twice, and the other copy is recorded as a message of its own
    assert record_status(session, "SMother", "delivered", message_id=message.id) is True
    assert (message.provider_sid, message.status) == ("SMnew", "sent")
    copy = session.scalars(select(Message).where(Message.provider_sid == "SMother")).one()
    assert (copy.body, copy.status, copy.direction) == ("hola", "delivered", "out")
    assert f"outbound {message.id} twice" in (copy.error or "")
    assert known_sids(session, ["SMnew", "SMother", "SMunknown"]) == {"SMnew", "SMother"}


def test_a_second_sid_from_twilios_answer_is_recorded_as_the_other_copy(
    session: Session,
) -> None:
    """The first copy's callback adopted its sid while the resend was in flight; the
    resend's answer then brings a second sid."""
    message = _outbound(session)
    message.status = "submitting"
    assert record_status(session, "SMfirst", "sent", message_id=message.id) is True
    assert record_status(session, "SMsecond", "delivered") is False  # beats the answer
    assert record_submitted(session, message.id, "queued", "SMsecond") is False
    session.flush()
    assert (message.provider_sid, message.status) == ("SMfirst", "sent")
    copy = session.scalars(select(Message).where(Message.provider_sid == "SMsecond")).one()
    assert copy.status == "delivered"  # the callback that waited for it applies to it
    assert known_sids(session, ["SMfirst", "SMsecond"]) == {"SMfirst", "SMsecond"}
    # recording it again changes nothing
    assert record_submitted(session, message.id, "queued", "SMsecond") is False
    outbound = select(Message).where(Message.direction == "out").order_by(Message.id)
    assert session.scalars(outbound).all() == [message, copy]


async def test_the_worker_sweeps_callbacks_left_unapplied(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    async with gateway_factory(gateway_status_sweep_s=0.1) as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        [sent] = await twilio_api.wait_for(1)
        await wait_until(lambda: messages(db_url, "out")[0].provider_sid)
        with session_scope(db_url) as s:  # what the race above leaves behind
            s.add(
                MessageStatusEvent(
                    provider_sid=sent.sid, status="read", applied=False, received_at=utcnow()
                )
            )
        [reply] = await wait_until(
            lambda: [m for m in messages(db_url, "out") if m.status == "read"], timeout=5
        )
    assert reply.read_at is not None and reply.delivered_at is not None


@pytest.mark.parametrize(
    "raw_id",
    [
        "²",  # a digit to str.isdigit, not to int()
        "١٢",  # Arabic-Indic digits: int() reads them as 12
        "99999999999999999999",  # more than SQLite's 64-bit integers
        "2147483648",  # one past PostgreSQL's integer
        "0",
        "-3",
        "",
    ],
)
async def test_a_callback_url_with_an_impossible_message_id_is_matched_by_sid(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
    raw_id: str,
) -> None:
    """Signed, so Twilio sent it, but `m` is not an id we wrote: ignored, never a 500
    (Twilio would retry it). The callback applies through its MessageSid, or waits for
    it when the sid is not recorded yet."""
    async with gateway_factory() as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        [sent] = await twilio_api.wait_for(1)
        await wait_until(lambda: messages(db_url, "out")[0].provider_sid)
        # Twilio signs the URL as it was given, percent-encoded
        url = sent.status_callback.split("?", 1)[0] + "?m=" + quote(raw_id)
        known = await twilio_api.send_status(sent, "delivered", url=url)
        not_yet_recorded = SentMessage(sid="SM" + "9" * 32, form=sent.form, received_at=0)
        early = await twilio_api.send_status(not_yet_recorded, "sent", url=url)
    assert (known.status_code, early.status_code) == (204, 204)
    [reply] = messages(db_url, "out")
    assert (reply.provider_sid, reply.status) == (sent.sid, "delivered")
    with session_scope(db_url) as session:
        events = session.scalars(select(MessageStatusEvent).order_by(MessageStatusEvent.id))
        assert [(e.provider_sid, e.applied, e.message_id) for e in events] == [
            (sent.sid, True, reply.id),
            (not_yet_recorded.sid, False, None),
        ]


def test_concurrent_callbacks_never_move_a_message_back(db_url: str) -> None:
    """`delivered` has read the message (status `sent`) when `read` arrives: `read` must
    wait for that transaction and then win, not commit first and be overwritten by the
    stale `delivered` (the row is locked while a callback is applied)."""
    with session_scope(db_url) as setup:
        message = _outbound(setup)
        message.provider_sid, message.status = "SMrace", "sent"
        setup.flush()
        message_id = message.id
    delivered_has_read = threading.Barrier(2, timeout=10)
    release_delivered = threading.Event()
    read_done = threading.Event()
    errors: list[BaseException] = []

    def delivered() -> None:
        try:
            with session_scope(db_url) as session:
                assert record_status(session, "SMrace", "delivered") is True
                delivered_has_read.wait()
                release_delivered.wait(10)  # the transaction stays open meanwhile
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    def read() -> None:
        try:
            delivered_has_read.wait()
            with session_scope(db_url) as session:
                record_status(session, "SMrace", "read")
            read_done.set()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=delivered), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    overtook = read_done.wait(1.0)  # without the lock `read` commits right away
    release_delivered.set()
    for thread in threads:
        thread.join(20)
    assert not errors, errors
    with session_scope(db_url) as check:
        stored = check.get(Message, message_id)
        assert stored is not None
        assert (stored.status, overtook) == ("read", False)
        assert stored.delivered_at is not None and stored.read_at is not None
        events = check.scalars(select(MessageStatusEvent).order_by(MessageStatusEvent.id))
        assert [(e.status, e.applied) for e in events] == [("delivered", True), ("read", True)]
