"""Fixtures for the parts catalog tests: catalog files and a realistic sample catalog.

The sample is a slice of the project's generated demo catalog (a few platforms plus the
universal products), so relevance tests run on realistic data in well under a second.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from showroom.db.models import Base
from showroom.db.models.inventory import Branch
from showroom.db.session import session_scope
from showroom.inventory.parts.demo_catalog import generate
from showroom.inventory.parts.importer import ImportSummary, collect_rows, write_rows
from showroom.inventory.parts.reader import RawItem
from showroom.inventory.parts.rows import PartRow

SAMPLE_MODELS = ("Tsuru", "Jetta A4", "Versa", "Sedán", "Chevy", "NP300")

# The benchmark's query sets (bench/parts) are checked here too; bench/ is not an installed
# package, so the project root must be importable (as `python -m bench.parts.run` has it).
# (Not pytest's `pythonpath`: that puts the root before tests/ and the `conftest` helpers
# other tests import would resolve to the wrong module.)
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.append(_ROOT)

Record = dict[str, Any]


@pytest.fixture(scope="session")
def demo_records() -> list[Record]:
    return generate()


@pytest.fixture(scope="session")
def sample_records(demo_records: list[Record]) -> list[Record]:
    def keep(record: Record) -> bool:
        fits = record["compatibilidad"]
        return fits == ["Universal"] or any(
            f" {m} " in f" {f} " for f in fits for m in SAMPLE_MODELS
        )

    return [r for r in demo_records if keep(r)]


def load_records(session: Session, records: list[Record], **options: Any) -> ImportSummary:
    rows, problems = collect_rows(
        RawItem(line=n, index=None, value=r) for n, r in enumerate(records, start=1)
    )
    assert problems == []
    return write_rows(session, rows, **options)


@pytest.fixture(scope="session")
def sample_rows(sample_records: list[Record]) -> list[PartRow]:
    rows, problems = collect_rows(
        RawItem(line=n, index=None, value=r) for n, r in enumerate(sample_records, start=1)
    )
    assert problems == []
    return rows


@pytest.fixture
def sample(session: Session, sample_rows: list[PartRow]) -> list[PartRow]:
    """The sample catalog imported into the test database (SQLite and PostgreSQL)."""
    write_rows(session, sample_rows)
    session.flush()
    return sample_rows


def _empty_database(url: str) -> None:
    with session_scope(url) as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())


@pytest.fixture
def empty_database() -> Callable[[str], None]:
    """Empty every table of a database URL (tests that use both databases at once)."""
    return _empty_database


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[[list[Any], str], Path]:
    def write(items: list[Any], name: str = "parts.jsonl") -> Path:
        path = tmp_path / name
        path.write_text(
            "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8"
        )
        return path

    return write


@pytest.fixture
def write_array(tmp_path: Path) -> Callable[[list[Any], str], Path]:
    def write(items: list[Any], name: str = "parts.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(items, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return write


def make_product(sku: str, **overrides: Any) -> Record:
    """A valid contract record; override any field."""
    record: Record = {
        "sku": sku,
        "titulo": "Balatas delanteras Brembo cerámicas",
        "categoria": "Frenos",
        "precio": 689,
        "stock": 12,
        "marca": "Brembo",
        "compatibilidad": ["Nissan Tsuru 1992-2017"],
        "imagen_1": f"https://cdn.example.mx/{sku}/1.jpg",
    }
    record.update(overrides)
    return record


@pytest.fixture
def product() -> Callable[..., Record]:
    """`product("SKU-1", precio=99)`: a valid contract record with overrides."""
    return make_product


@pytest.fixture
def load() -> Callable[..., ImportSummary]:
    """`load(session, records, branch_code=...)`: import records without a file."""
    return load_records


@pytest.fixture
def add_branches(session: Session) -> Callable[..., list[Branch]]:
    """`add_branches(MTY="Sucursal Monterrey", ...)`: branches by code and name, flushed
    (parts imported with `branch_code` need them)."""

    def add(**names: str) -> list[Branch]:
        branches = [
            Branch(
                code=code,
                name=name,
                city=name,
                address="-",
                timezone="America/Monterrey",
                opening_hours="lun-vie 09:00-19:00",
            )
            for code, name in names.items()
        ]
        session.add_all(branches)
        session.flush()
        return branches

    return add
