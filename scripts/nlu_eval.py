"""Held-out NLU evaluation of the project's own training data (`make test-nlu`).

Splits data/nlu + data/lookups 80/20 per intent with a fixed seed (`rasa data split nlu`),
trains an NLU-only model on the 80 % with the project's config.yml into a temporary
directory, evaluates it on the 20 % with `rasa test nlu`, prints per-intent precision /
recall / F1 / support, accuracy and macro-F1, scores the entities the whole pipeline
returns (canonical values, as the actions see them; scripts/nlu_predict.py), and writes
the figures to results/nlu-eval/. Exit code 1 when intent accuracy or macro-F1 is under
the floor.

Runs in the app environment (stdlib only); Rasa runs as a subprocess from the Rasa
environment given with --rasa. Nothing is written to models/ or .rasa/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Floors. ~1,600 examples over 24 intents: the 20 % split holds ~320 messages (~13 per
# intent), so one message is 0.3 points of accuracy. With config.yml's linear pipeline the
# default split (seed 2024) scores 0.86 accuracy / 0.88 macro-F1, seeds 7 and 99 score
# 0.83-0.84 / 0.84-0.85: the split alone moves the figures by about +-0.02, and editing the
# data reshuffles the split. 0.80 sits under the worst split seen and still fails on a real
# regression: a broken pipeline or a new pair of confused intents costs far more than the
# ~20 messages between the figures and the floor.
DEFAULT_ACCURACY_FLOOR = 0.80
DEFAULT_MACRO_F1_FLOOR = 0.80

TRAIN_TIMEOUT_S = 3600
TEST_TIMEOUT_S = 1200
SPLIT_TIMEOUT_S = 600
NOT_ENTITY_REPORTS = {"intent_report.json", "response_selection_report.json"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; paths are relative to the current directory."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rasa", default=".venv-rasa/bin/rasa", help="the rasa executable")
    parser.add_argument(
        "--rasa-python", help="Python of Rasa's environment (default: next to --rasa)"
    )
    parser.add_argument("--config", default=str(ROOT / "config.yml"))
    parser.add_argument(
        "--data",
        nargs="+",
        default=[str(ROOT / "data" / "nlu"), str(ROOT / "data" / "lookups")],
        help="NLU files or directories (stories and rules are not needed)",
    )
    parser.add_argument("--training-fraction", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--floor", type=float, default=DEFAULT_ACCURACY_FLOOR)
    parser.add_argument("--macro-f1-floor", type=float, default=DEFAULT_MACRO_F1_FLOOR)
    parser.add_argument("--out", default=str(ROOT / "results" / "nlu-eval"))
    parser.add_argument(
        "--workdir", help="keep the split, model and raw reports here (default: a temp dir)"
    )
    return parser.parse_args(argv)


def run(cmd: list[str], *, timeout: int, env: dict[str, str]) -> None:
    """Run a Rasa command from the project root; show its output only when it fails."""
    started = time.monotonic()
    print(f"$ {' '.join(cmd)}", flush=True)
    try:
        proc = subprocess.run(
            cmd,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SystemExit(f"nlu_eval: {cmd[1:3]} timed out after {timeout} s") from exc
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-6000:])
        raise SystemExit(f"nlu_eval: {' '.join(cmd[1:3])} failed (exit {proc.returncode})")
    print(f"  done in {time.monotonic() - started:.0f} s", flush=True)


def collect_sources(paths: list[str], dest: Path) -> int:
    """Copy the NLU YAML files into one directory for `rasa data split nlu`."""
    dest.mkdir(parents=True)
    count = 0
    for raw in paths:
        path = Path(raw)
        files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
        if not path.exists():
            raise SystemExit(f"nlu_eval: {raw} does not exist")
        for file in files:
            count += 1
            shutil.copy(file, dest / f"{count:03d}_{file.parent.name}_{file.name}")
    if count == 0:
        raise SystemExit("nlu_eval: no NLU files found")
    return count


def load_json(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def intent_table(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per-intent rows from Rasa's (scikit-learn's) classification report."""
    rows = []
    for name, values in sorted(report.items()):
        if not isinstance(values, dict) or name in ("macro avg", "weighted avg", "micro avg"):
            continue
        confused = values.get("confused_with", {})
        rows.append(
            {
                "intent": name,
                "precision": round(values["precision"], 4),
                "recall": round(values["recall"], 4),
                "f1": round(values["f1-score"], 4),
                "support": int(values["support"]),
                "confused_with": confused,
            }
        )
    return rows


