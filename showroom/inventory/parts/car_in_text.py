"""Which car a customer's words name: "balatas para mi tsuru 2015", "tsuru2015", "el vocho".

The car is recognised against the vehicles the catalog actually has parts for (any
catalog, no retraining), with aliases ("vocho", "VW", "frontier"), one typo in model names
of 5+ letters ("tzuru") and the year glued on ("tsuru2015"); then against the brands and
models sold in Mexico (vehicles.py), so a car the catalog has nothing for ("cavalier 2019")
is still that car, not a question. NLU slots (`explicit_vehicle`) win over the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import OSA

from showroom.inventory.parts.text import PART_STEMS, STOPWORDS, SYNONYMS, normalize, stem
from showroom.inventory.parts.vehicles import (
    BRAND_ALIASES,
    QUERY_MODELS,
    expand_year,
    model_key,
)


@dataclass(frozen=True)
class VehicleFilter:
    """The vehicle a search is restricted to; `brand` and `model` are canonical display
    names ("Volkswagen", "Jetta A4"), keys are the normalized forms compared in SQL."""

    brand: str | None = None
    model: str | None = None
    year: int | None = None
    brand_key: str | None = None
    model_key: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.brand_key or self.model_key)

    def label(self) -> str:
        return " ".join(str(p) for p in (self.brand, self.model, self.year) if p)


def is_year(word: str) -> bool:
    """A 4-digit model year (1900 to two years ahead)."""
    return word.isdigit() and len(word) == 4 and 1900 <= int(word) <= date.today().year + 2


class KnownVehicles:
    """The catalog's vehicles, for recognising them in free text."""

    def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.by_model: dict[str, list[tuple[str, str, str]]] = {}
        self.brands: dict[str, str] = {}
        self._is_prefix: dict[str, bool] = {}
        for brand_key, key, brand, model in rows:
            if key:
                self.by_model.setdefault(key, []).append((brand_key, brand, model))
            self.brands[brand_key] = brand
        # "jetta" names every "jetta a4"/"jetta a6"... (unless it is a brand: "mazda 3")
        for key in list(self.by_model):
            words = key.split()
            for size in range(1, len(words)):
                prefix = " ".join(words[:size])
                if prefix in self.by_model and not self._is_prefix.get(prefix, False):
                    continue
                if prefix in BRAND_ALIASES or prefix.isdigit() or len(prefix) < 2:
                    continue
                self._is_prefix[prefix] = True
                for brand_key, _, model in self.by_model[key]:
                    display = " ".join(model.split()[:size])
                    entry = (brand_key, self.brands[brand_key], display)
                    if entry not in self.by_model.setdefault(prefix, []):
                        self.by_model[prefix].append(entry)
        self.longest = max((len(k.split()) for k in self.by_model), default=1)
        self.single = [k for k in self.by_model if " " not in k and len(k) >= 5]

    def model_at(self, words: list[str], i: int, vocabulary: set[str]) -> tuple[int, str] | None:
        """(words used, model key) of the longest model mentioned at position i."""
        for size in range(min(self.longest + 1, len(words) - i), 0, -1):
            window = words[i : i + size]
            for candidate in (" ".join(window), "".join(window)):
                key = model_key(candidate)
                if key in self.by_model:
                    return size, key
        word = words[i]
        if len(word) >= 4 and word.isalpha() and word not in STOPWORDS:
            if _part_word(stem(word), vocabulary):
                return None  # a known part word ("marcha") is not a typo of a model ("march")
            close = sorted(k for k in self.single if OSA.distance(word, k, score_cutoff=1) <= 1)
            if len(close) == 1:
                return 1, close[0]
        return None


def _part_word(word_stem: str, vocabulary: set[str]) -> bool:
    """The catalog's word, a synonym or the name of a part: not a car ("escape", "marcha")."""
    return word_stem in vocabulary or word_stem in SYNONYMS.vocabulary or word_stem in PART_STEMS


def _brand_key(name: str) -> str | None:
    canonical = BRAND_ALIASES.get(normalize(name))
    return normalize(canonical) if canonical else None


