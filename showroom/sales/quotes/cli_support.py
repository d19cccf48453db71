"""What the quotes commands share: one transaction per command, one-line errors, parsing."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import click
from sqlalchemy.orm import Session

from showroom.db.cli_transaction import run_in_transaction
from showroom.sales.cli import parse_amount
from showroom.sales.quotes.errors import QuoteError
from showroom.sales.quotes.pdf import FontMissing

T = TypeVar("T")


def run(work: Callable[[Session], T]) -> T:
    """`work(session)` in one transaction; business errors and database trouble become
    one-line `Error: …` (and nothing is written)."""
    return run_in_transaction(work, QuoteError, FontMissing)


def parse_percent(text: str) -> Decimal:
    """`"12"`, `"12%"`, `"2.5 %"` -> the percentage (not a fraction)."""
    return parse_amount(text.strip().rstrip("%"), "--percent")


def parse_line(text: str | None) -> int | str | None:
    """`--line 2` (position) or `--line BAL-10014` (stock id / SKU)."""
    if text is None:
        return None
    cleaned = text.strip()
    if not cleaned:
        raise click.BadParameter("empty line reference", param_hint="--line")
    return int(cleaned) if cleaned.isdigit() else cleaned
