"""Start the real Rasa server and the real action server as the project runs them.

`RasaStack` launches `.venv-rasa/bin/rasa run --enable-api --auth-token <token>` on
127.0.0.1 (as the Procfile runs it with RASA_TOKEN) with the project's endpoints.yml /
credentials.yml and a trained model, and `.venv/bin/python -m rasa_sdk --actions
actions`, each on a free port, waits until both are healthy and stops them
(the whole process group). Startup failures raise `StackError` with the tail of the
process's log, so a broken `actions/` module shows its traceback in the test report.
Rasa's HTTP API answers only with `?token=<stack.token>` (`api_params`); the gateway
gets it as RASA_TOKEN. Used by tests/e2e/conftest.py (`rasa_stack` fixture) and
bench/gateway.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
APP_PYTHON = ROOT / ".venv" / "bin" / "python"


class StackError(RuntimeError):
    """Rasa or the action server did not start; the message carries its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def model_dir() -> Path:
    """SHOWROOM_TEST_MODEL_DIR, else the project's models/."""
    return Path(os.environ.get("SHOWROOM_TEST_MODEL_DIR") or ROOT / "models")


def has_model(directory: Path) -> bool:
    return directory.is_dir() and any(directory.glob("*.tar.gz"))


class _Process:
    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        handle = open(self.log, "ab")  # noqa: SIM115 - kept open for the process's life
        self.proc = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.proc = None

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


class RasaStack:
    def __init__(
        self,
        *,
        model: Path,
        database_url: str,
        workdir: Path,
        endpoints: Path | None = None,
        tracker_store_url: str | None = None,
        lock_store_url: str | None = None,
    ) -> None:
        self.model = model
        # the project's file; SHOWROOM_TEST_ENDPOINTS names another one to try
        self.endpoints = endpoints or Path(
            os.environ.get("SHOWROOM_TEST_ENDPOINTS") or ROOT / "endpoints.yml"
        )
        self.database_url = database_url
        self.workdir = workdir
        self.rasa_port = free_port()
        self.action_port = free_port()
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        # Rasa's --auth-token: its HTTP API (trackers, /status) wants it, the REST
        # channel's webhook does not
        self.token = secrets.token_hex(16)
        self.action_url = f"http://127.0.0.1:{self.action_port}/webhook"
        workdir.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "ACTION_ENDPOINT_URL": self.action_url,
            "TRACKER_STORE_URL": tracker_store_url or f"sqlite:///{workdir / 'tracker.db'}",
            "RASA_TELEMETRY_ENABLED": "false",
            "RASA_CACHE_DIRECTORY": str(workdir / "rasa-cache"),
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "MEDIA_DIR": str(workdir / "media"),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("LOCK_STORE_URL", None)
        if lock_store_url:
            env["LOCK_STORE_URL"] = lock_store_url
        self.actions = _Process(
            "action server",
            [
                str(APP_PYTHON),
                "-m",
                "rasa_sdk",
                "--actions",
                "actions",
                "--port",
                str(self.action_port),
            ],
            env,
            workdir / "actions.log",
        )
        self.rasa = _Process(
            "Rasa",
            [
                str(RASA_BIN),
                "run",
                "--enable-api",
                "--auth-token",
                self.token,
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.rasa_port),
                "--model",
                str(model),
                "--endpoints",
                str(self.endpoints),
                "--credentials",
                "credentials.yml",
            ],
            env,
            workdir / "rasa.log",
        )

    @property
    def api_params(self) -> dict[str, str]:
        """Query parameters for Rasa's HTTP API."""
        return {"token": self.token}

    # ------------------------------------------------------------------ lifecycle
    def start(self, timeout: float = 300.0) -> None:
        self.start_actions(timeout)
        self.start_rasa(timeout)

    def start_actions(self, timeout: float = 120.0) -> None:
        self.actions.start()
        self._wait(self.actions, self._actions_ready, timeout)

    def start_rasa(self, timeout: float = 300.0) -> None:
        self.rasa.start()
        self._wait(self.rasa, self._rasa_ready, timeout)

    def stop_rasa(self) -> None:
        self.rasa.stop()

    def stop_actions(self) -> None:
        self.actions.stop()

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()

    # ------------------------------------------------------------------ health
    def _actions_ready(self) -> bool:
        return _get_ok(self.action_url.removesuffix("/webhook") + "/health")

    def _rasa_ready(self) -> bool:
        try:
            response = httpx.get(self.rasa_url + "/status", params=self.api_params, timeout=2)
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and bool(response.json().get("model_file"))

    def _wait(self, process: _Process, ready: object, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process.running():
                raise StackError(
                    f"{process.name} exited during start-up "
                    f"(command: {' '.join(process.command)}):\n{process.log_tail()}"
                )
            if ready():  # type: ignore[operator]
                return
            time.sleep(0.5)
        process.stop()
        raise StackError(
            f"{process.name} was not healthy after {timeout:.0f} s:\n{process.log_tail()}"
        )


def _get_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
