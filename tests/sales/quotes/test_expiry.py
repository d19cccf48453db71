"""`showroom quotes expire --every SECONDS`: the sweep as a small worker that keeps running
until Ctrl-C / SIGTERM, on SQLite and PostgreSQL. The one-shot command is the default."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from quotes_kit import Store
from sqlalchemy.orm import Session

from showroom.cli import main
from showroom.db.session import session_scope
from showroom.sales.quotes import QuoteItem, create_quote, get_quote, mark_sent
from showroom.sales.quotes.expiry import sweep_until_stopped
from showroom.settings import PROJECT_ROOT

DEADLINE_S = 60  # generous: the machine is shared; a working loop needs a few seconds


def overdue_quote(session: Session, stock_id: str = "MTY-0042") -> str:
    """A sent quote whose one-day validity ended weeks ago (committed)."""
    made = datetime.now(UTC) - timedelta(days=30)
    quote = create_quote(session, [QuoteItem.vehicle(stock_id)], validity_days=1, now=made)
    mark_sent(session, quote, now=made)
    session.commit()
    return quote.folio


def fresh_quote(session: Session) -> str:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0007")], now=datetime.now(UTC))
    session.commit()
    return quote.folio


def status(db_url: str, folio: str) -> str:
    with session_scope(db_url) as session:
        return get_quote(session, folio).status


def wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_without_every_the_command_sweeps_once(db_url: str, session: Session, store: Store) -> None:
    old, new = overdue_quote(session), fresh_quote(session)
    result = CliRunner().invoke(main, ["quotes", "expire"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "1 quote(s) expired"
    assert (status(db_url, old), status(db_url, new)) == ("expired", "draft")


def test_the_loop_sweeps_again_until_stopped(db_url: str, session: Session, store: Store) -> None:
    first = overdue_quote(session)
    stop = threading.Event()
    result = {}
    worker = threading.Thread(
        target=lambda: result.update(totals=sweep_until_stopped(0.05, stop)), daemon=True
    )
    worker.start()
    wait_for(lambda: status(db_url, first) == "expired", "the first sweep")
    second = overdue_quote(session, "TIJ-0001")  # due after the first sweep
    wait_for(lambda: status(db_url, second) == "expired", "a later sweep")
    stop.set()
    worker.join(timeout=DEADLINE_S)
    assert not worker.is_alive()
    totals = result["totals"]
    assert totals.expired == 2 and totals.sweeps >= 2 and totals.failed == 0


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["term", "ctrl_c"])
def test_every_runs_until_a_signal_and_exits_cleanly(
    db_url: str, session: Session, store: Store, stop_signal: signal.Signals
) -> None:
    """The real command in its own process, as a Procfile / docker-compose service runs it;
    docker stop sends SIGTERM, a terminal Ctrl-C SIGINT."""
    first = overdue_quote(session)
    env = {**os.environ, "DATABASE_URL": db_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "showroom.cli", "quotes", "expire", "--every", "1"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: status(db_url, first) == "expired", "the first sweep")
        second = overdue_quote(session, "TIJ-0001")
        wait_for(lambda: status(db_url, second) == "expired", "the next sweep")
        assert process.poll() is None  # still running between sweeps
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=DEADLINE_S)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "expiring quotes every 1 s (Ctrl-C to stop)" in err
    last = out.strip().splitlines()[-1]
    assert last.startswith("stopped after ") and last.endswith("; 2 quote(s) expired"), out


def test_an_interval_under_a_second_is_refused() -> None:
    result = CliRunner().invoke(main, ["quotes", "expire", "--every", "0.1"])
    assert result.exit_code == 2
    assert "--every" in result.output
