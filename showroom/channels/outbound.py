"""Sending a conversation's queued messages, in order.

For each pending outbound message, oldest first: apply WhatsApp's 24-hour rule (refuse
with the reason, or use the approved template), then either store it in the local outbox
(no Twilio credentials, or a simulator conversation) or hand it to Twilio from the
conversation's business number. A retryable Twilio failure keeps the message pending with
a backoff and stops the flush there, so later messages never overtake it; a permanent one
marks it failed with Twilio's code and moves on.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from showroom.channels import queue
from showroom.channels.db import Database
from showroom.channels.status_callbacks import apply_waiting_events
from showroom.channels.templates import SendPlan, WindowClosedError, plan_send
from showroom.channels.twilio_client import TwilioMessenger, TwilioSendError
from showroom.conversations import statuses
from showroom.db.base import utcnow
from showroom.settings import Settings

log = logging.getLogger(__name__)

STATUS_CALLBACK_PATH = "/webhooks/twilio/status"


def backoff_s(attempts: int, max_delay_s: float) -> float:
    """1, 2, 4, 8 … seconds, capped."""
    return float(min(max_delay_s, 2 ** max(attempts - 1, 0)))


def _record_submitted(
    session: Session, message_id: int, status: str, sid: str | None, template_sid: str | None
) -> None:
    message = queue.mark_outbound(session, message_id, status, sid=sid, template_sid=template_sid)
    if message is not None and sid:
        session.flush()
        apply_waiting_events(session, message)


class OutboundSender:
    def __init__(self, settings: Settings, db: Database, messenger: TwilioMessenger | None) -> None:
        self.settings = settings
        self.db = db
        self.messenger = messenger
        self.status_callback = settings.public_base_url.rstrip("/") + STATUS_CALLBACK_PATH

    async def flush(self, conversation_id: int) -> bool:
        """Send what is due; False when a message must wait for a retry (later ones wait too)."""
        while True:
            work = await self.db.run(queue.next_outbound, conversation_id)
            if work is None:
                return True
            if not work.due(utcnow()):
                return False
            if not await self._send(work):
                return False

    async def _send(self, work: queue.OutboundWork) -> bool:
        """One message; False when it stays pending for a retry."""
        try:
            plan = plan_send(
                last_inbound_at=work.last_inbound_at,
                now=utcnow(),
                template_use=work.template_use,
                template_variables=work.template_variables,
                templates=self.settings.twilio_templates,
                has_body=bool(work.body.strip() or work.media_urls),
            )
        except WindowClosedError as exc:
            log.warning("outbound %s refused: %s", work.message_id, exc)
            await self.db.run(
                queue.mark_outbound, work.message_id, statuses.OUT_REFUSED, error=str(exc)
            )
            return True
        local = self.messenger is None or work.channel == "simulator"
        if local:
            await self.db.run(
                _record_submitted, work.message_id, statuses.OUT_LOCAL, None, plan.content_sid
            )
            return True
        if not work.to_number:
            await self.db.run(
                queue.mark_outbound,
                work.message_id,
                statuses.OUT_REFUSED,
                error="the customer has no phone number to write to",
            )
            return True
        return await self._send_twilio(work, plan)

    async def _send_twilio(self, work: queue.OutboundWork, plan: SendPlan) -> bool:
        assert self.messenger is not None
        assert work.to_number is not None
        try:
            result = await self.messenger.send(
                from_number=work.from_number,
                to_number=work.to_number,
                body=work.body,
                media_urls=work.media_urls,
                content_sid=plan.content_sid,
                content_variables=plan.variables,
                status_callback=self.status_callback,
            )
        except TwilioSendError as exc:
            if exc.retryable and work.attempts + 1 < self.settings.outbound_max_attempts:
                delay = backoff_s(work.attempts + 1, self.settings.gateway_retry_max_delay_s)
                await self.db.run(queue.retry_outbound, work.message_id, delay, exc.reason)
                log.warning("outbound %s: %s; retry in %.0f s", work.message_id, exc.reason, delay)
                return False
            log.error("outbound %s failed: %s", work.message_id, exc.reason)
            await self.db.run(
                queue.mark_outbound,
                work.message_id,
                statuses.OUT_FAILED,
                error=exc.reason,
                code=exc.code,
            )
            return True
        await self.db.run(
            _record_submitted, work.message_id, result.status, result.sid, plan.content_sid
        )
        return True
