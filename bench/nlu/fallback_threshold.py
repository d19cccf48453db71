"""Choose the FallbackClassifier thresholds on the project's own NLU data.

`python -m bench.nlu.fallback_threshold [--folds 5]` (or `make nlu-fallback-threshold`):
k-fold cross-validation of config.yml's tokenizer, count-vector featurizers and intent
classifier on data/nlu; for each threshold pair it prints how many correctly classified
messages would wrongly go to the fallback and how many misclassified ones it would catch.
Only the intent part of the pipeline is trained, so it takes seconds per fold.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
AMBIGUITY = (0.0, 0.05, 0.1)


def cross_validate(
    data_dir: Path, config_path: Path, folds: int, seed: int
) -> list[tuple[bool, float, float]]:
    """(correct?, top confidence, margin to the second intent) per held-out example."""
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.message import Message

    from bench.nlu.intent_part import train_intent_part

    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    examples = [(m.get("text"), m.get("intent")) for m in load_data(str(data_dir)).intent_examples]
    random.Random(seed).shuffle(examples)
    work = tempfile.TemporaryDirectory(prefix="showroom-fallback-")
    results = []
    for fold in range(folds):
        held_out = examples[fold::folds]
        train = [e for i, e in enumerate(examples) if i % folds != fold]
        (Path(work.name) / f"fold{fold}").mkdir()
        process = train_intent_part(config, train, Path(work.name) / f"fold{fold}")
        messages = [Message(data={"text": t}) for t, _ in held_out]
        process(messages)
        for message, (_, intent) in zip(messages, held_out, strict=True):
            ranking = message.get("intent_ranking") or [{"name": None, "confidence": 0.0}]
            second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
            top = ranking[0]
            results.append((top["name"] == intent, top["confidence"], top["confidence"] - second))
    work.cleanup()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "nlu")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    results = cross_validate(args.data, args.config, args.folds, args.seed)
    correct = [r for r in results if r[0]]
    wrong = [r for r in results if not r[0]]
    print(f"{len(results)} held-out examples, intent accuracy {len(correct) / len(results):.3f}")
    print("threshold ambiguity  correct->fallback  wrong caught  fallback rate")
    for threshold in THRESHOLDS:
        for ambiguity in AMBIGUITY:

            def falls(
                r: tuple[bool, float, float], t: float = threshold, a: float = ambiguity
            ) -> bool:
                return r[1] < t or r[2] < a

            lost = sum(map(falls, correct)) / max(len(correct), 1)
            caught = sum(map(falls, wrong)) / max(len(wrong), 1)
            rate = sum(map(falls, results)) / len(results)
            print(f"{threshold:9.2f} {ambiguity:9.2f} {lost:18.3f} {caught:13.3f} {rate:14.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
