"""A customer's message arrives: parse Twilio's fields, route to the branch, store it once.

This is all that happens before Twilio (or the simulator) gets its answer; Rasa is called
later by the worker. `accept_inbound` runs in one transaction: when it returns, the
message is durable, so a crash afterwards loses nothing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from showroom.channels import texts
from showroom.channels.branches import BranchDirectory
from showroom.channels.signature import FormParams
from showroom.conversations import statuses
from showroom.conversations.clean import clean_text
from showroom.conversations.conversations import find_or_start_conversation
from showroom.conversations.customers import get_or_create_customer, normalize_phone
from showroom.conversations.messages import queue_outbound, record_inbound
from showroom.db.base import utcnow
from showroom.privacy import mask_phone
from showroom.settings import Settings

log = logging.getLogger(__name__)

_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
# Twilio's sids are two letters and 32 hex digits; any short printable token is kept
_SID = re.compile(r"^[\x21-\x7e]{1,64}$")
MAX_MEDIA = 10


class BadInboundError(ValueError):
    """The request is not a WhatsApp message we can handle (English reason, no PII)."""


@dataclass(frozen=True)
class InboundMessage:
    sid: str
    from_phone: str  # E.164
    to_number: str  # E.164: the business number written to
    body: str
    profile_name: str | None = None
    # [{"url", "content_type"}] to fetch, or already stored items ({"sha256", "path", ...})
    media: list[dict[str, Any]] = field(default_factory=list)
    channel: str = "whatsapp"
    # the simulator names the branch (it may have no WhatsApp number yet)
    branch_code: str | None = None
    # where replies go, as the channel gave it (`+521…` for a Mexican WhatsApp mobile);
    # None: `from_phone`
    reply_address: str | None = None


@dataclass(frozen=True)
class Accepted:
    conversation_id: int
    message_id: int | None  # None: a replay of a message already stored
    duplicate: bool = False
    throttled: bool = False


def whatsapp_number(raw: str) -> str | None:
    """E.164 of a `whatsapp:+…` address. A number the `phonenumbers` metadata does not
    know (new ranges) is still a WhatsApp user Twilio delivered: kept as the digits sent."""
    normalized = normalize_phone(raw)
    if normalized is not None:
        return normalized
    plain = raw.removeprefix("whatsapp:").strip()
    return plain if _E164.match(plain) else None


def channel_address(raw: str, e164: str) -> str:
    """The number exactly as Twilio gave it (`whatsapp:+5215512345678` → `+5215512345678`):
    replies go to this address. WhatsApp knows Mexican mobiles by the old `+521…` form,
    while the customer is identified by E.164 (`+52` and 10 digits); anything that is not
    a plain `+digits` address falls back to the E.164 number."""
    plain = raw.removeprefix("whatsapp:").strip()
    return plain if _E164.match(plain) else e164


def _declared_media(form: FormParams) -> int:
    """NumMedia as a count (0 when it is not a whole number: the MediaUrlN fields decide)."""
    raw = form.first("NumMedia").strip()
    return min(int(raw), MAX_MEDIA) if raw.isascii() and raw.isdigit() else 0


def _media_items(form: FormParams) -> list[dict[str, Any]]:
    """The MediaUrlN fields present (whatever NumMedia says: nothing sent is dropped). An
    announced item without its URL is kept as one that could not be fetched, so a
    message of only such items gets "send it again" instead of silence."""
    declared = _declared_media(form)
    media: list[dict[str, Any]] = []
    for index in range(MAX_MEDIA):
        url = form.first(f"MediaUrl{index}").strip()
        if url:
            media.append({"url": url, "content_type": form.first(f"MediaContentType{index}")})
        elif index < declared:
            media.append({"error": "Twilio announced media without its URL", "unavailable": True})
    if len([m for m in media if m.get("url")]) != declared:
        log.warning("NumMedia does not match the MediaUrlN fields given; using the fields")
    return media


def parse_twilio_message(form: FormParams) -> InboundMessage:
    """Twilio's WhatsApp webhook fields → InboundMessage; `BadInboundError` when unusable
    (no MessageSid to store it under, or no WhatsApp From/To). Anything else odd — a
    NumMedia that is not a number or does not match the media fields, control characters
    (dropped when stored, see conversations/clean.py) — is accepted as well as it can be."""
    sid = form.first("MessageSid") or form.first("SmsMessageSid")
    if not _SID.match(sid):
        raise BadInboundError("missing or malformed MessageSid")
    raw_from, raw_to = form.first("From"), form.first("To")
    if not raw_from.startswith("whatsapp:") or not raw_to.startswith("whatsapp:"):
        raise BadInboundError("only WhatsApp messages are handled here (From/To without whatsapp:)")
    from_phone, to_number = whatsapp_number(raw_from), whatsapp_number(raw_to)
    if from_phone is None or to_number is None:
        raise BadInboundError("From or To is not a phone number")
    profile = clean_text(form.first("ProfileName")).strip()[:120] or None
    return InboundMessage(
        sid=sid,
        from_phone=from_phone,
        to_number=to_number,
        # whole: WhatsApp allows 4096 characters and the webhook's size limit bounds it;
        # Rasa gets the first MAX_RASA_TEXT (turn.py)
        body=form.first("Body"),
        profile_name=profile,
        media=_media_items(form),
        reply_address=channel_address(raw_from, from_phone),
    )


def accept_inbound(
    session: Session,
    message: InboundMessage,
    directory: BranchDirectory,
    settings: Settings,
    *,
    throttled: bool = False,
) -> Accepted:
    """Store the message (once per sid) in its conversation; the worker does the rest."""
    if message.branch_code:
        branch = directory.by_code(session, message.branch_code)
    else:
        branch = directory.for_number(session, message.to_number)
    if branch is None and settings.default_branch:
        branch = directory.by_code(session, settings.default_branch)
    if branch is None:
        log.warning("inbound to a number of no branch: %s", mask_phone(message.to_number))
    customer = get_or_create_customer(
        session,
        phone=message.from_phone,
        external_id=f"{message.channel}:{message.from_phone}",
        name=message.profile_name,
    )
    conversation = find_or_start_conversation(
        session,
        customer=customer,
        channel=message.channel,
        business_number=message.to_number,
        customer_number=message.reply_address or message.from_phone,
        branch_id=branch.id if branch else None,
    )
    status = statuses.IN_THROTTLED if throttled else statuses.IN_PENDING
    stored = record_inbound(
        session,
        conversation,
        provider_sid=message.sid,
        body=message.body,
        media=message.media,
        status=status,
    )
    if stored is None:
        log.info("replayed message ignored conversation=%s", conversation.id)
        return Accepted(conversation.id, None, duplicate=True)
    if throttled:
        _notify_throttled(session, conversation, settings)
    log.info(
        "inbound stored conversation=%s message=%s from=%s media=%d%s",
        conversation.id,
        stored.id,
        mask_phone(message.from_phone),
        len(message.media),
        " throttled" if throttled else "",
    )
    return Accepted(conversation.id, stored.id, throttled=throttled)


def _notify_throttled(session: Session, conversation: Any, settings: Settings) -> None:
    """One "slow down" message per rate-limit window; the messages wait for an agent."""
    now = utcnow()
    last = conversation.throttle_notice_at
    if last is not None and now - last < timedelta(seconds=60):
        return
    conversation.throttle_notice_at = now
    queue_outbound(session, conversation, body=texts.THROTTLED, author="system")
