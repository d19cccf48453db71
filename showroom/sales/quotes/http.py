"""GET /quotes/<token>.pdf — the PDF behind a signed link (Twilio fetches it as media).

Register in the web app: `app.blueprint(showroom.sales.quotes.http.bp)`. The database URL
and secret come from `app.ctx.settings` when the app has one, else from Settings.
403 for a forged/altered link, 410 for an expired one, 404 for other paths; the database
read and the rendering run in a worker thread with a timeout.
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata

from sanic import Blueprint, Request, response
from sanic.response import HTTPResponse

from showroom.db.models.sales import Quote, SalesTicket
from showroom.db.session import session_scope
from showroom.sales.quotes.pdf import quote_pdf, ticket_pdf
from showroom.sales.quotes.signing import LinkExpired, LinkInvalid, parse_token, verify
from showroom.settings import Settings, get_settings

log = logging.getLogger(__name__)
bp = Blueprint("quotes_pdf")
RENDER_TIMEOUT_S = 30.0
HEADERS = {
    "Cache-Control": "private, max-age=300",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def ascii_filename(text: str) -> str:
    """`Cotización MTY-2026-000123` -> `Cotizacion-MTY-2026-000123` (safe in a header)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-")


def render_for_token(token: str, settings: Settings) -> tuple[bytes, str]:
    """(PDF bytes, file name) for a genuine, unexpired token; `LinkInvalid`/`LinkExpired`."""
    parsed = parse_token(token)
    with session_scope(settings.database_url) as session:
        row: Quote | SalesTicket | None
        if parsed.kind == "q":
            row = session.get(Quote, parsed.row_id)
            number = row.folio if row is not None else None
        else:
            row = session.get(SalesTicket, parsed.row_id)
            number = row.number if row is not None else None
        verify(parsed, number, secret=settings.secret_key)
        if isinstance(row, Quote):
            return quote_pdf(row), ascii_filename(f"Cotizacion-{row.folio}.pdf")
        assert isinstance(row, SalesTicket)
        return ticket_pdf(row), ascii_filename(f"Nota-de-venta-{row.number}.pdf")


@bp.get("/quotes/<name:str>")
async def signed_pdf(request: Request, name: str) -> HTTPResponse:
    if not name.endswith(".pdf"):
        return response.text("No encontrado.", status=404)
    settings: Settings = getattr(request.app.ctx, "settings", None) or get_settings()
    try:
        body, filename = await asyncio.wait_for(
            asyncio.to_thread(render_for_token, name[: -len(".pdf")], settings),
            timeout=RENDER_TIMEOUT_S,
        )
    except LinkInvalid:
        log.info("pdf link refused: invalid")
        return response.text("Enlace no válido.", status=403)
    except LinkExpired:
        log.info("pdf link refused: expired")
        return response.text(
            "Este enlace ya venció. Pide la cotización de nuevo por WhatsApp.", status=410
        )
    except TimeoutError:
        log.warning("pdf link: rendering timed out")
        return response.text("Intenta de nuevo en un momento.", status=503)
    headers = {**HEADERS, "Content-Disposition": f'inline; filename="{filename}"'}
    return response.raw(body, content_type="application/pdf", headers=headers)
