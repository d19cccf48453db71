"""`showroom serve`: the real command, as the Procfile runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
from channels.support.app_server import free_socket

from showroom.db import migrate

SHOWROOM = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "showroom"


def _env(db: str, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
    env.update(
        {
            "DATABASE_URL": db,
            "WEB_HOST": "127.0.0.1",
            "WEB_PORT": str(port),
            "RASA_URL": "http://127.0.0.1:9",
            "ACTION_ENDPOINT_URL": "",
            **extra,
        }
    )
    return env


def test_serve_starts_the_web_app_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    migrate.upgrade(db)
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen(
        [str(SHOWROOM), "serve"],
        env=_env(db, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert health is not None, "showroom serve did not answer"
        assert health.json()["mode"] == "local"
        assert health.json()["db"] == {"ok": True}
        assert health.json()["rasa"] == {"ok": False}
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert "Simulador de WhatsApp" in page.text
    finally:
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=30)[0].decode()
    assert proc.returncode == 0, output
    assert "mode: local outbox" in output


def test_serve_refuses_an_unsafe_signature_setting(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    result = subprocess.run(
        [str(SHOWROOM), "serve"],
        env=_env(
            db,
            8,
            TWILIO_ACCOUNT_SID="AC123",
            TWILIO_AUTH_TOKEN="secret",
            TWILIO_VALIDATE_SIGNATURE="false",
            SECRET_KEY="a-real-secret",
        ),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode != 0
    assert "TWILIO_VALIDATE_SIGNATURE=false is only allowed in local outbox mode" in result.stderr


def test_serve_on_a_database_never_migrated_says_what_to_do(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(SHOWROOM), "serve"],
        env=_env(f"sqlite:///{tmp_path / 'empty.db'}", 8),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: the database has no messages table: run `showroom db upgrade` first"
    )
