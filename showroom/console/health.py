"""GET /health: is the database there, are Rasa and the action server reachable?

200 while the database answers (the gateway can take messages and keep them); 503 when it
does not. Rasa or the action server down shows as "degraded": messages wait and are
retried. No URLs, versions or hosts in the answer.
"""

from __future__ import annotations

import asyncio
import logging

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from showroom.channels.gateway import Gateway
from showroom.conversations import statuses
from showroom.db.models.conversations import Message

log = logging.getLogger(__name__)

bp = Blueprint("health")


def _queue_depth(session: Session) -> dict[str, int]:
    session.execute(text("select 1"))
    # inbound waiting for the worker; outbound not yet accepted by Twilio (or being sent)
    waiting = ((Message.direction == "in") & (Message.status == statuses.IN_PENDING)) | (
        (Message.direction == "out") & Message.status.in_(statuses.OUT_OPEN)
    )
    rows = session.execute(
        select(Message.direction, func.count()).where(waiting).group_by(Message.direction)
    ).all()
    counts = {str(direction): int(count) for direction, count in rows}
    return {"pending_inbound": counts.get("in", 0), "pending_outbound": counts.get("out", 0)}


@bp.get("/health")
async def health(request: Request) -> HTTPResponse:
    gateway: Gateway = request.app.ctx.gateway
    try:
        queue = await asyncio.wait_for(gateway.db.run(_queue_depth), timeout=5)
        db_ok = True
    except Exception as exc:
        log.warning("health: database check failed (%s)", type(exc).__name__)
        queue, db_ok = {}, False
    rasa_ok, actions_ok = await asyncio.gather(
        gateway.rasa.rasa_healthy(), gateway.rasa.actions_healthy()
    )
    body = {
        "status": "ok" if db_ok and rasa_ok and actions_ok else "degraded",
        "mode": gateway.mode,
        "db": {"ok": db_ok},
        "rasa": {"ok": rasa_ok},
        "action_server": {"ok": actions_ok},
        "queue": queue,
    }
    return response.json(body, status=200 if db_ok else 503)
