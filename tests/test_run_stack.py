"""`make run`'s processes (the Procfile, started by honcho as `make run` does) answer, and
one Ctrl-C stops every one of them.

The stack runs on free ports with its own SQLite databases and the trained model in
models/ (the suite trains it first); nothing is left running afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from e2e.rasa_stack import free_port, has_model, model_dir

ROOT = Path(__file__).resolve().parents[1]
HONCHO = ROOT / ".venv" / "bin" / "honcho"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TOKEN = "run-stack-test-token"

pytestmark = [pytest.mark.rasa, pytest.mark.slow]


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc)."""
    children: dict[int, set[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, set()).add(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def listening_addresses(port: int) -> set[str]:
    """IPv4 addresses a socket listens on at `port` (from /proc/net/tcp)."""
    found: set[str] = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
            found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
    return found


def ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], dict[str, str], Path]]:
    if not has_model(model_dir()):
        if IN_CI:
            pytest.fail("no trained model in models/: under CI=true this test must run")
        pytest.skip("no trained model in models/ (make train)")
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    database = tmp_path / "showroom.db"
    env_file = tmp_path / "run.env"  # instead of the developer's .env
    env_file.write_text(
        "\n".join(
            [
                *(f"{name}={port}" for name, port in ports.items()),
                f"RASA_URL=http://127.0.0.1:{ports['RASA_PORT']}",
                f"ACTION_ENDPOINT_URL=http://127.0.0.1:{ports['ACTION_PORT']}/webhook",
                f"DATABASE_URL=sqlite:///{database}",
                f"TRACKER_STORE_URL=sqlite:///{tmp_path / 'tracker.db'}",
                f"MEDIA_DIR={tmp_path / 'media'}",
                f"RASA_CACHE_DIRECTORY={tmp_path / 'rasa-cache'}",
                "RASA_TELEMETRY_ENABLED=false",
                "SHOWROOM_ENV=development",
                "WEB_HOST=127.0.0.1",
                f"RASA_TOKEN={TOKEN}",
            ]
        )
        + "\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "TRACKER_STORE_URL", "LOCK_STORE_URL", "REDIS_URL"}
    }
    subprocess.run(
        [str(ROOT / ".venv/bin/showroom"), "db", "upgrade"],
        env={**env, "DATABASE_URL": f"sqlite:///{database}"},
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    log = tmp_path / "honcho.log"
    with open(log, "wb") as handle:
        proc = subprocess.Popen(
            [str(HONCHO), "start", "-f", "Procfile", "-e", str(env_file)],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    urls = {
        "web": f"http://127.0.0.1:{ports['WEB_PORT']}/health",
        "actions": f"http://127.0.0.1:{ports['ACTION_PORT']}/health",
        "rasa": f"http://127.0.0.1:{ports['RASA_PORT']}/",
    }
    try:
        yield proc, urls, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def test_make_run_processes_answer_and_one_ctrl_c_stops_them_all(
    stack: tuple[subprocess.Popen[bytes], dict[str, str], Path],
) -> None:
    proc, urls, log = stack
    deadline = time.monotonic() + 240
    while not all(ready(url) for url in urls.values()):
        assert proc.poll() is None, f"honcho exited early:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"not ready in 240 s:\n{log.read_text()[-3000:]}"
        time.sleep(1)
    started = descendants(proc.pid)
    assert len(started) >= 3  # rasa, the action server and the web app (and their shells)
    # Rasa's HTTP API wants the token; Rasa and the action server listen on loopback only.
    status = urls["rasa"] + "status"
    assert httpx.get(status, timeout=5).status_code == 401
    assert httpx.get(status, params={"token": TOKEN}, timeout=5).status_code == 200
    for name in ("rasa", "actions"):
        port = int(urls[name].split(":")[2].split("/")[0])
        assert listening_addresses(port) == {"127.0.0.1"}, name

    proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
    proc.wait(60)
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = sorted(pid for pid in started if alive(pid))
    assert left == [], f"still running after Ctrl-C: {left}\n{log.read_text()[-2000:]}"
    assert not any(ready(url) for url in urls.values())
