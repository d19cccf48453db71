"""The actions' clock, in one place so tests can fix "now" (opening hours depend on it)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return datetime.now(UTC)
