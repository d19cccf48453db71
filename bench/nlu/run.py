"""`make bench-nlu`: Rasa's default pipeline (a) vs the NLU pipeline of config.yml (b).

Both are trained on the benchmark's `train` split by `rasa train nlu` in a child process
(wall time and peak RSS of that process tree are measured), then loaded with Rasa's Agent
in another child process that parses the scored split one message at a time. Scores are
computed here and printed as one table; the same figures go to bench/results/*.json.

Development uses `--split eval` (the only split anything may be tuned on); the reported
figures use `--split test`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bench.nlu.dataset import DATASET_DIR, Example, load_split, quick_subset, write_rasa_json
from bench.nlu.metrics import entity_scores, intent_scores, percentile
from bench.nlu.process_tree import run_measured

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "bench" / "results"

# Rasa's recommendation for a language without pretrained word vectors (Rasa 3.x docs,
# "Tuning your NLU model"; Rasa's default config): without ResponseSelector (no retrieval
# intents here) and without FallbackClassifier, whose effect is computed afterwards from
# the intent ranking (RASA_DEFAULT_FALLBACK), exactly as the component decides.
RASA_DEFAULT_PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
    {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
    {"name": "EntitySynonymMapper"},
]

# The FallbackClassifier of Rasa's default config.
RASA_DEFAULT_FALLBACK = {"threshold": 0.3, "ambiguity_threshold": 0.1}
FALLBACK_INTENT = "nlu_fallback"

QUICK_SIZES = {"train": 600, "eval": 400, "test": 400}
TRAIN_TIMEOUT_S = 3 * 3600


def project_pipeline(config_path: Path) -> list[dict[str, Any]]:
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    pipeline = config.get("pipeline")
    if not isinstance(pipeline, list) or not pipeline:
        raise SystemExit(f"{config_path}: no NLU pipeline")
    return pipeline


def write_config(path: Path, pipeline: list[dict[str, Any]]) -> None:
    config = {"recipe": "default.v1", "language": "es", "pipeline": pipeline, "policies": []}
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def child_env(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["RASA_CACHE_DIRECTORY"] = str(cache_dir)
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.pop("DUCKLING_URL", None)  # the offline parser, so runs are reproducible
    env.pop("RASA_DUCKLING_HTTP_URL", None)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def train_and_parse(
    name: str, pipeline: list[dict[str, Any]], work: Path, texts: list[str]
) -> dict[str, Any]:
    bin_dir = Path(sys.executable).parent
    config_path = work / f"{name}.yml"
    write_config(config_path, pipeline)
    cache = work / f"cache-{name}"
    env = child_env(cache)
    print(f"[bench-nlu] training {name} ...", flush=True)
    trained = run_measured(
        [
            str(bin_dir / "rasa"),
            "train",
            "nlu",
            "-c",
            str(config_path),
            "--nlu",
            str(work / "train.json"),
            "--out",
            str(work / "models"),
            "--fixed-model-name",
            name,
        ],
        log_path=work / f"train-{name}.log",
        cwd=work,
        env=env,
        timeout=TRAIN_TIMEOUT_S,
    )
    if trained.returncode != 0:
        raise SystemExit(f"training {name} failed, see {work / f'train-{name}.log'}")
    print(f"[bench-nlu] {name}: trained in {trained.wall_seconds:.1f} s; parsing ...", flush=True)
    predictions_path = work / f"predictions-{name}.json"
    parsed = run_measured(
        [
            str(Path(sys.executable)),
            "-m",
            "bench.nlu.evaluate",
            str(work / "models" / f"{name}.tar.gz"),
            str(work / "texts.json"),
            str(predictions_path),
        ],
        log_path=work / f"parse-{name}.log",
        cwd=ROOT,
        env=env,
        timeout=TRAIN_TIMEOUT_S,
    )
    if parsed.returncode != 0:
        raise SystemExit(f"parsing with {name} failed, see {work / f'parse-{name}.log'}")
    predictions = json.loads(predictions_path.read_text(encoding="utf-8"))
    if len(predictions) != len(texts):
        raise SystemExit(f"{name}: {len(predictions)} predictions for {len(texts)} texts")
    shutil.rmtree(cache, ignore_errors=True)
    return {
        "train_seconds": trained.wall_seconds,
        "train_peak_rss_mb": trained.peak_rss_bytes / 2**20,
        "parse_peak_rss_mb": parsed.peak_rss_bytes / 2**20,
        "predictions": predictions,
    }


def fallback_settings(pipeline: list[dict[str, Any]]) -> dict[str, float] | None:
    """The FallbackClassifier's thresholds in `pipeline` (Rasa's defaults fill gaps)."""
    for component in pipeline:
        if str(component.get("name", "")).endswith("FallbackClassifier"):
            return {
                "threshold": float(component.get("threshold", 0.3)),
                "ambiguity_threshold": float(component.get("ambiguity_threshold", 0.1)),
            }
    return None


def should_fall_back(ranking: list[dict[str, Any]], settings: dict[str, float]) -> bool:
    """Rasa's FallbackClassifier rule on a classifier's ranking (fallback entry excluded)."""
    if not ranking:
        return True
    if ranking[0]["confidence"] < settings["threshold"]:
        return True
    return (
        len(ranking) >= 2
        and ranking[0]["confidence"] - ranking[1]["confidence"] < settings["ambiguity_threshold"]
    )


def answered_intents(
    predictions: list[dict[str, Any]], pipeline: list[dict[str, Any]]
) -> tuple[list[str | None], dict[str, float]]:
    """The intent the assistant acts on: `nlu_fallback` or the classifier's intent.

    A pipeline with a FallbackClassifier has already applied it while parsing; for one
    without (Rasa's default pipeline as benchmarked), Rasa's default FallbackClassifier
    settings are applied to its ranking here, with the component's own rule.
    """
    settings = fallback_settings(pipeline)
    if settings is not None:
        return [p["intent"] for p in predictions], settings
    answered: list[str | None] = []
    for p in predictions:
        ranking = [r for r in p.get("intent_ranking", []) if r["name"] != FALLBACK_INTENT]
        answered.append(
            FALLBACK_INTENT
            if should_fall_back(ranking, RASA_DEFAULT_FALLBACK)
            else p["classifier_intent"]
        )
    return answered, dict(RASA_DEFAULT_FALLBACK)


def score(
    examples: list[Example], run: dict[str, Any], pipeline: list[dict[str, Any]]
) -> dict[str, Any]:
    predictions = run["predictions"]
    gold_intents = [e.intent for e in examples]
    answered, fallback = answered_intents(predictions, pipeline)
    gold_triples = [[(s.start, s.end, s.label) for s in e.spans] for e in examples]
    predicted_triples = [
        [(x["start"], x["end"], x["entity"]) for x in p["entities"]] for p in predictions
    ]
    benchmark_labels = {s.label for e in examples for s in e.spans}
    latencies = [p["latency_ms"] for p in predictions]
    other_labels: dict[str, int] = {}
    for triples in predicted_triples:
        for _, _, label in triples:
            if label not in benchmark_labels:
                other_labels[label] = other_labels.get(label, 0) + 1
    return {
        # the classifier's top intent, before any fallback (comparable across pipelines)
        "intent": intent_scores(gold_intents, [p["classifier_intent"] for p in predictions]),
        # what the assistant acts on: `nlu_fallback` counts as wrong
        "intent_answered": intent_scores(gold_intents, answered),
        "fallback": {
            **fallback,
            "rate": sum(a == FALLBACK_INTENT for a in answered) / len(answered),
        },
        "entities_strict": entity_scores(gold_triples, predicted_triples),
        "entities_benchmark_labels": entity_scores(
            gold_triples, predicted_triples, benchmark_labels
        ),
        "predicted_labels_outside_benchmark": other_labels,
        "train_seconds": round(run["train_seconds"], 2),
        "train_peak_rss_mb": round(run["train_peak_rss_mb"], 1),
        "parse_peak_rss_mb": round(run["parse_peak_rss_mb"], 1),
        "parse_ms_p50": round(percentile(latencies, 50), 3),
        "parse_ms_p95": round(percentile(latencies, 95), 3),
        "parse_ms_mean": round(sum(latencies) / len(latencies), 3),
    }


ROWS = [
    ("intent accuracy", lambda r: r["intent"]["accuracy"], "{:.4f}"),
    ("intent macro-F1", lambda r: r["intent"]["macro_f1"], "{:.4f}"),
    ("fallback rate (see doc)", lambda r: r["fallback"]["rate"], "{:.4f}"),
    ("intent acc., fallback = wrong", lambda r: r["intent_answered"]["accuracy"], "{:.4f}"),
    ("entity F1 (strict)", lambda r: r["entities_strict"]["f1"], "{:.4f}"),
    ("entity F1 (benchmark labels)", lambda r: r["entities_benchmark_labels"]["f1"], "{:.4f}"),
    ("entity precision (strict)", lambda r: r["entities_strict"]["precision"], "{:.4f}"),
    ("entity recall", lambda r: r["entities_strict"]["recall"], "{:.4f}"),
    ("training wall time (s)", lambda r: r["train_seconds"], "{:.1f}"),
    ("training peak RSS (MB)", lambda r: r["train_peak_rss_mb"], "{:.0f}"),
    ("parse latency p50 (ms)", lambda r: r["parse_ms_p50"], "{:.2f}"),
    ("parse latency p95 (ms)", lambda r: r["parse_ms_p95"], "{:.2f}"),
]


def render_table(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    header = ["metric", *names]
    lines = [header]
    for label, getter, fmt in ROWS:
        lines.append([label, *(fmt.format(getter(results[n])) for n in names)])
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    out = []
    for index, row in enumerate(lines):
        out.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if index == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def checks(default: dict[str, Any], project: dict[str, Any]) -> dict[str, bool | float]:
    speedup = default["train_seconds"] / max(project["train_seconds"], 1e-9)
    return {
        "intent_accuracy_at_least_default": project["intent"]["accuracy"]
        >= default["intent"]["accuracy"],
        "entity_f1_strict_at_least_default": project["entities_strict"]["f1"]
        >= default["entities_strict"]["f1"],
        "training_speedup": round(speedup, 2),
        "training_at_least_5x_faster": speedup >= 5,
        "parse_p95_at_most_20ms": project["parse_ms_p95"] <= 20,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small subsets, for development")
    parser.add_argument("--split", choices=["eval", "test"], default="test")
    parser.add_argument("--only", choices=["both", "default", "project"], default="both")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--data-dir", type=Path, default=DATASET_DIR)
    parser.add_argument("--out", type=Path, help="JSON results (default bench/results/nlu*.json)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)

    train = load_split("train", args.data_dir)
    scored = load_split(args.split, args.data_dir)
    if args.quick:
        train = quick_subset(train, QUICK_SIZES["train"])
        scored = quick_subset(scored, QUICK_SIZES[args.split])
    work = Path(tempfile.mkdtemp(prefix="showroom-bench-nlu-"))
    write_rasa_json(train, work / "train.json")
    texts = [e.text for e in scored]
    (work / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    print(
        f"[bench-nlu] train {len(train)} examples, scoring {len(scored)} of '{args.split}'"
        f"{' (quick)' if args.quick else ''}; work dir {work}",
        flush=True,
    )

    pipelines = {"rasa_default": RASA_DEFAULT_PIPELINE, "project": project_pipeline(args.config)}
    if args.only != "both":
        pipelines = {k: v for k, v in pipelines.items() if k.endswith(args.only)}
    results = {
        name: score(scored, train_and_parse(name, pipeline, work, texts), pipeline)
        for name, pipeline in pipelines.items()
    }
    table = render_table(results)
    print(table)
    report: dict[str, Any] = {
        "dataset": "schuster2019-es",
        "split_scored": args.split,
        "quick": args.quick,
        "train_examples": len(train),
        "scored_examples": len(scored),
        "gold_slots_scored": sum(len(e.spans) for e in scored),
        "invalid_gold_slots_left_out": [s for e in train + scored for s in e.invalid_slots],
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "pipelines": {name: {"config": pipelines[name], **results[name]} for name in results},
        "table": table,
    }
    if len(results) == 2:
        report["checks"] = checks(results["rasa_default"], results["project"])
        print(json.dumps(report["checks"], indent=1))
    suffix = ("-quick" if args.quick else "") + ("-eval" if args.split == "eval" else "")
    suffix += "" if args.only == "both" else f"-{args.only}"
    out = args.out or RESULTS_DIR / f"nlu{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"[bench-nlu] results written to {out}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
