"""Customer-facing formatting (es-MX): money, kilometres, dates, opening hours."""

from __future__ import annotations

from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import phonenumbers

if TYPE_CHECKING:
    from showroom.inventory.hours import Interval, OpeningHours

CENTAVO = Decimal("0.01")
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
WEEKDAYS_SHORT = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def to_decimal(amount: Decimal | int | float | str) -> Decimal:
    """Exact Decimal of an amount; floats go through their shortest repr (0.1 -> 0.1)."""
    if isinstance(amount, Decimal):
        return amount
    if isinstance(amount, float):
        return Decimal(repr(amount))
    return Decimal(amount)


def money(amount: Decimal | int | float) -> str:
    """`389900` -> `"$389,900 MXN"`; centavos only when not zero: `"$7,012.35 MXN"`."""
    value = to_decimal(amount).quantize(CENTAVO, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    value = abs(value)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{sign}${text} MXN"


def km(value: int) -> str:
    """`45000` -> `"45,000 km"`."""
    return f"{int(value):,} km"


def clock(moment: time | datetime) -> str:
    """`"9:00"`, `"19:30"`, 24:00 for an end of day."""
    if isinstance(moment, time) and moment == time.max:
        return "24:00"
    return f"{moment.hour}:{moment.minute:02d}"


def datetime_es(dt: datetime) -> str:
    """`"sábado 28 de noviembre, 11:00"`, in `dt`'s own timezone."""
    return f"{WEEKDAYS[dt.weekday()]} {dt.day} de {MONTHS[dt.month - 1]}, {clock(dt)}"


def date_es(dt: datetime) -> str:
    """`"sábado 28 de noviembre"`."""
    return f"{WEEKDAYS[dt.weekday()]} {dt.day} de {MONTHS[dt.month - 1]}"


def hours_es(hours: OpeningHours) -> str:
    """`"lun a vie 9:00–19:00, sáb 10:00–15:00"`: consecutive days with equal hours grouped."""
    groups: list[tuple[int, int, tuple[Interval, ...]]] = []
    for day, intervals in enumerate(hours.days):
        if not intervals:
            continue
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == intervals:
            groups[-1] = (groups[-1][0], day, intervals)
        else:
            groups.append((day, day, intervals))
    parts = []
    for first, last, intervals in groups:
        if first == last:
            days = WEEKDAYS_SHORT[first]
        elif last == first + 1:
            days = f"{WEEKDAYS_SHORT[first]} y {WEEKDAYS_SHORT[last]}"
        else:
            days = f"{WEEKDAYS_SHORT[first]} a {WEEKDAYS_SHORT[last]}"
        ranges = " y ".join(f"{clock(i.start)}–{clock(i.end)}" for i in intervals)
        parts.append(f"{days} {ranges}")
    return ", ".join(parts)


def join_es(items: list[str]) -> str:
    """`["a", "b", "c"]` -> `"a, b y c"`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " y " + items[-1]


def phone_es(e164: str | None, *, international: bool = False) -> str:
    """`+528100000102` -> `81 0000 0102` (`+52 81 0000 0102` with `international`);
    "" for none, the text as given when it is not a phone number."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "MX")
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
        if international
        else phonenumbers.PhoneNumberFormat.NATIONAL
    )
    return phonenumbers.format_number(number, style)
