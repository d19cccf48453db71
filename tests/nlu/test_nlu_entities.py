"""Entity annotations follow the policy agreed with components/ (see docs/nlu.md).

Only brand, model, body_type, transmission, fuel, condition, part and city are annotated,
always with the canonical value (DESIGN.md). Years, amounts, percents, months, dates,
km, option numbers and VINs come from the rule-based extractors and are never annotated.
"""

from __future__ import annotations

import csv
import re

import pytest
from nlu_data import ROOT, NluData, fold

ANNOTATED = {"brand", "model", "body_type", "transmission", "fuel", "condition", "part", "city"}
CLOSED = {
    "body_type": {"sedan", "hatchback", "suv", "pickup", "van", "coupe"},
    "transmission": {"automatica", "manual"},
    "fuel": {"gasolina", "diesel", "hibrido", "electrico"},
    "condition": {"nuevo", "seminuevo"},
}
VIN = re.compile(r"\b[A-HJ-NPR-Z0-9]{17}\b", re.IGNORECASE)
VIN_VALUES = dict(zip("ABCDEFGH", range(1, 9), strict=True))
VIN_VALUES |= dict(zip("JKLMN", range(1, 6), strict=True)) | {"P": 7, "R": 9}
VIN_VALUES |= dict(zip("STUVWXYZ", range(2, 10), strict=True))
VIN_VALUES |= {str(d): d for d in range(10)}
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def synonym_map(nlu: NluData) -> dict[str, set[str]]:
    """Lower-cased text -> every value Rasa's EntitySynonymMapper could give it."""
    mapping: dict[str, set[str]] = {}
    for canonical, forms in nlu.synonyms.items():
        for form in forms:
            mapping.setdefault(form.lower(), set()).add(canonical)
    for ex in nlu.examples:
        for ent in ex.entities:
            if ent.text != ent.value:
                mapping.setdefault(ent.text.lower(), set()).add(ent.value)
    return mapping


def canonical_set(nlu: NluData, lookup: str) -> set[str]:
    """Lookup entries that no synonym rewrites to something else."""
    mapping = synonym_map(nlu)
    return {e for e in nlu.lookups[lookup] if mapping.get(e.lower(), {e}) == {e}}


def test_only_agreed_entities_are_annotated(nlu: NluData) -> None:
    for ex in nlu.examples:
        for ent in ex.entities:
            assert ent.entity in ANNOTATED, f"{ent.entity} must not be annotated: {ex.raw!r}"
            assert ent.role is None, f"roles come from components/: {ex.raw!r}"


def test_numbers_are_left_to_the_extractors(nlu: NluData) -> None:
    """An annotated span never holds a year, amount or VIN (model names like 208 aside)."""
    for ex in nlu.examples:
        for ent in ex.entities:
            if ent.entity == "model":
                continue
            assert not re.search(r"\d{3,}|%|\$", ent.text), f"{ex.raw!r}"


def test_closed_entities_have_canonical_values(nlu: NluData) -> None:
    for ex in nlu.examples:
        for ent in ex.entities:
            if ent.entity in CLOSED:
                assert ent.value in CLOSED[ent.entity], f"{ent.value!r} in {ex.raw!r}"


def test_parts_and_cities_are_canonical_lookup_entries(nlu: NluData) -> None:
    parts, cities = canonical_set(nlu, "part"), canonical_set(nlu, "city")
    for ex in nlu.examples:
        for ent in ex.entities:
            if ent.entity == "part":
                assert ent.value in parts, f"part {ent.value!r} in {ex.raw!r}"
            if ent.entity == "city":
                assert ent.value in cities, f"city {ent.value!r} in {ex.raw!r}"


def test_brand_and_model_values_are_written_as_the_manufacturer_does(nlu: NluData) -> None:
    for ex in nlu.examples:
        for ent in ex.entities:
            if ent.entity in ("brand", "model"):
                assert ent.value[0].isupper() or ent.value[0].isdigit(), f"{ex.raw!r}"
                assert ent.value == ent.value.strip() and "  " not in ent.value


