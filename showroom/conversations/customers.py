"""Customers, identified by E.164 phone (WhatsApp, voice) or by a channel's sender id."""

from __future__ import annotations

import logging
import re
from typing import Any

import phonenumbers
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from showroom.conversations.clean import clean_text
from showroom.db.base import Base
from showroom.db.models.customers import Customer
from showroom.privacy import mask_phone

log = logging.getLogger(__name__)

DEFAULT_REGION = "MX"
_CHANNEL_PREFIX = re.compile(r"^\s*(?:whatsapp|tel|sms|voice)\s*:\s*", re.IGNORECASE)
# Dialling prefixes Mexico dropped in 2019-2020 that people and old CRMs still write:
# 044/045 (mobile), 01 (long distance) before the 10 digits.
_OLD_MX_PREFIX = re.compile(r"^(?:044|045|01)(\d{10})$")


def normalize_phone(raw: str | None) -> str | None:
    """E.164 (`+528112345678`) of a phone as people and channels write it; None if invalid.

    Accepts "81 1234 5678", "+52 1 81 1234 5678" (the old mobile "1"), "044 81 ...",
    "whatsapp:+5218112345678" and foreign numbers with their `+` country code. Mexican
    numbers come out as `+52` and 10 digits.
    """
    if not raw:
        return None
    text = _CHANNEL_PREFIX.sub("", raw).strip()
    if not text or len(text) > 40:
        return None
    digits = re.sub(r"\D", "", text)
    if not text.startswith("+"):
        old = _OLD_MX_PREFIX.match(digits)
        if old:
            text = old.group(1)
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code == 52:
        national = str(number.national_number)
        if len(national) == 11 and national.startswith("1"):
            number.national_number = int(national[1:])
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def get_or_create_customer(
    session: Session,
    *,
    phone: str | None = None,
    external_id: str | None = None,
    name: str | None = None,
) -> Customer:
    """The customer with this phone (normalized) or, without a valid phone, this sender id.

    A web/shell sender id without a phone is kept in `external_id`. `name` fills an empty
    name and never overwrites one. `ValueError` when neither identifies anyone.
    Safe under concurrency: a lost insert race reads the winner's row.
    """
    e164 = normalize_phone(phone)
    if e164 is not None:
        criteria = Customer.phone == e164
    elif external_id and clean_text(external_id).strip():
        external_id = clean_text(external_id).strip()[:128]
        criteria = Customer.external_id == external_id
    elif phone:
        raise ValueError("invalid phone number and no external id")
    else:
        raise ValueError("a phone or an external id is required")

    clean_name = " ".join(clean_text(name or "").split())[:120] or None
    customer = session.scalar(select(Customer).where(criteria))
    if customer is None:
        values = {"phone": e164, "external_id": None if e164 else external_id, "name": clean_name}
        key = "phone" if e164 else "external_id"
        if insert_if_absent(session, Customer, values, key):
            log.info("new customer phone=%s", mask_phone(e164))
        customer = session.scalars(select(Customer).where(criteria)).one()
    if clean_name and not customer.name:
        customer.name = clean_name
    return customer


def insert_if_absent(
    session: Session, model: type[Base], values: dict[str, Any], *unique: str
) -> bool:
    """INSERT ... ON CONFLICT (unique columns) DO NOTHING; True when a row was inserted.

    Race-free on PostgreSQL and SQLite alike, without savepoints (which pysqlite mishandles):
    two workers creating the same customer both end up reading one row.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=list(unique))
    result = session.execute(statement)
    return bool(getattr(result, "rowcount", 0))
