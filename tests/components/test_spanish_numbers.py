"""Spanish numerals in words and digits (components/spanish_numbers.py)."""

from __future__ import annotations

import pytest

from components.spanish_numbers import parse_digits, read_number
from components.spanish_text import fold, tokenize, within_one_edit


def number(text: str) -> float | None:
    numeral = read_number(tokenize(text), 0)
    return None if numeral is None else numeral.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trescientos mil", 300_000),
        ("trecientos mil", 300_000),
        ("trescientos cincuenta mil", 350_000),
        ("un millón doscientos mil", 1_200_000),
        ("un millon", 1_000_000),
        ("medio millon", 500_000),
        ("dos millones y medio", 2_500_000),
        ("mil quinientos", 1_500),
        ("cuarenta y ocho", 48),
        ("veintiocho", 28),
        ("ciento veinte mil", 120_000),
        ("1.2 millones", 1_200_000),
        ("2 millones 300 mil", 2_300_000),
        ("250k", 250_000),
        ("250 mil", 250_000),
        ("250mil", 250_000),
        ("389,900", 389_900),
        ("389.900", 389_900),
        ("1,250,000", 1_250_000),
        ("quinientos", 500),
        ("cuarneta y ocho", 48),  # one typo in a long number word
    ],
)
def test_reads_numerals(text: str, expected: float) -> None:
    assert number(text) == expected


@pytest.mark.parametrize("text", ["mil gracias", "hola", "cuento", "k"])
def test_not_numerals(text: str) -> None:
    assert number(text) is None


def test_stops_before_a_second_number() -> None:
    tokens = tokenize("300 mil 48 meses")
    numeral = read_number(tokens, 0)
    assert numeral is not None
    assert (numeral.value, numeral.end) == (300_000, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("389,900", 389900), ("1.2", 1.2), ("2,5", 2.5), ("250,000.50", 250000.5), ("12", 12)],
)
def test_parse_digits(text: str, expected: float) -> None:
    assert parse_digits(text) == expected


def test_fold_keeps_offsets() -> None:
    text = "¿Mañana el Sábado?"
    folded = fold(text)
    assert folded == "¿manana el sabado?"
    assert len(folded) == len(text)


def test_tokens_split_digits_from_letters() -> None:
    assert [t.text for t in tokenize("250k y 10am, $300")] == [
        "250",
        "k",
        "y",
        "10",
        "am",
        "$",
        "300",
    ]


@pytest.mark.parametrize(
    ("word", "target", "expected"),
    [
        ("sabdo", "sabado", True),
        ("sabaod", "sabado", True),
        ("sadabo", "sabado", False),
        ("sbaado", "sabado", True),
        ("domingo", "domingo", True),
        ("lunes", "martes", False),
    ],
)
def test_within_one_edit(word: str, target: str, expected: bool) -> None:
    assert within_one_edit(word, target) is expected
