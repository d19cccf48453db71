"""The NLU training data: files parse, every intent is covered, no (near-)duplicates."""

from __future__ import annotations

from collections import Counter
from typing import Any

from nlu_data import NLU_DIR, NluData, near_duplicate_key

# Intents the customer uses most, whose wording varies most (issue 2).
BROAD_INTENTS = {"search_vehicle", "ask_financing", "book_test_drive", "inform", "choose_option"}
MIN_EXAMPLES = 30
MIN_BROAD_EXAMPLES = 60
# Keeps one intent from swamping the classifier (which weighs classes by their size,
# class_weight=balanced, so more examples mean more variety, not a bigger prior).
MAX_BROAD_EXAMPLES = 150
# inform answers every form's questions (vehicle, financing, test drive, trade-in: body
# type, fuel, gearbox, condition, city, brand/model, amounts, dates, names, colours, the car a
# part is for, a quantity...),
# each also as a one-word reply ("hatch", "diésel", "qro"), so it needs more room.
MAX_EXAMPLES = {"inform": 240}


def test_every_file_is_rasa_3_1_nlu_yaml(nlu: NluData) -> None:
    assert any(name.startswith("data/nlu/") for name in nlu.files)
    for name, content in nlu.files.items():
        assert isinstance(content, dict), name
        assert str(content.get("version")) == "3.1", f'{name}: version must be "3.1"'
        assert isinstance(content.get("nlu"), list) and content["nlu"], f"{name}: empty nlu"
        assert set(content) <= {"version", "nlu"}, f"{name}: only NLU data belongs here"


def test_one_file_per_intent(nlu: NluData) -> None:
    files_per_intent: dict[str, set[str]] = {}
    for ex in nlu.examples:
        files_per_intent.setdefault(ex.intent, set()).add(ex.file)
    spread = {i: sorted(f) for i, f in files_per_intent.items() if len(f) > 1}
    assert not spread, f"intents split over several files: {spread}"
    for intent, files in files_per_intent.items():
        assert files == {f"data/nlu/{intent}.yml"}, f"{intent} lives in {files}"


def test_every_domain_intent_has_enough_examples(nlu: NluData, domain_intents: list[str]) -> None:
    counts = Counter(ex.intent for ex in nlu.examples)
    for intent in domain_intents:
        low = MIN_BROAD_EXAMPLES if intent in BROAD_INTENTS else MIN_EXAMPLES
        assert counts[intent] >= low, f"{intent}: {counts[intent]} examples, need {low}"
    for intent in BROAD_INTENTS:
        high = MAX_EXAMPLES.get(intent, MAX_BROAD_EXAMPLES)
        assert counts[intent] <= high, f"{intent}: {counts[intent]} examples, at most {high}"


def test_no_intent_outside_the_domain(nlu: NluData, domain_intents: list[str]) -> None:
    unknown = {ex.intent for ex in nlu.examples} - set(domain_intents)
    assert not unknown, f"intents not in domain.yml: {sorted(unknown)}"


def test_no_duplicate_or_near_duplicate_examples(nlu: NluData) -> None:
    """Same text up to case, accents, punctuation and spacing counts as a duplicate."""
    seen: dict[str, Any] = {}
    clashes = []
    for ex in nlu.examples:
        key = near_duplicate_key(ex.text)
        if key in seen:
            clashes.append(f"{seen[key].intent}: {seen[key].text!r} ~ {ex.intent}: {ex.text!r}")
        else:
            seen[key] = ex
    assert not clashes, "duplicates:\n" + "\n".join(clashes)


def test_examples_are_single_line_messages(nlu: NluData) -> None:
    for ex in nlu.examples:
        assert ex.text.strip() == ex.text and ex.text, f"{ex.intent}: {ex.raw!r}"
        assert "](" not in ex.text and "]{" not in ex.text, f"broken annotation: {ex.raw!r}"


def test_lookup_tables_exist_and_have_no_duplicates(nlu: NluData) -> None:
    assert len(nlu.lookups.get("city", [])) >= 50
    assert len(nlu.lookups.get("part", [])) >= 50
    for name, entries in nlu.lookups.items():
        dupes = [e for e, n in Counter(entries).items() if n > 1]
        assert not dupes, f"lookup {name}: duplicates {dupes}"


def test_the_data_directory_holds_only_yaml(nlu: NluData) -> None:
    others = [p.name for p in NLU_DIR.iterdir() if p.suffix not in (".yml", ".yaml")]
    assert not others, f"Rasa would try to read these as training data: {others}"
