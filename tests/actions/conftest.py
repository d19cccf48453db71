"""Fixtures for the action tests: a small inventory (imported with the services' own CSV
importers) on SQLite and PostgreSQL, and a fixed clock for opening-hours logic."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from actions.common import clock
from showroom.db.session import session_scope
from showroom.inventory.branch_import import import_branches
from showroom.inventory.parts import import_parts
from showroom.inventory.vehicle_import import import_vehicles

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def catalog(db_url: str) -> Iterator[str]:
    """Three branches (MTY, CDMX, TIJ) and 13 vehicles, committed; yields the database URL."""
    with session_scope(db_url) as session:
        import_branches(session, DATA / "branches.csv")
    with session_scope(db_url) as session:
        import_vehicles(session, DATA / "vehicles.csv")
    yield db_url


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """`fixed_now(dt)` makes the actions' clock return `dt` (aware)."""

    def _set(moment: datetime) -> None:
        assert moment.tzinfo is not None
        monkeypatch.setattr(clock, "now", lambda: moment)

    return _set


MTY = ZoneInfo("America/Monterrey")


@pytest.fixture
def parts_catalog(catalog: str) -> Iterator[str]:
    """`catalog` plus 11 catalog-wide parts (Tsuru, Versa, Jetta, universal oils) and one
    part that belongs to the MTY branch, imported with the real importer."""
    with session_scope(catalog) as session:
        import_parts(session, DATA / "parts.jsonl")
    with session_scope(catalog) as session:
        import_parts(session, DATA / "parts_mty.jsonl", branch_code="MTY")
    yield catalog
