"""Known names found in messages, with typos (components/fuzzy_gazetteer.py)."""

from __future__ import annotations

from components.fuzzy_gazetteer import (
    COMMON_WORDS,
    FUZZY_CONFIDENCE,
    Gazetteer,
    name_key,
    plain_words,
)

NAMES = [
    ("brand", "Volkswagen", "Volkswagen"),
    ("brand", "VW", "Volkswagen"),
    ("brand", "Chevrolet", "Chevrolet"),
    ("brand", "Peugeot", "Peugeot"),
    ("model", "Jetta", "Jetta"),
    ("model", "Vento", "Vento"),
    ("model", "CR-V", "CR-V"),
    ("model", "2008", "2008"),
    ("model", "Peugeot 2008", "2008"),
    ("model", "Mazda 3", "Mazda 3"),
    ("brand", "Mazda", "Mazda"),
    ("model", "Grand Cherokee", "Grand Cherokee"),
    ("model", "León", "León"),
    ("city", "León", "León"),
    ("part", "balatas", "balatas"),
]


def found(text: str) -> list[tuple[str, str, str, float]]:
    gazetteer = Gazetteer(NAMES)
    return [(text[m.start : m.end], m.entity, m.value, m.confidence) for m in gazetteer.find(text)]


def test_exact_names_with_canonical_values() -> None:
    assert found("busco un VW Jetta") == [
        ("VW", "brand", "Volkswagen", 1.0),
        ("Jetta", "model", "Jetta", 1.0),
    ]


def test_case_accents_hyphens_and_spaces_do_not_matter() -> None:
    assert [f[0] for f in found("una crv, una CR-V o una cr v")] == ["crv", "CR-V", "cr v"]
    assert found("GRAND CHEROKEE") == [("GRAND CHEROKEE", "model", "Grand Cherokee", 1.0)]


def test_one_typo_on_longer_names() -> None:
    assert found("un volkswagn jeeta") == [
        ("volkswagn", "brand", "Volkswagen", FUZZY_CONFIDENCE),
        ("jeeta", "model", "Jetta", FUZZY_CONFIDENCE),
    ]
    assert found("chevrolte") == [("chevrolte", "brand", "Chevrolet", FUZZY_CONFIDENCE)]


def test_no_typo_matching_on_common_words_or_wrong_first_letter() -> None:
    assert found("me interesa la venta") == []
    assert found("hevrolet") == []  # first letter wrong
    assert found("balatas y valatas") == [("balatas", "part", "balatas", 1.0)]


def test_two_typos_do_not_match() -> None:
    assert found("volksvagn") == []


def test_frequent_spanish_words_are_never_a_typo_of_a_name() -> None:
    names = [
        ("city", "Tampico", "Tampico"),
        ("part", "balatas", "balatas"),
        ("transmission", "manual", "manual"),
        ("model", "Sentra", "Sentra"),
    ]
    gazetteer = Gazetteer(names)
    assert {"tampoco", "baratas", "manuel", "sentar"} <= COMMON_WORDS
    assert gazetteer.find("tampoco, busco algo mas baratas, soy manuel") == []
    assert [m.value for m in gazetteer.find("vivo en tampcio")] == ["Tampico"]  # a real typo


def test_digit_names_match_only_with_their_brand() -> None:
    # "2008" alone is a year; after a brand it may still be one ("un chevy 2008")
    assert found("un carro del 2008") == []
    assert found("un chevrolet 2008") == [("chevrolet", "brand", "Chevrolet", 1.0)]
    # the lookup tables write such models with their brand: that name matches
    assert found("el peugeot 2008") == [
        ("peugeot 2008", "model", "2008", 1.0),
        ("peugeot", "brand", "Peugeot", 1.0),
    ]


def test_a_model_that_starts_with_its_brand_also_yields_the_brand() -> None:
    assert found("tienen mazda 3?") == [
        ("mazda 3", "model", "Mazda 3", 1.0),
        ("mazda", "brand", "Mazda", 1.0),
    ]
    assert found("un mazda3") == [("mazda3", "model", "Mazda 3", 1.0)]  # one word: no brand
    assert Gazetteer(NAMES, nested={}).find("mazda 3")[1:] == []


def test_spellings_of_one_name_get_one_canonical_value() -> None:
    names = [
        ("model", "cx 30", "cx 30"),
        ("model", "CX 30", "CX 30"),
        ("model", "CX-30", "CX-30"),
        ("model", "cx30", "cx30"),
    ]
    assert [m.value for m in Gazetteer(names).find("la cx30")] == ["CX-30"]
    # a synonym target wins over any spelling that looks more canonical
    names = [("model", "Tcross", "Tcross"), ("model", "T-CROSS", "T-CROSS")]
    names.append(("model", "t cross", "Tcross"))
    assert [m.value for m in Gazetteer(names).find("una t-cross")] == ["Tcross"]


def test_ambiguous_names_are_marked() -> None:
    names = [("fuel", "gasolina", "gasolina"), ("fuel", "diesel", "diesel")]
    gazetteer = Gazetteer(names, ambiguous={"gasolina", "unknown"})
    assert gazetteer.ambiguous == {"gasolina"}
    flags = [(m.value, m.ambiguous) for m in gazetteer.find("diesel o gasolina")]
    assert flags == [("diesel", False), ("gasolina", True)]
    again = Gazetteer.from_dict(gazetteer.to_dict())
    assert again.find("gasolina") == gazetteer.find("gasolina")


def test_ambiguous_name_yields_every_entity() -> None:
    assert found("en leon") == [("leon", "city", "León", 0.5), ("leon", "model", "León", 0.5)]


def test_round_trip() -> None:
    gazetteer = Gazetteer(NAMES)
    again = Gazetteer.from_dict(gazetteer.to_dict())
    text = "grand cherokee o vw jeta en leon"
    assert again.find(text) == gazetteer.find(text)


def test_name_key() -> None:
    assert name_key("CR-V") == name_key("cr v") == "crv"
    assert name_key("Peñafiel") == "penafiel"


def test_known_words_are_never_a_typo_of_a_name() -> None:
    names = [*NAMES, ("model", "March", "March"), ("model", "Kicks", "Kicks")]
    plain = Gazetteer(names)
    assert [m.value for m in plain.find("unas kikcs")] == ["Kicks"]  # one edit away
    # words the training examples use outside entities ("kikcs": say, a shoe brand)
    guarded = Gazetteer(names, known_words={"kikcs", "march"})
    assert guarded.find("unas kikcs") == []
    # an exact name still matches, and a name is never a "known word"
    assert [m.value for m in guarded.find("un march 2019")] == ["March"]
    assert guarded.known_words == {"kikcs"}
    assert Gazetteer.from_dict(guarded.to_dict()).find("unas kikcs") == []


def test_plain_words_leave_out_annotated_spans() -> None:
    text = "tienen el Jetta en Colima?"
    assert plain_words(text, [(10, 15)]) == {"tienen", "el", "en", "colima"}
