"""`showroom serve` as its own process, for tests that crash it (SIGKILL) and the benchmark.

The process gets only the environment it is given (plus PATH and the like) and runs in
`workdir`, so no developer `.env` leaks in. `kill()` is a crash: no shutdown code runs,
leases stay taken until they expire, in-flight calls are cut.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
from e2e.rasa_stack import free_port

ROOT = Path(__file__).resolve().parents[3]
SHOWROOM = ROOT / ".venv" / "bin" / "showroom"
_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")


class GatewayProcess:
    def __init__(self, env: dict[str, str], workdir: Path, *, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.log = workdir / f"gateway-{self.port}.log"
        self.env = {k: os.environ[k] for k in _INHERITED if k in os.environ}
        self.env.update({"PUBLIC_BASE_URL": self.base_url, "PYTHONUNBUFFERED": "1", **env})
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as handle:
            self.proc = subprocess.Popen(
                [str(SHOWROOM), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=self.workdir,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"showroom serve exited:\n{self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base_url + "/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"showroom serve did not become healthy:\n{self.log_tail()}")

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """A crash: SIGKILL, nothing runs on the way out."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self, timeout: float = 20.0) -> None:
        """Ctrl-C, as an operator would; killed if it does not exit in time."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
