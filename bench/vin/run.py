"""`make bench-vin`: read VINs from generated photos of graded difficulty.

Generates `--count` photos (deterministic `--seed`; split evenly over easy, medium, hard,
extreme; see showroom/vin/synthetic.py), then `--per-category` photos of each hard case
(dot-peen stamping, photos turned 90/180/270 degrees without EXIF, VINs printed in groups
with wide gaps, EXIF-rotated JPEGs), writes them as the JPEG files a phone would send,
scans each with `scan_image` (no cache) and reports per difficulty and per category:
- exact: the VIN read 17/17 (the detection rate that matters),
- wrong: a VIN was returned but it is not the right one (the costly failure),
- chars: character accuracy (position by position; no VIN read counts 0/17),
- valid: returned VINs that pass validation,
- sure & wrong: wrong VINs returned at a confidence the chat proposes as read
  (>= scan.LOW_CONFIDENCE, "Leí el VIN ... ✅"); this must stay at zero,
- year: exact reads whose decoded model year is the photo's (first guess), and whose year
  is at least among the ones the customer is offered ("¿2015 o 1985?"),
- p50/p95 wall time per image, and p50 CPU time (this process + Tesseract), which
  stays meaningful when other jobs share the machine.
The VINs are built the way their makers do (synthetic.random_vin_and_year): Mexican ones
with any character at position 7, European ones often without a check digit; the rows
"check digit" and "no check digit" split the results by that.
Prints a table and writes JSON (default bench/results/vin.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from components.vin import check_digit_ok
from showroom.vin.decode import decode
from showroom.vin.scan import LOW_CONFIDENCE, scan_image
from showroom.vin.synthetic import (
    CATEGORIES,
    DIFFICULTIES,
    Sample,
    make_category_sample,
    make_sample,
    random_vin_and_year,
)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "bench" / "results" / "vin.json"


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _tesseract_version() -> str:
    try:
        output = subprocess.run(
            ["tesseract", "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (
        (output.stdout or output.stderr).splitlines()[0] if output.stdout or output.stderr else ""
    )


def _plan(count: int, per_category: int) -> list[str]:
    """What each image is: a difficulty level (round robin), then the categories."""
    plan = [DIFFICULTIES[index % len(DIFFICULTIES)] for index in range(count)]
    return plan + [name for name in CATEGORIES for _ in range(per_category)]


def _sample(kind: str, graded: random.Random, categories: random.Random) -> tuple[Sample, int]:
    """A photo of a level (drawn from `graded`) or of a category (from `categories`), and
    the model year of its VIN."""
    if kind in CATEGORIES:
        vin, year = random_vin_and_year(categories)
        return make_category_sample(vin, kind, categories), year
    vin, year = random_vin_and_year(graded)
    return make_sample(vin, kind, graded), year


def run(count: int, seed: int, timeout_s: float, per_category: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    # the categories draw from their own generator: the graded set stays the same images
    # whatever --per-category is
    category_rng = random.Random(seed + 1)
    records: list[dict[str, Any]] = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-vin-") as directory:
        for index, kind in enumerate(_plan(count, per_category)):
            sample, year = _sample(kind, rng, category_rng)
            path = sample.save(Path(directory) / f"{index:04d}.jpg")
            cpu = _cpu_seconds()
            started = time.perf_counter()
            result = scan_image(path, timeout_s=timeout_s, cache=False)
            wall_ms = (time.perf_counter() - started) * 1000
            cpu_ms = (_cpu_seconds() - cpu) * 1000
            read = result.vin or ""
            chars = sum(a == b for a, b in zip(read, sample.vin, strict=False))
            truth = decode(sample.vin)
            records.append(
                {
                    "index": index,
                    "difficulty": kind,
                    "layout": sample.layout,
                    "font": sample.font,
                    "truth": sample.vin,
                    "read": result.vin,
                    "exact": result.vin == sample.vin,
                    "chars": chars,
                    "valid": result.valid,
                    "check_digit": check_digit_ok(sample.vin),
                    "year": year,
                    "year_first": truth.model_year == year,
                    "year_offered": year in (truth.model_year, *truth.model_year_alternatives),
                    "confidence": result.confidence,
                    "error": result.error_code,
                    "wall_ms": round(wall_ms),
                    "cpu_ms": round(cpu_ms),
                }
            )
            mark = "ok " if result.vin == sample.vin else ("-- " if not result.vin else "XX ")
            print(
                f"{index:4d} {kind:12} {sample.layout:10} {mark}{chars:2d}/17 {wall_ms:6.0f} ms",
                flush=True,
            )
    summary = {level: _summarize([r for r in records if r["difficulty"] == level])
               for level in DIFFICULTIES}  # fmt: skip
    summary["graded"] = _summarize([r for r in records if r["difficulty"] in DIFFICULTIES])
    for name in CATEGORIES if per_category else ():
        summary[name] = _summarize([r for r in records if r["difficulty"] == name])
    summary["check digit"] = _summarize([r for r in records if r["check_digit"]])
    summary["no check digit"] = _summarize([r for r in records if not r["check_digit"]])
    summary["all"] = _summarize(records)
    return {
        "benchmark": "vin",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": f"python -m bench.vin.run --count {count} --per-category {per_category} "
        f"--seed {seed} --timeout {timeout_s}",
        "seed": seed,
        "count": count,
        "per_category": per_category,
        "timeout_s": timeout_s,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "tesseract": _tesseract_version(),
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in os.getloadavg()],
        },
        "summary": summary,
        "by_layout": {
            layout: _summarize([r for r in records if r["layout"] == layout])
            for layout in sorted({r["layout"] for r in records})
        },
        "samples": records,
    }


def _summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(records)
    if not n:
        return {"n": 0}
    returned = [r for r in records if r["read"]]
    walls = [r["wall_ms"] for r in records]
    exact = [r for r in records if r["exact"]]
    return {
        "n": n,
        "exact": round(len(exact) / n, 3),
        "wrong": round(sum(not r["exact"] for r in returned) / n, 3),
        "sure_wrong": sum(not r["exact"] and r["confidence"] >= LOW_CONFIDENCE for r in returned),
        "sure_right": round(sum(r["confidence"] >= LOW_CONFIDENCE for r in exact) / len(exact), 3)
        if exact
        else None,
        "year_first": round(sum(r["year_first"] for r in exact) / len(exact), 3) if exact else None,
        "year_offered": round(sum(r["year_offered"] for r in exact) / len(exact), 3)
        if exact
        else None,
        "no_read": round((n - len(returned)) / n, 3),
        "char_accuracy": round(sum(r["chars"] for r in records) / (17 * n), 3),
        "valid_of_returned": round(sum(r["valid"] for r in returned) / len(returned), 3)
        if returned
        else None,
        "wall_ms_p50": round(_percentile(walls, 50)),
        "wall_ms_p95": round(_percentile(walls, 95)),
        "cpu_ms_p50": round(statistics.median(r["cpu_ms"] for r in records)),
        "timeouts": sum(r["error"] == "timeout" for r in records),
    }


def print_table(report: dict[str, Any]) -> None:
    header = (
        f"{'level':14} {'n':>4} {'exact':>6} {'wrong':>6} {'sure&wr':>7} {'none':>6} "
        f"{'chars':>6} {'year':>6} {'p50 ms':>7} {'p95 ms':>7} {'cpu p50':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    for level, s in report["summary"].items():
        if not s["n"]:
            continue
        year = f"{s['year_first']:6.1%}" if s["year_first"] is not None else f"{'-':>6}"
        print(
            f"{level:14} {s['n']:4d} {s['exact']:6.1%} {s['wrong']:6.1%} {s['sure_wrong']:7d} "
            f"{s['no_read']:6.1%} {s['char_accuracy']:6.1%} {year} {s['wall_ms_p50']:7d} "
            f"{s['wall_ms_p95']:7d} {s['cpu_ms_p50']:8d}"
        )
    machine = report["machine"]
    print(
        f"\n{report['count']} graded + {report['per_category']} per category, "
        f"seed {report['seed']}, timeout {report['timeout_s']} s, "
        f"{machine['cpus']} CPUs, load average {machine['load_average_before'][0]} -> "
        f"{machine['load_average_after'][0]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=240, help="graded images (at least 200)")
    parser.add_argument(
        "--per-category", type=int, default=20, help="images of each hard-case category"
    )
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--timeout", type=float, default=8.0, help="OCR seconds per image")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    report = run(args.count, args.seed, args.timeout, args.per_category)
    print_table(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
