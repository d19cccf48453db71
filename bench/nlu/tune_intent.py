"""Tune the LinearIntentClassifier on the benchmark's `eval` split (never on `test`).

`python -m bench.nlu.tune_intent` featurizes train and eval once with Rasa's own
WhitespaceTokenizer and CountVectorsFeaturizers (the settings of each variant below),
then fits the classifier for every setting in the grid and prints eval intent accuracy
and macro-F1. There is deliberately no option to score the test split: this is the only
place intent settings were chosen, and the chosen ones are written in config.yml.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bench.nlu.dataset import DATASET_DIR, Example, load_split
from bench.nlu.intent_part import fit_features
from bench.nlu.metrics import intent_scores
from components.linear_intent_classifier import LinearIntentClassifier

# Featurizer variants: alias -> extra CountVectorsFeaturizer settings.
FEATURIZER_VARIANTS: dict[str, dict[str, dict[str, Any]]] = {
    "word+char1-4": {
        "word_counts": {"strip_accents": "unicode"},
        "char_counts": {
            "analyzer": "char_wb",
            "min_ngram": 1,
            "max_ngram": 4,
            "strip_accents": "unicode",
        },
    },
    "word1-2+char1-4": {
        "word_counts": {"strip_accents": "unicode", "min_ngram": 1, "max_ngram": 2},
        "char_counts": {
            "analyzer": "char_wb",
            "min_ngram": 1,
            "max_ngram": 4,
            "strip_accents": "unicode",
        },
    },
    "word1-2+char2-5": {
        "word_counts": {"strip_accents": "unicode", "min_ngram": 1, "max_ngram": 2},
        "char_counts": {
            "analyzer": "char_wb",
            "min_ngram": 2,
            "max_ngram": 5,
            "strip_accents": "unicode",
        },
    },
}

CLASSIFIER_GRID: dict[str, list[Any]] = {
    "C": [3.0, 10.0, 30.0, 100.0],
    "class_weight": [None, "balanced"],
    "block_weights": [
        {},
        {"word_counts": 1.5},
        {"char_counts": 1.5},
        {"char_counts": 2.0},
        {"char_counts": 3.0},
    ],
}


def featurize(
    variant: dict[str, dict[str, Any]], train: list[Example], scored: list[Example], work: Path
) -> tuple[TrainingData, list[Message]]:
    steps = [{"alias": alias, **extra} for alias, extra in variant.items()]
    data = TrainingData([Message(data={"text": e.text, "intent": e.intent}) for e in train])
    context = ExecutionContext(GraphSchema({}), "tune")
    features = fit_features(steps, data, LocalModelStorage(work), context)
    messages = [Message(data={"text": e.text}) for e in scored]
    features(messages)
    return data, messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="*", default=list(FEATURIZER_VARIANTS))
    parser.add_argument("--data-dir", type=Path, default=DATASET_DIR)
    parser.add_argument("--grid", type=json.loads, help="JSON: overrides CLASSIFIER_GRID keys")
    args = parser.parse_args(argv)
    train = load_split("train", args.data_dir)
    scored = load_split("eval", args.data_dir)
    gold = [e.intent for e in scored]
    grid = {**CLASSIFIER_GRID, **(args.grid or {})}
    keys = list(grid)
    print("variant | " + " | ".join(keys) + " | eval accuracy | eval macro-F1 | fit s")
    for name in args.variants:
        with tempfile.TemporaryDirectory() as tmp:
            data, messages = featurize(FEATURIZER_VARIANTS[name], train, scored, Path(tmp))
            storage = LocalModelStorage(Path(tmp))
            context = ExecutionContext(GraphSchema({}), "tune")
            for index, values in enumerate(itertools.product(*grid.values())):
                settings = dict(zip(keys, values, strict=True))
                config = {**LinearIntentClassifier.get_default_config(), **settings}
                classifier = LinearIntentClassifier.create(
                    config, storage, Resource(f"c{index}"), context
                )
                started = time.perf_counter()
                classifier.train(data)
                seconds = time.perf_counter() - started
                for message in messages:
                    message.data.pop("intent", None)
                classifier.process(messages)
                predicted = [m.get("intent", {}).get("name") for m in messages]
                scores = intent_scores(gold, predicted)
                cells = " | ".join(str(v) for v in values)
                print(
                    f"{name} | {cells} | {scores['accuracy']:.4f} | "
                    f"{scores['macro_f1']:.4f} | {seconds:.1f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
