"""Test-drive appointments, booked only inside the branch's opening hours."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch, Vehicle
from showroom.db.models.leads import Appointment
from showroom.inventory.branches import branch_hours, branch_zone
from showroom.inventory.hours import OpeningHours

log = logging.getLogger(__name__)

# A test drive takes this long; the whole slot must fit inside one opening interval.
TEST_DRIVE = timedelta(minutes=30)
# Suggested times are rounded up to this grid ("10:30", not "10:07").
SLOT_GRID_MINUTES = 30


class SlotUnavailable(Exception):  # noqa: N818 - the contract's name
    """The asked time cannot be booked. `reason` is "past" or "closed"; `next_open` is the
    first bookable time after it (in the branch's timezone), to offer the customer."""

    def __init__(self, reason: str, next_open: datetime | None) -> None:
        super().__init__(f"slot unavailable: {reason}")
        self.reason = reason
        self.next_open = next_open


def _now() -> datetime:
    return datetime.now(UTC)


def _round_up(moment: datetime) -> datetime:
    moment = moment.replace(second=0, microsecond=0) + (
        timedelta(minutes=1) if moment.second or moment.microsecond else timedelta()
    )
    extra = (-moment.minute) % SLOT_GRID_MINUTES
    return moment + timedelta(minutes=extra)


def fits(hours: OpeningHours, local_start: datetime, duration: timedelta = TEST_DRIVE) -> bool:
    """The slot starts while open and ends before that opening interval closes."""
    closes = hours.closes_at(local_start)
    if closes is None:
        return False
    return local_start.replace(tzinfo=None) + duration <= closes.replace(tzinfo=None)


def next_slot(hours: OpeningHours, after: datetime, duration: timedelta = TEST_DRIVE) -> datetime:
    """First bookable start ≥ `after` on the half-hour grid (wall clock of `after`)."""
    candidate = _round_up(after)
    for _ in range(7 * 48 + 2):  # at most a week of half hours
        candidate = _round_up(hours.next_open(candidate))
        if fits(hours, candidate, duration):
            return candidate
        candidate += timedelta(minutes=SLOT_GRID_MINUTES)
    raise ValueError("no bookable slot within a week: every opening is shorter than the slot")


def to_branch_time(moment: datetime, branch: Branch) -> datetime:
    """`moment` in the branch's zone; a naive moment is read as branch wall-clock time."""
    zone = branch_zone(branch)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def book_test_drive(
    session: Session,
    customer: Customer,
    branch: Branch,
    vehicle: Vehicle | None,
    starts_at: datetime,
) -> Appointment:
    """Book a test drive; `SlotUnavailable("past" | "closed", next_open)` when it can't be."""
    hours = branch_hours(branch)
    local = to_branch_time(starts_at, branch)
    now = _now()
    if local.astimezone(UTC) < now:
        raise SlotUnavailable("past", _suggest(hours, now.astimezone(branch_zone(branch))))
    if not fits(hours, local):
        raise SlotUnavailable("closed", _suggest(hours, local))
    if customer.id is None or branch.id is None or (vehicle is not None and vehicle.id is None):
        session.flush()
    appointment = Appointment(
        customer_id=customer.id,
        branch_id=branch.id,
        vehicle_id=vehicle.id if vehicle is not None else None,
        starts_at=local,
    )
    session.add(appointment)
    session.flush()
    log.info(
        "test drive booked appointment=%s branch=%s vehicle=%s",
        appointment.id,
        branch.code,
        vehicle.stock_id if vehicle is not None else "-",
    )
    return appointment


def _suggest(hours: OpeningHours, after: datetime) -> datetime | None:
    try:
        return next_slot(hours, after)
    except ValueError:
        return None


def resolve_datetime(text_or_iso: str, branch: Branch) -> datetime:
    """An ISO datetime from the NLU (Duckling or our component) as an aware datetime in the
    branch's timezone; without an offset it is read as the branch's local time.
    `ValueError` when the text is not ISO 8601."""
    text = text_or_iso.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 datetime: {text_or_iso!r}") from exc
    return to_branch_time(moment, branch)
