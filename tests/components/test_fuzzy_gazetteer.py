"""Known names found in messages, with typos (components/fuzzy_gazetteer.py)."""

from __future__ import annotations

from components.fuzzy_gazetteer import FUZZY_CONFIDENCE, Gazetteer, name_key, plain_words

NAMES = [
    ("brand", "Volkswagen", "Volkswagen"),
    ("brand", "VW", "Volkswagen"),
    ("brand", "Chevrolet", "Chevrolet"),
    ("brand", "Peugeot", "Peugeot"),
    ("model", "Jetta", "Jetta"),
    ("model", "Vento", "Vento"),
    ("model", "CR-V", "CR-V"),
    ("model", "2008", "2008"),
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
    assert found("un volkswagn jeta") == [
        ("volkswagn", "brand", "Volkswagen", FUZZY_CONFIDENCE),
        ("jeta", "model", "Jetta", FUZZY_CONFIDENCE),
    ]
    assert found("chevrolte") == [("chevrolte", "brand", "Chevrolet", FUZZY_CONFIDENCE)]


def test_no_typo_matching_on_common_words_or_wrong_first_letter() -> None:
    assert found("me interesa la venta") == []
    assert found("hevrolet") == []  # first letter wrong
    assert found("balatas y valatas") == [("balatas", "part", "balatas", 1.0)]


def test_two_typos_do_not_match() -> None:
    assert found("volksvagn") == []


def test_digit_names_only_after_another_name() -> None:
    assert found("peugeot 2008") == [
        ("peugeot", "brand", "Peugeot", 1.0),
        ("2008", "model", "2008", 1.0),
    ]
    assert found("un carro del 2008") == []


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
    names = [*NAMES, ("model", "March", "March"), ("city", "Colima", "Colima")]
    plain = Gazetteer(names)
    assert [m.value for m in plain.find("luego te marco")] == ["March"]  # one edit away
    guarded = Gazetteer(names, known_words={"marco", "clima", "march"})
    assert guarded.find("luego te marco") == []
    assert guarded.find("que clima hace") == []
    # an exact name still matches, and a name is never a "known word"
    assert [m.value for m in guarded.find("un march 2019")] == ["March"]
    assert guarded.known_words == {"marco", "clima"}
    assert Gazetteer.from_dict(guarded.to_dict()).find("luego te marco") == []


def test_plain_words_leave_out_annotated_spans() -> None:
    text = "tienen el Jetta en Colima?"
    assert plain_words(text, [(10, 15)]) == {"tienen", "el", "en", "colima"}
