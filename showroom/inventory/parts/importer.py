"""`showroom import parts FILE`: validate every row, then upsert by SKU in bulk.

All or nothing by default: a file with bad rows imports nothing (each problem is reported
with its line), unless `skip_bad_rows`. A re-import updates parts by `sku` (never
duplicates) and skips rows whose content did not change, so loading the same file twice is
fast and idempotent. The caller owns the transaction (`session_scope()` commits).

Warnings do not stop an import: a `compatibilidad` entry that is not understood (with its
line and why), an image URL dropped, and a SKU that moves from one branch's stock to
another's (or to or from the shared catalog). `delete_missing` only deletes parts of the
stock being imported: the branch given, or the shared catalog when no branch is given.

Progress (`ImportProgress`): bytes while the file is read, then rows while the database is
written, then the search vocabulary rebuild.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

from sqlalchemy import JSON, Table, delete, insert, select, text, update
from sqlalchemy.orm import Session

from showroom.db.base import utcnow
from showroom.db.models.inventory import Branch
from showroom.db.models.parts import Part, PartFitment
from showroom.inventory.parts.index import rebuild_vocabulary
from showroom.inventory.parts.reader import RawItem, UnusableFile, read_items
from showroom.inventory.parts.rows import PartRow, RowError, parse_row

log = logging.getLogger(__name__)
_CHUNK = 500


class ImportProgress(Protocol):
    """What an import reports as it goes (the CLI draws bars with it)."""

    def read(self, n_bytes: int) -> None:
        """More of the file was read."""

    def stage(self, name: str, total: int) -> None:
        """A new stage starts ("writing": `total` rows, "indexing": 1 step)."""

    def advance(self, steps: int) -> None:
        """Steps of the current stage are done."""


@dataclass(frozen=True)
class RowProblem:
    where: str  # "line 12" or "item 3 (line 40)"
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class ImportSummary:
    rows: int = 0  # valid rows in the file
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0  # bad rows left out (--skip-bad-rows)
    not_understood: int = 0  # compatibility entries kept raw only
    images_dropped: int = 0  # image URLs left out (not http(s))
    moved: int = 0  # SKUs that changed branch
    seconds: float = 0.0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)

    def line(self) -> str:
        text = f"parts: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.deleted:
            text += f", {self.deleted} deleted"
        if self.skipped:
            text += f", {self.skipped} bad rows skipped"
        if self.moved:
            text += f", {self.moved} moved between branches"
        if self.not_understood:
            text += f", {self.not_understood} compatibility entries not understood"
        if self.images_dropped:
            text += f", {self.images_dropped} image URLs dropped"
        return f"{text} ({self.rows} rows in {self.seconds:.1f} s)"


class ImportFailed(Exception):  # noqa: N818 - reads as what happened
    """Nothing was imported. `problems` lists the bad rows; str() is the one-line reason."""

    def __init__(self, reason: str, problems: Sequence[RowProblem] = ()) -> None:
        super().__init__(reason)
        self.problems = list(problems)


def read_rows(
    path: Path, on_bytes: Callable[[int], None] | None = None
) -> tuple[list[PartRow], list[RowProblem]]:
    """Valid rows and row problems of a file. `UnusableFile` when it is not a parts file."""
    return collect_rows(read_items(path, on_bytes))


def collect_rows(items: Iterable[RawItem]) -> tuple[list[PartRow], list[RowProblem]]:
    rows: list[PartRow] = []
    problems: list[RowProblem] = []
    first_seen: dict[str, str] = {}
    for item in items:
        if item.error:
            problems.append(RowProblem(item.where, item.error))
            continue
        try:
            row = parse_row(item.value)
        except RowError as exc:
            sku = item.value.get("sku") if isinstance(item.value, dict) else None
            reason = f"{exc} (sku {sku})" if isinstance(sku, str) and sku.strip() else str(exc)
            problems.append(RowProblem(item.where, reason))
            continue
        if row.sku in first_seen:
            problems.append(
                RowProblem(item.where, f"duplicate sku {row.sku} (first at {first_seen[row.sku]})")
            )
            continue
        first_seen[row.sku] = item.where
        row.where = item.where
        rows.append(row)
    return rows, problems


def import_parts(
    session: Session,
    path: Path,
    *,
    skip_bad_rows: bool = False,
    branch_code: str | None = None,
    delete_missing: bool = False,
    progress: ImportProgress | None = None,
) -> ImportSummary:
    """Import a parts file. Raises `UnusableFile` or `ImportFailed` (nothing written)."""
    started = time.perf_counter()
    rows, problems = read_rows(path, progress.read if progress else None)
    if problems and not skip_bad_rows:
        raise ImportFailed(
            f"{len(problems)} bad row(s); nothing imported (--skip-bad-rows imports the rest)",
            problems,
        )
    if not rows:
        raise UnusableFile(f"{path.name} has no valid products")
    summary = write_rows(
        session, rows, branch_code=branch_code, delete_missing=delete_missing, progress=progress
    )
    summary.skipped = len(problems)
    summary.problems = problems
    summary.seconds = time.perf_counter() - started
    log.info("parts import: %s", summary.line())
    return summary


def _branch_id(session: Session, branch_code: str | None) -> int | None:
    if branch_code is None:
        return None
    branch_id = session.scalar(select(Branch.id).where(Branch.code == branch_code))
    if branch_id is None:
        raise ImportFailed(f"unknown branch {branch_code!r} (import branches first)")
    return branch_id


def _stock_name(codes: dict[int, str], branch_id: int | None) -> str:
    return "the shared catalog" if branch_id is None else f"branch {codes.get(branch_id, '?')}"


def _values(row: PartRow, branch_id: int | None) -> dict[str, Any]:
    return {
        "sku": row.sku,
        "title": row.title,
        "category": row.category,
        "brand": row.brand,
        "price_mxn": row.price_mxn,
        "stock": row.stock,
        "image_urls": row.image_urls,
        "compat_raw": row.compat_raw,
        "universal": row.universal,
        "branch_id": branch_id,
        "search_terms": row.search_terms,
        "title_terms": row.title_terms,
        "content_hash": row.content_hash,
    }


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk_insert(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    done: Callable[[int], None] | None = None,
) -> None:
    """Insert many rows: PostgreSQL's COPY (10x faster than multi-row INSERT through
    psycopg), plain executemany elsewhere (SQLite is fast at it). `done(n)` after each
    batch of rows."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        for chunk in _chunks(rows, 2000):
            session.execute(insert(table), chunk)
            if done:
                done(len(chunk))
        return
    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    dbapi: Any = session.connection().connection.dbapi_connection  # psycopg 3 Connection
    names = ", ".join(columns)
    with dbapi.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for number, row in enumerate(rows, start=1):
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])
            if done and number % 2000 == 0:
                done(2000)
    if done and len(rows) % 2000:
        done(len(rows) % 2000)


