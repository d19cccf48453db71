"""Spanish numerals, in words or digits, as customers write them.

"trescientos mil", "un millón doscientos mil", "medio millon", "1.2 millones", "250k",
"389,900", "389.900", "2 millones y medio", "cuarenta y ocho". Pure Python.

`read_number(tokens, i)` reads the longest numeral starting at token `i` and returns a
`Numeral` (value, token range, and how it was written) or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.spanish_text import Token, fuzzy_lookup

UNITS = {
    "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
}  # fmt: skip
TEENS = {
    "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "veintiun": 21, "veintiuno": 21, "veintiuna": 21, "veintidos": 22, "veintitres": 23,
    "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29,
}  # fmt: skip
TENS = {
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90,
}  # fmt: skip
HUNDREDS = {
    "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200, "trescientos": 300,
    "trescientas": 300, "trecientos": 300, "cuatrocientos": 400, "cuatrocientas": 400,
    "quinientos": 500, "quinientas": 500, "seiscientos": 600, "seiscientas": 600,
    "setecientos": 700, "setecientas": 700, "sietecientos": 700, "ochocientos": 800,
    "ochocientas": 800, "novecientos": 900, "novecientas": 900, "nuevecientos": 900,
}  # fmt: skip
# Words long enough to be recognised with one typo ("trescientso", "cuarneta").
_FUZZY_WORDS = {**TEENS, **TENS, **HUNDREDS}
THOUSAND = {"mil", "k"}
MILLION = {"millon", "millones", "mdp", "mill", "m"}

_GROUPED = re.compile(r"^\d{1,3}([.,])\d{3}(?:\1\d{3})*(?:[.,]\d{1,2})?$")
_DECIMAL = re.compile(r"^\d+[.,]\d{1,2}$")


@dataclass(frozen=True)
class Numeral:
    """A number read from tokens[start:end]."""

    value: float
    start: int  # token index
    end: int  # token index, exclusive
    in_words: bool  # at least one number word ("trescientos", "mil")
    scaled: bool  # a multiplier was used: mil, millón, k
    digits_text: str | None = None  # the digit token, if the number began with one


def parse_digits(text: str) -> float | None:
    """ "389,900" -> 389900, "389.900" -> 389900, "1.2" -> 1.2, "250,000.50" -> 250000.5."""
    if text.isdigit():
        return float(text)
    if _GROUPED.match(text):
        separator = _GROUPED.match(text).group(1)  # type: ignore[union-attr]
        decimal_separator = "." if separator == "," else ","
        whole, _, fraction = text.partition(decimal_separator)
        digits = whole.replace(separator, "")
        return float(digits + ("." + fraction if fraction else ""))
    if _DECIMAL.match(text):
        return float(text.replace(",", "."))
    return None


def word_value(word: str) -> int | None:
    """The value of one number word (typos tolerated on long words), else None."""
    if word in UNITS:
        return UNITS[word]
    return fuzzy_lookup(word, _FUZZY_WORDS, min_length=7)


def _is_tens(word: str) -> bool:
    return word in TENS or fuzzy_lookup(word, TENS, min_length=7) is not None


def read_number(tokens: list[Token], i: int) -> Numeral | None:
    """Read the longest numeral at token `i` ("un millón doscientos mil", "2.5 millones")."""
    millions = 0.0
    thousands = 0.0
    current = 0.0
    j = i
    in_words = scaled = False
    last_kind = ""  # "unit", "tens", "hundreds", "digits", "thousand", "million", "half"
    digits_text = None
    while j < len(tokens):
        word = tokens[j].text
        nxt = tokens[j + 1].text if j + 1 < len(tokens) else ""
        if tokens[j].is_number:
            value = parse_digits(word)
            if value is None or last_kind not in ("", "thousand", "million"):
                break
            if last_kind == "thousand" or (last_kind and value >= 1000):
                break  # "300 mil 48 meses" is two numbers; "2 millones 300 mil" is one
            current, last_kind = value, "digits"
            digits_text = digits_text or word
        elif word in THOUSAND and last_kind != "thousand":
            if word == "k" and last_kind != "digits":
                break
            if last_kind in ("", "million"):
                if word == "k":
                    break
                current = 1  # "mil quinientos", "un millón mil"
            thousands, current = (current or 1) * 1000, 0
            last_kind, scaled, in_words = "thousand", True, True
        elif word in MILLION and last_kind not in ("", "million"):
            if word in ("m", "mill") and last_kind not in ("digits",):
                break
            millions, thousands, current = (thousands + current or 1) * 1_000_000, 0, 0
            last_kind, scaled, in_words = "million", True, True
        elif word == "medio" and last_kind == "" and nxt in ("millon", "mill"):
            current, last_kind, in_words = 0.5, "digits", True
        elif word == "y" and nxt == "medio" and last_kind in ("thousand", "million"):
            if last_kind == "million":
                millions += 500_000
            else:
                thousands += 500
            j += 2
            last_kind = "half"
            continue
        elif word == "y" and last_kind == "tens" and nxt in UNITS and nxt != "cero":
            j += 1
            continue
        else:
            value = word_value(word)
            if value is None:
                break
            kind = (
                "hundreds" if value >= 100 else "tens" if _is_tens(word) or value == 20 else "unit"
            )
            allowed = {
                "hundreds": ("", "thousand", "million"),
                "tens": ("", "hundreds", "thousand", "million"),
                "unit": ("", "hundreds", "thousand", "million", "tens"),
            }[kind]
            if last_kind not in allowed:
                break
            if kind == "unit" and last_kind == "tens" and tokens[j - 1].text != "y":
                break
            current += value
            last_kind, in_words = kind, True
        j += 1
    if j == i or last_kind == "":
        return None
    if j == i + 1 and tokens[i].text == "mil":
        return None  # "mil gracias" is not a number
    total = millions + thousands + current
    return Numeral(total, i, j, in_words, scaled, digits_text)
