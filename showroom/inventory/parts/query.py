"""Understand a customer's words: which vehicle, which part words, which typos.

`understand(session, text)` returns a `ParsedQuery`:
- the vehicle mentioned (brand/model/year): car_in_text.py;
- clauses: one per meaningful word or synonym phrase, each a set of alternative lexemes
  (typos corrected against the catalog's own vocabulary, synonyms resolved). A word
  hanging off another with "de" ("bomba de *frenos*", "filtro de *transmisión*") names
  which kind of part: `Clause.attached`, never given up when relaxing;
- the words that were ignored (not in the catalog at all), and among them the names of
  parts the catalog does not have (`missing_parts`: "bujes", "cremallera"), which must
  not be answered with lookalikes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA
from sqlalchemy.orm import Session

from showroom.inventory.parts import index
from showroom.inventory.parts.car_in_text import (
    KnownVehicles,
    VehicleFilter,
    explicit_vehicle,
    extract_vehicle,
    is_year,
)
from showroom.inventory.parts.text import (
    PART_STEMS,
    POSITION_STEMS,
    STOPWORDS,
    SYNONYMS,
    canonical_groups,
    normalize,
    stem,
)

__all__ = ["Clause", "ParsedQuery", "VehicleFilter", "understand"]

TYPO_FACTOR = 0.8  # a corrected word counts a little less than an exact one


@dataclass
class Clause:
    word: str  # what the customer wrote (normalized)
    alternatives: dict[str, float]  # lexeme -> factor (1.0 exact, TYPO_FACTOR corrected)
    corrected: bool = False
    # "bomba de frenos": the word after "de" says which kind of part; never relaxed away
    # (a position, "de adelante", may be)
    attached: bool = False
    anchor: bool = False  # a word hangs off this one ("*bomba* de frenos"): it stays too


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    vehicle: VehicleFilter = field(default_factory=VehicleFilter)
    ignored: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> lexeme used
    # part names the catalog does not have ("bujes", "faros de niebla"), or a kind named
    # after "de" that it does not have ("sensor de velocidad"): no lookalikes then
    missing_parts: list[str] = field(default_factory=list)
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # lexeme -> (df, brand df)
    docs: int = 0  # parts in the catalog (for idf)


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
    known = KnownVehicles(context.vehicles)
    from_text, rest = extract_vehicle(words, known, set(context.stats))
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
    part_words, attached = _part_words(rest)
    _build_clauses(session, part_words, parsed, attached)
    return parsed


_OF = frozenset({"de", "del"})
_ARTICLES = frozenset({"la", "el", "los", "las"})


def _part_words(words: list[str]) -> tuple[list[str], list[bool]]:
    """The words that may name a part, and for each whether it hangs off the previous one
    with "de" ("bomba *de frenos*", "faros *de la* niebla")."""
    kept: list[str] = []
    attached: list[bool] = []
    for i, word in enumerate(words):
        if word in STOPWORDS or is_year(word):
            continue
        j = i - 1
        while j >= 0 and words[j] in _ARTICLES:
            j -= 1
        attached.append(bool(kept) and j >= 0 and words[j] in _OF)
        kept.append(word)
    return kept, attached


def _build_clauses(
    session: Session, words: list[str], parsed: ParsedQuery, attached: list[bool]
) -> None:
    stats = parsed.stats

    def is_known(s: str) -> bool:
        """In the catalog, or a known word (a synonym, a part's name): not a typo."""
        return s in stats or s in SYNONYMS.vocabulary or s in PART_STEMS or index.max_typos(s) == 0

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
    named: set[str] = set(PART_STEMS)  # lexemes that name a part, sold here or not
    for original, canonical in canonical_groups(resolved):
        span = range(position, position + len(original))
        position += len(original)
        typed = " ".join(words[j] for j in span)
        corrected = any(words[j] in parsed.corrections for j in span)
        hangs = attached[span[0]] if span else False
        holds = bool(span) and span[-1] + 1 < len(attached) and attached[span[-1] + 1]
        if len(original) == 1 and canonical == (original[0],):
            parsed.clauses.append(Clause(typed, options[span[0]], corrected, hangs, holds))
        else:
            factor = TYPO_FACTOR if corrected else 1.0
            parsed.clauses.extend(
                Clause(typed, {t: factor}, corrected, hangs, holds) for t in canonical
            )
            if not set(canonical) <= POSITION_STEMS:
                named.update(canonical)  # a synonym phrase names a part (or its kind)

    missing = {t for c in parsed.clauses for t in c.alternatives if t not in stats}
    stats.update(index.known_terms(session, sorted(missing)))
    useful: list[Clause] = []
    seen: set[frozenset[str]] = set()
    before = {id(clause): tuple(clause.alternatives) for clause in parsed.clauses}
    for clause in parsed.clauses:
        clause.alternatives = {t: f for t, f in clause.alternatives.items() if t in stats}
        signature = frozenset(clause.alternatives)
        if not signature:
            if clause.word not in parsed.ignored:
                parsed.ignored.append(clause.word)
            lexemes = set(before[id(clause)])
            names_a_part = bool(lexemes & named) or (
                clause.attached and not lexemes & POSITION_STEMS
            )
            if names_a_part and clause.word not in parsed.missing_parts:
                parsed.missing_parts.append(clause.word)
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
