"""Customers by E.164 phone or channel sender id."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from showroom.conversations.customers import get_or_create_customer, normalize_phone
from showroom.db.models.customers import Customer


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("81 1234 5678", "+528112345678"),
        ("(81) 1234-5678", "+528112345678"),
        ("+52 81 1234 5678", "+528112345678"),
        ("+52 1 81 1234 5678", "+528112345678"),  # the old mobile "1"
        ("whatsapp:+5218112345678", "+528112345678"),
        ("WhatsApp: +52 81 1234 5678", "+528112345678"),
        ("044 81 1234 5678", "+528112345678"),  # the old mobile prefix
        ("01 55 1234 5678", "+525512345678"),  # the old long-distance prefix
        ("5512345678", "+525512345678"),
        ("+1 415 555 0100", "+14155550100"),
        ("+1 650 253 0000", "+16502530000"),
        ("12345", None),
        ("hola", None),
        ("", None),
        (None, None),
        ("+52 81 1234 56789 0", None),
    ],
)
def test_normalize_phone(raw: str | None, e164: str | None) -> None:
    assert normalize_phone(raw) == e164


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Customer)) or 0)


def test_the_same_person_however_the_number_is_written(session: Session) -> None:
    first = get_or_create_customer(session, phone="whatsapp:+5218112345678")
    assert first.phone == "+528112345678" and first.external_id is None
    for raw in ("81 1234 5678", "+52 81 1234 5678", "+528112345678"):
        assert get_or_create_customer(session, phone=raw).id == first.id
    assert count(session) == 1


def test_web_visitors_by_external_id(session: Session) -> None:
    visitor = get_or_create_customer(session, external_id=" web-7f3a ")
    assert (visitor.phone, visitor.external_id) == (None, "web-7f3a")
    assert get_or_create_customer(session, external_id="web-7f3a").id == visitor.id
    # a shell sender id passed as "phone" that is not a number also works with external_id
    shell = get_or_create_customer(session, phone="default", external_id="default")
    assert shell.external_id == "default" and shell.phone is None
    assert count(session) == 2


def test_a_valid_phone_wins_over_the_external_id(session: Session) -> None:
    customer = get_or_create_customer(session, phone="81 1234 5678", external_id="conv-1")
    assert customer.phone == "+528112345678" and customer.external_id is None


def test_name_fills_an_empty_name_only(session: Session) -> None:
    customer = get_or_create_customer(session, phone="8112345678")
    assert customer.name is None
    get_or_create_customer(session, phone="8112345678", name="  Juan   Pérez ")
    assert customer.name == "Juan Pérez"
    get_or_create_customer(session, phone="8112345678", name="Otro Nombre")
    assert customer.name == "Juan Pérez"


def test_nothing_to_identify_someone(session: Session) -> None:
    with pytest.raises(ValueError, match="required"):
        get_or_create_customer(session)
    with pytest.raises(ValueError, match="invalid phone"):
        get_or_create_customer(session, phone="12345")
    assert count(session) == 0
