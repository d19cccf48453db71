"""The shipped demo catalog: deterministic, realistic, valid, and loadable idempotently."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from showroom.db.models.parts import Part
from showroom.inventory.parts import demo_catalog
from showroom.inventory.parts.demo import DEMO_FILE, load_demo_parts
from showroom.inventory.parts.search import search_parts

Record = dict[str, Any]


def test_committed_file_is_the_generators_output(demo_records: list[Record]) -> None:
    assert DEMO_FILE.exists(), "run scripts/generate_demo_parts.py"
    assert DEMO_FILE.read_text(encoding="utf-8") == demo_catalog.dumps(demo_records)
    assert demo_catalog.generate() == demo_records  # deterministic


def test_catalog_looks_like_a_mexican_parts_shop(demo_records: list[Record]) -> None:
    assert 9_500 <= len(demo_records) <= 10_500
    assert len({r["sku"] for r in demo_records}) == len(demo_records)
    titles = " ".join(r["titulo"].lower() for r in demo_records)
    for word in (
        "balatas delanteras",
        "amortiguador",
        "bujía",
        "banda de distribución",
        "kit de clutch",
        "filtro de cabina",
        "calavera",
        "tolva",
        "acumulador",
    ):
        assert word in titles, word
    compat = " | ".join(c for r in demo_records for c in r["compatibilidad"])
    for vehicle in ("Nissan Tsuru 1992-2017", "Sedán", "Chevy", "Pointer", "Jetta A4", "NP300"):
        assert vehicle in compat, vehicle
    stocks = [r["stock"] for r in demo_records]
    assert min(stocks) == 0 and max(stocks) <= 50
    assert 0.05 < stocks.count(0) / len(stocks) < 0.3
    images = Counter(sum(k.startswith("imagen_") for k in r) for r in demo_records)
    assert min(images) >= 1 and max(images) == 10
    url = re.compile(r"https://cdn\.showroom-demo\.mx/parts/[A-Z]{3}-\d{5}/\d+\.jpg")
    assert all(url.fullmatch(r["imagen_1"]) for r in demo_records)
    assert all(30 <= r["precio"] < 15_000 for r in demo_records)


@pytest.mark.slow
def test_load_demo_parts_is_idempotent(session: Session) -> None:
    first = load_demo_parts(session)
    assert first.created == first.rows >= 9_500 and first.not_understood == 0
    second = load_demo_parts(session)
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.rows)
    assert session.scalar(select(func.count()).select_from(Part)) == first.rows
    found = search_parts(session, "balatas delanteras tsuru 2015")
    assert found.total > 0
