"""Validity in the branch's timezone: a quote made on the 20th for 7 days is valid through
the 27th, local time, and expires at midnight starting the 28th."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from showroom.db.models.inventory import Branch
from showroom.db.models.sales import Quote
from showroom.inventory.branches import branch_zone

OPEN_STATUSES = ("draft", "sent", "accepted")


def aware_now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware value")
    return now


def local(branch: Branch, moment: datetime) -> datetime:
    return moment.astimezone(branch_zone(branch))


def valid_until(branch: Branch, created: datetime, days: int) -> datetime:
    """The instant the quote stops being valid: local midnight after the last valid day."""
    if days < 1:
        raise ValueError(f"validity must be at least one day, got {days}")
    zone = branch_zone(branch)
    last_day = created.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def last_valid_day(quote: Quote) -> date:
    """The last local day the quote is valid ("vigente hasta el …")."""
    end = quote.valid_until.astimezone(branch_zone(quote.branch))
    return (end - timedelta(microseconds=1)).date()


def is_past_validity(quote: Quote, now: datetime | None = None) -> bool:
    return aware_now(now) >= quote.valid_until


def effective_status(quote: Quote, now: datetime | None = None) -> str:
    """The stored status, or "expired" for an open quote past its validity that the
    periodic sweep (`expire_due_quotes`) has not marked yet."""
    if quote.status in OPEN_STATUSES and is_past_validity(quote, now):
        return "expired"
    return quote.status
