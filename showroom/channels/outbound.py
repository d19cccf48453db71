"""Sending a conversation's queued messages, in order, each to Twilio at most once.

For each open outbound message, oldest first: apply WhatsApp's 24-hour rule (refuse with
the reason, or use the approved template), then either store it in the local outbox (no
Twilio credentials, or a simulator conversation) or hand it to Twilio from the
conversation's business number.

Twilio sends: `submitting` is committed first (outbox.py, under the lease); the
StatusCallback URL names our message (`?m=<id>`). Then:
- Twilio's answer → the sid is recorded;
- a permanent refusal (4xx) → `failed` with Twilio's code, and the flush goes on;
- a retryable refusal (429, 503, no connection) → `pending` again with a backoff;
- no answer (timeout, broken connection, crash before the answer was recorded): the
  message stays `submitting`. Once the call has surely ended, Twilio's list of recent
  messages to that customer from that number is read: a message created during the
  attempt (give or take CREATED_SKEW_S), with our content and a sid recorded on none of
  our messages, is ours (recorded, not resent); otherwise it is sent again. Status
  callbacks carrying `?m=` settle it too. A message Twilio got twice (the first copy
  turned up after the second was sent) keeps the first sid; the other is stored as a
  message of its own, so no later lookup takes it for another message.
A message waiting for a retry stops the flush there, so later messages never overtake it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from showroom.channels import outbox
from showroom.channels.db import Database
from showroom.channels.templates import SendPlan, WindowClosedError, plan_send
from showroom.channels.twilio_client import TwilioMessage, TwilioMessenger, TwilioSendError
from showroom.conversations import statuses
from showroom.db.base import utcnow
from showroom.settings import Settings

log = logging.getLogger(__name__)

STATUS_CALLBACK_PATH = "/webhooks/twilio/status"
MESSAGE_ID_PARAM = "m"
# after the call's own timeout, time for Twilio to finish a request it was still handling
LOOKUP_GRACE_S = 2.0
# Twilio's date_created has second resolution and Twilio's clock is not quite ours: a
# message created this much before our attempt began may still be the attempt's
CREATED_SKEW_S = 5.0


def retry_delay_s(attempts: int, settings: Settings) -> float:
    """The wait after a failed try of a message that had `attempts` before it: 1, 2, 4,
    8 … seconds, capped at GATEWAY_RETRY_MAX_DELAY_S."""
    return float(min(settings.gateway_retry_max_delay_s, 2 ** max(attempts, 0)))


def status_callback_url(public_base_url: str, message_id: int) -> str:
    return f"{public_base_url.rstrip('/')}{STATUS_CALLBACK_PATH}?{MESSAGE_ID_PARAM}={message_id}"


def _same_content(work: outbox.OutboundWork, message: TwilioMessage) -> bool:
    """Whether Twilio's message can be the one `work` asked for, as far as the list API
    tells (it shows no content sid). A free-form message has our body and our number of
    media; a template's body is Twilio's rendering of it, with our variables in it."""
    if work.template_sid is None:
        return message.body.strip() == work.body.strip() and message.num_media == len(
            work.media_urls
        )
    values = [str(v).strip() for v in (work.template_variables or {}).values()]
    return all(value in message.body for value in values if value)


def find_ours(
    work: outbox.OutboundWork,
    found: list[TwilioMessage],
    known: set[str],
    *,
    until: datetime,
) -> TwilioMessage | None:
    """The message Twilio created for `work`, among its recent ones (newest first).

    Ours: outbound, a sid recorded on none of our messages (`known` also holds the sids
    of messages Twilio got twice), created from just before the attempt began
    (CREATED_SKEW_S) until the attempt surely ended (`until`), with our content.
    """
    started = work.submit_started_at or utcnow()
    since = started - timedelta(seconds=CREATED_SKEW_S)
    latest = until + timedelta(seconds=CREATED_SKEW_S)
    matches = [
        m
        for m in found
        if m.direction.startswith("outbound")
        and m.sid not in known
        and (m.date_created is None or since <= m.date_created <= latest)
        and _same_content(work, m)
    ]
    return matches[-1] if matches else None  # the oldest: the first attempt's


class OutboundSender:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        messenger: TwilioMessenger | None,
        owner: str,
    ) -> None:
        self.settings = settings
        self.db = db
        self.messenger = messenger
        self.owner = owner

    async def flush(self, conversation_id: int) -> bool:
        """Send what is due; False when a message must wait (later ones wait too).
        Raises `LeaseLostError` when this process no longer holds the conversation."""
        while True:
            work = await self.db.run(outbox.next_outbound, conversation_id)
            if work is None:
                return True
            if not work.due(utcnow()):
                return False
            if work.outcome_unknown:
                if not await self._resolve(work):
                    return False
                continue  # recorded, or pending again: read it afresh
            if not await self._send(work):
                return False

    async def _send(self, work: outbox.OutboundWork) -> bool:
        """One message; False when it stays open for a retry."""
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
                outbox.mark_outbound, work, self.owner, statuses.OUT_REFUSED, error=str(exc)
            )
            return True
        if self.messenger is None or work.channel == "simulator":
            await self.db.run(outbox.record_local, work, self.owner, plan.content_sid)
            return True
        if not work.to_number:
            await self.db.run(
                outbox.mark_outbound,
                work,
                self.owner,
                statuses.OUT_REFUSED,
                error="the customer has no phone number to write to",
            )
            return True
        return await self._send_twilio(work, plan)

    async def _send_twilio(self, work: outbox.OutboundWork, plan: SendPlan) -> bool:
        assert self.messenger is not None
        assert work.to_number is not None
        await self.db.run(outbox.begin_submit, work, self.owner, plan.content_sid)
        try:
            result = await self.messenger.send(
                from_number=work.from_number,
                to_number=work.to_number,
                body=work.body,
                media_urls=work.media_urls,
                content_sid=plan.content_sid,
                content_variables=plan.variables,
                status_callback=status_callback_url(self.settings.public_base_url, work.message_id),
            )
        except TwilioSendError as exc:
            return await self._failed(work, exc)
        await self.db.run(
            outbox.record_submitted, work.message_id, result.status, result.sid, plan.content_sid
        )
        return True

    async def _failed(self, work: outbox.OutboundWork, exc: TwilioSendError) -> bool:
        if exc.outcome_unknown:
            # Twilio may have it: never resent before it was looked for there (`_resolve`)
            delay = retry_delay_s(work.attempts, self.settings)
            await self.db.run(
                outbox.retry_outbound, work.message_id, delay, exc.reason, outcome_unknown=True
            )
            log.warning("outbound %s: %s; will look it up at Twilio", work.message_id, exc.reason)
            return False
        if exc.retryable and work.attempts + 1 < self.settings.outbound_max_attempts:
            delay = retry_delay_s(work.attempts, self.settings)
            await self.db.run(outbox.retry_outbound, work.message_id, delay, exc.reason)
            log.warning("outbound %s: %s; retry in %.0f s", work.message_id, exc.reason, delay)
            return False
        log.error("outbound %s failed: %s", work.message_id, exc.reason)
        await self.db.run(
            outbox.mark_outbound,
            work,
            self.owner,
            statuses.OUT_FAILED,
            error=exc.reason,
            code=exc.code,
        )
        return True

    async def _resolve(self, work: outbox.OutboundWork) -> bool:
        """A send whose answer we never got. True when settled: recorded (Twilio has it)
        or pending again (it has not); False when it must wait."""
        started = work.submit_started_at or utcnow()
        settle = started + timedelta(seconds=self.settings.twilio_timeout_s + 1 + LOOKUP_GRACE_S)
        if utcnow() < settle:
            await self.db.run(outbox.defer_outbound, work.message_id, settle)
            return False
        if self.messenger is None or not work.to_number:
            # the credentials were removed since: nothing can be asked, nothing was sent since
            await self.db.run(outbox.requeue_outbound, work, self.owner)
            return True
        try:
            found = await self.messenger.recent_messages(
                from_number=work.from_number, to_number=work.to_number
            )
        except TwilioSendError as exc:
            return await self._lookup_failed(work, exc)
        known = await self.db.run(outbox.known_sids, [m.sid for m in found])
        ours = find_ours(work, found, known, until=settle)
        if ours is not None:
            log.info("outbound %s was created at Twilio; recorded, not sent again", work.message_id)
            await self.db.run(outbox.record_submitted, work.message_id, ours.status, ours.sid)
            return True
        if work.attempts >= self.settings.outbound_max_attempts:
            log.error("outbound %s failed: Twilio never answered", work.message_id)
            await self.db.run(
                outbox.mark_outbound,
                work,
                self.owner,
                statuses.OUT_FAILED,
                error="Twilio did not answer and does not have the message",
            )
            return True
        log.warning("outbound %s is not at Twilio; sending it again", work.message_id)
        await self.db.run(outbox.requeue_outbound, work, self.owner)
        return True

    async def _lookup_failed(self, work: outbox.OutboundWork, exc: TwilioSendError) -> bool:
        if work.attempts + 1 < self.settings.outbound_max_attempts:
            delay = retry_delay_s(work.attempts, self.settings)
            await self.db.run(
                outbox.retry_outbound, work.message_id, delay, exc.reason, outcome_unknown=True
            )
            log.warning("outbound %s: lookup failed (%s)", work.message_id, exc.reason)
            return False
        log.error("outbound %s: not known whether Twilio sent it; given up", work.message_id)
        await self.db.run(
            outbox.mark_outbound,
            work,
            self.owner,
            statuses.OUT_FAILED,
            error=f"not known whether Twilio sent it ({exc.reason})",
        )
        return True
