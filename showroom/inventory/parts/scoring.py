"""The one ranking used on every database: pure Python over the candidates' lexemes.

A clause (one word or synonym phrase of the query) is worth its rarest matching lexeme's
idf, times 0.8 when it came from a typo correction, times 0.6 when it only matches the
category/brand/SKU and not the title. The word the title is about ("Balatas" in "Balatas
delanteras Brembo") earns half a clause more. The final order (`sort_key`) puts the parts
the query names first, then stock, branch and score; ties are broken by price and SKU, so
the order is total and the same everywhere.

When no part has every word, the least important clause is dropped, then the next: typo
guesses and brand names go first, then the most common words ("delantera" before
"brembo"); a word that names a kind of part ("balatas") goes last. That is how a counter
clerk relaxes a request.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from showroom.inventory.parts.query import Clause
from showroom.inventory.parts.text import LEADING_FILLER, POSITION_STEMS, head_term

TITLE_FACTOR = 1.0
OTHER_FIELD_FACTOR = 0.6
HEAD_BONUS = 0.5
BRAND_CLAUSE_FACTOR = 0.5


@dataclass(frozen=True)
class Candidate:
    """What the scorer needs of a part (fetched in one query, no ORM objects)."""

    id: int
    sku: str
    title_terms: tuple[str, ...]
    search_terms: frozenset[str]
    stock: int
    price: Decimal
    branch_id: int | None
    universal: bool
    unverified: bool = False  # its compatibility text was not understood (fitting.py)
    fit_unknown: bool = False  # the catalog gives no compatibility at all ("por confirmar")

    @property
    def title_set(self) -> frozenset[str]:
        return frozenset(self.title_terms)


def idf(doc_freq: int, docs: int) -> float:
    return math.log(1 + docs / max(doc_freq, 1))


def clause_value(
    clause: Clause, candidate: Candidate, stats: dict[str, tuple[int, int]], docs: int
) -> float:
    """What this clause contributes to this part (0.0 when the part lacks it)."""
    best = 0.0
    title = candidate.title_set
    for term, factor in clause.alternatives.items():
        if term in candidate.search_terms:
            field = TITLE_FACTOR if term in title else OTHER_FIELD_FACTOR
            best = max(best, factor * field * idf(stats.get(term, (1, 0))[0], docs))
    return best


def score(
    clauses: Sequence[Clause], candidate: Candidate, stats: dict[str, tuple[int, int]], docs: int
) -> float:
    total = 0.0
    head = head_term(candidate.title_terms)
    head_done = False
    for clause in clauses:
        value = clause_value(clause, candidate, stats, docs)
        total += value
        if value and not head_done and head in clause.alternatives:
            total += HEAD_BONUS * value
            head_done = True
    return round(total, 9)


HEAD_CLAUSE_FACTOR = 3.0


def importance(
    clause: Clause, stats: dict[str, tuple[int, int]], docs: int, heads: frozenset[str]
) -> float:
    """How much a clause matters when something has to give: a word that names what parts
    are ("balatas", a title's head) outweighs any modifier, brand or typo guess."""
    values = [
        factor * idf(stats.get(term, (1, 0))[0], docs)
        for term, factor in clause.alternatives.items()
    ]
    value = max(values, default=0.0)
    if _is_brand(clause, stats):
        value *= BRAND_CLAUSE_FACTOR
    if clause.corrected:
        value *= 0.5
    if heads & clause.alternatives.keys():
        value *= HEAD_CLAUSE_FACTOR
    return value


def drop_order(
    clauses: Sequence[Clause],
    stats: dict[str, tuple[int, int]],
    docs: int,
    candidates: Sequence[Candidate],
) -> list[int]:
    """Clause positions, least important first (ties: the later word goes first)."""
    heads = frozenset(h for c in candidates if (h := head_term(c.title_terms)))
    return sorted(
        range(len(clauses)),
        key=lambda i: (
            _tier(clauses[i], stats, heads),
            importance(clauses[i], stats, docs, heads),
            -i,
        ),
    )


def _tier(clause: Clause, stats: dict[str, tuple[int, int]], heads: frozenset[str]) -> int:
    """Which words go first whatever their idf: typo guesses and product brands (0), then
    modifiers (1), then words naming a kind of part (2). Without tiers a rare brand
    ("monroe") would outlast a common position ("delanteras") in a bigger catalog."""
    if heads & clause.alternatives.keys():
        return 2
    if clause.corrected or _is_brand(clause, stats):
        return 0
    return 1


def _is_brand(clause: Clause, stats: dict[str, tuple[int, int]]) -> bool:
    """Every alternative is, in at least half the parts that have it, their brand's word."""
    pairs = (stats.get(term, (1, 0)) for term in clause.alternatives)
    return all(brand_df * 2 >= df for df, brand_df in pairs)


def may_drop(clause: Clause, stats: dict[str, tuple[int, int]]) -> bool:
    """A word hanging off the part's name with "de" says which part it is ("filtro de
    transmisión" is neither an air filter nor a CV joint): both stay, unless the word is
    only a position ("de adelante") or a product brand ("de Brembo"), or the name is a
    filler ("*kit* de balatas")."""
    if clause.anchor and not clause.alternatives.keys() <= LEADING_FILLER | POSITION_STEMS:
        return False
    if not clause.attached:
        return True
    return _is_brand(clause, stats) or clause.alternatives.keys() <= POSITION_STEMS


def has_clause(clause: Clause, candidate: Candidate) -> bool:
    return any(term in candidate.search_terms for term in clause.alternatives)


def names_the_part(clauses: Sequence[Clause], candidate: Candidate) -> bool:
    """The query names what this part is ("bujías" and "Bujía NGK", not "Juego de cables
    de bujía"; "radiador" and "Radiador", not "Manguera superior de radiador")."""
    head = head_term(candidate.title_terms)
    return head is not None and any(head in clause.alternatives for clause in clauses)


def sort_key(
    candidate: Candidate,
    value: float,
    *,
    is_the_part: bool,
    preferred_branch: int | None,
    vehicle_given: bool,
) -> tuple[int, int, int, int, float, int, Decimal, str]:
    """Parts that are what was asked for before parts that only mention it; then parts
    known to fit before those whose compatibility could not be read; then in stock first;
    then the customer's branch, catalog-wide parts, other branches; then relevance; then
    parts made for the vehicle before universal ones; then cheaper; then SKU."""
    in_stock = 1 if candidate.stock > 0 else 0
    if preferred_branch is None or candidate.branch_id is None:
        branch = 1
    else:
        branch = 2 if candidate.branch_id == preferred_branch else 0
    specific = 1 if vehicle_given and not candidate.universal else 0
    unverified = 1 if candidate.unverified else 0
    return (
        -is_the_part,
        unverified,
        -in_stock,
        -branch,
        -value,
        -specific,
        candidate.price,
        candidate.sku,
    )
