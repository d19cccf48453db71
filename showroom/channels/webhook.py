"""Twilio's webhooks: incoming WhatsApp messages and delivery status callbacks.

Order of checks: per-IP rate limit (cheap, before anything), X-Twilio-Signature (403,
logged without PII, nothing processed), the fields, then the per-sender limit. The answer
to Twilio is an empty TwiML document once the message is stored; Rasa is called after.
"""

from __future__ import annotations

import logging

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from showroom.channels.gateway import Gateway
from showroom.channels.inbound import BadInboundError, parse_twilio_message
from showroom.channels.signature import FormParams, is_signed_by_twilio, parse_form, public_url
from showroom.channels.status_callbacks import record_status
from showroom.privacy import fingerprint

log = logging.getLogger(__name__)

bp = Blueprint("twilio_webhooks", url_prefix="/webhooks/twilio")

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def client_ip(request: Request, gateway: Gateway) -> str:
    """The caller's IP; behind a trusted proxy, the address that proxy saw (rightmost)."""
    if gateway.settings.trust_proxy_headers:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return request.ip or "unknown"


def too_many_requests() -> HTTPResponse:
    return response.text("Too many requests", status=429, headers={"Retry-After": "60"})


async def _verified_form(request: Request, gateway: Gateway) -> FormParams | HTTPResponse:
    """The form fields of a genuine Twilio request, or the response that refuses it."""
    ip = client_ip(request, gateway)
    limit = gateway.settings.rate_limit_ip_per_minute
    if not await gateway.limiter.allow("ip", ip, limit):
        log.warning("rate limited %s (ip %s)", request.path, fingerprint(ip))
        return too_many_requests()
    form = parse_form(request.body or b"")
    if gateway.signature_required:
        url = public_url(gateway.settings, request.raw_url.decode("latin-1"), request.headers)
        if not is_signed_by_twilio(gateway.settings, url, form, request.headers):
            log.warning(
                "rejected %s: missing or invalid X-Twilio-Signature (ip %s)",
                request.path,
                fingerprint(ip),
            )
            return response.text("Forbidden", status=403)
    return form


@bp.post("/whatsapp")
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
    allowed = await gateway.limiter.allow("sender", message.from_phone, limit)
    await gateway.accept(message, throttled=not allowed)
    return response.text(EMPTY_TWIML, content_type="text/xml")


@bp.post("/status")
async def message_status(request: Request) -> HTTPResponse:
    gateway: Gateway = request.app.ctx.gateway
    form = await _verified_form(request, gateway)
    if isinstance(form, HTTPResponse):
        return form
    sid = form.first("MessageSid")
    status = form.first("MessageStatus") or form.first("SmsStatus")
    if not sid or not status:
        return response.text("Bad request: MessageSid and MessageStatus are required", status=400)
    try:
        await gateway.db.run(record_status, sid, status, form.first("ErrorCode") or None)
    except ValueError:
        log.info("status callback with an unknown status ignored")
    return response.empty()
