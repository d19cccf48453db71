"""Leads for salespeople: trade-in offers, callback requests, requests for a person.

The assistant records them (`record_*`); staff see and close them (`list_handoffs`,
`list_leads`, `close_handoff`, behind `showroom handoffs …` / `showroom leads list`) until
the agent console exists.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Row, select
from sqlalchemy.orm import Session

from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch
from showroom.db.models.leads import HandoffRequest, Lead
from showroom.inventory.branches import get_branch

log = logging.getLogger(__name__)

LEAD_KINDS = ("trade_in", "callback", "vehicle_interest")
# a handoff request someone still has to act on ("taken": a person has it, not done yet)
OPEN_HANDOFF_STATUSES = ("pending", "taken")
# what staff list, with its customer and branch
StaffRecord = TypeVar("StaffRecord", HandoffRequest, Lead)


class LeadError(ValueError):
    """Bad input to a staff query or command (unknown branch, request, kind)."""


@dataclass(frozen=True)
class HandoffView:
    """A handoff request as staff see it, with its customer and branch."""

    id: int
    created_at: datetime  # aware, UTC
    status: str
    reason: str
    note: str
    conversation_key: str
    branch_code: str | None
    branch_timezone: str | None
    customer_name: str | None
    phone: str | None  # E.164; None for web/shell visitors


@dataclass(frozen=True)
class LeadView:
    """A lead as staff see it, with its customer and branch."""

    id: int
    created_at: datetime  # aware, UTC
    kind: str
    status: str
    details: dict[str, Any]
    branch_code: str | None
    branch_timezone: str | None
    customer_name: str | None
    phone: str | None


def _ids(session: Session, customer: Customer, branch: Branch | None) -> tuple[int, int | None]:
    if customer.id is None or (branch is not None and branch.id is None):
        session.flush()
    return customer.id, branch.id if branch is not None else None


def record_trade_in(
    session: Session,
    customer: Customer,
    branch: Branch | None,
    brand: str,
    model: str,
    year: int,
    km: int,
) -> Lead:
    """A customer offers their car as part of the payment (toma a cuenta)."""
    if km < 0:
        raise ValueError("mileage cannot be negative")
    customer_id, branch_id = _ids(session, customer, branch)
    lead = Lead(
        customer_id=customer_id,
        branch_id=branch_id,
        kind="trade_in",
        details={"brand": brand, "model": model, "year": int(year), "km": int(km)},
    )
    session.add(lead)
    session.flush()
    log.info("trade-in lead=%s customer=%s", lead.id, customer_id)
    return lead


def record_callback(
    session: Session, customer: Customer, branch: Branch | None, note: str = ""
) -> Lead:
    """A customer asked to be called back later."""
    customer_id, branch_id = _ids(session, customer, branch)
    lead = Lead(
        customer_id=customer_id, branch_id=branch_id, kind="callback", details={"note": note}
    )
    session.add(lead)
    session.flush()
    log.info("callback lead=%s customer=%s", lead.id, customer_id)
    return lead


def record_handoff(
    session: Session,
    customer: Customer,
    branch: Branch | None,
    conversation_key: str,
    reason: str = "customer_request",
) -> HandoffRequest:
    """Ask a person to take the conversation over.

    Idempotent: while a pending request exists for `conversation_key`, that one is returned.
    """
    conversation_key = conversation_key[:128]
    pending = session.scalar(
        select(HandoffRequest)
        .where(
            HandoffRequest.conversation_key == conversation_key,
            HandoffRequest.status == "pending",
        )
        .order_by(HandoffRequest.id)
        .limit(1)
    )
    if pending is not None:
        return pending
    customer_id, branch_id = _ids(session, customer, branch)
    request = HandoffRequest(
        customer_id=customer_id,
        branch_id=branch_id,
        conversation_key=conversation_key,
        reason=reason[:32],
    )
    session.add(request)
    session.flush()
    log.info("handoff requested id=%s reason=%s", request.id, reason)
    return request


def _branch_id(session: Session, branch_code: str | None) -> int | None:
    if branch_code is None:
        return None
    branch = get_branch(session, branch_code)
    if branch is None:
        raise LeadError(f"unknown branch code {branch_code!r}")
    return branch.id


def _staff_rows(
    session: Session,
    record: type[StaffRecord],
    branch_code: str | None,
    conditions: Sequence[ColumnElement[bool]],
) -> Sequence[Row[StaffRecord, str | None, str | None, str | None, str | None]]:
    """(record, customer name, phone, branch code, branch timezone) rows of the records
    (handoff requests or leads) that meet `conditions` and belong to the branch, oldest
    first. `LeadError` for an unknown branch code."""
    statement = select(record, Customer.name, Customer.phone, Branch.code, Branch.timezone)
    branch_id = _branch_id(session, branch_code)
    if branch_id is not None:
        statement = statement.where(record.branch_id == branch_id)
    statement = (
        statement.where(*conditions)
        .join(Customer, Customer.id == record.customer_id)
        .outerjoin(Branch, Branch.id == record.branch_id)
        .order_by(record.created_at, record.id)
    )
    return session.execute(statement).all()


def list_handoffs(
    session: Session, branch_code: str | None = None, open_only: bool = False
) -> list[HandoffView]:
    """Handoff requests, oldest first; only one branch's, only open ones if asked."""
    conditions = [HandoffRequest.status.in_(OPEN_HANDOFF_STATUSES)] if open_only else []
    rows = _staff_rows(session, HandoffRequest, branch_code, conditions)
    return [
        HandoffView(
            id=request.id,
            created_at=request.created_at,
            status=request.status,
            reason=request.reason,
            note=request.note or "",
            conversation_key=request.conversation_key,
            branch_code=code,
            branch_timezone=zone,
            customer_name=name,
            phone=phone,
        )
        for request, name, phone, code, zone in rows
    ]


def close_handoff(session: Session, request_id: int, note: str = "") -> tuple[HandoffRequest, bool]:
    """Mark a handoff request done; (the request, whether it was still open).

    Closing a closed request changes nothing. `note` (what was done) is appended to the
    request's note. `LeadError` for an unknown id.
    """
    request = session.get(HandoffRequest, request_id)
    if request is None:
        raise LeadError(f"no handoff request with id {request_id}")
    if request.status == "closed":
        return request, False
    request.status = "closed"
    if note.strip():
        request.note = f"{request.note}\n{note.strip()}" if request.note else note.strip()
    session.flush()
    log.info("handoff closed id=%s", request.id)
    return request, True


def list_leads(
    session: Session,
    branch_code: str | None = None,
    kind: str | None = None,
    since: datetime | None = None,
) -> list[LeadView]:
    """Leads, oldest first; filtered by branch, kind and creation time (`since`, aware)."""
    if kind is not None and kind not in LEAD_KINDS:
        raise LeadError(f"unknown lead kind {kind!r} (one of: {', '.join(LEAD_KINDS)})")
    if since is not None and since.tzinfo is None:
        raise LeadError("`since` must be timezone-aware")
    conditions: list[ColumnElement[bool]] = []
    if kind is not None:
        conditions.append(Lead.kind == kind)
    if since is not None:
        conditions.append(Lead.created_at >= since)
    rows = _staff_rows(session, Lead, branch_code, conditions)
    return [
        LeadView(
            id=lead.id,
            created_at=lead.created_at,
            kind=lead.kind,
            status=lead.status,
            details=dict(lead.details or {}),
            branch_code=code,
            branch_timezone=zone,
            customer_name=name,
            phone=phone,
        )
        for lead, name, phone, code, zone in rows
    ]
