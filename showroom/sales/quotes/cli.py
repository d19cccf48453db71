"""Commands: `showroom report sales`, `showroom salespeople …`, `showroom quotes …`.

showroom report sales --date 2026-11-28 [--branch MTY] [--format csv|json] [--out F]
showroom salespeople add --branch MTY --name "Ana López" [--email …] [--phone …]
showroom salespeople list [--branch MTY] [--all]
showroom salespeople deactivate ID
showroom quotes …                   # quote_commands.py
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from sqlalchemy.orm import Session

from showroom.sales.cli import parse_day
from showroom.sales.quotes.cli_support import run
from showroom.sales.quotes.quote_commands import register_quote_commands
from showroom.sales.quotes.report import daily_sales, sales_csv, sales_json
from showroom.sales.quotes.salespeople import add_salesperson, list_salespeople, set_active


def register(main: click.Group) -> None:
    report_group = main.commands["report"]
    assert isinstance(report_group, click.Group)

    @report_group.command("sales")
    @click.option(
        "--date", "day", required=True, callback=parse_day, help="YYYY-MM-DD (branch-local)."
    )
    @click.option("--branch", "branch_code", help="Only this branch (code).")
    @click.option(
        "--format",
        "output_format",
        type=click.Choice(["csv", "json"]),
        default="csv",
        show_default=True,
        help="CSV rows, or the console's JSON (branches with their salespeople).",
    )
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
    def sales_report(
        day: date, branch_code: str | None, output_format: str, out: Path | None
    ) -> None:
        """Daily sales per branch and salesperson (tickets, amounts, commission)."""
        render = sales_json if output_format == "json" else sales_csv
        text = run(lambda s: render(daily_sales(s, day, branch_code)))
        if out is None:
            click.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            click.echo(f"wrote {out}", err=True)

    @main.group("salespeople")
    def salespeople_group() -> None:
        """The branches' salespeople (confirm sales, earn commissions)."""

    @salespeople_group.command("add")
    @click.option("--branch", "branch_code", required=True, help="Branch code, e.g. MTY.")
    @click.option("--name", required=True)
    @click.option("--email")
    @click.option("--phone", help="Any usual form; stored as E.164.")
    def add(branch_code: str, name: str, email: str | None, phone: str | None) -> None:
        """Add an active salesperson; prints its id."""
        person_id = run(
            lambda s: add_salesperson(s, branch_code, name, email=email, phone=phone).id
        )
        click.echo(str(person_id))

    @salespeople_group.command("list")
    @click.option("--branch", "branch_code")
    @click.option("--all", "include_inactive", is_flag=True, help="Include inactive ones.")
    def list_command(branch_code: str | None, include_inactive: bool) -> None:
        """id, branch, name, email, phone, active — tab separated."""

        def rows(session: Session) -> list[str]:
            people = list_salespeople(session, branch_code, include_inactive=include_inactive)
            return [
                "\t".join(
                    [
                        str(p.id),
                        p.branch.code,
                        p.name,
                        p.email or "",
                        p.phone or "",
                        "active" if p.active else "inactive",
                    ]
                )
                for p in people
            ]

        for line in run(rows):
            click.echo(line)

    @salespeople_group.command("deactivate")
    @click.argument("salesperson_id", type=int)
    def deactivate(salesperson_id: int) -> None:
        """They keep their sales and commissions but can no longer confirm quotes."""
        run(lambda s: set_active(s, salesperson_id, False))
        click.echo(f"salesperson {salesperson_id} deactivated")

    register_quote_commands(main)
