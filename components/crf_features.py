"""Token features and BILOU tags for the CRF entity tagger (pure Python).

Features of token i: the folded word, prefixes/suffixes, word shape, digits, the words
and bigrams within `window` tokens, the message's intent (alone and with the word), and
span flags from other components (gazetteer matches, Spanish quantities, regex patterns)
as BILOU positions, e.g. `gz=B-brand`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from components.spanish_text import fold

OUTSIDE = "O"
_UPPER = re.compile(r"[A-ZÁÉÍÓÚÑÜ]")
_LOWER = re.compile(r"[a-záéíóúñü]")
_DIGIT = re.compile(r"\d")
_REPEAT = re.compile(r"(.)\1+")


@dataclass(frozen=True)
class Span:
    """A labelled character span (an entity, or a flag from another component)."""

    start: int
    end: int
    label: str


def shape(word: str) -> str:
    """ "Jetta" -> "Xx", "CR-V" -> "XX-X", "2015" -> "dd", "80mil" -> "ddx"."""
    text = _DIGIT.sub("d", _LOWER.sub("x", _UPPER.sub("X", word)))
    return _REPEAT.sub(r"\1\1", text)[:6]


def span_positions(tokens: Sequence[tuple[int, int]], spans: Sequence[Span]) -> list[str | None]:
    """BILOU position and label of each token inside one of `spans` (else None)."""
    positions: list[str | None] = [None] * len(tokens)
    for span in spans:
        inside = [i for i, (s, e) in enumerate(tokens) if s >= span.start and e <= span.end]
        if not inside:
            continue
        if len(inside) == 1:
            positions[inside[0]] = f"U-{span.label}"
            continue
        positions[inside[0]] = f"B-{span.label}"
        positions[inside[-1]] = f"L-{span.label}"
        for i in inside[1:-1]:
            positions[i] = f"I-{span.label}"
    return positions


def bilou_tags(tokens: Sequence[tuple[int, int]], entities: Sequence[Span]) -> list[str]:
    """Gold tags; an entity that does not cover whole tokens is left out."""
    return [position or OUTSIDE for position in span_positions(tokens, entities)]


def to_bio(tags: Sequence[str]) -> list[str]:
    """BILOU -> BIO (fewer labels: trains faster and, measured, tags as well or better)."""
    return [t.replace("U-", "B-", 1).replace("L-", "I-", 1) for t in tags]


def bio_to_bilou(tags: Sequence[str]) -> list[str]:
    """BIO -> BILOU, so `decode` reads both; an I- without its B- starts an entity."""
    result = []
    for i, tag in enumerate(tags):
        if tag == OUTSIDE:
            result.append(tag)
            continue
        label = tag.partition("-")[2]
        continues = i + 1 < len(tags) and tags[i + 1] == f"I-{label}"
        starts = tag.startswith("B-") or i == 0 or tags[i - 1].partition("-")[2] != label
        if starts:
            result.append(("B-" if continues else "U-") + label)
        else:
            result.append(("I-" if continues else "L-") + label)
    return result


def token_features(
    words: Sequence[str],
    intent: str | None = None,
    flags: dict[str, list[str | None]] | None = None,
    patterns: Sequence[Sequence[str]] | None = None,
    window: int = 2,
) -> list[dict[str, str | float]]:
    """One feature dict per token (pycrfsuite item format)."""
    folded = [fold(word) for word in words]
    n = len(words)
    items: list[dict[str, str | float]] = []
    for i, word in enumerate(words):
        low = folded[i]
        item: dict[str, str | float] = {
            "bias": 1.0,
            "w": low,
            "p2": low[:2],
            "p3": low[:3],
            "s2": low[-2:],
            "s3": low[-3:],
            "s4": low[-4:],
            "shape": shape(word),
            "len": str(min(len(low), 8)),
        }
        if word[:1].isupper():
            item["title"] = 1.0
        if any(char.isdigit() for char in word):
            item["digit"] = 1.0
        for offset in range(1, window + 1):
            item[f"w-{offset}"] = folded[i - offset] if i - offset >= 0 else "<s>"
            item[f"w+{offset}"] = folded[i + offset] if i + offset < n else "</s>"
        item["b-"] = (folded[i - 1] if i else "<s>") + "|" + low
        item["b+"] = low + "|" + (folded[i + 1] if i + 1 < n else "</s>")
        if intent:
            item["intent"] = intent
            item["w|intent"] = low + "|" + intent
        for name, positions in (flags or {}).items():
            for offset in (-1, 0, 1):
                j = i + offset
                if 0 <= j < n and positions[j]:
                    item[f"{name}{offset:+d}"] = positions[j] or ""
        for pattern in patterns[i] if patterns else ():
            item[f"re={pattern}"] = 1.0
        items.append(item)
    return items


def decode(
    tokens: Sequence[tuple[int, int]], tags: Sequence[str], probabilities: Sequence[float]
) -> list[tuple[Span, float]]:
    """Entities from BILOU tags (tolerant of ill-formed sequences), with a confidence.

    The confidence is the lowest marginal probability of the entity's tags.
    """
    entities: list[tuple[Span, float]] = []
    current: list[int] = []
    label = ""

    def close() -> None:
        if current:
            span = Span(tokens[current[0]][0], tokens[current[-1]][1], label)
            entities.append((span, min(probabilities[i] for i in current)))
        current.clear()

    for i, tag in enumerate(tags):
        if tag == OUTSIDE:
            close()
            continue
        prefix, _, tag_label = tag.partition("-")
        if prefix in ("B", "U") or tag_label != label or not current:
            close()
            label = tag_label
        current.append(i)
        if prefix in ("U", "L"):
            close()
    close()
    return entities
