"""Commands: `showroom report sales`, `showroom salespeople …`, `showroom quotes …`.

showroom report sales --date 2026-11-28 [--branch MTY] [--out ventas.csv]
showroom salespeople add --branch MTY --name "Ana López" [--email …] [--phone …]
showroom salespeople list [--branch MTY] [--all]
showroom salespeople deactivate ID
showroom quotes show FOLIO          # the WhatsApp summary
showroom quotes pdf FOLIO --out F   # the PDF
showroom quotes confirm FOLIO --salesperson ID [--include-reserved]
showroom quotes expire              # mark quotes past their validity (run from cron)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TypeVar

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from showroom.db.session import session_scope
from showroom.sales.quotes.errors import QuoteError
from showroom.sales.quotes.lifecycle import confirm_quote, expire_due_quotes
from showroom.sales.quotes.pdf import FontMissing, quote_pdf
from showroom.sales.quotes.report import daily_sales, sales_csv
from showroom.sales.quotes.salespeople import add_salesperson, list_salespeople, set_active
from showroom.sales.quotes.service import get_quote
from showroom.sales.quotes.summary import quote_summary_es, ticket_text_es

T = TypeVar("T")


@contextmanager
def _database() -> Iterator[Session]:
    """A transaction; business errors and database trouble become one-line `Error: …`."""
    try:
        with session_scope() as session:
            yield session
    except (QuoteError, FontMissing) as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"database error ({type(exc).__name__}); is the schema current? (`showroom db upgrade`)"
        ) from exc


def _run(work: Callable[[Session], T]) -> T:
    with _database() as session:
        return work(session)


def parse_day(_ctx: click.Context, _param: click.Parameter, value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"not a date (YYYY-MM-DD): {value!r}") from None


def register(main: click.Group) -> None:
    report_group = main.commands["report"]
    assert isinstance(report_group, click.Group)

    @report_group.command("sales")
    @click.option(
        "--date", "day", required=True, callback=parse_day, help="YYYY-MM-DD (branch-local)."
    )
    @click.option("--branch", "branch_code", help="Only this branch (code).")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
    def sales_report(day: date, branch_code: str | None, out: Path | None) -> None:
        """Daily sales per branch and salesperson as CSV (tickets, amounts, commission)."""
        text = _run(lambda s: sales_csv(daily_sales(s, day, branch_code)))
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
        person_id = _run(
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

        for line in _run(rows):
            click.echo(line)

    @salespeople_group.command("deactivate")
    @click.argument("salesperson_id", type=int)
    def deactivate(salesperson_id: int) -> None:
        """They keep their sales and commissions but can no longer confirm quotes."""
        _run(lambda s: set_active(s, salesperson_id, False))
        click.echo(f"salesperson {salesperson_id} deactivated")

    @main.group("quotes")
    def quotes_group() -> None:
        """Quotes: show, PDF, confirm a sale, expire old ones."""

    @quotes_group.command("show")
    @click.argument("folio")
    def show(folio: str) -> None:
        """Print the WhatsApp summary of a quote."""
        click.echo(_run(lambda s: quote_summary_es(get_quote(s, folio))))

    @quotes_group.command("pdf")
    @click.argument("folio")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def pdf(folio: str, out: Path) -> None:
        """Write a quote's PDF."""
        data = _run(lambda s: quote_pdf(get_quote(s, folio)))
        out.write_bytes(data)
        click.echo(f"wrote {out} ({len(data):,} bytes)", err=True)

    @quotes_group.command("confirm")
    @click.argument("folio")
    @click.option("--salesperson", "salesperson_id", type=int, required=True)
    @click.option("--include-reserved", is_flag=True, help="Also sell a vehicle set aside.")
    def confirm(folio: str, salesperson_id: int, include_reserved: bool) -> None:
        """Confirm an accepted quote as a sale; prints the text sales ticket."""

        def work(session: Session) -> str:
            ticket = confirm_quote(
                session,
                get_quote(session, folio),
                salesperson_id,
                include_reserved=include_reserved,
            )
            return ticket_text_es(ticket)

        click.echo(_run(work))

    @quotes_group.command("expire")
    def expire() -> None:
        """Mark open quotes past their validity as expired (prints how many)."""
        folios = _run(lambda s: expire_due_quotes(s))
        click.echo(f"{len(folios)} quote(s) expired")
