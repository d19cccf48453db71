"""One typed Settings object, read from the environment (and `.env` for local runs).

Secrets never live in committed files. Outside development a placeholder secret is refused
at start-up, so a copy of `.env.example` can never reach production unnoticed.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
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
    # Hosts inbound media may be fetched from (https only); "*." matches subdomains
    twilio_media_hosts: str = "api.twilio.com,*.twiliocdn.com"
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
        if self.environment == "production" and self.secret_key in ("", PLACEHOLDER_SECRET):
            raise ValueError("SECRET_KEY must be set to a real secret when SHOWROOM_ENV=production")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests call `get_settings.cache_clear()` after changing env)."""
    return Settings()
