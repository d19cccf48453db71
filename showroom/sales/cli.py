"""`showroom finance simulate --price P --down D --months N [--rate R] [--branch CODE]`."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation

import click
from sqlalchemy.exc import SQLAlchemyError

from showroom.db.session import session_scope
from showroom.inventory.branches import annual_rate, get_branch
from showroom.sales.financing import FinancingError, down_payment_from_percent, simulate
from showroom.settings import get_settings

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


def register(main: click.Group) -> None:
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
