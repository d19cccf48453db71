"""scripts/nlu_eval.py: the scoring and bookkeeping around `rasa test nlu`.

The full run (train + test, about two minutes) is `make test-nlu`; these tests cover the
parts that turn Rasa's output into the printed figures.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from nlu_data import ROOT


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nlu_eval", ROOT / "scripts" / "nlu_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nlu_eval = load_script()


def row(text: str, gold: list[tuple[str, str]], pred: list[tuple[str, str]]) -> dict:
    return {
        "text": text,
        "entities": [{"entity": e, "value": v} for e, v in gold],
        "predicted_entities": [{"entity": e, "value": v} for e, v in pred],
    }


def test_entities_are_scored_on_canonical_values() -> None:
    rows = [
        row("busco troca diesel", [("body_type", "pickup"), ("fuel", "diesel")],
            [("body_type", "pickup"), ("fuel", "diesel"), ("amount", "300000")]),
        row("una camioneta", [("body_type", "suv")], [("body_type", "camioneta")]),
        row("manda mas", [], [("brand", "Mazda")]),
    ]  # fmt: skip
    table, errors = nlu_eval.score_entities(rows)
    by_name = {r["entity"]: r for r in table}
    # Only types annotated somewhere in the test data are scored: not amount, not brand.
    assert set(by_name) == {"body_type", "fuel"}
    assert by_name["body_type"]["precision"] == 0.5 and by_name["body_type"]["recall"] == 0.5
    assert by_name["body_type"]["support"] == 2
    assert by_name["fuel"]["f1"] == 1.0
    assert [e["text"] for e in errors] == ["una camioneta"]
    assert errors[0]["missed"] == ["body_type=suv"]
    assert errors[0]["spurious"] == ["body_type=camioneta"]


def test_spurious_entities_of_a_scored_type_count_against_precision() -> None:
    rows = [
        row("el jetta", [("model", "Jetta")], [("model", "Jetta")]),
        row("para nada", [], [("model", "nada")]),
    ]
    table, errors = nlu_eval.score_entities(rows)
    assert table == [
        {"entity": "model", "precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    ]
    assert errors == [{"text": "para nada", "missed": [], "spurious": ["model=nada"]}]


def test_intent_table_reads_rasa_report() -> None:
    report = {
        "greet": {"precision": 1.0, "recall": 0.5, "f1-score": 0.6667, "support": 2,
                  "confused_with": {"goodbye": 1}},
        "goodbye": {"precision": 0.5, "recall": 1.0, "f1-score": 0.6667, "support": 1,
                    "confused_with": {}},
        "accuracy": 0.6667,
        "macro avg": {"precision": 0.75, "recall": 0.75, "f1-score": 0.6667, "support": 3},
    }  # fmt: skip
    rows = nlu_eval.intent_table(report)
    assert [r["intent"] for r in rows] == ["goodbye", "greet"]
    assert rows[1]["confused_with"] == {"goodbye": 1} and rows[1]["support"] == 2


def test_count_examples_counts_intent_examples_only(tmp_path: Path) -> None:
    data = tmp_path / "d.yml"
    data.write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hola\n    - buenas\n'
        "- synonym: pickup\n  examples: |\n    - troca\n"
        "- lookup: city\n  examples: |\n    - Monterrey\n"
        "- intent: deny\n  examples: |\n    - no\n",
        encoding="utf-8",
    )
    assert nlu_eval.count_examples(data) == 3


def test_sources_are_collected_without_name_clashes(tmp_path: Path) -> None:
    for folder in ("nlu", "lookups"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "city.yml").write_text("x", encoding="utf-8")
    dest = tmp_path / "out"
    count = nlu_eval.collect_sources([str(tmp_path / "nlu"), str(tmp_path / "lookups")], dest)
    assert count == 2 and len(list(dest.iterdir())) == 2


def test_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="does not exist"):
        nlu_eval.collect_sources([str(tmp_path / "nope")], tmp_path / "out")
