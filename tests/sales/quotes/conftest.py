"""A small dealership + parts shop for the quote tests: two branches (16 % and 8 % IVA, two
timezones), vehicles, parts, salespeople and a customer."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from quotes_kit import Store, make_vehicle
from sqlalchemy.orm import Session

from showroom.conversations.customers import get_or_create_customer
from showroom.db.models.inventory import Branch
from showroom.db.models.parts import Part
from showroom.sales.quotes.config import quote_settings
from showroom.sales.quotes.salespeople import add_salesperson


@pytest.fixture(autouse=True)
def _fresh_quote_settings() -> Iterator[None]:
    quote_settings.cache_clear()
    yield
    quote_settings.cache_clear()


@pytest.fixture
def store(session: Session) -> Store:
    mty = Branch(
        code="MTY",
        name="Monterrey Valle",
        city="Monterrey",
        address="Av. Constitución 1500 Pte., Centro",
        whatsapp_number="+528100000101",
        voice_number="+528100000102",
        timezone="America/Monterrey",
        opening_hours="lun-vie 09:00-19:00; sab 10:00-15:00",
        annual_rate=Decimal("0.129"),
        max_bot_discount=Decimal("0.05"),
        commission_rate=Decimal("0.015"),
    )
    tij = Branch(
        code="TIJ",
        name="Tijuana Agua Caliente",
        city="Tijuana",
        address="Blvd. Agua Caliente 10500",
        whatsapp_number="+526640000301",
        timezone="America/Tijuana",
        opening_hours="lun-vie 09:00-18:00",
        iva_rate=Decimal("0.08"),
    )
    session.add_all([mty, tij])
    session.flush()
    hilux = make_vehicle(mty, "MTY-0042", "Toyota", "Hilux", "689900", version="SR Diésel 4x4")
    versa = make_vehicle(mty, "MTY-0007", "Nissan", "Versa", "329900.50", body_type="sedan",
                     fuel="gasolina", version="Advance CVT")  # fmt: skip
    tij_car = make_vehicle(tij, "TIJ-0001", "Mazda", "CX-5", "415000", body_type="suv")
    pads = Part(sku="BAL-10014", title="Balatas delanteras cerámicas", brand="Brembo",
                category="Frenos", price_mxn=Decimal("739"), stock=3)  # fmt: skip
    last_filter = Part(sku="FIL-20001", title="Filtro de aceite", brand="Interfil",
                       price_mxn=Decimal("189.90"), stock=1)  # fmt: skip
    oil = Part(sku="ACE-5W30", title="Aceite sintético 5W-30 (5 L)", brand="Mobil",
               price_mxn=Decimal("1289.50"), stock=40, branch_id=mty.id)  # fmt: skip
    session.add_all([hilux, versa, tij_car, pads, last_filter, oil])
    session.flush()
    ana = add_salesperson(session, mty, "Ana López", email="ana@example.mx", phone="81 1111 2222")
    beto = add_salesperson(session, mty, "Beto Garza")
    tere = add_salesperson(session, "TIJ", "Teresa Muñoz")
    customer = get_or_create_customer(session, phone="81 1234 5678", name="José Peña")
    return Store(mty, tij, hilux, versa, tij_car, pads, last_filter, oil, ana, beto, tere, customer)
