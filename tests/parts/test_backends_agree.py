"""The same data gives the same results on SQLite (FTS5) and PostgreSQL (GIN + pg_trgm)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bench.parts.other_customers import NOT_SOLD, OTHER_CUSTOMERS
from showroom.db.session import session_scope
from showroom.inventory.parts import index
from showroom.inventory.parts.importer import write_rows
from showroom.inventory.parts.rows import PartRow
from showroom.inventory.parts.search import search_parts
from showroom.inventory.parts.text import stem

QUERIES = [
    ("balatas delanteras tsuru 2015", {}),
    ("balatas", {}),
    ("amortigudores traseros jetta 2008", {}),
    ("shocks jeta a4", {}),
    ("pastillas de freno", {"brand": "Nissan", "model": "Versa", "year": 2016}),
    ("bujias", {"model": "Tsuru"}),
    ("bujía ngk iridio", {}),
    ("kit de embrage chevy 2005", {}),
    ("clutch", {"brand": "Chevrolet", "model": "Chevy", "year": 2001}),
    ("aceite 5w-30 sintetico 4 l", {}),
    ("filtro de aceite", {"in_stock_only": True}),
    ("filtro de aire np300 2012", {}),
    ("marcha para vocho", {}),
    ("motor de arranque", {}),
    ("bateria lth", {}),
    ("faro delantero izquierdo versa", {}),
    ("calavera derecha", {}),
    ("espejo lateral piloto tsuru", {}),
    ("horquilla inferior derecha jetta 2010", {}),
    ("terminal de direccion exterior", {}),
    ("rotula superior chevy", {}),
    ("sensor de oxijeno", {}),
    ("balatas delanteras monroe tsuru 2010", {}),
    ("radiador de aluminio", {}),
    ("termostato gates", {}),
    ("banda de distribucion tsuru", {}),
    ("bomba de agua versa 2014", {}),
    ("foco h4", {}),
    ("refacciones para tsuru", {}),
    ("hola tienen pluma limpiaparabrisas 20", {}),
]


# The held-out set of `make bench-parts` (other customers' words, things not sold) too.
HELD_OUT = [(q.text, dict(q.slots)) for q in OTHER_CUSTOMERS] + [(t, {}) for t in NOT_SOLD]


def outcome(session: Session, text: str, options: dict[str, Any]) -> tuple[object, ...]:
    result = search_parts(session, text, limit=10, **options)
    skus = [p.sku for p in result.parts]
    return skus, result.total, result.needs_vehicle, result.dropped, result.corrections


@pytest.mark.postgres
def test_top_results_identical_on_both_backends(
    sqlite_url: str,
    postgres_url: str,
    sample_rows: list[PartRow],
    empty_database: Callable[[str], None],
) -> None:
    outcomes = {}
    for url in (sqlite_url, postgres_url):
        empty_database(url)
        with session_scope(url) as session:
            write_rows(session, sample_rows)
        with session_scope(url) as session:
            outcomes[url] = [outcome(session, text, kw) for text, kw in QUERIES + HELD_OUT]
        empty_database(url)
    sqlite, postgres = outcomes[sqlite_url], outcomes[postgres_url]
    for (text, _), a, b in zip(QUERIES + HELD_OUT, sqlite, postgres, strict=True):
        assert a == b, text
    assert sum(1 for found in sqlite[: len(QUERIES)] if found[0]) >= len(QUERIES) - 2
    # the sample holds some of the held-out cars: not vacuously equal there either
    assert sum(1 for found in sqlite[len(QUERIES) :] if found[0]) >= len(HELD_OUT) // 4


@pytest.mark.postgres
def test_typo_lookup_identical_on_both_backends(
    sqlite_url: str,
    postgres_url: str,
    sample_rows: list[PartRow],
    empty_database: Callable[[str], None],
) -> None:
    """pg_trgm prefilters, the edit-distance rule decides: same neighbours as SQLite's scan."""
    vocabulary = sorted({t for r in sample_rows for t in r.search_terms.split() if t.isalpha()})
    typos = []
    for term in vocabulary[::7]:
        if len(term) >= 4:
            typos += [term[1:], term[:2] + term[3:], term[:2] + term[3] + term[2] + term[4:]]
            typos.append(term[:-1] + "x" + term[-1])
        if len(term) >= 8:  # two transpositions: the least trigram overlap allowed
            t = list(term)
            t[1], t[2], t[5], t[6] = t[2], t[1], t[6], t[5]
            typos.append("".join(t))
    typos.append(stem("amortigudor"))
    found = {}
    for url in (sqlite_url, postgres_url):
        empty_database(url)
        with session_scope(url) as session:
            write_rows(session, sample_rows)
            found[url] = [sorted(index.similar_terms(session, t)) for t in typos]
        empty_database(url)
    assert found[sqlite_url] == found[postgres_url]
    assert sum(1 for hits in found[sqlite_url] if hits) > len(typos) // 2
