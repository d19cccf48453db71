"""Opening hours: the contract's format, its tolerances, and next_open across days/weeks."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from showroom.inventory.hours import OpeningHours

MTY = ZoneInfo("America/Monterrey")
TIJ = ZoneInfo("America/Tijuana")
CONTRACT = "lun-vie 09:00-19:00; sab 10:00-15:00"


def at(day: str, hhmm: str, zone: ZoneInfo = MTY) -> datetime:
    """`at("2026-11-23", "09:00")` (2026-11-23 is a Monday)."""
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=zone)


def test_contract_example() -> None:
    hours = OpeningHours.parse(CONTRACT)
    for weekday in range(5):
        assert [(i.start, i.end) for i in hours.days[weekday]] == [(time(9), time(19))]
    assert [(i.start, i.end) for i in hours.days[5]] == [(time(10), time(15))]
    assert hours.days[6] == ()  # a day not named is closed


@pytest.mark.parametrize(
    "text",
    [
        "lun-vie 09:00-19:00; sab 10:00-15:00",
        "Lun-Vie 9:00-19:00;  SAB 10-15",
        "lunes a viernes 09:00 a 19:00; sábado 10:00–15:00",
        "lun,mar,mie,jue,vie 09:00-19:00; sáb 10:00-15:00; dom cerrado",
        "lun-mié 09:00-19:00; jue-vie 09:00-19:00; sab 10:00-15:00 hrs",
    ],
)
def test_tolerated_spellings_mean_the_same(text: str) -> None:
    assert OpeningHours.parse(text).days == OpeningHours.parse(CONTRACT).days


def test_split_shift_and_wrapping_range() -> None:
    hours = OpeningHours.parse("lun-vie 09:00-14:00, 16:00-20:00; sab-dom 10:00-14:00")
    assert len(hours.days[2]) == 2
    assert hours.is_open(at("2026-11-25", "13:59"))
    assert not hours.is_open(at("2026-11-25", "15:00"))
    assert hours.is_open(at("2026-11-25", "16:00"))
    wrapped = OpeningHours.parse("vie-lun 10:00-18:00")
    assert [bool(d) for d in wrapped.days] == [True, False, False, False, True, True, True]


def test_closing_at_midnight() -> None:
    hours = OpeningHours.parse("vie 18:00-24:00")
    assert hours.is_open(at("2026-11-27", "23:59"))
    assert hours.closes_at(at("2026-11-27", "20:00")) == at("2026-11-28", "00:00")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("lun-vie", "no hours"),
        ("09:00-19:00", "no days"),
        ("lunch 09:00-19:00", "unknown day"),
        ("lun-vie 19:00-09:00", "after opening"),
        ("lun-vie 09:00-25:00", "bad time"),
        ("lun-vie 09:00-19:00; mie 18:00-20:00", "overlapping"),
        ("lun-vie nueve a siete", "no hours"),
        ("dom cerrado", "no open day"),
        ("lun-vie 9:00", "bad hours"),
    ],
)
def test_bad_text_says_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        OpeningHours.parse(text)


def test_is_open_boundaries() -> None:
    hours = OpeningHours.parse(CONTRACT)
    assert not hours.is_open(at("2026-11-23", "08:59"))
    assert hours.is_open(at("2026-11-23", "09:00"))
    assert hours.is_open(at("2026-11-23", "18:59"))
    assert not hours.is_open(at("2026-11-23", "19:00"))  # closing time is not open
    assert not hours.is_open(at("2026-11-29", "12:00"))  # Sunday


def test_next_open_same_day_next_day_and_over_the_weekend() -> None:
    hours = OpeningHours.parse(CONTRACT)
    inside = at("2026-11-23", "11:15")
    assert hours.next_open(inside) == inside
    assert hours.next_open(at("2026-11-23", "07:30")) == at("2026-11-23", "09:00")
    assert hours.next_open(at("2026-11-23", "19:00")) == at("2026-11-24", "09:00")
    # Saturday after closing -> Monday
    assert hours.next_open(at("2026-11-28", "15:00")) == at("2026-11-30", "09:00")
    assert hours.next_open(at("2026-11-29", "12:00")) == at("2026-11-30", "09:00")


def test_next_open_a_week_later() -> None:
    hours = OpeningHours.parse("mie 10:00-12:00")
    after = at("2026-11-25", "12:00")  # Wednesday, just closed
    assert hours.next_open(after) == at("2026-12-02", "10:00")


def test_next_open_keeps_the_timezone_and_is_aware() -> None:
    hours = OpeningHours.parse(CONTRACT)
    result = hours.next_open(at("2026-11-23", "20:00", TIJ))
    assert result.tzinfo is TIJ
    assert result.utcoffset() == timedelta(hours=-8)


def test_next_open_across_a_dst_change_in_tijuana() -> None:
    # Tijuana follows US DST: 2027-03-14 02:00 jumps to 03:00 (UTC-8 -> UTC-7).
    hours = OpeningHours.parse("lun-dom 09:00-18:00")
    saturday_night = at("2027-03-13", "20:00", TIJ)
    opening = hours.next_open(saturday_night)
    assert opening == at("2027-03-14", "09:00", TIJ)
    assert opening.utcoffset() == timedelta(hours=-7)
    # 13 wall-clock hours later, but only 12 real ones: an hour of the night vanished
    assert opening.astimezone(UTC) - saturday_night.astimezone(UTC) == timedelta(hours=12)
