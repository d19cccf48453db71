"""Customer-facing formatting (es-MX)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from showroom.formatting import datetime_es, hours_es, join_es, km, money
from showroom.inventory.hours import OpeningHours


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (389900, "$389,900 MXN"),
        (Decimal("389900.00"), "$389,900 MXN"),
        (Decimal("7012.35"), "$7,012.35 MXN"),
        (Decimal("7012.345"), "$7,012.35 MXN"),  # half-up to the centavo
        (Decimal("0.5"), "$0.50 MXN"),
        (1_250_000, "$1,250,000 MXN"),
        (0, "$0 MXN"),
        (Decimal("-1500"), "-$1,500 MXN"),
        (8508.04, "$8,508.04 MXN"),
        (Decimal("999.999"), "$1,000 MXN"),
    ],
)
def test_money(amount: Decimal | int | float, text: str) -> None:
    assert money(amount) == text


def test_km() -> None:
    assert km(45000) == "45,000 km"
    assert km(0) == "0 km"


def test_datetime_es_uses_the_datetimes_own_zone() -> None:
    moment = datetime(2026, 11, 28, 11, 0, tzinfo=ZoneInfo("America/Monterrey"))
    assert datetime_es(moment) == "sábado 28 de noviembre, 11:00"
    in_tijuana = moment.astimezone(ZoneInfo("America/Tijuana"))
    assert datetime_es(in_tijuana) == "sábado 28 de noviembre, 9:00"
    assert datetime_es(datetime(2027, 1, 6, 9, 30)) == "miércoles 6 de enero, 9:30"


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("lun-vie 09:00-19:00; sab 10:00-15:00", "lun a vie 9:00–19:00, sáb 10:00–15:00"),
        ("sab-dom 10:00-14:00", "sáb y dom 10:00–14:00"),
        (
            "lun-vie 09:00-14:00, 16:00-20:00; sab 10:00-14:00",
            "lun a vie 9:00–14:00 y 16:00–20:00, sáb 10:00–14:00",
        ),
        ("lun,mie,vie 08:30-17:30", "lun 8:30–17:30, mié 8:30–17:30, vie 8:30–17:30"),
        ("vie 18:00-24:00", "vie 18:00–24:00"),
    ],
)
def test_hours_es(text: str, spoken: str) -> None:
    assert hours_es(OpeningHours.parse(text)) == spoken


def test_join_es() -> None:
    assert join_es([]) == ""
    assert join_es(["a"]) == "a"
    assert join_es(["a", "b", "c"]) == "a, b y c"
