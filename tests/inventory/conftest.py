"""Inventory fixtures: small hand-made branches/vehicles, and the project's demo data."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch, Vehicle
from showroom.inventory.branch_import import import_branches
from showroom.inventory.vehicle_import import import_vehicles
from showroom.settings import PROJECT_ROOT

DEMO = PROJECT_ROOT / "demo"

BranchFactory = Callable[..., Branch]
VehicleFactory = Callable[..., Vehicle]


@pytest.fixture
def add_branch(session: Session) -> BranchFactory:
    def make(code: str = "MTY", **values: Any) -> Branch:
        defaults: dict[str, Any] = {
            "name": f"Sucursal {code}",
            "city": "Monterrey",
            "address": "Av. Constitución 1500, Centro",
            "whatsapp_number": None,
            "voice_number": None,
            "timezone": "America/Monterrey",
            "opening_hours": "lun-vie 09:00-19:00; sab 10:00-15:00",
        }
        branch = Branch(code=code, **{**defaults, **values})
        session.add(branch)
        session.flush()
        return branch

    return make


@pytest.fixture
def add_vehicle(session: Session) -> VehicleFactory:
    counter = iter(range(1, 10_000))

    def make(branch: Branch, brand: str, model: str, **values: Any) -> Vehicle:
        defaults: dict[str, Any] = {
            "stock_id": f"T-{next(counter):04d}",
            "version": "",
            "year": 2026,
            "condition": "nuevo",
            "body_type": "sedan",
            "transmission": "automatica",
            "fuel": "gasolina",
            "mileage_km": 0,
            "price_mxn": Decimal("350000"),
        }
        vehicle = Vehicle(branch=branch, brand=brand, model=model, **{**defaults, **values})
        session.add(vehicle)
        session.flush()
        return vehicle

    return make


@pytest.fixture
def demo_inventory(session: Session) -> Session:
    """The session with demo/branches.csv and demo/vehicles.csv imported."""
    import_branches(session, DEMO / "branches.csv")
    import_vehicles(session, DEMO / "vehicles.csv")
    session.flush()
    return session


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[..., Path]:
    """`csv_file("v.csv", text, encoding="utf-8")` -> the path of that file."""

    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write
