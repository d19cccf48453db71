"""X-Twilio-Signature: is this request really from Twilio?

Twilio signs the full URL it called plus the POST parameters with the account's auth
token. We rebuild that URL from Settings.public_base_url (what Twilio was configured to
call) and the request's raw path and query; behind a reverse proxy that terminates TLS or
rewrites the host, X-Forwarded-Proto / X-Forwarded-Host are honoured only when
TRUST_PROXY_HEADERS is on, and then the value the nearest proxy appended (the rightmost;
what the client sent comes first), as for X-Forwarded-For. The comparison is the official
`twilio` RequestValidator's (which also accepts the URL with or without its default port).

With Twilio credentials, PUBLIC_BASE_URL must be the public https URL Twilio calls: the
gateway refuses to start with it unset, on localhost or over plain http (every webhook
would fail its signature check, and status callbacks would be sent nowhere). Only when
TWILIO_API_BASE_URL points at a loopback stand-in (tests, benchmark) may it be loopback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from twilio.request_validator import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)

from showroom.settings import Settings, is_loopback_host, public_url_problem

_HOST = re.compile(r"^[A-Za-z0-9.-]+(?::\d{1,5})?$")


class SignatureConfigError(RuntimeError):
    """The signature check was turned off where that is not allowed."""


class FormParams(dict[str, list[str]]):
    """Form fields with all their values (Twilio signs repeated keys), as the validator reads."""

    def getlist(self, name: str) -> list[str]:
        return self[name]

    def first(self, name: str, default: str = "") -> str:
        values = self.get(name)
        return values[0] if values else default


def parse_form(body: bytes) -> FormParams:
    """`application/x-www-form-urlencoded` → fields, keeping blank values (a media-only
    message has `Body=`, and Twilio signs it)."""
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return FormParams(parsed)


def signature_required(settings: Settings) -> bool:
    """Whether to check signatures; refuses an unsafe configuration outright.

    TWILIO_VALIDATE_SIGNATURE=false is only honoured in local outbox mode (no Twilio
    credentials) outside production: there is nothing to protect there, and it lets a
    developer curl the webhook.
    """
    if settings.twilio_validate_signature:
        return True
    if settings.environment == "production" or not settings.local_outbox:
        raise SignatureConfigError(
            "TWILIO_VALIDATE_SIGNATURE=false is only allowed in local outbox mode "
            "(no Twilio credentials) outside production"
        )
    return False


def check_public_base_url(settings: Settings) -> None:
    """Refuse Twilio mode without a public https PUBLIC_BASE_URL (clear reason)."""
    if settings.local_outbox:
        return
    parts = urlsplit(settings.public_base_url.strip())
    api = urlsplit(settings.twilio_api_base_url or "")
    standin = bool(api.hostname) and is_loopback_host(api.hostname or "")
    if standin and settings.environment != "production" and parts.scheme in ("http", "https"):
        return
    problem = public_url_problem(settings.public_base_url)
    if problem:
        raise SignatureConfigError(
            "PUBLIC_BASE_URL must be the public https URL Twilio calls (e.g. "
            "https://chat.midealer.mx) when Twilio credentials are set; it is "
            f"{settings.public_base_url!r} ({problem})"
        )


def public_url(settings: Settings, raw_path_and_query: str, headers: Mapping[str, str]) -> str:
    """The URL Twilio called, as it signed it."""
    base = urlsplit(settings.public_base_url)
    scheme, netloc = base.scheme, base.netloc
    if settings.trust_proxy_headers:
        proto = nearest_hop(headers.get("x-forwarded-proto")).lower()
        host = nearest_hop(headers.get("x-forwarded-host"))
        if proto in ("http", "https"):
            scheme = proto
        if host and _HOST.match(host):
            netloc = host
    prefix = base.path.rstrip("/")
    return f"{scheme}://{netloc}{prefix}{raw_path_and_query}"


def is_signed_by_twilio(
    settings: Settings, url: str, params: FormParams, headers: Mapping[str, str]
) -> bool:
    """True when X-Twilio-Signature matches this URL and these parameters."""
    signature = headers.get(SIGNATURE_HEADER.lower()) or headers.get(SIGNATURE_HEADER)
    if not signature or not settings.twilio_auth_token:
        return False
    algorithm = get_signature_algorithm(
        headers.get(SIGNATURE_SETTINGS_HEADER.lower()) or headers.get(SIGNATURE_SETTINGS_HEADER)
    )
    validator = RequestValidator(settings.twilio_auth_token)
    return bool(validator.validate(url, params, signature, algorithm))


def nearest_hop(value: str | None) -> str:
    """The last value of a comma-separated proxy header (X-Forwarded-Proto/Host/For): the
    one our own (trusted) proxy appended. Earlier values come from the client or proxies
    before it."""
    hops = [h.strip() for h in (value or "").split(",") if h.strip()]
    return hops[-1] if hops else ""
