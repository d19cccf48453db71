"""Test drives: only inside the branch's hours, in the branch's timezone, never in the past."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch, Vehicle
from showroom.db.models.leads import Appointment
from showroom.inventory.hours import OpeningHours
from showroom.sales.appointments import (
    SlotUnavailable,
    book_test_drive,
    next_slot,
    resolve_datetime,
)

MTY_ZONE = ZoneInfo("America/Monterrey")
TIJ_ZONE = ZoneInfo("America/Tijuana")


def next_weekday(weekday: int, at: time, zone: ZoneInfo, weeks_ahead: int = 1) -> datetime:
    """The given weekday (0 = Monday) at least `weeks_ahead` weeks from now, wall-clock `at`."""
    today = datetime.now(zone).date() + timedelta(weeks=weeks_ahead)
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    return datetime.combine(day, at, tzinfo=zone)


def test_books_inside_hours(session: Session, customer: Customer, mty: Branch) -> None:
    vehicle = Vehicle(branch=mty, stock_id="V1", brand="Toyota", model="Hilux", year=2026,
                      condition="nuevo", body_type="pickup", transmission="automatica",
                      fuel="diesel", price_mxn=Decimal(689900))  # fmt: skip
    session.add(vehicle)
    starts = next_weekday(0, time(10, 30), MTY_ZONE)
    appointment = book_test_drive(session, customer, mty, vehicle, starts)
    assert appointment.id is not None
    stored = session.scalars(select(Appointment)).one()
    assert stored.starts_at == starts  # the same instant (stored as UTC)
    assert stored.starts_at.tzinfo is not None
    assert (stored.customer_id, stored.branch_id, stored.vehicle_id) == (
        customer.id,
        mty.id,
        vehicle.id,
    )
    assert stored.status == "booked"


def test_a_naive_time_is_the_branchs_local_time(
    session: Session, customer: Customer, tij: Branch
) -> None:
    naive = next_weekday(2, time(9, 0), TIJ_ZONE).replace(tzinfo=None)
    appointment = book_test_drive(session, customer, tij, None, naive)
    assert appointment.starts_at.astimezone(TIJ_ZONE).time() == time(9, 0)
    assert appointment.vehicle_id is None


def test_hours_are_checked_in_the_branchs_timezone(
    session: Session, customer: Customer, tij: Branch
) -> None:
    # 08:30 in Monterrey is 06:30 (or 07:30 in summer) in Tijuana: closed there
    in_monterrey = next_weekday(1, time(8, 30), MTY_ZONE)
    with pytest.raises(SlotUnavailable) as refused:
        book_test_drive(session, customer, tij, None, in_monterrey)
    assert refused.value.reason == "closed"
    assert refused.value.next_open is not None
    assert refused.value.next_open.tzinfo == TIJ_ZONE
    assert refused.value.next_open.time() == time(9, 0)
    # 11:00 in Monterrey is 09:00 or 10:00 in Tijuana: open
    book_test_drive(session, customer, tij, None, next_weekday(1, time(11, 0), MTY_ZONE))


@pytest.mark.parametrize(
    ("weekday", "asked", "suggested_weekday", "suggested"),
    [
        (0, time(7, 0), 0, time(9, 0)),  # before opening: same day
        (0, time(18, 45), 1, time(9, 0)),  # a 30-minute drive does not fit before 19:00
        (5, time(15, 0), 0, time(9, 0)),  # Saturday after closing: Monday
        (6, time(12, 0), 0, time(9, 0)),  # Sunday is closed
    ],
)
def test_closed_slots_suggest_the_next_bookable_one(
    session: Session,
    customer: Customer,
    mty: Branch,
    weekday: int,
    asked: time,
    suggested_weekday: int,
    suggested: time,
) -> None:
    with pytest.raises(SlotUnavailable) as refused:
        book_test_drive(session, customer, mty, None, next_weekday(weekday, asked, MTY_ZONE))
    assert refused.value.reason == "closed"
    suggestion = refused.value.next_open
    assert suggestion is not None
    assert (suggestion.weekday(), suggestion.time()) == (suggested_weekday, suggested)
    assert suggestion > next_weekday(weekday, asked, MTY_ZONE)
    assert session.scalars(select(Appointment)).all() == []


def test_the_past_is_refused_with_a_future_suggestion(
    session: Session, customer: Customer, mty: Branch
) -> None:
    yesterday = datetime.now(MTY_ZONE) - timedelta(days=1)
    with pytest.raises(SlotUnavailable) as refused:
        book_test_drive(session, customer, mty, None, yesterday)
    assert refused.value.reason == "past"
    suggestion = refused.value.next_open
    assert suggestion is not None and suggestion > datetime.now(UTC)
    assert OpeningHours.parse(mty.opening_hours).is_open(suggestion)
    assert suggestion.minute in (0, 30) and suggestion.second == 0


def test_next_slot_skips_the_lunch_break() -> None:
    hours = OpeningHours.parse("lun-vie 09:00-14:00, 16:00-18:00")
    monday = datetime(2026, 11, 23, 13, 40, tzinfo=TIJ_ZONE)
    assert next_slot(hours, monday) == datetime(2026, 11, 23, 16, 0, tzinfo=TIJ_ZONE)
    assert next_slot(hours, monday.replace(hour=10, minute=7)) == monday.replace(hour=10, minute=30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28T11:00:00", datetime(2026, 11, 28, 11, 0, tzinfo=MTY_ZONE)),
        ("2026-11-28T11:00:00.000-06:00", datetime(2026, 11, 28, 11, 0, tzinfo=MTY_ZONE)),
        ("2026-11-28T17:00:00Z", datetime(2026, 11, 28, 11, 0, tzinfo=MTY_ZONE)),
        ("2026-11-28T12:00:00-05:00", datetime(2026, 11, 28, 11, 0, tzinfo=MTY_ZONE)),
        (" 2026-11-28 11:00 ", datetime(2026, 11, 28, 11, 0, tzinfo=MTY_ZONE)),
    ],
)
def test_resolve_datetime(mty: Branch, text: str, expected: datetime) -> None:
    resolved = resolve_datetime(text, mty)
    assert resolved == expected
    assert resolved.tzinfo == MTY_ZONE
    assert (resolved.hour, resolved.minute) == (11, 0)


def test_resolve_datetime_refuses_words(mty: Branch) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        resolve_datetime("el sábado a las 11", mty)
