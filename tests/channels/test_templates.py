"""WhatsApp's 24-hour rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from showroom.channels.templates import WindowClosedError, plan_send, window_open

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TEMPLATES = {"followup": "HX111", "appointment_reminder": "HX222"}


def plan(hours_ago: float | None, use: str | None = None, has_body: bool = True) -> object:
    last = None if hours_ago is None else NOW - timedelta(hours=hours_ago)
    return plan_send(
        last_inbound_at=last,
        now=NOW,
        template_use=use,
        template_variables={"1": "Ana"} if use else None,
        templates=TEMPLATES,
        has_body=has_body,
    )


def test_window_is_24_hours_from_the_last_customer_message() -> None:
    assert window_open(NOW - timedelta(hours=23, minutes=59), NOW)
    assert not window_open(NOW - timedelta(hours=24), NOW)
    assert not window_open(None, NOW)


def test_inside_the_window_free_form_is_sent() -> None:
    assert plan(2).content_sid is None  # type: ignore[attr-defined]
    assert plan(2, "followup").content_sid is None  # type: ignore[attr-defined]


def test_outside_the_window_the_template_is_used() -> None:
    result = plan(30, "followup")
    assert result.content_sid == "HX111"  # type: ignore[attr-defined]
    assert result.variables == {"1": "Ana"}  # type: ignore[attr-defined]


def test_outside_the_window_without_a_template_the_send_is_refused_with_the_reason() -> None:
    with pytest.raises(
        WindowClosedError, match=r"24-hour window \(last customer message 30 h ago\)"
    ):
        plan(30)
    with pytest.raises(WindowClosedError, match="no approved template for use 'promo'"):
        plan(30, "promo")
    with pytest.raises(WindowClosedError, match="never wrote"):
        plan(None)


def test_a_template_only_message_is_always_the_template() -> None:
    assert plan(1, "appointment_reminder", has_body=False).content_sid == "HX222"  # type: ignore[attr-defined]
    with pytest.raises(WindowClosedError, match="no approved template configured"):
        plan(1, "unknown", has_body=False)
