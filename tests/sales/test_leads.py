"""Trade-ins, callbacks and handoff requests: recorded, then listed and closed by staff."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from showroom.conversations.customers import get_or_create_customer
from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch
from showroom.db.models.leads import HandoffRequest, Lead
from showroom.sales.leads import (
    HandoffView,
    LeadError,
    close_handoff,
    list_handoffs,
    list_leads,
    record_callback,
    record_handoff,
    record_trade_in,
)


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


# ------------------------------------------------------------------ what staff see
def test_handoffs_listed_oldest_first_with_customer_and_branch(
    session: Session, customer: Customer, mty: Branch, tij: Branch
) -> None:
    visitor = get_or_create_customer(session, external_id="web-9", name="Visitante")
    first = record_handoff(session, customer, mty, "whatsapp:+528112345678")
    second = record_handoff(session, visitor, tij, "web-9", reason="parts")
    third = record_handoff(session, visitor, None, "web-10", reason="quote")
    first.created_at = datetime(2030, 1, 9, 16, 0, tzinfo=UTC)
    second.created_at = datetime(2030, 1, 9, 15, 0, tzinfo=UTC)
    third.created_at = datetime(2030, 1, 9, 17, 0, tzinfo=UTC)
    second.status = "taken"
    session.flush()

    every = list_handoffs(session)
    assert [v.id for v in every] == [second.id, first.id, third.id]
    assert every[1] == HandoffView(
        id=first.id,
        created_at=datetime(2030, 1, 9, 16, 0, tzinfo=UTC),
        status="pending",
        reason="customer_request",
        note="",
        conversation_key="whatsapp:+528112345678",
        branch_code="MTY",
        branch_timezone="America/Monterrey",
        customer_name="Juan",
        phone="+528112345678",
    )
    assert (every[2].branch_code, every[2].phone) == (None, None)
    assert [v.id for v in list_handoffs(session, "mty")] == [first.id]

    close_handoff(session, first.id)
    assert [v.id for v in list_handoffs(session, open_only=True)] == [second.id, third.id]
    assert [v.id for v in list_handoffs(session, "MTY", open_only=True)] == []


def test_closing_a_handoff_keeps_a_note_and_is_idempotent(
    session: Session, customer: Customer, mty: Branch
) -> None:
    request = record_handoff(session, customer, mty, "whatsapp:+528112345678")
    closed, was_open = close_handoff(session, request.id, note="  Le llamé, agenda el sábado ")
    assert (closed.id, closed.status, closed.note, was_open) == (
        request.id,
        "closed",
        "Le llamé, agenda el sábado",
        True,
    )
    again, was_open = close_handoff(session, request.id, note="otra")
    assert (again.note, was_open) == ("Le llamé, agenda el sábado", False)
    # a new request for the same conversation is a new one, not the closed one
    assert record_handoff(session, customer, mty, "whatsapp:+528112345678").id != request.id
    with pytest.raises(LeadError, match="no handoff request with id 999"):
        close_handoff(session, 999)


def test_leads_by_branch_kind_and_time(
    session: Session, customer: Customer, mty: Branch, tij: Branch
) -> None:
    trade = record_trade_in(session, customer, mty, "Chevrolet", "Aveo", 2016, 95000)
    call = record_callback(session, customer, tij, note="después de las 6")
    old = record_callback(session, customer, mty)
    trade.created_at = datetime(2030, 1, 9, 12, 0, tzinfo=UTC)
    call.created_at = datetime(2030, 1, 9, 13, 0, tzinfo=UTC)
    old.created_at = datetime(2029, 12, 31, 23, 59, tzinfo=UTC)
    session.flush()

    assert [v.id for v in list_leads(session)] == [old.id, trade.id, call.id]
    assert [v.id for v in list_leads(session, kind="callback")] == [old.id, call.id]
    assert [v.id for v in list_leads(session, "TIJ")] == [call.id]
    since = datetime(2030, 1, 9, 12, 0, tzinfo=UTC)
    assert [v.id for v in list_leads(session, since=since)] == [trade.id, call.id]
    view = list_leads(session, "MTY", kind="trade_in")[0]
    assert (view.kind, view.status, view.branch_code, view.phone, view.details) == (
        "trade_in",
        "new",
        "MTY",
        "+528112345678",
        {"brand": "Chevrolet", "model": "Aveo", "year": 2016, "km": 95000},
    )


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"branch_code": "GDL"}, "unknown branch code 'GDL'"),
        ({"kind": "sale"}, "unknown lead kind 'sale'"),
        ({"since": datetime(2030, 1, 9)}, "timezone-aware"),
    ],
)
def test_bad_lead_queries_are_clear_errors(
    session: Session, kwargs: dict[str, Any], reason: str
) -> None:
    with pytest.raises(LeadError, match=reason):
        list_leads(session, **kwargs)
    if "branch_code" in kwargs:
        with pytest.raises(LeadError, match=reason):
            list_handoffs(session, kwargs["branch_code"])
