"""Salespeople: the minimal table the console's users will build on."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.conversations.customers import normalize_phone
from showroom.db.models.inventory import Branch
from showroom.db.models.sales import Salesperson
from showroom.inventory.branches import get_branch
from showroom.sales.quotes.errors import NotAllowed, QuoteError

log = logging.getLogger(__name__)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SalespersonError(QuoteError):
    """Bad salesperson data (empty name, bad email/phone, duplicate, unknown branch)."""


def resolve_branch(session: Session, branch: Branch | str) -> Branch:
    if isinstance(branch, Branch):
        return branch
    found = get_branch(session, branch)
    if found is None:
        raise QuoteError(f"unknown branch code {branch!r}")
    return found


def add_salesperson(
    session: Session,
    branch: Branch | str,
    name: str,
    *,
    email: str | None = None,
    phone: str | None = None,
) -> Salesperson:
    """A new active salesperson; email and phone (E.164) are unique when given."""
    branch_row = resolve_branch(session, branch)
    clean_name = " ".join((name or "").split())
    if not clean_name or len(clean_name) > 120:
        raise SalespersonError("name must have 1-120 characters")
    clean_email = (email or "").strip().lower() or None
    if clean_email is not None and (len(clean_email) > 160 or not _EMAIL.match(clean_email)):
        raise SalespersonError(f"not an email address: {email!r}")
    clean_phone = None
    if phone and phone.strip():
        clean_phone = normalize_phone(phone)
        if clean_phone is None:
            raise SalespersonError("not a valid phone number")
    for column, value in (("email", clean_email), ("phone", clean_phone)):
        if value is not None and session.scalar(
            select(Salesperson.id).where(getattr(Salesperson, column) == value)
        ):
            raise SalespersonError(f"another salesperson already has this {column}")
    person = Salesperson(
        branch_id=branch_row.id,
        name=clean_name,
        email=clean_email,
        phone=clean_phone,
        active=True,
    )
    session.add(person)
    session.flush()
    log.info("salesperson added id=%s branch=%s", person.id, branch_row.code)
    return person


def get_salesperson(session: Session, salesperson_id: int) -> Salesperson | None:
    return session.get(Salesperson, salesperson_id)


def list_salespeople(
    session: Session, branch: Branch | str | None = None, *, include_inactive: bool = False
) -> list[Salesperson]:
    statement = select(Salesperson).order_by(Salesperson.name, Salesperson.id)
    if branch is not None:
        statement = statement.where(Salesperson.branch_id == resolve_branch(session, branch).id)
    if not include_inactive:
        statement = statement.where(Salesperson.active.is_(True))
    return list(session.scalars(statement))


def set_active(session: Session, salesperson_id: int, active: bool) -> Salesperson:
    person = get_salesperson(session, salesperson_id)
    if person is None:
        raise SalespersonError(f"no salesperson with id {salesperson_id}")
    person.active = active
    session.flush()
    return person


def active_salesperson(
    session: Session, salesperson: Salesperson | int, branch: Branch | None = None
) -> Salesperson:
    """The salesperson, checked: exists, is active, and (with `branch`) works there."""
    person = (
        salesperson
        if isinstance(salesperson, Salesperson)
        else get_salesperson(session, int(salesperson))
    )
    if person is None:
        raise NotAllowed(f"no salesperson with id {salesperson}")
    if not person.active:
        raise NotAllowed(f"salesperson {person.id} is not active")
    if branch is not None and person.branch_id != branch.id:
        raise NotAllowed(f"salesperson {person.id} does not work at branch {branch.code}")
    return person
