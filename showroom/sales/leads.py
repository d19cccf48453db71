"""Leads for salespeople: trade-in offers, callback requests, requests for a person."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch
from showroom.db.models.leads import HandoffRequest, Lead

log = logging.getLogger(__name__)


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
