"""The database side of parts search: full-text candidates and the vocabulary.

Both backends index the same lexemes (`parts.search_terms`, written by the shared
analyzer), and a boolean query over exact lexemes has one meaning, so SQLite and
PostgreSQL return the same candidate set:

- SQLite: FTS5 table `parts_fts` (external content over `parts`, kept in sync by triggers).
- PostgreSQL: GIN index on `array_to_tsvector(string_to_array(search_terms, ' '))`,
  queried with a `tsquery` of the same lexemes (no parser or stemmer in between).

Typo correction looks up vocabulary words near an unknown word: PostgreSQL through a
pg_trgm GIN index (the similarity threshold is low enough to be a superset of what the
edit-distance rule accepts), SQLite by word length; the final decision is the same Python
edit-distance rule on both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA
from sqlalchemy import TextClause, delete, func, insert, literal, select, text, union_all
from sqlalchemy.orm import Session

from showroom.db.models.parts import Part, PartFitment, PartTerm, PartVehicleModel
from showroom.inventory.parts.text import content_stems, expand_document

# A `part_terms` row that is not a lexeme (lexemes are never empty): its doc_freq is the
# number of parts, so the idf's N comes with the term lookup instead of a count(*).
CATALOG_SIZE_TERM = ""

# pg_trgm similarity can be as low as 1/17 for two words within the edit distances that
# `max_typos` allows (two transpositions in an 8-letter word); below that is safe.
TRIGRAM_THRESHOLD = 0.05


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def max_typos(word: str) -> int:
    """Edits tolerated in a word: none up to 3 letters, 1 up to 7, 2 from 8."""
    if len(word) <= 3 or not word.isalpha():
        return 0
    return 1 if len(word) <= 7 else 2


def rebuild_vocabulary(session: Session) -> None:
    """Recount `part_terms` and `part_vehicle_models` from the parts (after any import)."""
    docs: Counter[str] = Counter()
    brands: Counter[str] = Counter()
    brand_cache: dict[str, set[str]] = {}
    parts = 0
    for terms, brand in session.execute(select(Part.search_terms, Part.brand)):
        parts += 1
        unique = set(terms.split())
        docs.update(unique)
        if brand not in brand_cache:
            brand_cache[brand] = set(expand_document(content_stems(brand)))
        brands.update(unique & brand_cache[brand])
    session.execute(delete(PartTerm))
    vocabulary = [
        {"term": t, "doc_freq": n, "brand_freq": brands.get(t, 0)}
        for t, n in sorted(docs.items())
        if 0 < len(t) <= 64
    ]
    vocabulary.append({"term": CATALOG_SIZE_TERM, "doc_freq": parts, "brand_freq": 0})
    for start in range(0, len(vocabulary), 5000):
        session.execute(insert(PartTerm), vocabulary[start : start + 5000])

    session.execute(delete(PartVehicleModel))
    models = session.execute(
        select(
            PartFitment.brand_key,
            PartFitment.model_key,
            func.min(PartFitment.brand),
            func.min(PartFitment.model),
            func.count(func.distinct(PartFitment.part_id)),
        ).group_by(PartFitment.brand_key, PartFitment.model_key)
    ).all()
    if models:
        session.execute(
            insert(PartVehicleModel),
            [
                {"brand_key": bk, "model_key": mk, "brand": b, "model": m, "parts_count": n}
                for bk, mk, b, m, n in models
            ],
        )


def known_terms(session: Session, terms: Sequence[str]) -> dict[str, tuple[int, int]]:
    """term -> (doc_freq, brand_freq) for the terms that are in the vocabulary."""
    if not terms:
        return {}
    wanted = sorted(set(terms) - {CATALOG_SIZE_TERM})
    rows = session.execute(
        select(PartTerm.term, PartTerm.doc_freq, PartTerm.brand_freq).where(
            PartTerm.term.in_(wanted)
        )
    )
    return {term: (df, bf) for term, df, bf in rows}


@dataclass
class CatalogContext:
    """What understanding a query needs from the database, fetched in one round trip."""

    stats: dict[str, tuple[int, int]]  # lexeme -> (doc_freq, brand_freq), asked terms only
    docs: int  # parts in the catalog
    vehicles: list[tuple[str, str, str, str]]  # (brand_key, model_key, brand, model)


def catalog_context(session: Session, terms: Sequence[str]) -> CatalogContext:
    """Vocabulary stats of `terms`, catalog size and known vehicles: one UNION ALL query,
    because on a busy server each round trip costs more than these lookups."""
    empty = literal("")
    wanted = sorted({*terms, CATALOG_SIZE_TERM})
    statement = union_all(
        select(
            literal("t"), PartTerm.term, empty, empty, empty, PartTerm.doc_freq,
            PartTerm.brand_freq,
        ).where(PartTerm.term.in_(wanted)),
        select(
            literal("v"), PartVehicleModel.brand_key, PartVehicleModel.model_key,
            PartVehicleModel.brand, PartVehicleModel.model, literal(0), literal(0),
        ),
    )  # fmt: skip
    context = CatalogContext({}, 0, [])
    for kind, a, b, c, d, n1, n2 in session.execute(statement):
        if kind == "v":
            context.vehicles.append((a, b, c, d))
        elif a == CATALOG_SIZE_TERM:
            context.docs = n1
        else:
            context.stats[a] = (n1, n2)
    if not context.docs and context.stats:  # vocabulary written before the size row existed
        context.docs = session.scalar(select(func.count()).select_from(Part)) or 0
    context.vehicles.sort(key=lambda v: (v[1], v[0]))
    return context


def similar_terms(session: Session, word: str) -> list[tuple[str, int, int, int]]:
    """Vocabulary terms within `max_typos(word)` edits: (term, distance, doc_freq, brand_freq)."""
    return similar_terms_many(session, [word]).get(word, [])


def similar_terms_many(
    session: Session, words: Sequence[str]
) -> dict[str, list[tuple[str, int, int, int]]]:
    """`similar_terms` for several words at once (one lookup for the whole query)."""
    words = sorted({w for w in words if max_typos(w)})
    if not words:
        return {}
    if is_postgres(session):
        session.execute(
            text("SELECT set_config('pg_trgm.similarity_threshold', :t, true)"),
            {"t": str(TRIGRAM_THRESHOLD)},
        )
        conditions = " OR ".join(f"lower(term) % :w{n}" for n in range(len(words)))
        statement = text(
            f"SELECT term, doc_freq, brand_freq FROM part_terms WHERE {conditions}"  # noqa: S608 - placeholders only
        ).bindparams(**{f"w{n}": w for n, w in enumerate(words)})
        rows = session.execute(statement).all()
    else:
        low = min(len(w) - max_typos(w) for w in words)
        high = max(len(w) + max_typos(w) for w in words)
        rows = session.execute(
            select(PartTerm.term, PartTerm.doc_freq, PartTerm.brand_freq).where(
                func.length(PartTerm.term).between(low, high)
            )
        ).all()
    found: dict[str, list[tuple[str, int, int, int]]] = {w: [] for w in words}
    for word in words:
        limit = max_typos(word)
        for term, df, bf in rows:
            distance = OSA.distance(word, term, score_cutoff=limit)
            if distance <= limit and term != word:
                found[word].append((term, distance, df, bf))
    return found


def fts_condition(session: Session, clauses: Sequence[Sequence[str]], *, every: bool) -> TextClause:
    """Parts whose lexemes satisfy every clause (`every`) or any of them; a clause is a set
    of alternative lexemes. Lexemes are [a-z0-9]+ (the analyzer's output), safe to quote."""
    joiner = " AND " if every else " OR "
    if is_postgres(session):
        groups = ["(" + " | ".join(f"'{t}'" for t in clause) + ")" for clause in clauses]
        query = (" & " if every else " | ").join(groups)
        return text(
            "array_to_tsvector(string_to_array(parts.search_terms, ' ')) "
            "@@ CAST(:fts_query AS tsquery)"
        ).bindparams(fts_query=query)
    groups = ["(" + " OR ".join(f'"{t}"' for t in clause) + ")" for clause in clauses]
    return text(
        "parts.id IN (SELECT rowid FROM parts_fts WHERE parts_fts MATCH :fts_query)"
    ).bindparams(fts_query=joiner.join(groups))
