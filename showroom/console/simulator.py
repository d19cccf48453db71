"""The WhatsApp simulator: chat as a customer of any branch, through the real pipeline.

Messages typed here are accepted exactly like Twilio's (stored, routed to the branch,
ordered, retried, sent to Rasa's REST channel by the worker, numbered options, the 24-hour
rule); only the transport differs: the answers land in the local outbox (status `local`)
and this page polls them. Simulator conversations never reach Twilio. The page is on in
local outbox mode (no Twilio credentials) or with SIMULATOR_ENABLED, never in production.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from pathlib import Path
from typing import Any

from sanic import Blueprint, Request, response
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from showroom.channels.branches import BranchDirectory
from showroom.channels.gateway import Gateway
from showroom.channels.inbound import InboundMessage
from showroom.channels.media import MediaRejectedError
from showroom.channels.request_size import read_body
from showroom.console.templating import render
from showroom.conversations.conversations import find_or_start_conversation, get_conversation
from showroom.conversations.customers import get_or_create_customer, normalize_phone
from showroom.conversations.messages import history
from showroom.db.models.conversations import Message
from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch
from showroom.settings import Settings

bp = Blueprint("simulator")

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
MAX_TEXT = 4096
# multipart boundaries, headers and the text field around an uploaded photo
UPLOAD_OVERHEAD = 64 * 1024


def simulator_enabled(settings: Settings) -> bool:
    if settings.environment == "production":
        return False
    return settings.local_outbox or settings.simulator_enabled


def _gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.ctx.gateway
    if not simulator_enabled(gateway.settings):
        raise NotFound("The simulator is off (Twilio credentials are configured).")
    return gateway


def _error(message: str, status: int = 400) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def business_number(whatsapp_number: str | None, code: str) -> str:
    return whatsapp_number or f"sim-{code}"[:20]


# ------------------------------------------------------------------ pages
@bp.get("/")
async def index(request: Request) -> HTTPResponse:
    gateway: Gateway = request.app.ctx.gateway
    if simulator_enabled(gateway.settings):
        return _page(gateway)
    return response.json({"service": "showroom", "health": "/health"})


@bp.get("/simulator")
async def page(request: Request) -> HTTPResponse:
    return _page(_gateway(request))


def _page(gateway: Gateway) -> HTTPResponse:
    return response.html(render("simulator.html", mode=gateway.mode))


# ------------------------------------------------------------------ api
def _branches(session: Session, directory: BranchDirectory) -> list[dict[str, Any]]:
    return [
        {
            "code": b.code,
            "name": b.name,
            "city": b.city,
            "whatsapp_number": b.whatsapp_number,
            "timezone": b.timezone,
        }
        for b in directory.all(session)
    ]


@bp.get("/simulator/api/branches")
async def branches(request: Request) -> HTTPResponse:
    gateway = _gateway(request)
    return response.json(await gateway.db.run(_branches, gateway.directory))


def _open_conversation(
    session: Session, directory: BranchDirectory, code: str, phone: str, name: str | None
) -> dict[str, Any] | str:
    branch = directory.by_code(session, code)
    if branch is None:
        return "Esa sucursal no existe."
    customer = get_or_create_customer(session, phone=phone, name=name)
    conversation = find_or_start_conversation(
        session,
        customer=customer,
        channel="simulator",
        business_number=business_number(branch.whatsapp_number, branch.code),
        branch_id=branch.id,
    )
    return {
        "id": conversation.id,
        "branch": branch.code,
        "branch_name": branch.name,
        "phone": customer.phone,
    }


@bp.post("/simulator/api/conversations")
async def open_conversation(request: Request) -> HTTPResponse:
    gateway = _gateway(request)
    data = request.json if isinstance(request.json, dict) else {}
    phone = normalize_phone(str(data.get("phone") or ""))
    if phone is None:
        return _error("Escribe un número de teléfono válido (10 dígitos o con +código de país).")
    name = str(data.get("name") or "").strip()[:120] or None
    result = await gateway.db.run(
        _open_conversation, gateway.directory, str(data.get("branch") or ""), phone, name
    )
    if isinstance(result, str):
        return _error(result, 404)
    return response.json(result)


def _message_json(message: Message) -> dict[str, Any]:
    media = []
    for item in message.media or []:
        if item.get("sha256"):
            media.append(
                {"url": f"/simulator/media/{item['sha256']}", "type": item.get("content_type")}
            )
        elif item.get("url") and message.direction == "out":
            media.append({"url": item["url"], "type": None})
    return {
        "id": message.id,
        "direction": message.direction,
        "author": message.author,
        "body": message.body,
        "media": media,
        "status": message.status,
        "error": message.error,
        "created_at": message.created_at.isoformat(),
    }


def _conversation_messages(
    session: Session, conversation_id: int, after_id: int
) -> list[dict[str, Any]] | None:
    conversation = get_conversation(session, conversation_id)
    if conversation is None or conversation.channel != "simulator":
        return None
    return [_message_json(m) for m in history(session, conversation_id, after_id=after_id)]


@bp.get("/simulator/api/conversations/<conversation_id:int>/messages")
async def list_messages(request: Request, conversation_id: int) -> HTTPResponse:
    gateway = _gateway(request)
    try:
        after = int(request.args.get("after", "0"))
    except ValueError:
        after = 0
    messages = await gateway.db.run(_conversation_messages, conversation_id, after)
    if messages is None:
        return _error("Conversación no encontrada.", 404)
    return response.json(messages)


def _sender(session: Session, conversation_id: int) -> dict[str, Any] | None:
    conversation = get_conversation(session, conversation_id)
    if conversation is None or conversation.channel != "simulator":
        return None
    customer = session.get(Customer, conversation.customer_id)
    branch = session.get(Branch, conversation.branch_id) if conversation.branch_id else None
    return {
        "phone": customer.phone if customer else None,
        "name": customer.name if customer else None,
        "business_number": conversation.business_number,
        "branch": branch.code if branch else None,
    }


def upload_limit(settings: Settings) -> int:
    """The biggest message the simulator takes: a photo of MEDIA_MAX_BYTES plus the form."""
    return settings.media_max_bytes + UPLOAD_OVERHEAD


# stream: a photo may be bigger than the app's default body limit (request_size.py)
@bp.post("/simulator/api/conversations/<conversation_id:int>/messages", stream=True)
async def send_message(request: Request, conversation_id: int) -> HTTPResponse:
    gateway = _gateway(request)
    if not await read_body(request, upload_limit(gateway.settings)):
        return _error("El archivo es demasiado grande.", 413)
    sender = await gateway.db.run(_sender, conversation_id)
    if sender is None or not sender["phone"]:
        return _error("Conversación no encontrada.", 404)
    upload = request.files.get("file") if request.files else None
    if upload is not None:
        text = str(request.form.get("text") or "") if request.form else ""
    else:
        data = request.json if isinstance(request.json, dict) else {}
        text = str(data.get("text") or "")
    text = text.strip()[:MAX_TEXT]
    media: list[dict[str, Any]] = []
    if upload is not None and upload.body:
        try:
            stored = await asyncio.to_thread(
                gateway.media.store_bytes, upload.body, upload.type.split(";")[0]
            )
            media.append(stored)
        except MediaRejectedError as exc:
            return _error(f"Archivo no aceptado: {exc}", 415)
    if not text and not media:
        return _error("Escribe un mensaje o adjunta una foto.")
    allowed = await gateway.limiter.allow(
        "sender", sender["phone"], gateway.settings.rate_limit_sender_per_minute
    )
    accepted = await gateway.accept(
        InboundMessage(
            sid=f"SIM{secrets.token_hex(16)}",
            from_phone=sender["phone"],
            to_number=sender["business_number"],
            body=text,
            profile_name=sender["name"],
            media=media,
            channel="simulator",
            branch_code=sender["branch"],
        ),
        throttled=not allowed,
    )
    return response.json({"message_id": accepted.message_id, "throttled": accepted.throttled})


@bp.get("/simulator/media/<digest:str>")
async def media_file(request: Request, digest: str) -> HTTPResponse:
    gateway = _gateway(request)
    if not _DIGEST.match(digest):
        raise NotFound("No such media")
    folder = Path(gateway.settings.media_dir) / digest[:2]
    matches = sorted(folder.glob(f"{digest}.*")) if folder.is_dir() else []
    if not matches:
        raise NotFound("No such media")
    return await response.file(matches[0])
