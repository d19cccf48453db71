"""One entity per span (components/entity_resolver.py)."""

from __future__ import annotations

from typing import Any

from components.entity_resolver import resolve_entities


def entity(
    name: str,
    start: int,
    end: int,
    value: Any,
    extractor: str,
    confidence: float = 1.0,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "entity": name,
        "start": start,
        "end": end,
        "value": value,
        "extractor": extractor,
        "confidence_entity": confidence,
        **extra,
    }


def test_agreeing_extractors_merge_and_take_the_canonical_value() -> None:
    crf = entity("brand", 6, 8, "vw", "CRFEntityTagger", 0.9)
    gazetteer = entity("brand", 6, 8, "Volkswagen", "GazetteerEntityExtractor")
    (kept,) = resolve_entities([crf, gazetteer])
    assert (kept["entity"], kept["value"]) == ("brand", "Volkswagen")


def test_votes_decide_between_labels() -> None:
    entities = [
        entity("city", 3, 7, "León", "GazetteerEntityExtractor", 0.5),
        entity("model", 3, 7, "León", "GazetteerEntityExtractor", 0.5),
        entity("city", 3, 7, "leon", "CRFEntityTagger", 0.8),
    ]
    (kept,) = resolve_entities(entities)
    assert (kept["entity"], kept["value"]) == ("city", "León")


def test_trained_label_beats_a_rule_based_one_on_the_same_words() -> None:
    entities = [
        entity("datetime", 0, 13, "para las 7 am", "CRFEntityTagger", 0.9),
        entity("time", 5, 13, "2026-11-26T07:00:00", "SpanishQuantityExtractor"),
    ]
    assert [e["entity"] for e in resolve_entities(entities)] == ["datetime"]


def test_role_from_the_quantity_extractor_is_kept() -> None:
    entities = [
        entity("amount", 6, 13, "300 mil", "CRFEntityTagger", 0.7),
        entity("amount", 6, 13, 300000, "SpanishQuantityExtractor", role="budget"),
    ]
    (kept,) = resolve_entities(entities)
    assert (kept["value"], kept["role"]) == (300000, "budget")


def test_synonym_mapped_value_beats_raw_text() -> None:
    entities = [
        entity(
            "body_type", 0, 5, "pickup", "CRFEntityTagger", 0.9, processors=["EntitySynonymMapper"]
        ),
        entity("body_type", 0, 5, "troca", "SomeOtherExtractor"),
    ]
    (kept,) = resolve_entities(entities)
    assert kept["value"] == "pickup"


def test_unknown_entities_like_vin_pass_through() -> None:
    vin = entity("vin", 10, 27, "3VWFE21C04M000001", "VinExtractor")
    year = entity("year", 30, 34, 2015, "SpanishQuantityExtractor")
    brand = entity("brand", 0, 2, "Volkswagen", "GazetteerEntityExtractor")
    assert resolve_entities([vin, year, brand]) == [brand, vin, year]


def test_vin_wins_over_a_number_inside_it() -> None:
    vin = entity("vin", 0, 17, "3VWFE21C04M000001", "VinExtractor")
    amount = entity("amount", 0, 17, 3, "SpanishQuantityExtractor")
    assert [e["entity"] for e in resolve_entities([amount, vin])] == ["vin"]


def test_weights_are_configurable() -> None:
    entities = [
        entity("datetime", 0, 13, "para las 7 am", "CRFEntityTagger", 0.9),
        entity("time", 5, 13, "2026-11-26T07:00:00", "SpanishQuantityExtractor"),
    ]
    kept = resolve_entities(entities, weights={"SpanishQuantityExtractor": 5.0})
    assert [e["entity"] for e in kept] == ["time"]
