"""Signed, expiring PDF links: the token, and the Sanic blueprint served on a free port."""

from __future__ import annotations

import io
import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pypdf import PdfReader
from quotes_kit import NOW, Store
from sanic import Sanic
from sqlalchemy.orm import Session

from showroom.sales.quotes import (
    QuoteItem,
    accept_quote,
    confirm_quote,
    create_quote,
    mark_sent,
    signed_pdf_url,
    signed_ticket_pdf_url,
)
from showroom.sales.quotes import http as quotes_http
from showroom.sales.quotes.signing import (
    LinkExpired,
    LinkInvalid,
    make_token,
    parse_token,
    verify,
)
from showroom.settings import Settings, get_settings

SECRET = "test-secret-" + "x" * 20


@asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[str]:
    """A Sanic app with only the quotes blueprint, on a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    app = Sanic(f"quotes_test_{secrets.token_hex(6)}", configure_logging=False)
    app.config.TOUCHUP = False
    app.ctx.settings = settings
    app.blueprint(quotes_http.bp)
    server = await app.create_server(sock=sock, access_log=False)
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        await server.before_stop()
        closing = server.close()
        if closing is not None:
            await closing
        await server.after_stop()
        Sanic.unregister_app(app)
        sock.close()


def test_token_round_trip_and_tampering() -> None:
    expires = datetime(2026, 11, 26, tzinfo=UTC)
    token = make_token("q", 42, "MTY-2026-000042", expires, secret=SECRET)
    parsed = parse_token(token)
    assert (parsed.kind, parsed.row_id, parsed.expires) == ("q", 42, int(expires.timestamp()))
    verify(parsed, "MTY-2026-000042", secret=SECRET, now=expires - timedelta(seconds=1))
    with pytest.raises(LinkExpired):
        verify(parsed, "MTY-2026-000042", secret=SECRET, now=expires)
    for folio, secret in (
        ("MTY-2026-000043", SECRET),
        ("MTY-2026-000042", "other"),
        (None, SECRET),
    ):
        with pytest.raises(LinkInvalid):
            verify(parsed, folio, secret=secret, now=expires - timedelta(hours=1))
    head, _, signature = token.rpartition("-")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for bad in (f"{head}-{flipped}", token.replace("q42-", "q43-"), token.replace("q42", "t42"),
                token + "x", "q42-1-short", "", "../etc/passwd"):  # fmt: skip
        with pytest.raises(LinkInvalid):
            verify(parse_token(bad), "MTY-2026-000042", secret=SECRET, now=expires)
    # a later expiry cannot be written into a genuine token
    stretched = token.replace(str(parsed.expires), str(parsed.expires + 86400))
    with pytest.raises(LinkInvalid):
        verify(parse_token(stretched), "MTY-2026-000042", secret=SECRET, now=expires)


async def test_the_blueprint_serves_signed_pdfs(
    db_url: str, session: Session, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRET_KEY", SECRET)
    get_settings.cache_clear()
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], customer=store.customer, now=NOW)
    mark_sent(session, quote, now=NOW)
    accept_quote(session, quote, now=NOW)
    ticket = confirm_quote(session, quote, store.ana, now=NOW)
    session.commit()
    settings = Settings(database_url=db_url, secret_key=SECRET)
    now = datetime.now(UTC)
    async with serve(settings) as base:
        url = signed_pdf_url(quote, base + "/")
        an_hour_ago = now - timedelta(hours=2)
        expired = signed_pdf_url(quote, base, ttl=timedelta(hours=1), now=an_hour_ago)
        ticket_url = signed_ticket_pdf_url(ticket, base)
        forged = make_token("q", quote.id, quote.folio, now + timedelta(hours=1), secret="guess")
        assert url.startswith(f"{base}/quotes/q{quote.id}-") and url.endswith(".pdf")
        async with httpx.AsyncClient(timeout=30) as client:
            ok = await client.get(url)
            assert ok.status_code == 200, ok.text
            assert ok.headers["content-type"] == "application/pdf"
            assert ok.headers["content-disposition"] == (
                f'inline; filename="Cotizacion-{quote.folio}.pdf"'
            )
            assert "private" in ok.headers["cache-control"]
            text = PdfReader(io.BytesIO(ok.content)).pages[0].extract_text()
            assert f"COTIZACIÓN {quote.folio}" in text

            sold = await client.get(ticket_url)
            assert sold.status_code == 200
            sold_text = PdfReader(io.BytesIO(sold.content)).pages[0].extract_text()
            assert "NOTA DE VENTA MTY-V-2026-000001" in sold_text

            gone = await client.get(expired)
            assert gone.status_code == 410 and "venció" in gone.text
            for bad in (
                f"{base}/quotes/{forged}.pdf",
                url.replace(f"/q{quote.id}-", f"/q{quote.id + 1}-"),
                url[:-5] + ("A" if url[-5] != "A" else "B") + ".pdf",
                f"{base}/quotes/nada.pdf",
            ):
                refused = await client.get(bad)
                assert refused.status_code == 403, bad
                assert refused.headers["content-type"].startswith("text/plain")
            assert (await client.get(url[: -len(".pdf")])).status_code == 404
