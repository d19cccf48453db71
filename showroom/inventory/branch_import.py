"""`showroom import branches FILE`: branches CSV -> `branches`, upserted by `code`.

Columns (DESIGN.md): code, name, city, address, whatsapp_number, voice_number, timezone,
opening_hours. Optional rates, each "0.139", "13.9%" or "13.9" (empty or absent: the default
applies): annual_rate and iva_rate (Settings), max_bot_discount (the largest discount the
assistant may give on a quote) and commission_rate (salespeople's commission on a sale's
amount before IVA); see docs/quotes.md for the last two. Optional flag
`prices_include_iva` (true/false, sí/no, 1/0; empty or absent: `QUOTE_PRICES_INCLUDE_IVA`,
true): whether the branch's vehicle and part prices already include IVA.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch
from showroom.inventory.csv_import import (
    CsvRow,
    ImportFailed,
    ImportSummary,
    RowError,
    RowInvalid,
    check_errors,
    parse_phone,
    parse_rate,
    read_csv,
    required_text,
    validate_rows,
)
from showroom.inventory.hours import OpeningHours
from showroom.inventory.vocabulary import fold

COLUMNS = (
    "code",
    "name",
    "city",
    "address",
    "whatsapp_number",
    "voice_number",
    "timezone",
    "opening_hours",
)
OPTIONAL_COLUMNS = ("annual_rate", "iva_rate", "max_bot_discount", "commission_rate")
OPTIONAL_FLAGS = ("prices_include_iva",)
_TRUE = frozenset({"true", "t", "yes", "y", "si", "s", "1", "verdadero", "v"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "falso"})
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,15}$")


@dataclass(frozen=True)
class BranchRow:
    code: str
    values: dict[str, object]


def _parse(row: CsvRow, present: set[str]) -> BranchRow:
    code = row.get("code").upper()
    if not code:
        raise RowInvalid("code: empty")
    if not _CODE.match(code):
        raise RowInvalid(f"code: {code!r} must be 1-16 letters, digits, - or _")
    timezone = required_text(row, "timezone", 64)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RowInvalid(
            f"timezone: unknown IANA zone {timezone!r} (e.g. America/Monterrey)"
        ) from exc
    hours_text = required_text(row, "opening_hours", 255)
    try:
        OpeningHours.parse(hours_text)
    except ValueError as exc:
        raise RowInvalid(f"opening_hours: {exc}") from exc
    values: dict[str, object] = {
        "name": required_text(row, "name", 120),
        "city": required_text(row, "city", 80),
        "address": required_text(row, "address", 255),
        "whatsapp_number": parse_phone(row.get("whatsapp_number"), "whatsapp_number"),
        "voice_number": parse_phone(row.get("voice_number"), "voice_number"),
        "timezone": timezone,
        "opening_hours": hours_text,
    }
    for column in OPTIONAL_COLUMNS:
        if column in present:
            values[column] = parse_rate(row.get(column), column)
    for column in OPTIONAL_FLAGS:
        if column in present:
            values[column] = _parse_flag(row.get(column), column)
    return BranchRow(code, values)


def _parse_flag(text: str, column: str) -> bool | None:
    """`true`/`false`, `sí`/`no`, `1`/`0` (any case, accents fine); empty -> None (default)."""
    cleaned = fold(text).strip()
    if not cleaned:
        return None
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    raise RowInvalid(f"{column}: not true or false: {text!r}")


def import_branches(session: Session, path: Path, skip_bad_rows: bool = False) -> ImportSummary:
    """Validate the whole file, then create or update every good row (by `code`).

    `ImportFailed` (nothing written) on a bad file, or on bad rows unless `skip_bad_rows`.
    """
    rows, errors, _ignored = read_csv(path, COLUMNS, (*OPTIONAL_COLUMNS, *OPTIONAL_FLAGS))
    present = set(rows[0].values) if rows else set()
    parsed = validate_rows(rows, lambda row: _parse(row, present), errors)
    parsed = _drop_duplicates(session, parsed, errors)
    check_errors(path, errors, skip_bad_rows)

    summary = ImportSummary("branches", skipped=len(errors), errors=errors)
    existing = {b.code: b for b in session.scalars(select(Branch))}
    for _row, branch_row in parsed:
        branch = existing.get(branch_row.code)
        if branch is None:
            session.add(Branch(code=branch_row.code, **branch_row.values))
            summary.created += 1
            continue
        changed = False
        for name, value in branch_row.values.items():
            current = getattr(branch, name)
            if isinstance(value, Decimal) and current is not None:
                same = Decimal(current) == value
            else:
                same = current == value
            if not same:
                setattr(branch, name, value)
                changed = True
        if changed:
            summary.updated += 1
        else:
            summary.unchanged += 1
    try:
        session.flush()
    except IntegrityError as exc:  # a constraint the checks above could not see (swaps)
        raise ImportFailed(f"{path}: the database refused the branches: {exc}") from exc
    return summary


def _drop_duplicates(
    session: Session, parsed: list[tuple[CsvRow, BranchRow]], errors: list[RowError]
) -> list[tuple[CsvRow, BranchRow]]:
    """Repeated codes or WhatsApp numbers in the file, or numbers another branch already has."""
    owners = {
        b.whatsapp_number: b.code
        for b in session.scalars(select(Branch).where(Branch.whatsapp_number.is_not(None)))
    }
    seen_codes: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    kept = []
    for row, branch_row in parsed:
        number = branch_row.values.get("whatsapp_number")
        if branch_row.code in seen_codes:
            first = seen_codes[branch_row.code]
            errors.append(RowError(row.line, f"code: {branch_row.code} repeats line {first}"))
            continue
        seen_codes[branch_row.code] = row.line
        if isinstance(number, str):
            if number in seen_numbers:
                errors.append(
                    RowError(row.line, f"whatsapp_number: repeats line {seen_numbers[number]}")
                )
                continue
            owner = owners.get(number)
            if owner is not None and owner != branch_row.code:
                errors.append(
                    RowError(row.line, f"whatsapp_number: already used by branch {owner}")
                )
                continue
            seen_numbers[number] = row.line
        kept.append((row, branch_row))
    return kept
