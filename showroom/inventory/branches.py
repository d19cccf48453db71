"""Branches: lookup by code, number or city; their hours, timezone, rates and map link."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from showroom.conversations.customers import normalize_phone
from showroom.db.models.inventory import Branch
from showroom.inventory.hours import OpeningHours
from showroom.inventory.vocabulary import text_key
from showroom.settings import get_settings

# How people name the big cities, as `text_key`s.
CITY_ALIASES = {
    "cdmx": "ciudaddemexico",
    "df": "ciudaddemexico",
    "mexicodf": "ciudaddemexico",
    "mexicocity": "ciudaddemexico",
    "lacapital": "ciudaddemexico",
    "mty": "monterrey",
    "gdl": "guadalajara",
    "tj": "tijuana",
    "qro": "queretaro",
    "slp": "sanluispotosi",
}


def normalize_code(code: str) -> str:
    return code.strip().upper()


def branch_label_es(branch: Branch) -> str:
    """`"Sucursal Monterrey Valle"`: the branch's name, with "Sucursal" unless it has it."""
    name = branch.name
    return name if name.casefold().startswith("sucursal") else f"Sucursal {name}"


def get_branch(session: Session, code: str) -> Branch | None:
    """The branch with this code (case-insensitive: codes are stored upper case)."""
    if not code or not code.strip():
        return None
    return session.scalar(select(Branch).where(Branch.code == normalize_code(code)))


def branch_for_number(session: Session, whatsapp_number: str) -> Branch | None:
    """The branch a customer wrote or called to (`whatsapp:` prefix ok).

    Matches the branch's WhatsApp number first, then its voice number, so the gateway can
    route both channels with the same call.
    """
    phone = normalize_phone(whatsapp_number)
    if phone is None:
        return None
    branches = session.scalars(
        select(Branch).where(or_(Branch.whatsapp_number == phone, Branch.voice_number == phone))
    ).all()
    for branch in branches:
        if branch.whatsapp_number == phone:
            return branch
    return branches[0] if branches else None


def _city_key(city: str) -> str:
    key = text_key(city)
    return CITY_ALIASES.get(key, key)


def list_branches(session: Session, city: str | None = None) -> list[Branch]:
    """All branches by name; with `city`, those in it (accent/case-insensitive, "CDMX" ok).

    A branch matches when its city equals the asked one; failing that, when one name
    contains the other ("Cancún" and "Cancún, Q. Roo").
    """
    branches = list(session.scalars(select(Branch).order_by(Branch.name, Branch.code)))
    if city is None or not city.strip():
        return branches
    wanted = _city_key(city)
    exact = [b for b in branches if _city_key(b.city) == wanted]
    if exact or len(wanted) < 4:
        return exact
    return [b for b in branches if wanted in _city_key(b.city) or _city_key(b.city) in wanted]


def branch_hours(branch: Branch) -> OpeningHours:
    return OpeningHours.parse(branch.opening_hours)


def branch_zone(branch: Branch) -> ZoneInfo:
    return ZoneInfo(branch.timezone or get_settings().default_timezone)


def map_link(branch: Branch) -> str:
    """Google Maps search URL of the branch's address (opens the app on a phone)."""
    query = ", ".join(part for part in (branch.address, branch.city) if part)
    return f"https://www.google.com/maps/search/?api=1&query={quote_plus(query)}"


def annual_rate(branch: Branch | None) -> Decimal:
    """The branch's annual financing rate (0.139 = 13.9 %), or the Settings default."""
    if branch is not None and branch.annual_rate is not None:
        return Decimal(branch.annual_rate)
    return get_settings().annual_rate


def iva_rate(branch: Branch | None) -> Decimal:
    """The branch's IVA (0.08 in the border region), or the Settings default (0.16)."""
    if branch is not None and branch.iva_rate is not None:
        return Decimal(branch.iva_rate)
    return get_settings().iva_rate
