"""Signed, expiring links to a quote's (or a sales ticket's) PDF.

Token: `q42-1764288000-<signature>` — kind (`q` quote, `t` ticket), row id, expiry (Unix
seconds), and HMAC-SHA256 with `SECRET_KEY` over the kind, id, folio/number and expiry
(base64url, 43 characters). The folio is in the MAC, so a link never opens another
document even if ids are reused. Verification is constant-time; a bad or altered token is
"forged" (HTTP 403), a good one past its expiry "expired" (HTTP 410).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from showroom.db.models.sales import Quote, SalesTicket
from showroom.sales.quotes.config import quote_settings
from showroom.settings import get_settings

Kind = Literal["q", "t"]
PATH_PREFIX = "/quotes/"
_TOKEN = re.compile(r"^([qt])([1-9][0-9]{0,11})-([0-9]{1,12})-([A-Za-z0-9_-]{43})$")
_DOMAIN = b"showroom.pdf-link.v1"


class LinkInvalid(Exception):  # noqa: N818 - reads as what happened
    """Forged, altered or unknown token (HTTP 403)."""


class LinkExpired(Exception):  # noqa: N818
    """A genuine token past its expiry (HTTP 410)."""


@dataclass(frozen=True)
class ParsedToken:
    kind: Kind
    row_id: int
    expires: int
    signature: str


def _signature(secret: str, kind: str, row_id: int, number: str, expires: int) -> str:
    message = b"|".join(
        [_DOMAIN, kind.encode(), str(row_id).encode(), number.encode(), str(expires).encode()]
    )
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_token(
    kind: Kind, row_id: int, number: str, expires_at: datetime, secret: str | None = None
) -> str:
    expires = int(expires_at.timestamp())
    secret = secret if secret is not None else get_settings().secret_key
    return f"{kind}{row_id}-{expires}-{_signature(secret, kind, row_id, number, expires)}"


def parse_token(token: str) -> ParsedToken:
    match = _TOKEN.match(token)
    if match is None:
        raise LinkInvalid("malformed token")
    kind, row_id, expires, signature = match.groups()
    return ParsedToken(kind, int(row_id), int(expires), signature)  # type: ignore[arg-type]


def verify(
    parsed: ParsedToken,
    number: str | None,
    *,
    secret: str | None = None,
    now: datetime | None = None,
) -> None:
    """`LinkInvalid` unless the signature matches the document's folio/number (None: no such
    row — still compared, so timing does not tell), then `LinkExpired` past the expiry."""
    secret = secret if secret is not None else get_settings().secret_key
    expected = _signature(secret, parsed.kind, parsed.row_id, number or "\x00", parsed.expires)
    genuine = hmac.compare_digest(expected.encode(), parsed.signature.encode())
    if not genuine or number is None:
        raise LinkInvalid("bad signature")
    moment = now or datetime.now(UTC)
    if moment.timestamp() >= parsed.expires:
        raise LinkExpired("link expired")


def _expiry(ttl: timedelta | None, now: datetime | None) -> datetime:
    lifetime = ttl if ttl is not None else timedelta(hours=quote_settings().pdf_url_ttl_hours)
    if lifetime.total_seconds() <= 0:
        raise ValueError("a link must live some time")
    return (now or datetime.now(UTC)) + lifetime


def _url(base_url: str | None, token: str) -> str:
    base = (base_url or get_settings().public_base_url).rstrip("/")
    return f"{base}{PATH_PREFIX}{token}.pdf"


def signed_pdf_url(
    quote: Quote,
    base_url: str | None = None,
    *,
    ttl: timedelta | None = None,
    now: datetime | None = None,
) -> str:
    """`https://host/quotes/q42-1764288000-….pdf`, valid for `ttl` (QUOTE_PDF_URL_TTL_HOURS).

    `base_url` is the app's public URL (default `PUBLIC_BASE_URL`); Twilio fetches the
    media from it, so it must be reachable from the internet in production.
    """
    return _url(base_url, make_token("q", quote.id, quote.folio, _expiry(ttl, now)))


def signed_ticket_pdf_url(
    ticket: SalesTicket,
    base_url: str | None = None,
    *,
    ttl: timedelta | None = None,
    now: datetime | None = None,
) -> str:
    """The same for a sales ticket's PDF (nota de venta)."""
    return _url(base_url, make_token("t", ticket.id, ticket.number, _expiry(ttl, now)))
