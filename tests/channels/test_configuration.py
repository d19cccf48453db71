"""Settings the gateway refuses at start-up, with a one-line reason: the placeholder
SECRET_KEY wherever something real depends on it, and a PUBLIC_BASE_URL Twilio cannot
reach in production. `make run` without credentials keeps working on the defaults."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from showroom.settings import (
    PLACEHOLDER_SECRET,
    Settings,
    SettingsError,
    get_settings,
    public_url_problem,
)

from .support.twilio_standin import ACCOUNT_SID, AUTH_TOKEN

SHOWROOM = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "showroom"
TWILIO = {"twilio_account_sid": ACCOUNT_SID, "twilio_auth_token": AUTH_TOKEN}
PUBLIC = {"public_base_url": "https://chat.midealer.mx"}


def test_the_defaults_work_without_credentials() -> None:
    settings = Settings()
    assert settings.secret_key == PLACEHOLDER_SECRET and settings.local_outbox
    assert settings.rasa_token is None
    assert Settings(SHOWROOM_ENV="development", public_base_url="http://localhost:8000")


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (TWILIO, "Twilio credentials are set"),
        ({"redis_url": "redis://127.0.0.1:6379/0"}, "REDIS_URL is set"),
        ({"SHOWROOM_ENV": "production"}, "SHOWROOM_ENV=production"),
        ({**TWILIO, **PUBLIC, "SHOWROOM_ENV": "production"}, "production and Twilio"),
    ],
)
@pytest.mark.parametrize("secret", [PLACEHOLDER_SECRET, "", "  "])
def test_the_placeholder_secret_is_refused_when_something_real_depends_on_it(
    values: dict[str, Any], reason: str, secret: str
) -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY must be a real secret") as info:
        Settings(secret_key=secret, **values)
    assert reason in str(info.value)
    assert Settings(secret_key="0f3c9a7e5b", **{**PUBLIC, **values})  # a real one is fine


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://localhost:8000", "not https"),
        ("http://chat.midealer.mx", "not https"),
        ("https://localhost", "loopback"),
        ("https://127.0.0.1:8443", "loopback"),
        ("https://showroom.localhost", "loopback"),
        ("https://192.168.1.20", "private"),
        ("https://10.0.0.4/showroom", "private"),
        ("https://", "no host"),
        ("chat.midealer.mx", "not https"),
    ],
)
def test_production_with_twilio_refuses_a_public_url_twilio_cannot_reach(
    url: str, problem: str
) -> None:
    values = {**TWILIO, "SHOWROOM_ENV": "production", "secret_key": "0f3c9a7e5b"}
    with pytest.raises(ValidationError, match="PUBLIC_BASE_URL must be the public https URL"):
        Settings(public_base_url=url, **values)
    assert problem in (public_url_problem(url) or "")
    # without credentials nothing fetches from it; outside production the gateway decides
    assert Settings(public_base_url=url, SHOWROOM_ENV="production", secret_key="0f3c9a7e5b")
    assert Settings(public_base_url=url, secret_key="0f3c9a7e5b", **TWILIO)


def test_a_public_https_url_is_accepted_in_production() -> None:
    values = {**TWILIO, "SHOWROOM_ENV": "production", "secret_key": "0f3c9a7e5b"}
    assert public_url_problem("https://chat.midealer.mx/showroom") is None
    assert Settings(public_base_url="https://chat.midealer.mx/showroom", **values)


def test_get_settings_gives_a_one_line_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("SECRET_KEY", PLACEHOLDER_SECRET)
    get_settings.cache_clear()
    with pytest.raises(SettingsError) as info:
        get_settings()
    message = info.value.format_message()
    assert "\n" not in message
    assert message.startswith("SECRET_KEY must be a real secret")


def test_showroom_serve_ends_with_the_reason_not_a_traceback(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "SECRET_KEY": PLACEHOLDER_SECRET,
    }
    result = subprocess.run(
        [str(SHOWROOM), "serve"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: SECRET_KEY must be a real secret, not the placeholder, when Twilio "
        "credentials are set (e.g. `openssl rand -hex 32`)"
    )
