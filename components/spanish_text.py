"""Text helpers for Spanish WhatsApp messages: folding, tokens with offsets, typo matching.

Pure Python (no Rasa import): the action server on Python 3.11 can reuse it.

`fold` lower-cases and removes accents character by character, so offsets in the folded
text are offsets in the original text ("Sábado" -> "sabado", "mañana" -> "manana").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

V = TypeVar("V")

# A number (digits with , or . separators), a word, or one symbol we care about.
# Digits and letters are separate tokens: "250k" -> "250", "k"; "10am" -> "10", "am".
_TOKEN_RE = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+|[$%#/-]")


@dataclass(frozen=True)
class Token:
    """A token of the folded text with its character span in the original text."""

    text: str
    start: int
    end: int
    # part of a code such as a VIN, "CX-5", "4x4" or "V6": not a quantity
    in_code: bool = False

    @property
    def is_number(self) -> bool:
        return self.text[:1].isdigit()


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lowered = char.lower()[:1] or char
    base = unicodedata.normalize("NFD", lowered)[:1]
    return base if base.isascii() else lowered


def fold(text: str) -> str:
    """Lower-case and strip accents keeping the length (offsets stay valid)."""
    return "".join(_fold_char(char) for char in text)


# Letters that may stick to a number without making it a code: "250k", "10am", "80km".
GLUED_UNITS = frozenset(
    [
        "k",
        "mil",
        "m",
        "mdp",
        "km",
        "kms",
        "am",
        "pm",
        "a",
        "p",
        "hrs",
        "hr",
        "h",
        "hs",
        "meses",
        "mes",
        "pesos",
        "ro",
        "o",
        "er",
        "do",
    ]
)
_CHUNK_RE = re.compile(r"\S+")


def tokenize(text: str) -> list[Token]:
    """Tokens of the folded text (see `_TOKEN_RE`), with offsets into `text`.

    A token inside a chunk without spaces that mixes digits with letters other than units
    ("3VWFE21C04M000001", "CX-5", "4x4") is marked `in_code`.
    """
    folded = fold(text)
    tokens = []
    for chunk in _CHUNK_RE.finditer(folded):
        pieces = list(_TOKEN_RE.finditer(chunk.group()))
        words = [p.group() for p in pieces]
        has_digits = any(w[:1].isdigit() for w in words)
        foreign = [w for w in words if w.isalpha() and w not in GLUED_UNITS]
        # "jetta2015" (a name glued to a year) is not a code
        in_code = has_digits and bool(foreign) and not (len(words) == 2 and words[0].isalpha())
        for piece in pieces:
            start = chunk.start() + piece.start()
            tokens.append(Token(piece.group(), start, start + len(piece.group()), in_code))
    return tokens


def within_one_edit(word: str, target: str) -> bool:
    """True if `word` equals `target` up to one insertion, deletion, substitution or swap."""
    if word == target:
        return True
    lw, lt = len(word), len(target)
    if abs(lw - lt) > 1:
        return False
    if lw == lt:
        diffs = [i for i in range(lw) if word[i] != target[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and word[diffs[1]] == target[diffs[0]]
        )
    shorter, longer = (word, target) if lw < lt else (target, word)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def fuzzy_lookup(word: str, vocabulary: dict[str, V], min_length: int = 5) -> V | None:
    """The vocabulary value for `word`: exact, or one typo away when the word is long.

    Typos are only tolerated for words of at least `min_length` characters whose first
    letter is right (customers rarely miss the first letter; short words collide).
    """
    if word in vocabulary:
        return vocabulary[word]
    if len(word) < min_length:
        return None
    for candidate, value in vocabulary.items():
        if (
            len(candidate) >= min_length
            and candidate[0] == word[0]
            and within_one_edit(word, candidate)
        ):
            return value
    return None


def words_of(tokens: Iterable[Token]) -> list[str]:
    return [token.text for token in tokens]
