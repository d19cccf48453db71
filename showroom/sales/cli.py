"""Sales commands.

showroom finance simulate --price P --down D --months N [--rate R] [--branch CODE]
showroom handoffs list [--branch CODE] [--open] [--format table|csv|json] [--full-phone]
showroom handoffs close ID [--note TEXT]
showroom leads list [--branch CODE] [--kind trade_in|callback|…] [--since YYYY-MM-DD]
                    [--format table|csv|json] [--full-phone]

The handoff and lead commands are how staff see what customers asked for until the agent
console exists. Phones are masked unless `--full-phone`: a screen or a pasted report should
not leak customers' numbers by default.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from showroom.db.cli_transaction import run_in_transaction
from showroom.db.session import session_scope
from showroom.formatting import km
from showroom.inventory.branches import annual_rate, branch_zone, get_branch
from showroom.privacy import mask_phone
from showroom.sales.financing import FinancingError, down_payment_from_percent, simulate
from showroom.sales.leads import (
    LEAD_KINDS,
    HandoffView,
    LeadError,
    LeadView,
    close_handoff,
    list_handoffs,
    list_leads,
)
from showroom.settings import get_settings

T = TypeVar("T")
FORMATS = ("table", "csv", "json")
_LONG_DIGITS = re.compile(r"\+?\d{7,}")
HANDOFF_COLUMNS = (
    "id", "created", "branch", "status", "reason", "customer", "phone", "conversation", "note"
)  # fmt: skip
LEAD_COLUMNS = ("id", "created", "branch", "kind", "status", "customer", "phone", "details")

_NOISE = re.compile(r"(?i)[\s$,]|mxn")


def parse_amount(text: str, what: str) -> Decimal:
    """`"389900"`, `"$389,900"`, `"389,900.50 MXN"`; `BadParameter` otherwise."""
    try:
        value = Decimal(_NOISE.sub("", text))
    except InvalidOperation:
        raise click.BadParameter(f"not an amount: {text!r}", param_hint=what) from None
    if not value.is_finite():
        raise click.BadParameter(f"not an amount: {text!r}", param_hint=what)
    return value


def parse_rate(text: str) -> Decimal:
    """`"0.139"`, `"13.9%"` or `"13.9"` (a number ≥ 1 is a percent) -> `Decimal("0.139")`."""
    cleaned = text.strip().replace(" ", "")
    percent = cleaned.endswith("%")
    value = parse_amount(cleaned.rstrip("%"), "--rate")
    return value / 100 if percent or value >= 1 else value


def parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """A `--date`/`--since` option: `YYYY-MM-DD` (None when not given)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"not a date (YYYY-MM-DD): {value!r}") from None


def register(main: click.Group) -> None:
    _register_finance(main)
    _register_handoffs(main)
    _register_leads(main)


def _register_finance(main: click.Group) -> None:
    finance_group = main.commands["finance"]
    assert isinstance(finance_group, click.Group)

    @finance_group.command("simulate")
    @click.option("--price", required=True, help="Vehicle price in MXN, e.g. 389900.")
    @click.option(
        "--down", required=True, help="Down payment: an amount (80000) or a percent (20%)."
    )
    @click.option("--months", required=True, type=int, help="Term in months (12-72 by default).")
    @click.option("--rate", help="Annual rate: 0.139, 13.9% or 13.9. Default: branch or settings.")
    @click.option("--branch", "branch_code", help="Use this branch's annual rate.")
    def simulate_command(
        price: str, down: str, months: int, rate: str | None, branch_code: str | None
    ) -> None:
        """Print a financing plan as JSON (amounts as decimal strings)."""
        price_d = parse_amount(price, "--price")
        try:
            if down.strip().endswith("%"):
                down_d = down_payment_from_percent(
                    price_d, parse_amount(down.strip()[:-1], "--down")
                )
            else:
                down_d = parse_amount(down, "--down")
            rate_d = parse_rate(rate) if rate is not None else _branch_rate(branch_code)
            plan = simulate(price_d, down_d, months, rate_d)
        except FinancingError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(json.dumps(plan.as_json(), ensure_ascii=False))


def _branch_rate(branch_code: str | None) -> Decimal:
    if branch_code is None:
        return get_settings().annual_rate
    try:
        with session_scope() as session:
            branch = get_branch(session, branch_code)
            rate = annual_rate(branch) if branch is not None else None
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"cannot read branches ({type(exc).__name__}); run `showroom db upgrade` first"
        ) from exc
    if rate is None:
        raise click.ClickException(f"unknown branch code {branch_code!r}")
    return rate


# ------------------------------------------------------------------ staff views
def _run(work: Callable[[Session], T]) -> T:
    """`work(session)` in one transaction; bad input and database trouble become one-line
    `Error: …`."""
    return run_in_transaction(work, LeadError)


def phone_shown(phone: str | None, full: bool) -> str:
    if not phone:
        return ""
    return phone if full else mask_phone(phone)


def conversation_shown(key: str, full: bool) -> str:
    """Sender ids may embed a phone ("whatsapp:+52…"): masked like phones."""
    return key if full else _LONG_DIGITS.sub(lambda m: mask_phone(m.group()), key)