def write_rows(
    session: Session,
    rows: Sequence[PartRow],
    *,
    branch_code: str | None = None,
    delete_missing: bool = False,
    progress: ImportProgress | None = None,
) -> ImportSummary:
    """Upsert validated rows by SKU, replace their fitments, rebuild the search vocabulary."""
    branch_id = _branch_id(session, branch_code)
    existing = {
        sku: (part_id, content_hash, part_branch)
        for sku, part_id, content_hash, part_branch in session.execute(
            select(Part.sku, Part.id, Part.content_hash, Part.branch_id)
        )
    }
    codes = {bid: code for bid, code in session.execute(select(Branch.id, Branch.code))}
    summary = ImportSummary(rows=len(rows))
    new: list[PartRow] = []
    changed: list[tuple[int, PartRow]] = []
    for row in rows:
        summary.not_understood += len(row.not_understood)
        summary.warnings.extend(
            RowProblem(row.where, f"compatibilidad {entry!r} not understood: {why}")
            for entry, why in row.not_understood
        )
        summary.images_dropped += len(row.warnings)
        summary.warnings.extend(RowProblem(row.where, warning) for warning in row.warnings)
        found = existing.get(row.sku)
        if found is None:
            new.append(row)
            continue
        part_id, content_hash, part_branch = found
        moved = part_branch != branch_id
        if moved:
            summary.moved += 1
            before, after = _stock_name(codes, part_branch), _stock_name(codes, branch_id)
            summary.warnings.append(
                RowProblem(row.where, f"sku {row.sku} moves from {before} to {after}")
            )
        if moved or content_hash != row.content_hash:
            changed.append((part_id, row))
        else:
            summary.unchanged += 1

    fitted: list[tuple[int, PartRow]] = list(changed)
    fitment_count = sum(len(r.fitments) for r in new) + sum(len(r.fitments) for _, r in changed)
    if progress:
        progress.stage("writing", len(new) + len(changed) + fitment_count)
    done = progress.advance if progress else None
    if new:
        now = utcnow()
        _bulk_insert(
            session,
            cast(Table, Part.__table__),
            [{**_values(r, branch_id), "created_at": now, "updated_at": now} for r in new],
            done,
        )
        skus = {r.sku for r in new}
        ids = {
            sku: part_id
            for sku, part_id in session.execute(select(Part.sku, Part.id))
            if sku in skus
        }
        fitted.extend((ids[r.sku], r) for r in new)
    if changed:
        now = utcnow()
        for batch in _chunks(changed, 2000):
            session.execute(
                update(Part),
                [{"id": pid, **_values(r, branch_id), "updated_at": now} for pid, r in batch],
            )
            if done:
                done(len(batch))
        for chunk in _chunks([pid for pid, _ in changed]):
            session.execute(delete(PartFitment).where(PartFitment.part_id.in_(chunk)))
    fitments = [
        {
            "part_id": pid,
            "brand": f.brand,
            "model": f.model,
            "brand_key": f.brand_key,
            "model_key": f.model_key,
            "year_from": f.year_from,
            "year_to": f.year_to,
            "raw": f.raw,
        }
        for pid, row in fitted
        for f in row.fitments
    ]
    _bulk_insert(session, cast(Table, PartFitment.__table__), fitments, done)
    if delete_missing:
        # only the stock this file is for: another branch's parts and the shared catalog
        # are other files' business
        keep = {r.sku for r in rows}
        gone = [
            pid
            for sku, (pid, _, part_branch) in existing.items()
            if sku not in keep and part_branch == branch_id
        ]
        for chunk in _chunks(gone):
            session.execute(delete(Part).where(Part.id.in_(chunk)))
        summary.deleted = len(gone)
    summary.created, summary.updated = len(new), len(changed)
    if new or changed or summary.deleted:
        if progress:
            progress.stage("indexing", 1)
        rebuild_vocabulary(session)
        if session.get_bind().dialect.name == "postgresql":
            # fresh planner statistics after a bulk load, or the first searches plan blind
            session.execute(text("ANALYZE parts, part_fitments, part_terms, part_vehicle_models"))
        if progress:
            progress.advance(1)
    return summary
