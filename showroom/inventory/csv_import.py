"""What every CSV importer shares: reading real-world files, row errors, the summary.

Dealers' files come from Excel and CRMs: UTF-8 with or without BOM or Windows-1252, comma,
semicolon or tab separated, headers in any case. Every row is validated before anything is
written; a file with bad rows imports nothing unless the caller asks to skip them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

from showroom.conversations.customers import normalize_phone
from showroom.inventory.vocabulary import fold

MAX_REPORTED_ERRORS = 50
PROGRESS_MIN_ROWS = 2000
T = TypeVar("T")


class RowInvalid(ValueError):  # noqa: N818 - reads as what happened
    """One field of one row is wrong; the message names the column and the reason."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportFailed(Exception):  # noqa: N818 - reads as what happened
    """The file cannot be imported; nothing was written. `errors` lists bad rows, if any."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


@dataclass
class ImportSummary:
    what: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.what}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


def header_key(name: str) -> str:
    return re.sub(r"\s+", "_", fold(name.replace("\ufeff", "")))


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_csv(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[list[CsvRow], list[RowError], list[str]]:
    """Rows keyed by normalized header, shape errors, and the ignored unknown columns.

    `ImportFailed` when the file cannot be read or required columns are missing.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(f"file not found: {path}") from exc
    except OSError as exc:
        raise ImportFailed(f"cannot read {path}: {exc.strerror or exc}") from exc
    text = _decode(data)
    if not text.strip():
        raise ImportFailed(f"{path} is empty")
    first_line = text.lstrip("\ufeff").splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [header_key(h) for h in next(reader)]
    except csv.Error as exc:
        raise ImportFailed(f"{path}: unreadable CSV header: {exc}") from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailed(
            f"{path}: missing column(s) {', '.join(missing)}; "
            f"expected header: {', '.join(required)}"
        )
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise ImportFailed(f"{path}: repeated column(s) {', '.join(duplicated)}")
    known = set(required) | set(optional)
    ignored = [h for h in header if h and h not in known]
    rows: list[CsvRow] = []
    errors: list[RowError] = []
    line = reader.line_num + 1
    try:
        for values in reader:
            start, line = line, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
                errors.append(RowError(start, f"{len(values)} values for {len(header)} columns"))
                continue
            rows.append(CsvRow(start, dict(zip(header, values, strict=False))))
    except csv.Error as exc:
        raise ImportFailed(f"{path}: line {line}: unreadable CSV: {exc}") from exc
    return rows, errors, ignored


def validate_rows(
    rows: list[CsvRow], parse: Callable[[CsvRow], T], errors: list[RowError]
) -> list[tuple[CsvRow, T]]:
    """Parse every row, collecting `RowInvalid` into `errors`."""
    parsed = []
    for row in rows:
        try:
            parsed.append((row, parse(row)))
        except RowInvalid as exc:
            errors.append(RowError(row.line, str(exc)))
    return parsed


def check_errors(path: Path, errors: list[RowError], skip_bad_rows: bool) -> None:
    if errors and not skip_bad_rows:
        errors.sort(key=lambda e: e.line)
        noun = "row" if len(errors) == 1 else "rows"
        raise ImportFailed(
            f"{path}: {len(errors)} bad {noun}; nothing imported (fix them or use --skip-bad-rows)",
            errors,
        )
    errors.sort(key=lambda e: e.line)


def progress(items: list[T], enabled: bool, what: str) -> Iterator[T]:
    """A tqdm bar over `items` when enabled and the file is large; plain iteration otherwise."""
    if enabled and len(items) >= PROGRESS_MIN_ROWS:
        from tqdm import tqdm

        yield from tqdm(items, desc=what, unit="row")
    else:
        yield from items


# ----------------------------------------------------------------------------- field parsers
def required_text(row: CsvRow, column: str, max_length: int) -> str:
    value = " ".join(row.get(column).split())
    if not value:
        raise RowInvalid(f"{column}: empty")
    if len(value) > max_length:
        raise RowInvalid(f"{column}: longer than {max_length} characters")
    return value


def optional_text(row: CsvRow, column: str, max_length: int) -> str:
    value = row.get(column)
    if len(value) > max_length:
        raise RowInvalid(f"{column}: longer than {max_length} characters")
    return value


_MONEY_NOISE = re.compile(r"(?i)[\s$]|mxn|mn|pesos")


def parse_money(text: str, column: str) -> Decimal:
    """`"$389,900"`, `"389900.00"`, `"389,900 MXN"` -> `Decimal("389900.00")`."""
    cleaned = _MONEY_NOISE.sub("", text).replace(",", "")
    if not cleaned:
        raise RowInvalid(f"{column}: empty")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise RowInvalid(f"{column}: not an amount: {text!r}") from exc
    if not value.is_finite():
        raise RowInvalid(f"{column}: not an amount: {text!r}")
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_int(text: str, column: str, low: int, high: int) -> int:
    cleaned = re.sub(r"(?i)[\s,]|km", "", text)
    if not re.fullmatch(r"-?\d+(?:\.0+)?", cleaned):
        raise RowInvalid(f"{column}: not a whole number: {text!r}")
    value = int(Decimal(cleaned))
    if not low <= value <= high:
        raise RowInvalid(f"{column}: {value} is outside {low}–{high}")
    return value


def parse_rate(text: str, column: str) -> Decimal | None:
    """`"0.139"`, `"13.9%"` or `"13.9"` -> `Decimal("0.139")`; empty -> None (default)."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        return None
    percent = cleaned.endswith("%")
    try:
        value = Decimal(cleaned.rstrip("%"))
    except InvalidOperation as exc:
        raise RowInvalid(f"{column}: not a rate: {text!r}") from exc
    if not value.is_finite() or value < 0:
        raise RowInvalid(f"{column}: not a rate: {text!r}")
    if percent or value >= 1:
        value = value / 100
    if value >= 1:
        raise RowInvalid(f"{column}: {text!r} is 100 % or more")
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def parse_phone(text: str, column: str) -> str | None:
    if not text.strip():
        return None
    phone = normalize_phone(text)
    if phone is None:
        raise RowInvalid(f"{column}: not a valid phone number: {text!r}")
    return phone


_HTTP_URL = re.compile(r"^https?://[^\s/?#:@]+(?::\d+)?(?:[/?#]\S*)?$", re.IGNORECASE)


def parse_urls(text: str, column: str, limit: int = 20) -> list[str]:
    urls = [u.strip() for u in text.split("|") if u.strip()]
    for url in urls:
        if not _HTTP_URL.match(url):
            raise RowInvalid(f"{column}: not an http(s) URL: {url!r}")
    if len(urls) > limit:
        raise RowInvalid(f"{column}: more than {limit} URLs")
    return urls
