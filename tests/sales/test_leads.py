"""Trade-ins, callbacks and handoff requests."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from showroom.conversations.customers import get_or_create_customer
from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch
from showroom.db.models.leads import HandoffRequest, Lead
from showroom.sales.leads import record_callback, record_handoff, record_trade_in


def test_trade_in(session: Session, customer: Customer, mty: Branch) -> None:
    lead = record_trade_in(session, customer, mty, "Nissan", "Versa", 2019, 85000)
    stored = session.scalars(select(Lead)).one()
    assert stored.id == lead.id
    assert (stored.kind, stored.status, stored.branch_id) == ("trade_in", "new", mty.id)
    assert stored.details == {"brand": "Nissan", "model": "Versa", "year": 2019, "km": 85000}
    with pytest.raises(ValueError, match="mileage"):
        record_trade_in(session, customer, None, "Nissan", "Versa", 2019, -1)


def test_callback_without_branch(session: Session, customer: Customer) -> None:
    lead = record_callback(session, customer, None, note="después de las 6")
    assert (lead.kind, lead.branch_id, lead.details) == (
        "callback",
        None,
        {"note": "después de las 6"},
    )


def test_new_customer_gets_an_id_before_the_lead(session: Session) -> None:
    fresh = get_or_create_customer(session, external_id="web-123")
    lead = record_callback(session, fresh, None)
    assert lead.customer_id == fresh.id is not None


def test_handoff_is_idempotent_while_pending(
    session: Session, customer: Customer, mty: Branch
) -> None:
    first = record_handoff(session, customer, mty, "whatsapp:+528112345678")
    again = record_handoff(session, customer, mty, "whatsapp:+528112345678", reason="angry")
    assert again.id == first.id
    other = record_handoff(session, customer, mty, "web-abc")
    assert other.id != first.id
    first.status = "closed"
    session.flush()
    later = record_handoff(session, customer, None, "whatsapp:+528112345678", reason="bot_stuck")
    assert later.id not in (first.id, other.id)
    assert (later.reason, later.status, later.branch_id) == ("bot_stuck", "pending", None)
    total = session.scalar(select(func.count()).select_from(HandoffRequest))
    assert total == 3
