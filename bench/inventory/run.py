"""Inventory benchmark: import 10,000 vehicles, then time searches and name matching.

    .venv/bin/python -m bench.inventory.run [--vehicles 10000] [--postgres URL]

Runs on a throwaway SQLite file and, when reachable, a throwaway PostgreSQL database
(default: TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test). Prints a
table and writes bench/results/inventory.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, text

from showroom.db import migrate
from showroom.db.session import reset_engines, session_scope
from showroom.inventory.branch_import import import_branches
from showroom.inventory.search import VehicleQuery, search_vehicles
from showroom.inventory.text_match import match_vehicle_names
from showroom.inventory.vehicle_import import import_vehicles
from showroom.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results" / "inventory.json"
DEMO = PROJECT_ROOT / "demo"
QUERIES = [
    VehicleQuery(body_type="pickup", fuel="diesel", max_price=Decimal(600_000)),
    VehicleQuery(brand="Honda", model="crv", branch_code="CDMX"),
    VehicleQuery(brand="VW", model="Jetta", transmission="manual", max_price=Decimal(350_000)),
    VehicleQuery(body_type="suv", condition="seminuevo", year_min=2020, max_price=Decimal(450_000)),
    VehicleQuery(brand="Toyota", model="Hilux", fuel="electrico", transmission="manual"),  # relaxes
    VehicleQuery(max_price=Decimal(300_000), branch_code="MTY"),
]
TEXTS = ["busco una hilux diesel", "tienen crv?", "algo de vw automático", "hola buenas tardes"]


def big_inventory(path: Path, count: int) -> None:
    """`count` vehicles: the demo rows repeated with new stock ids and jittered prices."""
    rng = random.Random(7)
    with (DEMO / "vehicles.csv").open(encoding="utf-8", newline="") as handle:
        demo = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(demo[0]))
        writer.writeheader()
        for n in range(count):
            row = dict(demo[n % len(demo)])
            row["stock_id"] = f"B{n:06d}"
            row["price_mxn"] = str(int(int(row["price_mxn"]) * rng.uniform(0.9, 1.1)))
            writer.writerow(row)


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "max_ms": round(ordered[-1], 2),
    }


def bench(url: str, csv_path: Path, count: int) -> dict[str, object]:
    migrate.upgrade(url)
    with session_scope(url) as session:
        import_branches(session, DEMO / "branches.csv")
    start = time.perf_counter()
    with session_scope(url) as session:
        summary = import_vehicles(session, csv_path)
    import_s = time.perf_counter() - start
    assert summary.created == count, summary.line()
    start = time.perf_counter()
    with session_scope(url) as session:
        again = import_vehicles(session, csv_path)
    reimport_s = time.perf_counter() - start
    assert again.unchanged == count, again.line()
    with session_scope(url) as session:
        search = timed(lambda: [search_vehicles(session, q) for q in QUERIES], 20)
        matching = timed(lambda: [match_vehicle_names(session, t) for t in TEXTS], 20)
    return {
        "import_s": round(import_s, 2),
        "import_rows_per_s": round(count / import_s),
        "reimport_unchanged_s": round(reimport_s, 2),
        "search_6_queries": percentiles(search),
        "match_names_4_texts": percentiles(matching),
    }


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str | None]:
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        print(f"PostgreSQL skipped: {exc.__class__.__name__}")
        yield None
        return
    name = f"showroom_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'create database "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        reset_engines()
        with admin.connect() as conn:
            conn.execute(text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description="inventory benchmark")
    parser.add_argument("--vehicles", type=int, default=10_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args()
    results: dict[str, object] = {
        "vehicles": args.vehicles,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "vehicles.csv"
        big_inventory(csv_path, args.vehicles)
        results["sqlite"] = bench(f"sqlite:///{tmp}/bench.db", csv_path, args.vehicles)
        with postgres_database(args.postgres) as url:
            if url:
                results["postgresql"] = bench(url, csv_path, args.vehicles)
    print(f"{'backend':<12}{'import':>10}{'rows/s':>9}{'re-import':>11}"
          f"{'search p50':>12}{'p95':>8}{'match p50':>11}")  # fmt: skip
    for backend in ("sqlite", "postgresql"):
        row = results.get(backend)
        if isinstance(row, dict):
            print(
                f"{backend:<12}{row['import_s']:>9}s{row['import_rows_per_s']:>9}"
                f"{row['reimport_unchanged_s']:>10}s"
                f"{row['search_6_queries']['p50_ms']:>10}ms"
                f"{row['search_6_queries']['p95_ms']:>6}ms"
                f"{row['match_names_4_texts']['p50_ms']:>9}ms"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
