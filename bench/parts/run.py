"""`make bench-parts`: the parts catalog on SQLite and PostgreSQL.

For each backend: import the 10,000-product demo catalog (time), re-import it unchanged
(time), then run every benchmark query (bench/parts/queries.py) several times: search
latency p50/p95, top-3 hit rate (at least one relevant part in the first three) and
precision@3 (relevant parts among the first three, out of min(3, relevant parts in the
catalog)), for the catalog-vocabulary queries and, separately, for the paraphrases (slang,
typos, other words than the catalog's titles). Also checks that both backends return the
same top 3 for every query. A third, held-out set (bench/parts/other_customers.py: how other
shops' customers write, and things the catalog does not sell) is reported on its own.
Prints a table and writes bench/results/parts.json.

Usage: .venv/bin/python -m bench.parts.run [--repeat 5] [--postgres-url URL] [--no-postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench.parts.other_customers import NOT_SOLD, OTHER_CUSTOMERS
from bench.parts.queries import NO_ANSWER, PARAPHRASES, QUERIES, Query, relevant
from showroom.db import migrate
from showroom.db.session import reset_engines, session_scope
from showroom.inventory.parts.demo import DEMO_FILE
from showroom.inventory.parts.demo_catalog import generate
from showroom.inventory.parts.importer import import_parts
from showroom.inventory.parts.search import search_parts

RESULTS = Path(__file__).resolve().parents[1] / "results" / "parts.json"
DEFAULT_POSTGRES = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="bench-parts-") as folder:
        yield f"sqlite:///{folder}/parts.db"
        reset_engines()


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"showroom_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        reset_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


ALL_QUERIES: list[Query] = [*QUERIES, *PARAPHRASES, *OTHER_CUSTOMERS]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_backend(url: str, repeat: int) -> dict[str, Any]:
    migrate.upgrade(url)
    with session_scope(url) as session:
        started = time.perf_counter()
        first = import_parts(session, DEMO_FILE)
    import_s = time.perf_counter() - started
    with session_scope(url) as session:
        started = time.perf_counter()
        again = import_parts(session, DEMO_FILE)
    reimport_s = time.perf_counter() - started
    assert again.unchanged == first.created, "re-import should find every row unchanged"

    latencies: list[float] = []
    top3: list[list[str]] = []
    with session_scope(url) as session:
        for query in ALL_QUERIES:  # warm-up: caches, query plans
            search_parts(session, query.text, **query.slots)
        for round_ in range(repeat):
            for query in ALL_QUERIES:
                started = time.perf_counter()
                result = search_parts(session, query.text, limit=3, **query.slots)
                latencies.append((time.perf_counter() - started) * 1000)
                if round_ == 0:
                    top3.append([p.sku for p in result.parts])
        empty = sum(search_parts(session, text).total == 0 for text in NO_ANSWER)
        not_sold = [words for words in NOT_SOLD if search_parts(session, words).total]
    return {
        "products": first.created,
        "import_s": round(import_s, 2),
        "reimport_s": round(reimport_s, 2),
        "searches": len(latencies),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "max_ms": round(max(latencies), 2),
        "top3": top3,
        "no_answer_empty": f"{empty}/{len(NO_ANSWER)}",
        "not_sold_found": not_sold,
    }


def quality(
    queries: list[Query], top3: list[list[str]], records: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    hits, precision, misses = 0, [], []
    for query, skus in zip(queries, top3, strict=True):
        good = [sku for sku in skus if relevant(query, records[sku])]
        hits += bool(good)
        # out of what is possible: a query with 2 right parts in the catalog can show 2 of 3
        possible = min(3, sum(1 for r in records.values() if relevant(query, r)))
        precision.append(len(good) / possible)
        if not good:
            misses.append({"query": query.text, "top3": skus})
    return {
        "queries": len(queries),
        "top3_hit_rate": round(hits / len(queries), 3),
        "precision_at_3": round(statistics.mean(precision), 3),
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON report goes")
    args = parser.parse_args()

    records = {r["sku"]: r for r in generate()}
    for query in ALL_QUERIES:  # a query without any right answer is a bench bug
        assert any(relevant(query, r) for r in records.values()), query.text

    backends: dict[str, dict[str, Any]] = {}
    with sqlite_database() as url:
        backends["sqlite"] = run_backend(url, args.repeat)
    if not args.no_postgres:
        try:
            with postgres_database(args.postgres_url) as url:
                backends["postgresql"] = run_backend(url, args.repeat)
        except Exception as exc:  # report it and keep the SQLite figures
            print(f"PostgreSQL skipped: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")

    report: dict[str, Any] = {
        "catalog": str(DEMO_FILE.relative_to(DEMO_FILE.parents[1])),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}",
        "backends": {},
    }
    for name, figures in backends.items():
        top3 = figures["top3"]
        catalog_words = top3[: len(QUERIES)]
        paraphrased = top3[len(QUERIES) : len(QUERIES) + len(PARAPHRASES)]
        others = top3[len(QUERIES) + len(PARAPHRASES) :]
        found = figures["not_sold_found"]
        report["backends"][name] = {
            **{k: v for k, v in figures.items() if k not in ("top3", "not_sold_found")},
            **quality(QUERIES, catalog_words, records),
            "paraphrases": quality(PARAPHRASES, paraphrased, records),
            "other_customers": {
                **quality(OTHER_CUSTOMERS, others, records),
                "not_sold_empty": f"{len(NOT_SOLD) - len(found)}/{len(NOT_SOLD)}",
                "not_sold_found": found,
            },
        }
    if len(backends) == 2:
        a, b = backends["sqlite"]["top3"], backends["postgresql"]["top3"]
        report["same_top3_on_both"] = sum(x == y for x, y in zip(a, b, strict=True))

    print(
        f"\nParts search benchmark: {len(records):,} products, {len(QUERIES)} queries in the "
        f"catalog's words + {len(PARAPHRASES)} paraphrases; held out: {len(OTHER_CUSTOMERS)} "
        f"other customers' queries + {len(NOT_SOLD)} not sold\n"
    )
    header = ("backend", "import s", "re-import s", "p50 ms", "p95 ms", "top-3 hit", "prec@3")
    print(
        "{:<11} {:>9} {:>12} {:>8} {:>8} {:>10} {:>7} {:>11}  {}".format(
            *header, "paraphr. top-3", "not sold: empty"
        )
    )
    for name, r in report["backends"].items():
        print(
            f"{name:<11} {r['import_s']:>9} {r['reimport_s']:>12} {r['p50_ms']:>8} "
            f"{r['p95_ms']:>8} {r['top3_hit_rate']:>10.1%} {r['precision_at_3']:>7.1%} "
            f"{r['paraphrases']['top3_hit_rate']:>14.1%}  {r['no_answer_empty']}"
        )
    print(f"\n{'held-out set':<11} {'top-3 hit':>10} {'prec@3':>7}  not sold: empty")
    for name, r in report["backends"].items():
        o = r["other_customers"]
        print(
            f"{name:<11} {o['top3_hit_rate']:>10.1%} {o['precision_at_3']:>7.1%}  "
            f"{o['not_sold_empty']}"
        )
    if "same_top3_on_both" in report:
        same = report["same_top3_on_both"]
        print(f"\nidentical top 3 on both backends: {same}/{len(ALL_QUERIES)}")
    for name, r in report["backends"].items():
        for miss in r["misses"] + r["paraphrases"]["misses"]:
            print(f"miss ({name}): {miss['query']!r} -> {miss['top3']}")
        for miss in r["other_customers"]["misses"]:
            print(f"held-out miss ({name}): {miss['query']!r} -> {miss['top3']}")
        for words in r["other_customers"]["not_sold_found"]:
            print(f"held-out not sold but found ({name}): {words!r}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
