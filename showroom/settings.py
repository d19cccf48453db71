"""One typed Settings object, read from the environment (and `.env` for local runs).

Secrets never live in committed files. The placeholder SECRET_KEY is refused at start-up
in production and wherever something real depends on it (Twilio credentials: webhook and
media links, log fingerprints; REDIS_URL: rate-limit keys shared between replicas), so a
copy of `.env.example` can never reach real traffic unnoticed. `make run` without
credentials keeps working on the defaults.
"""

from __future__ import annotations

import ipaddress
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import click
from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRET = "change-me"  # noqa: S105 - the value refused in production


class Settings(BaseSettings):
    """Application configuration. Every field maps to an upper-case environment variable."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    environment: Literal["development", "test", "production"] = Field(
        "development", alias="SHOWROOM_ENV"
    )
    secret_key: str = PLACEHOLDER_SECRET
    log_level: str = "INFO"

    # storage
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'showroom.db'}"
    redis_url: str | None = None
    media_dir: Path = PROJECT_ROOT / "var" / "media"

    # the other processes
    rasa_url: str = "http://localhost:5005"
    rasa_timeout_s: float = 10.0
    # Rasa's `--auth-token`: sent as `?token=` on its HTTP API (tracker lookups), not on
    # the REST channel's webhook, which does not take it
    rasa_token: str | None = None
    action_server_port: int = 5055
    web_host: str = "0.0.0.0"  # noqa: S104 - the web app is meant to be reachable
    web_port: int = 8000
    public_base_url: str = "http://localhost:8000"
    duckling_url: str | None = None

    # business defaults (a branch may override them)
    default_timezone: str = "America/Mexico_City"
    default_branch: str | None = None
    iva_rate: Decimal = Decimal("0.16")
    annual_rate: Decimal = Decimal("0.139")
    financing_min_months: int = 12
    financing_max_months: int = 72
    search_page_size: int = 3

    # Twilio / ElevenLabs (empty: local outbox mode, nothing leaves the machine)
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_api_base_url: str | None = None  # loopback stand-in in tests; None = Twilio's own
    elevenlabs_api_key: str | None = None

    # WhatsApp gateway (showroom/channels, docs/gateway.md)
    # the action server (Rasa calls it); the gateway checks its /health before each turn
    action_endpoint_url: str = "http://localhost:5055/webhook"
    # Only honoured in local outbox mode outside production (the gateway refuses otherwise)
    twilio_validate_signature: bool = True
    trust_proxy_headers: bool = False  # rebuild the signed URL from X-Forwarded-Proto/Host
    twilio_timeout_s: float = 10.0
    # JSON {"use": "HX..."}: approved Content SIDs for sends outside the 24-hour window
    twilio_templates: dict[str, str] = Field(default_factory=dict)
    # Where inbound media may be fetched from (https, port 443), redirects included:
    # `host` or `*.domain`, optionally followed by a path prefix the URL must start with.
    # Twilio's API redirects to mms.twiliocdn.com (accounts enforcing HTTP auth on media)
    # or to its S3 bucket (accounts that do not). Twilio's auth goes to api.twilio.com only.
    twilio_media_hosts: str = (
        "api.twilio.com,*.twiliocdn.com,s3-external-1.amazonaws.com/media.twiliocdn.com/"
    )
    # A loopback "host:port" allowed over plain http (tests, local stand-ins; never production)
    media_loopback_host: str | None = None
    media_max_bytes: int = 10 * 1024 * 1024
    media_fetch_timeout_s: float = 15.0
    media_allowed_types: str = "image/jpeg,image/png,image/webp,application/pdf"
    whatsapp_max_chars: int = 1600
    gateway_concurrency: int = 8  # conversations handled at once per process
    gateway_poll_interval_s: float = 1.0
    gateway_lease_s: float = 60.0
    gateway_retry_max_delay_s: float = 60.0
    gateway_give_up_after_s: float = 6 * 3600.0
    holding_notice_after_s: float = 5.0  # Rasa slower than this: "dame un momento"
    outbound_max_attempts: int = 5
    rate_limit_sender_per_minute: int = 20
    # Only requests that fail the signature check count (real Twilio traffic shares IPs)
    rate_limit_ip_per_minute: int = 300
    # Webhook threads and their database budget: pool checkout and each statement are
    # bounded so Twilio (which waits 15 s) always gets an answer
    gateway_intake_threads: int = 8
    gateway_intake_db_timeout_s: float = 5.0
    # Statement timeout of the worker's PostgreSQL connections
    gateway_db_statement_timeout_s: float = 15.0
    # Graceful stop: conversations in progress get this long to finish their step
    gateway_stop_timeout_s: float = 10.0
    # Status callbacks stored before their message's sid was known are re-matched this often
    gateway_status_sweep_s: float = 30.0
    # The simulator page is on in local outbox mode; this turns it on with Twilio credentials
    # too (never in production). Its conversations never reach Twilio.
    simulator_enabled: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def local_outbox(self) -> bool:
        """True when nothing may be sent to Twilio: no credentials configured."""
        return not (self.twilio_account_sid and self.twilio_auth_token)

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.secret_key.strip() in ("", PLACEHOLDER_SECRET):
            needs = [
                reason
                for reason, applies in (
                    ("SHOWROOM_ENV=production", self.environment == "production"),
                    ("Twilio credentials are set", not self.local_outbox),
                    ("REDIS_URL is set", bool(self.redis_url)),
                )
                if applies
            ]
            if needs:
                raise ValueError(
                    f"SECRET_KEY must be a real secret, not the placeholder, when "
                    f"{' and '.join(needs)} (e.g. `openssl rand -hex 32`)"
                )
        return self

    @model_validator(mode="after")
    def _refuse_a_private_public_url(self) -> Settings:
        """In production Twilio fetches quote PDFs and media from PUBLIC_BASE_URL and
        posts status callbacks to it: it must be a public https address."""
        if self.environment == "production" and not self.local_outbox:
            problem = public_url_problem(self.public_base_url)
            if problem:
                raise ValueError(
                    f"PUBLIC_BASE_URL must be the public https URL Twilio reaches (e.g. "
                    f"https://chat.midealer.mx) when Twilio credentials are set in "
                    f"production: {problem}"
                )
        return self


def is_loopback_host(host: str) -> bool:
    """localhost, *.localhost or a loopback IP address."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def public_url_problem(url: str) -> str | None:
    """Why `url` cannot be reached by Twilio (not https, no host, loopback, a private
    address); None when it can."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme != "https":
        return "it is not https"
    if not host:
        return "it has no host"
    if is_loopback_host(host):
        return "it is a loopback address"
    try:
        if not ipaddress.ip_address(host).is_global:
            return "it is a private address"
    except ValueError:
        pass  # a name
    return None


class SettingsError(click.ClickException):
    """The environment's configuration is refused, with a one-line reason. A
    ClickException, so every `showroom` command ends with `Error: <reason>` (exit 1)
    instead of a traceback; elsewhere it is an ordinary exception with that message."""


def describe_error(exc: ValidationError) -> str:
    """A ValidationError as one line: `VARIABLE: reason; ...`."""
    parts = []
    for error in exc.errors():
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        location = "_".join(str(p) for p in error.get("loc", ()) if p != "__root__").upper()
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts) or "invalid configuration"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests call `get_settings.cache_clear()` after changing env).
    `SettingsError` with a one-line reason when the environment is refused."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(describe_error(exc)) from None
