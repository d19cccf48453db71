"""WhatsApp's 24-hour rule and approved templates.

A business may send free-form WhatsApp messages only within 24 hours of the customer's
last message. Outside that window only an approved template (a Twilio Content SID) may
be sent. Our code refuses a free-form send outside the window with a clear reason instead
of letting Twilio fail it (error 63016) later. Templates are configured per use in
TWILIO_TEMPLATES, a JSON object: `{"followup": "HX…", "appointment_reminder": "HX…"}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(hours=24)


class WindowClosedError(Exception):
    """A free-form message outside the 24-hour window and no template for it."""


@dataclass(frozen=True)
class SendPlan:
    content_sid: str | None = None  # None: free-form body/media
    variables: dict[str, str] | None = None


def window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    return last_inbound_at is not None and now - last_inbound_at < WINDOW


def plan_send(
    *,
    last_inbound_at: datetime | None,
    now: datetime,
    template_use: str | None,
    template_variables: dict[str, str] | None,
    templates: dict[str, str],
    has_body: bool,
) -> SendPlan:
    """Free-form inside the window; the use's template outside it; else `WindowClosedError`.

    A message queued with a template use and no body is always sent as that template.
    """
    content_sid = templates.get(template_use) if template_use else None
    if template_use and not has_body:
        if not content_sid:
            raise WindowClosedError(f"no approved template configured for use {template_use!r}")
        return SendPlan(content_sid=content_sid, variables=template_variables)
    if window_open(last_inbound_at, now):
        return SendPlan()
    if content_sid:
        return SendPlan(content_sid=content_sid, variables=template_variables)
    if last_inbound_at is None:
        since = "the customer never wrote"
    else:
        hours = int((now - last_inbound_at).total_seconds() // 3600)
        since = f"last customer message {hours} h ago"
    wanted = f"for use {template_use!r}" if template_use else "(no template use given)"
    raise WindowClosedError(
        f"outside WhatsApp's 24-hour window ({since}) and no approved template {wanted}"
    )
