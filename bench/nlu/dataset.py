"""Read the Schuster et al. (2019) Spanish TSV files and write Rasa NLU training data.

The TSV columns are: intent, slots (`start:end:label`, comma-separated character offsets
into the utterance), utterance, language, tokenization JSON. A `/` in an intent means a
retrieval intent to Rasa, so `/` becomes `__` in intent and slot labels alike.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

DATASET_DIR = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "schuster2019-es"
SPLIT_FILES = {"train": "train-es.tsv", "eval": "eval-es.tsv", "test": "test-es.tsv"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str


@dataclass
class Example:
    text: str
    intent: str
    spans: list[Span] = field(default_factory=list)
    # slots whose offsets fall outside the utterance (one in the published test file)
    invalid_slots: list[str] = field(default_factory=list)


def rasa_name(label: str) -> str:
    """`alarm/set_alarm` -> `alarm__set_alarm` (Rasa reads `/` as a retrieval intent)."""
    return label.replace("/", "__")


def parse_line(line: str, line_number: int) -> Example:
    columns = line.rstrip("\n").split("\t")
    if len(columns) < 3:
        raise ValueError(f"line {line_number}: expected at least 3 tab-separated columns")
    intent, slots, raw_text = columns[0], columns[1], columns[2]
    text = raw_text.rstrip()
    example = Example(text=text, intent=rasa_name(intent))
    for slot in filter(None, slots.split(",")):
        start, end, label = slot.split(":", 2)
        span = Span(int(start), int(end), rasa_name(label))
        if 0 <= span.start < span.end <= len(text):
            example.spans.append(span)
        else:  # reported by the benchmark, left out of training and scoring alike
            example.invalid_slots.append(f"line {line_number}: {slot}")
    return example


def load_split(split: str, directory: Path = DATASET_DIR) -> list[Example]:
    path = directory / SPLIT_FILES[split]
    with open(path, encoding="utf-8") as handle:
        return [parse_line(line, number) for number, line in enumerate(handle, 1) if line.strip()]


def quick_subset(examples: list[Example], size: int, seed: int = 13) -> list[Example]:
    """A stratified-ish random subset (every intent keeps at least a few examples)."""
    if size >= len(examples):
        return list(examples)
    rng = random.Random(seed)
    by_intent: dict[str, list[Example]] = {}
    for example in examples:
        by_intent.setdefault(example.intent, []).append(example)
    share = size / len(examples)
    chosen: list[Example] = []
    for group in by_intent.values():
        keep = max(min(3, len(group)), round(len(group) * share))
        chosen.extend(rng.sample(group, keep))
    rng.shuffle(chosen)
    return chosen


def write_rasa_json(examples: list[Example], path: Path) -> None:
    """Rasa's JSON NLU format keeps character offsets exactly (no markup to escape)."""
    common = [
        {
            "text": example.text,
            "intent": example.intent,
            "entities": [
                {
                    "start": span.start,
                    "end": span.end,
                    "value": example.text[span.start : span.end],
                    "entity": span.label,
                }
                for span in example.spans
            ],
        }
        for example in examples
    ]
    payload = {"rasa_nlu_data": {"common_examples": common}}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
