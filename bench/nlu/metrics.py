"""Scores: intent accuracy and macro-F1, entity precision/recall/F1 on exact span + label.

Entity scoring (documented in docs/nlu-benchmark.md):
- a predicted entity is correct only if its start, end and label equal a gold slot's;
- `strict` counts every predicted entity, so an entity whose label the benchmark does not
  have (e.g. `time` or `amount` from the Spanish quantity extractor) is a false positive;
- `benchmark_labels` leaves out predicted labels the benchmark does not annotate (the
  gold data can neither confirm nor refute them). It is reported next to `strict`, and the
  headline figure is `strict`, the one that can only count against a pipeline.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

Triple = tuple[int, int, str]


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def intent_scores(gold: Sequence[str], predicted: Sequence[str | None]) -> dict[str, float]:
    """Accuracy, and macro-F1 over the gold labels.

    A prediction outside the gold labels (e.g. `nlu_fallback`) is simply wrong: it lowers
    the recall of the true label; it is not averaged in as a class of its own.
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted intents differ in length")
    labels = sorted(set(gold))
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    f1s = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(_f1(precision, recall))
    return {
        "accuracy": correct / len(gold) if gold else 0.0,
        "macro_f1": sum(f1s) / len(f1s) if f1s else 0.0,
    }


def entity_scores(
    gold: Sequence[Iterable[Triple]],
    predicted: Sequence[Iterable[Triple]],
    benchmark_labels: set[str] | None = None,
) -> dict[str, float | int]:
    """Micro precision/recall/F1 on exact (start, end, label) triples.

    With `benchmark_labels`, predictions whose label is not one of them are dropped first.
    """
    tp = fp = fn = 0
    for gold_entities, predicted_entities in zip(gold, predicted, strict=True):
        gold_counts = Counter(gold_entities)
        predicted_counts = Counter(
            triple
            for triple in predicted_entities
            if benchmark_labels is None or triple[2] in benchmark_labels
        )
        matched = sum((gold_counts & predicted_counts).values())
        tp += matched
        fp += sum(predicted_counts.values()) - matched
        fn += sum(gold_counts.values()) - matched
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
    }


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    if not values:
        raise ValueError("percentile of an empty sequence")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]
