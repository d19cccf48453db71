"""The project's demo data: realistic, deterministic, and importable twice without changes."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from decimal import Decimal

from sqlalchemy.orm import Session

from showroom.conversations.customers import normalize_phone
from showroom.inventory.branch_import import import_branches
from showroom.inventory.hours import OpeningHours
from showroom.inventory.vehicle_import import import_vehicles
from showroom.settings import PROJECT_ROOT

DEMO = PROJECT_ROOT / "demo"


def rows(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_generator_reproduces_the_committed_files() -> None:
    script = PROJECT_ROOT / "scripts" / "generate_demo_inventory.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_branches_have_own_zone_hours_numbers_and_rates() -> None:
    branches = rows("branches.csv")
    assert len(branches) >= 3
    assert len({b["timezone"] for b in branches}) >= 3
    assert len({b["opening_hours"] for b in branches}) == len(branches)
    for branch in branches:
        OpeningHours.parse(branch["opening_hours"])
        for column in ("whatsapp_number", "voice_number"):
            number = branch[column]
            assert normalize_phone(number) == number and number.startswith("+52")
            assert len(number) == 13
    assert any(b["iva_rate"] == "0.08" for b in branches)  # región fronteriza


def test_vehicles_are_a_realistic_mexican_inventory() -> None:
    vehicles = rows("vehicles.csv")
    assert len(vehicles) >= 150
    assert len({v["stock_id"] for v in vehicles}) == len(vehicles)
    brands = Counter(v["brand"] for v in vehicles)
    assert {"Nissan", "Chevrolet", "Volkswagen", "Toyota", "Kia", "Mazda", "Honda", "Hyundai",
            "Ford", "RAM", "MG", "BYD", "Renault", "Suzuki"} <= set(brands)  # fmt: skip
    conditions = Counter(v["condition"] for v in vehicles)
    assert conditions["nuevo"] >= 50 and conditions["seminuevo"] >= 50
    assert {"diesel", "hibrido", "electrico", "gasolina"} == {v["fuel"] for v in vehicles}
    for vehicle in vehicles:
        price, year, km = (
            Decimal(vehicle["price_mxn"]),
            int(vehicle["year"]),
            int(vehicle["mileage_km"]),
        )
        assert 90_000 <= price <= 2_500_000, vehicle["stock_id"]
        if vehicle["condition"] == "nuevo":
            assert year >= 2025 and km <= 50
        else:
            assert 2017 <= year <= 2024 and km >= 5_000
        assert vehicle["photo_urls"].startswith(
            f"https://cdn.showroom-demo.mx/vehicles/{vehicle['stock_id']}/1.jpg"
        )
        assert vehicle["description"]
    # a seminuevo costs less than the same version new
    new_price = {(v["model"], v["version"]): Decimal(v["price_mxn"])
                 for v in vehicles if v["condition"] == "nuevo"}  # fmt: skip
    for v in vehicles:
        key = (v["model"], v["version"])
        if v["condition"] == "seminuevo" and key in new_price:
            assert Decimal(v["price_mxn"]) < new_price[key], v["stock_id"]


def test_demo_import_is_idempotent(session: Session) -> None:
    first = (import_branches(session, DEMO / "branches.csv"),
             import_vehicles(session, DEMO / "vehicles.csv"))  # fmt: skip
    assert first[0].created >= 3 and first[1].created >= 150
    assert first[0].errors == first[1].errors == []
    second = (import_branches(session, DEMO / "branches.csv"),
              import_vehicles(session, DEMO / "vehicles.csv"))  # fmt: skip
    assert [(s.created, s.updated, s.skipped) for s in second] == [(0, 0, 0), (0, 0, 0)]
    assert second[1].unchanged == first[1].created
