"""Shared test helpers for the quote tests (imported by conftest.py and the tests)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch, Vehicle
from showroom.db.models.parts import Part
from showroom.db.models.sales import Salesperson

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "quotes"
# Kept after the run next to Rasa's test results (results/ is git-ignored): the rendered
# first page of a quote, for a person to look at.
PAGE_IMAGE = Path(__file__).resolve().parents[3] / "results" / "artifacts" / "quote-page1.png"
# A Wednesday, 10:00 in Monterrey
NOW = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)


@dataclass
class Store:
    mty: Branch
    tij: Branch
    hilux: Vehicle  # MTY, $689,900
    versa: Vehicle  # MTY, $329,900.50 (centavos on purpose)
    tij_car: Vehicle  # TIJ, $415,000
    pads: Part  # shared catalog, $739, 3 in stock
    last_filter: Part  # shared catalog, $189.90, 1 in stock
    oil: Part  # MTY only, $1,289.50, 40 in stock
    ana: Salesperson  # MTY
    beto: Salesperson  # MTY
    tere: Salesperson  # TIJ
    customer: Customer


def make_vehicle(
    branch: Branch, stock_id: str, brand: str, model: str, price: str, **kw: object
) -> Vehicle:
    values: dict[str, object] = {
        "stock_id": stock_id,
        "branch_id": branch.id,
        "brand": brand,
        "model": model,
        "version": "",
        "year": 2024,
        "condition": "nuevo",
        "body_type": "pickup",
        "transmission": "automatica",
        "fuel": "diesel",
        "color": "Blanco",
        "mileage_km": 0,
        "price_mxn": Decimal(price),
        "status": "available",
    }
    values.update(kw)
    return Vehicle(**values)


def require_tool(name: str, why: object) -> None:
    """Skip locally when a system tool is missing; under CI it must be there."""
    message = f"{name} is not available ({why})"
    if IN_CI:
        pytest.fail(f"{message}; under CI=true this test must run", pytrace=False)
    pytest.skip(message)
