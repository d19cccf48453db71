"""Twilio's webhooks: incoming WhatsApp messages and delivery status callbacks.

Order of checks: size (413, by Content-Length before the body is read: request_size.py),
X-Twilio-Signature, the fields, a replayed MessageSid (answered 200, nothing else done),
then the per-sender limit. The per-IP limit counts only requests refused for their size
or signature, and only those are refused by it (429): real Twilio traffic arrives from a
shared pool of addresses (or one proxy's), and a correctly signed request is never
turned away for its IP — its sender's limit still applies (the message is stored, not
answered). Forged or unsigned: 403, logged without PII, nothing processed. The answer to
Twilio is an empty TwiML document once the message is stored; Rasa is called after.
"""

from __future__ import annotations

import logging

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from showroom.channels.gateway import Gateway
from showroom.channels.inbound import BadInboundError, parse_twilio_message
from showroom.channels.outbound import MESSAGE_ID_PARAM
from showroom.channels.outbox import known_sids
from showroom.channels.request_size import read_body
from showroom.channels.signature import (
    FormParams,
    is_signed_by_twilio,
    nearest_hop,
    parse_form,
    public_url,
)
from showroom.channels.status_callbacks import record_status
from showroom.privacy import fingerprint

log = logging.getLogger(__name__)

bp = Blueprint("twilio_webhooks", url_prefix="/webhooks/twilio")

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
# Twilio's webhook forms are a few KB (media come as URLs; a 4096-character message of
# emoji is ~50 KB percent-encoded); refuse anything far bigger before hashing it
MAX_WEBHOOK_BYTES = 256 * 1024
# messages.id is a 32-bit integer on PostgreSQL
MAX_MESSAGE_ID = 2**31 - 1
MAX_MESSAGE_ID_DIGITS = len(str(MAX_MESSAGE_ID))


def client_ip(request: Request, gateway: Gateway) -> str:
    """The caller's IP; behind a trusted proxy, the address that proxy saw (rightmost)."""
    if gateway.settings.trust_proxy_headers:
        forwarded = nearest_hop(request.headers.get("x-forwarded-for"))
        if forwarded:
            return forwarded
    return request.ip or "unknown"


def message_id_param(raw: str) -> int | None:
    """Our message id from the StatusCallback URL we gave Twilio (`?m=`, part of what it
    signed); None when it is not one we could have written (the callback is then matched
    by its MessageSid only). Only ASCII digits ("²" is a digit to `str.isdigit`), and
    within the id column's range (PostgreSQL's `integer`)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_MESSAGE_ID_DIGITS:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_MESSAGE_ID else None


def too_many_requests() -> HTTPResponse:
    return response.text("Too many requests", status=429, headers={"Retry-After": "60"})


def unavailable() -> HTTPResponse:
    return response.text("Temporarily unavailable", status=500)


async def _verified_form(request: Request, gateway: Gateway) -> FormParams | HTTPResponse:
    """The form fields of a genuine Twilio request, or the response that refuses it."""
    if not await read_body(request, MAX_WEBHOOK_BYTES):
        return await _refuse_oversized(request, gateway)
    form = parse_form(request.body or b"")
    if gateway.signature_required:
        url = public_url(gateway.settings, request.raw_url.decode("latin-1"), request.headers)
        if is_signed_by_twilio(gateway.settings, url, form, request.headers):
            return form  # Twilio's own traffic: never refused for its IP
        return await _refuse_unsigned(request, gateway)
    # no signature check (local mode): nothing is verified, so every request counts
    if not await _ip_allowed(request, gateway, client_ip(request, gateway)):
        return too_many_requests()
    return form


async def _ip_allowed(request: Request, gateway: Gateway, ip: str) -> bool:
    allowed = await gateway.limiter.allow("ip", ip, gateway.settings.rate_limit_ip_per_minute)
    if not allowed:
        log.warning("rate limited %s (ip %s)", request.path, fingerprint(ip))
    return allowed


async def _refuse_oversized(request: Request, gateway: Gateway) -> HTTPResponse:
    ip = client_ip(request, gateway)
    if not await _ip_allowed(request, gateway, ip):
        return too_many_requests()
    log.warning(
        "rejected %s: body over %d bytes (ip %s)", request.path, MAX_WEBHOOK_BYTES, fingerprint(ip)
    )
    return response.text("Payload too large", status=413)


async def _refuse_unsigned(request: Request, gateway: Gateway) -> HTTPResponse:
    ip = client_ip(request, gateway)
    if not await _ip_allowed(request, gateway, ip):
        return too_many_requests()
    log.warning(
        "rejected %s: missing or invalid X-Twilio-Signature (ip %s)",
        request.path,
        fingerprint(ip),
    )
    return response.text("Forbidden", status=403)


@bp.post("/whatsapp", stream=True)  # stream: its own size limit (request_size.py)
async def whatsapp_message(request: Request) -> HTTPResponse:
    gateway: Gateway = request.app.ctx.gateway
    form = await _verified_form(request, gateway)
    if isinstance(form, HTTPResponse):
        return form
    try:
        message = parse_twilio_message(form)
    except BadInboundError as exc:
        log.warning("rejected WhatsApp webhook: %s", exc)
        return response.text(f"Bad request: {exc}", status=400)
    limit = gateway.settings.rate_limit_sender_per_minute
    try:
        if await gateway.intake_db.run(known_sids, [message.sid]):
            # Twilio retrying (or a proxy resending): stored already, and a replay must
            # not count toward the sender's limit
            log.info("replayed MessageSid ignored")
            return response.text(EMPTY_TWIML, content_type="text/xml")
        allowed = await gateway.limiter.allow("sender", message.from_phone, limit)
        await gateway.accept(message, throttled=not allowed)
    except SQLAlchemyError as exc:
        # not stored: Twilio gets an error (and its logs show it); the reason, never the
        # statement's values, goes to our log
        log.error("inbound not stored: database error (%s)", type(exc).__name__)
        return unavailable()
    return response.text(EMPTY_TWIML, content_type="text/xml")


@bp.post("/status", stream=True)
async def message_status(request: Request) -> HTTPResponse:
    gateway: Gateway = request.app.ctx.gateway
    form = await _verified_form(request, gateway)
    if isinstance(form, HTTPResponse):
        return form
    sid = form.first("MessageSid")
    status = form.first("MessageStatus") or form.first("SmsStatus")
    if not sid or not status:
        return response.text("Bad request: MessageSid and MessageStatus are required", status=400)
    message_id = message_id_param(request.args.get(MESSAGE_ID_PARAM, ""))
    try:
        await gateway.intake_db.run(
            record_status, sid, status, form.first("ErrorCode") or None, message_id=message_id
        )
    except ValueError:
        log.info("status callback with an unknown status ignored")
    except SQLAlchemyError as exc:
        log.error("status callback not stored: database error (%s)", type(exc).__name__)
        return unavailable()
    return response.empty()
