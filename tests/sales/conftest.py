"""Sales fixtures: a branch per timezone and a customer."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from showroom.conversations.customers import get_or_create_customer
from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch


@pytest.fixture
def mty(session: Session) -> Branch:
    branch = Branch(
        code="MTY",
        name="Monterrey Valle",
        city="Monterrey",
        address="Av. Constitución 1500",
        timezone="America/Monterrey",
        opening_hours="lun-vie 09:00-19:00; sab 10:00-15:00",
    )
    session.add(branch)
    session.flush()
    return branch


@pytest.fixture
def tij(session: Session) -> Branch:
    branch = Branch(
        code="TIJ",
        name="Tijuana",
        city="Tijuana",
        address="Blvd. Agua Caliente 10500",
        timezone="America/Tijuana",
        opening_hours="lun-vie 09:00-14:00, 16:00-18:00",
    )
    session.add(branch)
    session.flush()
    return branch


@pytest.fixture
def customer(session: Session) -> Customer:
    return get_or_create_customer(session, phone="81 1234 5678", name="Juan")
