"""The daily sales report per branch: tickets, amount and commission, by salesperson.

A ticket counts on its branch's local date (`sales_tickets.sale_date`), so a sale at
23:30 in Tijuana is that day's sale there, whatever UTC says. As dataclasses
(`daily_sales`), as plain JSON-ready dicts for the console (`sales_data`, amounts as
decimal strings so nothing passes through a float), and as CSV or JSON from
`showroom report sales --date YYYY-MM-DD [--branch CODE] [--format csv|json]`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch
from showroom.db.models.sales import Salesperson, SalesTicket
from showroom.sales.quotes.salespeople import resolve_branch

ZERO = Decimal("0.00")
CSV_COLUMNS = (
    "date",
    "branch",
    "branch_name",
    "salesperson_id",
    "salesperson",
    "tickets",
    "amount_mxn",
    "subtotal_mxn",
    "iva_mxn",
    "commission_mxn",
)
TOTAL_LABEL = "TOTAL"


@dataclass(frozen=True)
class SalespersonSales:
    salesperson_id: int
    name: str
    tickets: int
    amount: Decimal  # IVA included: what customers pay
    subtotal: Decimal  # before IVA
    iva: Decimal
    commission: Decimal


@dataclass(frozen=True)
class BranchSales:
    day: date
    branch_code: str
    branch_name: str
    tickets: int = 0
    amount: Decimal = ZERO
    subtotal: Decimal = ZERO
    iva: Decimal = ZERO
    commission: Decimal = ZERO
    by_salesperson: list[SalespersonSales] = field(default_factory=list)


def daily_sales(
    session: Session, day: date, branch: Branch | str | None = None
) -> list[BranchSales]:
    """One entry per branch (every branch, or the one asked for), sales of `day` in its
    timezone; branches without sales have zeros. Salespeople by amount, largest first."""
    branches = (
        [resolve_branch(session, branch)]
        if branch is not None
        else list(session.scalars(select(Branch).order_by(Branch.code)))
    )
    if not branches:
        return []
    # Summed in Python: exact Decimal on both databases (SQLite would SUM in floating point)
    tickets = session.execute(
        select(SalesTicket, Salesperson.name)
        .join(Salesperson, Salesperson.id == SalesTicket.salesperson_id)
        .where(
            SalesTicket.sale_date == day,
            SalesTicket.status == "issued",
            SalesTicket.branch_id.in_([b.id for b in branches]),
        )
        .order_by(SalesTicket.id)
    ).all()
    grouped: dict[tuple[int, int], list[SalesTicket]] = {}
    names: dict[int, str] = {}
    for ticket, name in tickets:
        grouped.setdefault((ticket.branch_id, ticket.salesperson_id), []).append(ticket)
        names[ticket.salesperson_id] = name
    people: dict[int, list[SalespersonSales]] = {b.id: [] for b in branches}
    for (branch_id, person_id), sold in grouped.items():
        people[branch_id].append(
            SalespersonSales(
                salesperson_id=person_id,
                name=names[person_id],
                tickets=len(sold),
                amount=sum((Decimal(t.total) for t in sold), ZERO),
                subtotal=sum((Decimal(t.subtotal) for t in sold), ZERO),
                iva=sum((Decimal(t.iva) for t in sold), ZERO),
                commission=sum((Decimal(t.commission_amount) for t in sold), ZERO),
            )
        )
    report = []
    for b in branches:
        sellers = sorted(people[b.id], key=lambda s: (-s.amount, s.name, s.salesperson_id))
        report.append(
            BranchSales(
                day=day,
                branch_code=b.code,
                branch_name=b.name,
                tickets=sum(s.tickets for s in sellers),
                amount=sum((s.amount for s in sellers), ZERO),
                subtotal=sum((s.subtotal for s in sellers), ZERO),
                iva=sum((s.iva for s in sellers), ZERO),
                commission=sum((s.commission for s in sellers), ZERO),
                by_salesperson=sellers,
            )
        )
    return report


def sales_csv(report: list[BranchSales]) -> str:
    """CSV: one row per salesperson, then the branch's TOTAL row (empty salesperson_id)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for branch in report:
        day = branch.day.isoformat()
        for s in branch.by_salesperson:
            writer.writerow(
                [
                    day,
                    branch.branch_code,
                    branch.branch_name,
                    s.salesperson_id,
                    s.name,
                    s.tickets,
                    s.amount,
                    s.subtotal,
                    s.iva,
                    s.commission,
                ]
            )
        writer.writerow(
            [
                day,
                branch.branch_code,
                branch.branch_name,
                "",
                TOTAL_LABEL,
                branch.tickets,
                branch.amount,
                branch.subtotal,
                branch.iva,
                branch.commission,
            ]
        )
    return buffer.getvalue()


def _money_fields(row: SalespersonSales | BranchSales) -> dict[str, str]:
    return {
        "amount_mxn": str(row.amount),
        "subtotal_mxn": str(row.subtotal),
        "iva_mxn": str(row.iva),
        "commission_mxn": str(row.commission),
    }


def sales_data(report: list[BranchSales]) -> list[dict[str, Any]]:
    """The report as plain dicts (JSON-ready): one per branch, with its salespeople.

    `[{"date": "2026-11-25", "branch": "MTY", "branch_name": …, "tickets": 3,
    "amount_mxn": "1020278.50", "subtotal_mxn": …, "iva_mxn": …, "commission_mxn": …,
    "by_salesperson": [{"salesperson_id": 1, "salesperson": "Ana López", "tickets": 2,
    "amount_mxn": …, …}]}]` — amounts are decimal strings with centavos, like the CSV's.
    """
    return [
        {
            "date": branch.day.isoformat(),
            "branch": branch.branch_code,
            "branch_name": branch.branch_name,
            "tickets": branch.tickets,
            **_money_fields(branch),
            "by_salesperson": [
                {
                    "salesperson_id": s.salesperson_id,
                    "salesperson": s.name,
                    "tickets": s.tickets,
                    **_money_fields(s),
                }
                for s in branch.by_salesperson
            ],
        }
        for branch in report
    ]


def sales_json(report: list[BranchSales]) -> str:
    """`sales_data` as a JSON document (UTF-8 names kept as they are), newline-terminated."""
    return json.dumps(sales_data(report), ensure_ascii=False, indent=2) + "\n"
