"""CRF features, BILOU tags and decoding (components/crf_features.py)."""

from __future__ import annotations

from components.crf_features import (
    Span,
    bilou_tags,
    bio_to_bilou,
    decode,
    shape,
    span_positions,
    to_bio,
    token_features,
)

TOKENS = [(0, 5), (6, 8), (9, 14), (15, 19)]  # "busco un Jetta 2015"


def test_shape() -> None:
    assert shape("Jetta") == "Xxx"
    assert shape("CR-V") == "XX-X"
    assert shape("2015") == "dd"


def test_bilou_tags_and_misaligned_entities() -> None:
    entities = [Span(9, 19, "model"), Span(2, 7, "brand")]  # the second cuts tokens
    assert bilou_tags(TOKENS, entities) == ["O", "O", "B-model", "L-model"]
    assert bilou_tags(TOKENS, [Span(6, 8, "x")]) == ["O", "U-x", "O", "O"]


def test_features_have_window_intent_and_flags() -> None:
    flags = {"gz": span_positions(TOKENS, [Span(9, 14, "model")])}
    items = token_features(["busco", "un", "Jetta", "2015"], intent="search_vehicle", flags=flags)
    assert items[2]["w"] == "jetta"
    assert items[2]["w-2"] == "busco"
    assert items[2]["w+2"] == "</s>"
    assert items[2]["intent"] == "search_vehicle"
    assert items[2]["gz+0"] == "U-model"
    assert items[1]["gz+1"] == "U-model"
    assert "gz+0" not in items[0]
    assert items[3]["digit"] == 1.0


def test_decode_tolerates_ill_formed_sequences() -> None:
    tags = ["I-model", "L-model", "B-year", "U-brand"]
    entities = decode(TOKENS, tags, [0.9, 0.8, 0.7, 0.95])
    assert entities == [
        (Span(0, 8, "model"), 0.8),
        (Span(9, 14, "year"), 0.7),
        (Span(15, 19, "brand"), 0.95),
    ]


def test_bio_round_trip() -> None:
    bilou = ["B-a", "I-a", "L-a", "O", "U-b", "U-b", "B-c", "L-c"]
    assert to_bio(bilou) == ["B-a", "I-a", "I-a", "O", "B-b", "B-b", "B-c", "I-c"]
    assert bio_to_bilou(to_bio(bilou)) == bilou
    assert bio_to_bilou(["I-a", "I-a", "O", "I-b"]) == ["B-a", "L-a", "O", "U-b"]
