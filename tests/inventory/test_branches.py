"""Branch lookups, hours, zone, map link and rates."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch
from showroom.inventory.branches import (
    annual_rate,
    branch_for_number,
    branch_hours,
    branch_zone,
    get_branch,
    iva_rate,
    list_branches,
    map_link,
)
from showroom.settings import get_settings

BranchFactory = Callable[..., Branch]


@pytest.fixture
def three(session: Session, add_branch: BranchFactory) -> Session:
    add_branch(
        "MTY",
        name="Monterrey Valle",
        whatsapp_number="+528100000101",
        voice_number="+528100000102",
        annual_rate=Decimal("0.129"),
    )
    add_branch(
        "CDMX",
        name="CDMX Insurgentes",
        city="Ciudad de México",
        timezone="America/Mexico_City",
        whatsapp_number="+525500000201",
    )
    add_branch(
        "CUN",
        name="Cancún Bonampak",
        city="Cancún",
        timezone="America/Cancun",
        address="Av. Bonampak 200, SM 4",
        iva_rate=Decimal("0.08"),
    )
    return session


def test_get_branch_is_case_insensitive(three: Session) -> None:
    branch = get_branch(three, " mty ")
    assert branch is not None and branch.code == "MTY"
    assert get_branch(three, "GDL") is None
    assert get_branch(three, "") is None


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("whatsapp:+528100000101", "MTY"),
        ("+52 1 81 0000 0101", "MTY"),
        ("81 0000 0102", "MTY"),  # the voice number routes too
        ("whatsapp:+5215500000201", "CDMX"),
        ("+528199999999", None),
        ("not a number", None),
    ],
)
def test_branch_for_number(three: Session, number: str, code: str | None) -> None:
    branch = branch_for_number(three, number)
    assert (branch.code if branch else None) == code


@pytest.mark.parametrize(
    ("city", "codes"),
    [
        (None, ["CDMX", "CUN", "MTY"]),
        ("cancun", ["CUN"]),
        ("CANCÚN", ["CUN"]),
        ("cdmx", ["CDMX"]),
        ("Ciudad de Mexico", ["CDMX"]),
        ("mty", ["MTY"]),
        ("Guadalajara", []),
    ],
)
def test_list_branches_by_city(three: Session, city: str | None, codes: list[str]) -> None:
    assert [b.code for b in list_branches(three, city)] == codes


def test_hours_zone_and_map_link(three: Session) -> None:
    cun = get_branch(three, "CUN")
    assert cun is not None
    assert branch_zone(cun) == ZoneInfo("America/Cancun")
    assert branch_hours(cun).days[5]  # Saturday open
    link = urlparse(map_link(cun))
    assert link.netloc == "www.google.com"
    assert parse_qs(link.query)["query"] == ["Av. Bonampak 200, SM 4, Cancún"]


def test_rates_fall_back_to_settings(three: Session) -> None:
    mty, cun = get_branch(three, "MTY"), get_branch(three, "CUN")
    assert annual_rate(mty) == Decimal("0.129")
    assert annual_rate(cun) == annual_rate(None) == get_settings().annual_rate
    assert iva_rate(cun) == Decimal("0.08")
    assert iva_rate(mty) == iva_rate(None) == Decimal("0.16")