def test_a_text_never_maps_to_two_values(nlu: NluData) -> None:
    """EntitySynonymMapper ignores the entity type: one spelling, one value."""
    clashes = {t: v for t, v in synonym_map(nlu).items() if len(v) > 1}
    assert not clashes, f"conflicting synonyms: {clashes}"


def test_annotated_values_do_not_get_rewritten(nlu: NluData) -> None:
    """A canonical value is never itself a synonym of another value."""
    mapping = synonym_map(nlu)
    for ex in nlu.examples:
        for ent in ex.entities:
            assert mapping.get(ent.value.lower(), {ent.value}) == {ent.value}, f"{ex.raw!r}"


def test_synonym_targets_are_canonical(nlu: NluData) -> None:
    known = set().union(*CLOSED.values()) | set(nlu.lookups["part"]) | set(nlu.lookups["city"])
    vehicle_values = {
        ent.value for ex in nlu.examples for ent in ex.entities if ent.entity in ("brand", "model")
    }
    # generated: a model listed with its brand ("Peugeot 208", "BMW iX") -> the model name
    model_entries = {e.lower() for e in nlu.lookups.get("model", [])}
    vehicle_values |= {
        c for c, forms in nlu.synonyms.items() if any(f.lower() in model_entries for f in forms)
    }
    for canonical in nlu.synonyms:
        assert canonical in known or canonical in vehicle_values or canonical[0].isupper(), (
            f"synonym target {canonical!r} is not a canonical value"
        )


def test_lower_case_canonical_values_map_to_themselves(nlu: NluData) -> None:
    """So that "SUV" or "Diesel" typed by a customer still end up canonical."""
    mapping = synonym_map(nlu)
    for values in CLOSED.values():
        for value in values:
            assert mapping.get(value) == {value}, value


def vin_check_digit_ok(vin: str) -> bool:
    total = sum(VIN_VALUES[c] * w for c, w in zip(vin.upper(), VIN_WEIGHTS, strict=True))
    digit = total % 11
    return vin[8].upper() == ("X" if digit == 10 else str(digit))


def test_vins_in_examples_are_realistic(nlu: NluData) -> None:
    vins = [(ex, m.group(0)) for ex in nlu.examples for m in VIN.finditer(ex.text)]
    assert len(vins) >= 30
    for ex, vin in vins:
        assert ex.intent == "provide_vin", ex.raw
        assert any(c.isdigit() for c in vin) and any(c.isalpha() for c in vin), vin
        assert vin_check_digit_ok(vin), f"bad check digit: {vin}"


def test_vin_check_digit_rule_rejects_a_typo() -> None:
    assert vin_check_digit_ok("1M8GDM9AXKP042788")  # the textbook example
    assert not vin_check_digit_ok("1M8GDM9AXKP042789")


@pytest.mark.parametrize("column", ["brand", "model"])
def test_vehicle_names_match_the_demo_inventory(nlu: NluData, column: str) -> None:
    """Where a brand/model exists in demo/vehicles.csv, the NLU writes it the same way."""
    path = ROOT / "demo" / "vehicles.csv"
    if not path.exists():
        pytest.skip("demo/vehicles.csv not generated yet")
    with open(path, encoding="utf-8", newline="") as handle:
        inventory = {fold(row[column]): row[column] for row in csv.DictReader(handle)}
    for ex in nlu.examples:
        for ent in ex.entities:
            if ent.entity == column and fold(ent.value) in inventory:
                assert ent.value == inventory[fold(ent.value)], f"{ex.raw!r}"


def test_no_canonical_value_is_another_values_synonym(nlu: NluData) -> None:
    """Rasa's EntitySynonymMapper also rewrites the gazetteer's canonical values: a model
    called "Sedán" would come out as the body type "sedan"."""
    mapping = synonym_map(nlu)
    for canonical in nlu.synonyms:
        assert mapping.get(canonical.lower(), {canonical}) == {canonical}, canonical
    for entries in (nlu.lookups.get("brand", []), nlu.lookups.get("model", [])):
        for entry in entries:
            targets = mapping.get(entry.lower())
            assert targets is None or len(targets) == 1, entry
