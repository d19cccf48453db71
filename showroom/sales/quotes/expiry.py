"""Quote expiry on a schedule: `showroom quotes expire --every SECONDS`.

Quotes past their validity already read as expired everywhere (`effective_status`); the
sweep (`expire_due_quotes`) writes the status and its event, so reports, the console and
the stock a salesperson sees agree. `--every` keeps one small process sweeping (a Procfile
or docker-compose service) instead of relying on cron; without it the command sweeps once.

SIGINT (Ctrl-C) and SIGTERM (docker stop, honcho) end the loop cleanly: the sweep in
progress finishes and commits, the process exits 0. A database error in one sweep is
logged and retried at the next one (a restarting PostgreSQL does not end the worker).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from sqlalchemy.exc import SQLAlchemyError

from showroom.db.session import session_scope
from showroom.sales.quotes.lifecycle import expire_due_quotes

log = logging.getLogger(__name__)


@dataclass
class SweepTotals:
    sweeps: int = 0  # sweeps that completed
    failed: int = 0  # sweeps that hit a database error
    expired: int = 0  # quotes marked expired


def expire_once() -> list[str]:
    """One sweep in its own transaction; the folios it expired."""
    with session_scope() as session:
        return expire_due_quotes(session)


def sweep_until_stopped(
    every: float, stop: threading.Event, sweep: Callable[[], list[str]] = expire_once
) -> SweepTotals:
    """Sweep now, then every `every` seconds, until `stop` is set."""
    if every <= 0:
        raise ValueError(f"the interval must be positive, got {every}")
    totals = SweepTotals()
    while not stop.is_set():
        try:
            folios = sweep()
        except SQLAlchemyError as exc:
            totals.failed += 1
            log.warning(
                "quote expiry sweep failed error=%s; next try in %ss", type(exc).__name__, every
            )
        else:
            totals.sweeps += 1
            totals.expired += len(folios)
        stop.wait(every)
    return totals


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """While inside, SIGINT and SIGTERM set `stop` instead of killing the process (main
    thread only); the previous handlers come back afterwards."""
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.getsignal(sig) for sig in signals}

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("quote expiry stopping signal=%s", signal.Signals(signum).name)
        stop.set()

    for sig in signals:
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
