"""Conversation leases: taken atomically, expire, and — on PostgreSQL — follow the
database's clock, so replicas whose clocks disagree still agree on who holds what."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from showroom.channels import leases
from showroom.conversations.conversations import find_or_start_conversation
from showroom.conversations.customers import get_or_create_customer
from showroom.conversations.messages import record_inbound
from showroom.db import base
from showroom.db.models import Base
from showroom.db.session import session_scope


def _conversation(session: Session) -> int:
    customer = get_or_create_customer(session, phone="+528112345678")
    conversation = find_or_start_conversation(
        session,
        customer=customer,
        channel="whatsapp",
        business_number="+528180001000",
        branch_id=None,
    )
    record_inbound(session, conversation, provider_sid="SMlease", body="hola")
    return conversation.id


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    with session_scope(postgres_url) as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())
    yield postgres_url


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