def explicit_vehicle(
    brand: str | None, model: str | None, year: int | None, known: KnownVehicles | None = None
) -> VehicleFilter:
    """The vehicle given by the caller (NLU slots), canonicalized."""
    brand_key = _brand_key(brand) if brand else None
    if brand and brand_key is None:
        brand_key = normalize(brand) or None
    key = model_key(model) if model else None
    display_brand, display_model = brand, model
    if known and key and key in known.by_model:
        matches = [m for m in known.by_model[key] if brand_key in (None, m[0])]
        if matches:
            brand_key = brand_key or (matches[0][0] if len(matches) == 1 else None)
            display_model = matches[0][2]
            if brand_key:
                display_brand = known.brands.get(brand_key, display_brand)
    elif known and brand_key:
        display_brand = known.brands.get(brand_key, BRAND_ALIASES.get(brand_key, brand))
    return VehicleFilter(display_brand, display_model, year, brand_key, key or None)


_GLUED_YEAR = re.compile(r"([a-z]{3,})(\d{4}|\d{2})")
_COMMON_BRAND_WORDS = frozenset({"mini", "smart", "seat"})  # also words in a parts chat


def _unglue(words: list[str], known: KnownVehicles, vocabulary: set[str]) -> list[str]:
    """ "tsuru2015" -> "tsuru 2015", "versa17" -> "versa 17" (a model and its year written
    together); "np300", "mazda3" stay."""
    out: list[str] = []
    for word in words:
        glued = _GLUED_YEAR.fullmatch(word)
        if glued and known.model_at([word], 0, vocabulary) is None:
            name, digits = glued.groups()
            key = model_key(name)
            is_model = key in known.by_model or key in QUERY_MODELS
            if is_model and (len(digits) == 2 or is_year(digits)):
                out.extend((name, digits))
                continue
        out.append(word)
    return out


def _vocabulary_model(words: list[str], i: int, vocabulary: set[str]) -> tuple[int, str] | None:
    """A model sold in Mexico (vehicles.QUERY_MODELS) at words[i], when the catalog has no
    parts for it: (words used, model key). Part words ("escape") are not cars."""
    for size in (2, 1):
        window = words[i : i + size]
        if len(window) < size:
            continue
        key = model_key(" ".join(window))
        stems = {stem(w) for w in window}
        if key in QUERY_MODELS and not any(_part_word(s, vocabulary) for s in stems):
            return size, key
    return None


def extract_vehicle(
    words: list[str], known: KnownVehicles, vocabulary: set[str]
) -> tuple[VehicleFilter, list[str]]:
    """The vehicle in the words, and the words left for the part search."""
    words = _unglue(words, known, vocabulary)
    brand_key: str | None = None
    key: str | None = None
    outside: tuple[str, str] | None = None  # (brand, model) of a car the catalog lacks
    year: int | None = None
    rest: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        found = known.model_at(words, i, vocabulary) if key is None else None
        if (
            found
            and found[1].isdigit()
            and brand_key not in {m[0] for m in known.by_model[found[1]]}
        ):
            found = None  # "3" alone is a number; "mazda 3" is a car
        if found is None and key is None:
            found = _vocabulary_model(words, i, vocabulary)
            if found:
                outside = QUERY_MODELS[found[1]]
        if found:
            size, key = found
            i += size
            if i < len(words) and re.fullmatch(r"\d{2}", words[i]):
                year = expand_year(words[i])  # "tsuru 05"
                i += 1
            continue
        pair = _brand_key(f"{word} {words[i + 1]}") if i + 1 < len(words) else None
        if pair and pair in known.brands:
            brand_key, i = pair, i + 2
            continue
        single = _brand_key(word)
        if single and (single in known.brands or word not in _COMMON_BRAND_WORDS):
            brand_key, i = single, i + 1
            continue
        if is_year(word):
            year = year or int(word)
            i += 1
            continue
        rest.append(word)
        i += 1
    if key is not None and outside is not None:
        maker, model = outside
        if brand_key is not None and brand_key != normalize(maker):
            maker = known.brands.get(brand_key) or BRAND_ALIASES.get(brand_key, maker)
        return VehicleFilter(maker, model, year, brand_key or normalize(maker), key), rest
    if key is not None:
        makers = [m for m in known.by_model[key] if brand_key in (None, m[0])]
        if not makers:  # "nissan jetta": trust the model, the brand was a slip
            makers, brand_key = known.by_model[key], None
        if len(makers) == 1:
            brand_key = makers[0][0]
        brand = known.brands.get(brand_key) if brand_key else None
        return VehicleFilter(brand, makers[0][2], year, brand_key, key), rest
    if brand_key is not None:
        brand = known.brands.get(brand_key) or BRAND_ALIASES.get(brand_key, brand_key)
        return VehicleFilter(brand, None, year, brand_key, None), rest
    return VehicleFilter(None, None, year), rest