def local_time(moment: datetime, zone: str | None) -> datetime:
    """In the branch's timezone (Settings.default_timezone without a branch)."""
    return moment.astimezone(ZoneInfo(zone or get_settings().default_timezone))


def lead_summary(kind: str, details: dict[str, Any]) -> str:
    """One line for a table: "Chevrolet Aveo 2016, 95,000 km", a callback's note, …"""
    if kind == "trade_in" and {"brand", "model", "year", "km"} <= details.keys():
        return f"{details['brand']} {details['model']} {details['year']}, {km(details['km'])}"
    if set(details) == {"note"}:
        return str(details["note"])
    return json.dumps(details, ensure_ascii=False, sort_keys=True)


def _who_and_where(view: HandoffView | LeadView, full_phone: bool) -> dict[str, Any]:
    """The columns handoffs and leads share: when, which branch, which customer."""
    return {
        "id": view.id,
        "created": local_time(view.created_at, view.branch_timezone),
        "branch": view.branch_code or "",
        "status": view.status,
        "customer": view.customer_name or "",
        "phone": phone_shown(view.phone, full_phone),
    }


def handoff_record(view: HandoffView, full_phone: bool) -> dict[str, Any]:
    return {
        **_who_and_where(view, full_phone),
        "reason": view.reason,
        "conversation": conversation_shown(view.conversation_key, full_phone),
        "note": view.note,
    }


def lead_record(view: LeadView, full_phone: bool) -> dict[str, Any]:
    return {**_who_and_where(view, full_phone), "kind": view.kind, "details": view.details}


def render(records: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """`records` as an aligned table, CSV or JSON (a list of objects).

    Times: ISO 8601 with the branch's offset in CSV/JSON, `YYYY-MM-DD HH:MM` in tables.
    Details: an object in JSON, JSON text in CSV, a one-line summary in tables.
    """
    if fmt == "json":
        return json.dumps(
            [{c: _json_value(r[c]) for c in columns} for r in records], ensure_ascii=False, indent=2
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([_csv_value(record[c]) for c in columns])
        return out.getvalue().rstrip("\n")
    if not records:
        return "(none)"
    rows = [[c.upper() for c in columns]]
    rows += [[_table_value(record, c) for c in columns] for record in records]
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    )


def _json_value(value: Any) -> Any:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value


def _csv_value(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _table_value(record: dict[str, Any], column: str) -> str:
    value = record[column]
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if column == "details":
        return lead_summary(record["kind"], value)
    return " / ".join(str(value).splitlines())


def _format_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True
    )


def _full_phone_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--full-phone", is_flag=True, help="Show whole phone numbers (masked by default)."
    )


def _register_handoffs(main: click.Group) -> None:
    @main.group("handoffs")
    def handoffs_group() -> None:
        """Customers' requests to talk to a person."""

    @handoffs_group.command("list")
    @click.option("--branch", "branch_code", help="Only this branch (code).")
    @click.option("--open", "open_only", is_flag=True, help="Only pending or taken ones.")
    @_format_option()
    @_full_phone_option()
    def list_command(branch_code: str | None, open_only: bool, fmt: str, full_phone: bool) -> None:
        """Handoff requests, oldest first (times in the branch's timezone)."""
        views = _run(lambda s: list_handoffs(s, branch_code, open_only=open_only))
        records = [handoff_record(v, full_phone) for v in views]
        click.echo(render(records, HANDOFF_COLUMNS, fmt))

    @handoffs_group.command("close")
    @click.argument("request_id", type=int)
    @click.option("--note", default="", help="What was done (kept with the request).")
    def close_command(request_id: int, note: str) -> None:
        """Mark a handoff request as done."""
        _request, was_open = _run(lambda s: close_handoff(s, request_id, note))
        click.echo(
            f"handoff {request_id} closed"
            if was_open
            else f"handoff {request_id} was already closed"
            + (" (note not saved)" if note.strip() else "")
        )


def _register_leads(main: click.Group) -> None:
    @main.group("leads")
    def leads_group() -> None:
        """Leads the assistant recorded: trade-ins, callbacks."""

    @leads_group.command("list")
    @click.option("--branch", "branch_code", help="Only this branch (code).")
    @click.option("--kind", type=click.Choice(LEAD_KINDS), help="Only this kind of lead.")
    @click.option(
        "--since",
        callback=parse_day,
        help="Created on or after this day (YYYY-MM-DD, in the branch's timezone).",
    )
    @_format_option()
    @_full_phone_option()
    def list_command(
        branch_code: str | None, kind: str | None, since: date | None, fmt: str, full_phone: bool
    ) -> None:
        """Leads, oldest first (times in the branch's timezone)."""

        def work(session: Session) -> list[LeadView]:
            start = _start_of(session, since, branch_code) if since is not None else None
            return list_leads(session, branch_code, kind=kind, since=start)

        records = [lead_record(v, full_phone) for v in _run(work)]
        click.echo(render(records, LEAD_COLUMNS, fmt))


def _start_of(session: Session, day: date, branch_code: str | None) -> datetime:
    """Midnight of `day` in the branch's timezone (Settings.default_timezone without one)."""
    branch = get_branch(session, branch_code) if branch_code else None
    zone = branch_zone(branch) if branch is not None else ZoneInfo(get_settings().default_timezone)
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
