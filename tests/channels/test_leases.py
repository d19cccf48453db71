"""Conversation leases: taken atomically, expire, and — on PostgreSQL — follow the
database's clock, so replicas whose clocks disagree still agree on who holds what."""

from __future__ import annotations

import secrets
import time
from datetime import datetime, timedelta

import pytest
from records_kit import whatsapp_conversation
from sqlalchemy.orm import Session

from showroom.channels import leases
from showroom.conversations.messages import queue_outbound, record_inbound
from showroom.db import base
from showroom.db.models.conversations import Conversation, Message
from showroom.db.session import session_scope


def _conversation(session: Session) -> int:
    conversation = whatsapp_conversation(session)
    record_inbound(session, conversation, provider_sid="SMlease", body="hola")
    return conversation.id


def test_a_lease_is_exclusive_until_it_expires_then_taken_over(db_url: str) -> None:
    with session_scope(db_url) as session:
        cid = _conversation(session)
    with session_scope(db_url) as session:
        assert leases.claim(session, cid, "replica-a", 0.3)
    with session_scope(db_url) as session:
        assert not leases.claim(session, cid, "replica-b", 0.3)
        assert leases.due_conversations(session, "replica-b", base.utcnow(), 10) == []
        assert leases.due_conversations(session, "replica-a", base.utcnow(), 10) == [cid]
        leases.check_lease(session, cid, "replica-a")
    time.sleep(0.4)
    with session_scope(db_url) as session, pytest.raises(leases.LeaseLostError):
        leases.check_lease(session, cid, "replica-a")  # expired: not held any more
    with session_scope(db_url) as session:
        assert leases.claim(session, cid, "replica-b", 30)
    with session_scope(db_url) as session, pytest.raises(leases.LeaseLostError):
        leases.renew(session, cid, "replica-a", 30)


def test_a_replica_whose_clock_runs_ahead_does_not_steal_a_live_lease(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(pg_url) as session:
        cid = _conversation(session)
    with session_scope(pg_url) as session:
        assert leases.claim(session, cid, "replica-a", 30)

    real_utcnow = base.utcnow

    def five_minutes_ahead() -> datetime:
        return real_utcnow() + timedelta(minutes=5)

    # replica B's clock is 5 minutes fast: by its clock, A's lease expired long ago
    monkeypatch.setattr(leases, "utcnow", five_minutes_ahead)
    with session_scope(pg_url) as session:
        assert not leases.claim(session, cid, "replica-b", 30)
        assert leases.due_conversations(session, "replica-b", five_minutes_ahead(), 10) == []
    with session_scope(pg_url) as session:
        leases.check_lease(session, cid, "replica-a")  # still A's
        # renewing uses the database's clock too (by this fast clock, 5 more minutes)
        leases.renew(session, cid, "replica-a", 0.2)
    time.sleep(0.3)
    with session_scope(pg_url) as session:
        assert leases.claim(session, cid, "replica-b", 30)


def _inbound(session: Session, conversation: Conversation, wait_s: float | None) -> Message:
    message = record_inbound(
        session, conversation, provider_sid="SM" + secrets.token_hex(8), body="hola"
    )
    assert message is not None
    if wait_s is not None:
        message.attempts = 1
        message.next_attempt_at = base.utcnow() + timedelta(seconds=wait_s)
    return message


def _outbound(
    session: Session, conversation: Conversation, wait_s: float | None, status: str = "pending"
) -> Message:
    message = queue_outbound(session, conversation, body="dame un momento", author="system")
    message.status = status
    if wait_s is not None:
        message.attempts = 1
        message.next_attempt_at = base.utcnow() + timedelta(seconds=wait_s)
    return message


def test_only_the_oldest_open_message_makes_a_conversation_due(db_url: str) -> None:
    """Messages go out in order, so a newer message that is due behind an older one that
    waits is not work: the worker would claim the conversation and stop at once."""
    with session_scope(db_url) as session:
        waiting_in = whatsapp_conversation(session, "+528112340001")
        _inbound(session, waiting_in, wait_s=30)  # Rasa down: retried in 30 s
        _inbound(session, waiting_in, wait_s=None)  # due, but behind it

        waiting_out = whatsapp_conversation(session, "+528112340002")
        _outbound(session, waiting_out, wait_s=30, status="submitting")  # looked up later
        _outbound(session, waiting_out, wait_s=None)
        _inbound(session, waiting_out, wait_s=None)  # held back by the sends before it

        out_due = whatsapp_conversation(session, "+528112340003")
        _inbound(session, out_due, wait_s=30)
        _outbound(session, out_due, wait_s=None)  # sent now; the inbound one waits after

        in_due = whatsapp_conversation(session, "+528112340004")
        _inbound(session, in_due, wait_s=None)
        _inbound(session, in_due, wait_s=30)  # newer and waiting: the older one goes first

        idle = whatsapp_conversation(session, "+528112340005")
        done = _inbound(session, idle, wait_s=None)
        done.status = "done"
        ids = {
            "waiting_in": waiting_in.id,
            "waiting_out": waiting_out.id,
            "out_due": out_due.id,
            "in_due": in_due.id,
        }
    with session_scope(db_url) as session:
        due = leases.due_conversations(session, "replica-a", base.utcnow(), 10)
    assert due == [ids["out_due"], ids["in_due"]]
    later = base.utcnow() + timedelta(seconds=31)
    with session_scope(db_url) as session:
        due_later = leases.due_conversations(session, "replica-a", later, 10)
    assert due_later == [ids["waiting_in"], ids["waiting_out"], ids["out_due"], ids["in_due"]]