def entity_tables(results_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Per-entity rows for every entity extractor Rasa evaluated (annotated entities only)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(results_dir.glob("*_report.json")):
        if path.name in NOT_ENTITY_REPORTS:
            continue
        rows = []
        for name, values in sorted(load_json(path).items()):
            if not isinstance(values, dict) or name in ("macro avg", "weighted avg", "micro avg"):
                continue
            if name == "no_entity" or (values["precision"] == 0 and values["recall"] == 0):
                continue  # an entity this extractor does not produce
            rows.append(
                {
                    "entity": name,
                    "precision": round(values["precision"], 4),
                    "recall": round(values["recall"], 4),
                    "f1": round(values["f1-score"], 4),
                    "support": int(values["support"]),
                }
            )
        tables[path.name.removesuffix("_report.json")] = rows
    return tables


def print_table(title: str, key: str, rows: list[dict[str, Any]]) -> None:
    width = max([len(key), *(len(str(r[key])) for r in rows)])
    print(f"\n{title}")
    tail = "  confused with" if key == "intent" else ""
    print(f"  {key:<{width}}  precision  recall     f1  support{tail}")
    for r in rows:
        confused = ", ".join(f"{k} ({v})" for k, v in r.get("confused_with", {}).items())
        print(
            f"  {r[key]:<{width}}  {r['precision']:9.3f}  {r['recall']:6.3f}  "
            f"{r['f1']:5.3f}  {r['support']:7d}  {confused}".rstrip()
        )


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def evaluate(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Split, train, test; return the summary that is printed and saved."""
    rasa = str(Path(args.rasa).resolve()) if os.sep in args.rasa else args.rasa
    env = dict(os.environ)
    env.update(
        RASA_CACHE_DIRECTORY=str(work / "cache"),
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    n_files = collect_sources(args.data, work / "source")
    split = work / "split"
    run(
        [rasa, "data", "split", "nlu", "-u", str(work / "source"),
         "--training-fraction", str(args.training_fraction),
         "--random-seed", str(args.seed), "--out", str(split)],
        timeout=SPLIT_TIMEOUT_S, env=env,
    )  # fmt: skip
    train_file, test_file = split / "training_data.yml", split / "test_data.yml"
    started = time.monotonic()
    run(
        [rasa, "train", "nlu", "--config", str(Path(args.config).resolve()),
         "--nlu", str(train_file), "--out", str(work / "models"),
         "--fixed-model-name", "nlu-eval", "--quiet"],
        timeout=TRAIN_TIMEOUT_S, env=env,
    )  # fmt: skip
    train_seconds = time.monotonic() - started
    results = work / "results"
    run(
        [rasa, "test", "nlu", "--model", str(work / "models" / "nlu-eval.tar.gz"),
         "--nlu", str(test_file), "--out", str(results), "--no-plot", "--quiet"],
        timeout=TEST_TIMEOUT_S, env=env,
    )  # fmt: skip
    python = args.rasa_python or str(Path(rasa).parent / "python")
    predictions = work / "predictions.jsonl"
    run(
        [python, str(ROOT / "scripts" / "nlu_predict.py"),
         str(work / "models" / "nlu-eval.tar.gz"), str(test_file), str(predictions)],
        timeout=TEST_TIMEOUT_S, env=env,
    )  # fmt: skip
    rows = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    entity_rows, entity_errors = score_entities(rows)
    report = load_json(results / "intent_report.json")
    macro = report.get("macro avg", {})
    weighted = report.get("weighted avg", {})
    return {
        "config": str(Path(args.config).resolve().relative_to(ROOT))
        if Path(args.config).resolve().is_relative_to(ROOT)
        else args.config,
        "config_sha256": file_digest(Path(args.config)),
        "source_files": n_files,
        "seed": args.seed,
        "training_fraction": args.training_fraction,
        "train_examples": count_examples(train_file),
        "test_examples": count_examples(test_file),
        "train_seconds": round(train_seconds, 1),
        "accuracy": round(float(report.get("accuracy", 0.0)), 4),
        "macro_f1": round(float(macro.get("f1-score", 0.0)), 4),
        "weighted_f1": round(float(weighted.get("f1-score", 0.0)), 4),
        "intents": intent_table(report),
        "entities": entity_rows,
        "entities_by_extractor": entity_tables(results),
        "entity_errors": entity_errors,
    }


def score_entities(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Any]]:
    """Precision/recall/F1 per entity on (entity, canonical value) pairs per message.

    Only entity types annotated in the data are scored (amounts, dates... come from rule-based
    extractors and are not annotated). Spans are ignored: the actions read values.
    """
    scored = {e["entity"] for r in rows for e in r["entities"]}
    counts: dict[str, Counter[str]] = {name: Counter() for name in sorted(scored)}
    errors = []
    for row in rows:
        gold = Counter((e["entity"], str(e["value"])) for e in row["entities"])
        pred = Counter(
            (e["entity"], str(e["value"]))
            for e in row["predicted_entities"]
            if e["entity"] in scored
        )
        for (name, _), n in (gold & pred).items():
            counts[name]["tp"] += n
        for (name, _), n in (pred - gold).items():
            counts[name]["fp"] += n
        for (name, _), n in (gold - pred).items():
            counts[name]["fn"] += n
        if gold != pred:
            errors.append(
                {
                    "text": row["text"],
                    "missed": sorted(f"{k}={v}" for k, v in (gold - pred).elements()),
                    "spurious": sorted(f"{k}={v}" for k, v in (pred - gold).elements()),
                }
            )
    table = []
    for name, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table.append(
            {
                "entity": name,
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
                "support": c["tp"] + c["fn"],
            }
        )
    return table, errors


def count_examples(path: Path) -> int:
    """Examples in a Rasa YAML file written by `rasa data split` (one `- ` line each)."""
    count, inside = 0, False
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith(("- intent:", "- synonym:", "- lookup:", "- regex:")):
            inside = stripped.startswith("- intent:")
        elif inside and stripped.startswith("- "):
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = Path(args.out)
    if args.workdir:
        work = Path(args.workdir).resolve()
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="showroom-nlu-eval-"))
    try:
        summary = evaluate(args, work)
        out.mkdir(parents=True, exist_ok=True)
        errors = work / "results" / "intent_errors.json"
        if errors.exists():
            shutil.copy(errors, out / "intent_errors.json")
        summary["accuracy_floor"] = args.floor
        summary["macro_f1_floor"] = args.macro_f1_floor
        summary["passed"] = (
            summary["accuracy"] >= args.floor and summary["macro_f1"] >= args.macro_f1_floor
        )
        summary["generated_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        (out / "report.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)

    print_table(
        f"Intents (held-out {summary['test_examples']} of "
        f"{summary['train_examples'] + summary['test_examples']} examples, "
        f"seed {summary['seed']}, config {summary['config']})",
        "intent",
        summary["intents"],
    )
    print_table(
        "Entities (pipeline output, canonical values; annotated entity types only)",
        "entity",
        summary["entities"],
    )
    print(
        f"\naccuracy {summary['accuracy']:.3f} (floor {args.floor:.2f})  "
        f"macro-F1 {summary['macro_f1']:.3f} (floor {args.macro_f1_floor:.2f})  "
        f"weighted-F1 {summary['weighted_f1']:.3f}  train {summary['train_seconds']:.0f} s"
    )
    print(f"saved {out / 'report.json'} (entity errors inside) and {out / 'intent_errors.json'}")
    if not summary["passed"]:
        print("nlu_eval: FAILED — intent accuracy or macro-F1 under the floor", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
