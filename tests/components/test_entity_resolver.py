"""One entity per span (components/entity_resolver.py)."""

from __future__ import annotations

from typing import Any

from components.entity_resolver import resolve_entities, restore_numbers


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


GAZ, CRF = "GazetteerEntityExtractor", "CRFEntityTagger"
AMBIGUOUS = {"additional_info": {"ambiguous": True}}


def test_an_ambiguous_name_needs_another_extractor_to_agree() -> None:
    # "gasta poca gasolina": the gazetteer knows the word, the CRF saw no fuel there
    alone = entity("fuel", 11, 19, "gasolina", GAZ, **AMBIGUOUS)
    assert resolve_entities([alone]) == []
    year = entity("year", 0, 4, 2019, "SpanishQuantityExtractor")
    assert resolve_entities([year, alone]) == [year]
    # "de gasolina": the CRF tags it too
    crf = entity("fuel", 3, 11, "gasolina", CRF, 0.8)
    kept = resolve_entities([entity("fuel", 3, 11, "gasolina", GAZ, **AMBIGUOUS), crf])
    assert [(e["entity"], e["value"]) for e in kept] == [("fuel", "gasolina")]
    # another label from the CRF does not count as support
    other = entity("model", 11, 19, "gasolina", CRF, 0.8)
    assert resolve_entities([alone, other]) == [other]


def test_a_brand_inside_its_model_name_is_not_a_conflict() -> None:
    model = entity("model", 8, 15, "Mazda 3", GAZ)
    brand = entity("brand", 8, 13, "Mazda", GAZ)
    crf_model = entity("model", 8, 15, "mazda 3", CRF, 0.9)
    kept = resolve_entities([model, brand, crf_model])
    assert [(e["entity"], e["value"]) for e in kept] == [("brand", "Mazda"), ("model", "Mazda 3")]
    # only the configured pairs nest; a brand inside a city still competes
    city = entity("city", 8, 15, "Mazda Town", CRF, 0.5)
    kept = resolve_entities([city, brand])
    assert [e["entity"] for e in kept] == ["brand"]
    assert len(resolve_entities([model, brand], nested=())) == 1


def test_numbers_turned_into_text_by_the_synonym_mapper_are_restored() -> None:
    # with a model called "2008" among the synonyms, Rasa maps the year 2008 to "2008"
    mapped = {"processors": ["EntitySynonymMapper"]}
    year = entity("year", 10, 14, "2008", "SpanishQuantityExtractor", **mapped)
    amount = entity("amount", 0, 3, "1.5", "SpanishQuantityExtractor")
    model = entity("model", 20, 24, "2008", GAZ, **mapped)
    restored = restore_numbers([year, amount, model])
    assert [e["value"] for e in restored] == [2008, 1.5, "2008"]
    assert year["value"] == "2008"  # the input is left alone
