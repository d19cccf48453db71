"""Understand a customer's words: which vehicle, which part words, which typos.

`understand(session, text)` returns a `ParsedQuery`:
- the vehicle mentioned (brand/model/year), recognised against the vehicles the catalog
  actually has parts for (any catalog, no retraining), with aliases ("vocho", "VW") and one
  typo in model names of 5+ letters ("tzuru");
- clauses: one per meaningful word or synonym phrase, each a set of alternative lexemes
  (typos corrected against the catalog's own vocabulary, synonyms resolved);
- the words that were ignored (not in the catalog at all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz.distance import OSA
from sqlalchemy.orm import Session

from showroom.inventory.parts import index
from showroom.inventory.parts.text import (
    STOPWORDS,
    SYNONYMS,
    canonical_groups,
    normalize,
    stem,
)
from showroom.inventory.parts.vehicles import BRAND_ALIASES, expand_year, model_key

TYPO_FACTOR = 0.8  # a corrected word counts a little less than an exact one


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


@dataclass
class Clause:
    word: str  # what the customer wrote (normalized)
    alternatives: dict[str, float]  # lexeme -> factor (1.0 exact, TYPO_FACTOR corrected)
    corrected: bool = False


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    vehicle: VehicleFilter = field(default_factory=VehicleFilter)
    ignored: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> lexeme used
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # lexeme -> (df, brand df)
    docs: int = 0  # parts in the catalog (for idf)


def _is_year(word: str) -> bool:
    return word.isdigit() and len(word) == 4 and 1900 <= int(word) <= date.today().year + 2


class _Vehicles:
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
            if stem(word) in vocabulary or stem(word) in SYNONYMS.vocabulary:
                return None  # a known part word ("marcha") is not a typo of a model ("march")
            close = sorted(k for k in self.single if OSA.distance(word, k, score_cutoff=1) <= 1)
            if len(close) == 1:
                return 1, close[0]
        return None


def _brand_key(name: str) -> str | None:
    canonical = BRAND_ALIASES.get(normalize(name))
    return normalize(canonical) if canonical else None


def explicit_vehicle(
    brand: str | None, model: str | None, year: int | None, known: _Vehicles | None = None
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


def _extract_vehicle(
    words: list[str], known: _Vehicles, vocabulary: set[str]
) -> tuple[VehicleFilter, list[str]]:
    """The vehicle in the words, and the words left for the part search."""
    brand_key: str | None = None
    key: str | None = None
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
        if single and single in known.brands:
            brand_key, i = single, i + 1
            continue
        if _is_year(word):
            year = year or int(word)
            i += 1
            continue
        rest.append(word)
        i += 1
    if key is not None:
        makers = [m for m in known.by_model[key] if brand_key in (None, m[0])]
        if not makers:  # "nissan jetta": trust the model, the brand was a slip
            makers, brand_key = known.by_model[key], None
        if len(makers) == 1:
            brand_key = makers[0][0]
        brand = known.brands.get(brand_key) if brand_key else None
        return VehicleFilter(brand, makers[0][2], year, brand_key, key), rest
    if brand_key is not None:
        return VehicleFilter(known.brands[brand_key], None, year, brand_key, None), rest
    return VehicleFilter(None, None, year), rest


def understand(
    session: Session,
    text: str,
    *,
    brand: str | None = None,
    model: str | None = None,
    year: int | None = None,
) -> ParsedQuery:
    """Analyze a query; explicit brand/model/year win over what the text says."""
    words = normalize(text).split()
    stems = [stem(w) for w in words if w not in STOPWORDS]
    targets = [t for _, canonical in canonical_groups(stems) for t in canonical]
    context = index.catalog_context(session, [*stems, *targets])
    known = _Vehicles(context.vehicles)
    from_text, rest = _extract_vehicle(words, known, set(context.stats))
    parsed = ParsedQuery(stats=context.stats, docs=context.docs)
    if brand or model:
        given = explicit_vehicle(brand, model, year or from_text.year, known)
        if (
            not given.model_key
            and from_text.model_key
            and from_text.brand_key
            in (
                None,
                given.brand_key,
            )
        ):
            given = VehicleFilter(
                given.brand or from_text.brand,
                from_text.model,
                given.year,
                given.brand_key or from_text.brand_key,
                from_text.model_key,
            )
        parsed.vehicle = given
    elif not from_text.is_empty:
        parsed.vehicle = VehicleFilter(
            from_text.brand,
            from_text.model,
            year or from_text.year,
            from_text.brand_key,
            from_text.model_key,
        )
    part_words = [w for w in rest if w not in STOPWORDS and not _is_year(w)]
    _build_clauses(session, part_words, parsed)
    return parsed


def _build_clauses(session: Session, words: list[str], parsed: ParsedQuery) -> None:
    stats = parsed.stats

    def is_known(s: str) -> bool:
        return s in stats or s in SYNONYMS.vocabulary or index.max_typos(s) == 0

    neighbours = index.similar_terms_many(
        session, [stem(w) for w in words if not is_known(stem(w))]
    )
    resolved: list[str] = []  # best stem per word, for synonym phrases
    options: list[dict[str, float]] = []
    for word in words:
        s = stem(word)
        if is_known(s):
            resolved.append(s)
            options.append({s: 1.0})
            continue
        close = neighbours.get(s, []) + _synonym_neighbours(s)
        if not close:
            resolved.append(s)
            options.append({s: 1.0})
            continue
        for term, _, df, bf in close:
            if df:
                stats[term] = (df, bf)
        best = min(d for _, d, _, _ in close)
        nearest = sorted(
            {t for t, d, _, _ in close if d == best},
            key=lambda t: (-stats.get(t, (0, 0))[0], t),
        )[:3]
        resolved.append(nearest[0])
        options.append(dict.fromkeys(nearest, TYPO_FACTOR))
        parsed.corrections[word] = nearest[0]

    position = 0
    for original, canonical in canonical_groups(resolved):
        span = range(position, position + len(original))
        position += len(original)
        typed = " ".join(words[j] for j in span)
        corrected = any(words[j] in parsed.corrections for j in span)
        if len(original) == 1 and canonical == (original[0],):
            parsed.clauses.append(Clause(typed, options[span[0]], corrected))
        else:
            factor = TYPO_FACTOR if corrected else 1.0
            parsed.clauses.extend(Clause(typed, {t: factor}, corrected) for t in canonical)

    missing = {t for c in parsed.clauses for t in c.alternatives if t not in stats}
    stats.update(index.known_terms(session, sorted(missing)))
    useful: list[Clause] = []
    seen: set[frozenset[str]] = set()
    for clause in parsed.clauses:
        clause.alternatives = {t: f for t, f in clause.alternatives.items() if t in stats}
        signature = frozenset(clause.alternatives)
        if not signature:
            if clause.word not in parsed.ignored:
                parsed.ignored.append(clause.word)
        elif signature not in seen:
            seen.add(signature)
            useful.append(clause)
    parsed.clauses = useful


def _synonym_neighbours(word: str) -> list[tuple[str, int, int, int]]:
    """Synonym words near a typo ("embrage" -> "embrague"); doc_freq unknown (0)."""
    limit = index.max_typos(word)
    out = []
    for term in SYNONYMS.vocabulary:
        distance = OSA.distance(word, term, score_cutoff=limit)
        if distance <= limit and term != word:
            out.append((term, distance, 0, 0))
    return out
