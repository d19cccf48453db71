"""One customer message through Rasa: media, numbered options, metadata, the answer.

Rasa or the action server down or slow never means silence and never means a lost
message: the message stays pending and is retried with backoff, and the customer gets one
"dame un momento" per outage. A media-only message goes to Rasa as `/provide_vin` with
the stored media in the metadata (the VIN flow reads it).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from showroom.channels import queue, texts
from showroom.channels.db import Database
from showroom.channels.media import MediaFetcher, MediaRejectedError, MediaUnavailableError
from showroom.channels.options import payload_for
from showroom.channels.outbound import OutboundSender, backoff_s
from showroom.channels.rasa_client import (
    GATEWAY_ID_KEY,
    RasaClient,
    RasaTimeoutError,
    RasaUnavailableError,
)
from showroom.channels.rendering import render_turn
from showroom.conversations import statuses
from showroom.db.base import utcnow
from showroom.settings import Settings

log = logging.getLogger(__name__)

MEDIA_ONLY_TEXT = "/provide_vin"
METADATA_MEDIA_KEYS = ("url", "content_type", "sha256", "path", "size")
MEDIA_FETCH_ATTEMPTS = 4  # Twilio's media host down or slow: tries before going on without


def rasa_metadata(
    work: queue.InboundWork, media: list[dict[str, Any]], settings: Settings
) -> dict[str, Any]:
    """The metadata contract of docs/services-api.md, plus the branch's timezone."""
    metadata: dict[str, Any] = {
        "channel": "whatsapp",
        "branch": work.branch_code,
        "phone": work.phone,
        "profile_name": work.profile_name,
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
            log.error("message %s given up after %.0f s without Rasa", work.message_id, age)
            await self.db.run(
                queue.finish_inbound,
                work.message_id,
                statuses.IN_FAILED,
                error="Rasa unavailable for the whole retry window",
            )
            await self.db.run(
                queue.queue_gateway_message,
                work.conversation_id,
                texts.GAVE_UP,
                reply_to_id=work.message_id,
            )
            await self.sender.flush(work.conversation_id)
            return True
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
        rasa_text = (payload_for(text, work.last_options) or text) if text else MEDIA_ONLY_TEXT
        if not await self.rasa.actions_healthy(max_age_s=2.0):
            return await self.retry(work, "action server unreachable")
        metadata = rasa_metadata(work, stored, self.settings)
        try:
            replies = await self._replay(work)
            if replies is None:
                replies = await self._ask(work, rasa_text, metadata)
        except RasaUnavailableError as exc:
            return await self.retry(work, str(exc), timed_out=isinstance(exc, RasaTimeoutError))
        if not replies and not await self.rasa.actions_healthy():
            return await self.retry(work, "Rasa answered nothing and the action server is down")
        turn = render_turn(replies, max_chars=self.settings.whatsapp_max_chars)
        await self.db.run(
            queue.complete_turn, work=work, owner=self.owner, rasa_text=rasa_text, turn=turn
        )
        return True

    async def _replay(self, work: queue.InboundWork) -> list[dict[str, Any]] | None:
        """On a retry: Rasa's replies if an earlier, timed-out attempt went through."""
        if work.attempts == 0:
            return None
        replies = await self.rasa.replies_already_given(work.conversation_key, str(work.message_id))
        if replies is not None:
            log.info(
                "message %s was answered by an earlier attempt; not sent again", work.message_id
            )
        return replies

    async def _ask(
        self, work: queue.InboundWork, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Rasa's answer; past HOLDING_NOTICE_AFTER_S the customer hears "dame un momento"."""
        call = asyncio.ensure_future(self.rasa.send(work.conversation_key, text, metadata))
        try:
            return await asyncio.wait_for(
                asyncio.shield(call), timeout=self.settings.holding_notice_after_s
            )
        except TimeoutError:
            log.info("Rasa is slow for message %s; holding notice", work.message_id)
            await self._notice(work)
            return await call

    async def retry(self, work: queue.InboundWork, reason: str, timed_out: bool = False) -> bool:
        delay = backoff_s(work.attempts + 1, self.settings.gateway_retry_max_delay_s)
        if timed_out:
            # the timed-out turn may still be running in Rasa: give it time to finish and be
            # found in the tracker (`_replay`) before the message is sent again
            delay = max(delay, self.settings.rasa_timeout_s)
        attempts = await self.db.run(queue.retry_inbound, work.message_id, delay, reason)
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
