"""One customer message through Rasa: media, numbered options, metadata, the answer.

Rasa or the action server down or slow never means silence and never means a lost
message: the message stays pending and is retried with backoff, and the customer gets one
"dame un momento" per outage. A media-only message goes to Rasa as `/provide_vin` with
the stored media in the metadata (the VIN flow reads it).

Never two Rasa turns for one message: the hand-off is committed before the call
(`queue.mark_handed_to_rasa`). A pending message carrying that mark — Rasa timed out, the
connection broke, this or another process crashed or was stopped mid-turn — is not sent
again before Rasa's tracker was asked (after RASA_TIMEOUT_S, so a turn still running has
finished); if the tracker has it, its replies are used.

A turn that gave no reply is not an answer when the action server was down: Rasa ran it
without its actions (it logs the failed action and goes on). The message is then sent
again once the actions are back — the mark is cleared, and a tracker that shows the
message with no reply after it is not replayed either — instead of completing in silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

from showroom.channels import queue, texts
from showroom.channels.db import Database
from showroom.channels.media import MediaFetcher, MediaRejectedError, MediaUnavailableError
from showroom.channels.options import payload_for
from showroom.channels.outbound import OutboundSender, retry_delay_s
from showroom.channels.rasa_client import GATEWAY_ID_KEY, RasaClient, RasaUnavailableError
from showroom.channels.rendering import render_turn
from showroom.conversations import statuses
from showroom.db.base import utcnow
from showroom.settings import Settings

log = logging.getLogger(__name__)

MEDIA_ONLY_TEXT = "/provide_vin"
# what actions use of a stored file (actions/vin.py reads `path`); not Twilio's media URL
METADATA_MEDIA_KEYS = ("content_type", "sha256", "path", "size")
# Rasa gets at most this much of a message (WhatsApp's own limit); all of it is stored
MAX_RASA_TEXT = 4096
MEDIA_FETCH_ATTEMPTS = 4  # Twilio's media host down or slow: tries before going on without
# after RASA_TIMEOUT_S a turn handed to Rasa has ended (answered, failed or given up by
# Rasa's own timeouts); this margin covers saving the tracker
SETTLE_MARGIN_S = 1.0


def rasa_metadata(
    work: queue.InboundWork, media: list[dict[str, Any]], settings: Settings
) -> dict[str, Any]:
    """The metadata contract of docs/services-api.md, plus the branch's timezone.

    Nothing personal: Rasa's tracker store keeps metadata for good. No phone number and
    no WhatsApp profile name — actions find the customer, and their name, through the
    conversation key (Rasa's sender id), see actions/common/context.py — and of media
    only what the actions read (the stored file), not Twilio's URL.
    """
    metadata: dict[str, Any] = {
        "channel": "whatsapp",
        "branch": work.branch_code,
        "timezone": work.branch_timezone or settings.default_timezone,
        "media": [{k: m[k] for k in METADATA_MEDIA_KEYS if k in m} for m in media],
        GATEWAY_ID_KEY: str(work.message_id),
    }
    if work.channel == "simulator":
        metadata["simulated"] = True
    return metadata


class TurnHandler:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        rasa: RasaClient,
        media: MediaFetcher,
        sender: OutboundSender,
        owner: str,
    ) -> None:
        self.settings = settings
        self.db = db
        self.rasa = rasa
        self.media = media
        self.sender = sender
        self.owner = owner

    async def handle(self, work: queue.InboundWork) -> bool:
        """Process one message; False when it must wait for a retry (the conversation waits)."""
        if work.mode == "human":
            await self.db.run(queue.finish_inbound, work.message_id, statuses.IN_AGENT)
            return True
        age = (utcnow() - work.received_at).total_seconds()
        if age > self.settings.gateway_give_up_after_s:
            return await self._give_up(work, age)
        media, transient = await self._fetch_media(work)
        if transient:
            return await self.retry(work, "media download failed")
        stored = [m for m in media if m.get("sha256")]
        text = work.body.strip()
        if not text and not stored:
            unavailable = any(m.get("unavailable") for m in media)
            await self.db.run(
                queue.queue_gateway_message,
                work.conversation_id,
                texts.MEDIA_FAILED if unavailable else texts.UNSUPPORTED_MEDIA,
                reply_to_id=work.message_id,
            )
            await self.db.run(queue.finish_inbound, work.message_id, statuses.IN_DONE)
            return True
        rasa_text = self._rasa_text(work)
        metadata = rasa_metadata(work, stored, self.settings)
        if await self._earlier_turn_may_be_running(work):
            return False
        try:
            replies = await self._replay(work)
            if replies is None:
                if not await self.rasa.actions_healthy(max_age_s=2.0):
                    return await self.retry(work, "action server unreachable")
                replies = await self._ask(work, rasa_text, metadata)
        except RasaUnavailableError as exc:
            return await self.retry(work, str(exc), keep_mark=exc.maybe_processed)
        if not replies and not await self.rasa.actions_healthy():
            # Rasa ran the turn without its actions: that turn is over and was no answer,
            # so the retry sends the message again rather than replaying it
            return await self.retry(
                work, "Rasa answered nothing and the action server is down", keep_mark=False
            )
        await self._complete(work, rasa_text, replies)
        return True

    async def _complete(
        self, work: queue.InboundWork, rasa_text: str, replies: list[dict[str, Any]]
    ) -> None:
        """The message is done: Rasa's replies rendered and queued, in one transaction."""
        turn = render_turn(replies, max_chars=self.settings.whatsapp_max_chars)
        await self.db.run(
            queue.complete_turn, work=work, owner=self.owner, rasa_text=rasa_text, turn=turn
        )

    async def _give_up(self, work: queue.InboundWork, age: float) -> bool:
        """Past GATEWAY_GIVE_UP_AFTER_S: failed, and the customer is told — unless an
        earlier hand-off did get an answer from Rasa (then it is sent after all).

        Every message of the conversation past the window is given up with it, under one
        apology (none when an earlier apology already came after them), and the
        "dame un momento" notice is not re-armed: after a long outage the customer gets
        one apology, not one (and a new notice) per message they wrote."""
        replies = None
        with contextlib.suppress(RasaUnavailableError):  # not asked: given up as planned
            replies = await self._tracker_replies(work)
        if replies:
            log.info("message %s: Rasa's answer found before giving up", work.message_id)
            await self._complete(work, self._rasa_text(work), replies)
            return True
        log.error("message %s given up after %.0f s without Rasa", work.message_id, age)
        cutoff = utcnow() - timedelta(seconds=self.settings.gateway_give_up_after_s)
        await self.db.run(
            queue.give_up_expired,
            work.conversation_id,
            # the head message is past the window by the check above, whatever the clock
            # did since; later ones only when they are too
            max(cutoff, work.received_at + timedelta(microseconds=1)),
            apology=texts.GAVE_UP,
            error="Rasa unavailable for the whole retry window",
        )
        await self.sender.flush(work.conversation_id)
        return True

    async def _earlier_turn_may_be_running(self, work: queue.InboundWork) -> bool:
        """A message handed to Rasa less than RASA_TIMEOUT_S ago (a crash, a stop, a lost
        lease) waits until that turn has surely ended; True when it must wait."""
        if work.rasa_sent_at is None:
            return False
        settle = work.rasa_sent_at + timedelta(
            seconds=self.settings.rasa_timeout_s + SETTLE_MARGIN_S
        )
        if utcnow() >= settle:
            return False
        log.info("message %s was handed to Rasa before; waiting for that turn", work.message_id)
        await self.db.run(
            queue.defer_inbound,
            work.message_id,
            settle,
            "handed to Rasa before; waiting for that turn to end",
        )
        return True

    async def _replay(self, work: queue.InboundWork) -> list[dict[str, Any]] | None:
        """For a message handed to Rasa before: Rasa's replies when that turn answered it
        (found in the tracker), None when it did not (the message is sent).

        A turn in the tracker with no reply is sent again too: it gave the customer
        nothing — most likely it ran while the action server was down — so a second turn
        cannot repeat anything they saw."""
        replies = await self._tracker_replies(work)
        if replies == []:
            log.info(
                "message %s: an earlier turn gave no reply; asking Rasa again", work.message_id
            )
            return None
        if replies is not None:
            log.info(
                "message %s was answered by an earlier attempt; not sent again", work.message_id
            )
        return replies

    async def _tracker_replies(self, work: queue.InboundWork) -> list[dict[str, Any]] | None:
        """Rasa's replies to an earlier hand-off of this message, from its tracker; None
        when the message was never handed over or the tracker does not have it."""
        if work.rasa_sent_at is None:
            return None
        return await self.rasa.replies_already_given(work.conversation_key, str(work.message_id))

    @staticmethod
    def _rasa_text(work: queue.InboundWork) -> str:
        """What was sent to Rasa for this message (an option's payload, `/provide_vin`)."""
        text = work.body.strip()[:MAX_RASA_TEXT]
        return (payload_for(text, work.last_options) or text) if text else MEDIA_ONLY_TEXT

    async def _ask(
        self, work: queue.InboundWork, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Rasa's answer; past HOLDING_NOTICE_AFTER_S the customer hears "dame un momento"."""
        await self.db.run(queue.mark_handed_to_rasa, work, self.owner)
        call = asyncio.ensure_future(self.rasa.send(work.conversation_key, text, metadata))
        try:
            return await asyncio.wait_for(
                asyncio.shield(call), timeout=self.settings.holding_notice_after_s
            )
        except TimeoutError:
            log.info("Rasa is slow for message %s; holding notice", work.message_id)
            await self._notice(work)
            return await call

    async def retry(self, work: queue.InboundWork, reason: str, *, keep_mark: bool = True) -> bool:
        """Wait and retry. With `keep_mark` a hand-off mark set stays: Rasa may have the
        turn, so the retry first waits it out and asks the tracker. `keep_mark=False`
        clears it: Rasa certainly did not get the message, or its turn is over without an
        answer; the retry simply sends the message."""
        delay = retry_delay_s(work.attempts, self.settings)
        attempts = await self.db.run(
            queue.retry_inbound, work.message_id, delay, reason, keep_mark=keep_mark
        )
        log.warning(
            "message %s waits: %s (attempt %d, retry in %.0f s)",
            work.message_id,
            reason,
            attempts,
            delay,
        )
        await self._notice(work)
        return False

    async def _notice(self, work: queue.InboundWork) -> None:
        queued = await self.db.run(
            queue.queue_gateway_message,
            work.conversation_id,
            texts.HOLDING,
            reply_to_id=work.message_id,
            once_per_outage=True,
        )
        if queued:
            await self.sender.flush(work.conversation_id)

    async def _fetch_media(self, work: queue.InboundWork) -> tuple[list[dict[str, Any]], bool]:
        """The message's media, fetching what is not fetched yet (saved, so a retry does not
        refetch), and whether a download failed for now (the host down or slow): the message
        is then retried, up to MEDIA_FETCH_ATTEMPTS times, before going on without it."""
        if not work.media:
            return [], False
        changed = transient = False
        result: list[dict[str, Any]] = []
        for item in work.media:
            if item.get("sha256") or item.get("error"):
                result.append(item)
                continue
            try:
                stored = await self.media.fetch(item.get("url", ""), item.get("content_type", ""))
                changed = True
                result.append(stored)
            except MediaUnavailableError as exc:
                if work.attempts + 1 < MEDIA_FETCH_ATTEMPTS:
                    transient = True
                    result.append(item)
                    continue
                log.warning("media of message %s not fetched: %s", work.message_id, exc)
                changed = True
                result.append({**item, "error": str(exc), "unavailable": True})
            except MediaRejectedError as exc:
                log.warning("media of message %s not used: %s", work.message_id, exc)
                changed = True
                result.append({**item, "error": str(exc)})
        if changed:
            await self.db.run(queue.save_media, work.message_id, result)
        return result, transient
