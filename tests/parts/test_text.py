"""The shared Spanish analyzer: normalization, stemming, synonyms, document terms."""

from __future__ import annotations

import pytest

from showroom.inventory.parts.text import (
    canonical_groups,
    content_stems,
    document_terms,
    head_term,
    normalize,
    stem,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bujías NGK", "bujias ngk"),
        ("Aceite 5W-30 sintético", "aceite 5w30 sintetico"),
        ("Honda CR-V", "honda crv"),
        ("Filtro A/C", "filtro ac"),
        ("Tsuru 92-17, 1.6L", "tsuru 92 17 16l"),
        ("  Muñón   ¡ya!  ", "munon ya"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    "forms",
    [
        ("balatas", "balata"),
        ("amortiguadores", "amortiguador"),
        ("delanteras", "delantera", "delanteros", "delantero"),
        ("sensores", "sensor"),
        ("luces", "luz"),
        ("bujias", "bujia"),
        ("terminales", "terminal"),
        ("bujes", "buje"),
        ("soportes", "soporte"),
    ],
)
def test_plural_and_gender_share_a_stem(forms: tuple[str, ...]) -> None:
    assert len({stem(f) for f in forms}) == 1


def test_numbers_and_short_words_are_not_stemmed() -> None:
    assert stem("5w30") == "5w30"
    assert stem("kit") == "kit"
    assert stem("h4") == "h4"


def test_stop_words_and_filler_are_dropped() -> None:
    assert content_stems("Hola, ¿tienen balatas para mi carro?") == ["balat"]


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("pastillas de freno", ("balat",)),
        ("embrague", ("clutch",)),
        ("bateria", ("acumulador",)),
        ("motor de arranque", ("march",)),
        ("sonda lambda", ("sensor", "oxigen")),
        ("correa de distribucion", ("band", "distribucion")),
        ("balero de clutch", ("collarin",)),
        ("balero", ("baler",)),
    ],
)
def test_synonym_phrases_resolve_to_the_canonical_terms(
    query: str, canonical: tuple[str, ...]
) -> None:
    groups = canonical_groups(content_stems(query))
    assert [c for _, target in groups for c in target] == list(canonical)


def test_document_terms_keep_own_words_and_gain_canonical_ones() -> None:
    search, title = document_terms(
        title="Pastillas de freno delanteras Brembo para Tsuru 92-17",
        category="Frenos",
        brand="Brembo",
        sku="BR-1234",
        vehicle_words={"nissan", "tsuru", "92", "17", "1992", "2017"},
    )
    terms = search.split()
    assert {"pastill", "fren", "balat", "delanter", "bremb", "br1234"} <= set(terms)
    assert "tsuru" not in terms and "92" not in terms  # vehicles match through fitments
    assert title.split()[:2] == ["pastill", "fren"]
    assert len(terms) == len(set(terms))


def test_head_term_skips_kit_words() -> None:
    assert head_term(["kit", "clutch", "luk"]) == "clutch"
    assert head_term(["balat", "delanter"]) == "balat"
    assert head_term([]) is None
