"""`showroom quotes …`: what a salesperson does to a quote from the command line.

showroom quotes show FOLIO          # the WhatsApp summary
showroom quotes pdf FOLIO --out F   # the PDF
showroom quotes discount FOLIO --salesperson ID (--percent P | --amount A | --remove) [--line N]
showroom quotes accept FOLIO --salesperson ID        # the customer said yes (phone, counter)
showroom quotes confirm FOLIO --salesperson ID [--include-reserved]
showroom quotes cancel FOLIO --salesperson ID [--reason TEXT]
showroom quotes assign FOLIO --salesperson ID [--by ID]
showroom quotes expire [--every S]  # mark quotes past their validity (once, or every S s)

`--salesperson` is who acts (recorded on the quote's events), except for `assign`, where it
is who gets the quote and `--by` who assigns it (default: the salesperson takes it).
"""

from __future__ import annotations

import threading
from pathlib import Path

import click
from sqlalchemy.orm import Session

from showroom.formatting import money
from showroom.sales.cli import parse_amount
from showroom.sales.quotes.actors import Actor
from showroom.sales.quotes.cli_support import parse_line, parse_percent, run
from showroom.sales.quotes.errors import QuoteError
from showroom.sales.quotes.expiry import stop_on_signals, sweep_until_stopped
from showroom.sales.quotes.lifecycle import (
    accept_quote,
    cancel_quote,
    confirm_quote,
    expire_due_quotes,
)
from showroom.sales.quotes.lookups import get_quote
from showroom.sales.quotes.pdf import quote_pdf
from showroom.sales.quotes.pricing import Discount
from showroom.sales.quotes.service import apply_discount, assign_salesperson
from showroom.sales.quotes.summary import percent_es, quote_summary_es, ticket_text_es
from showroom.sales.quotes.validity import last_valid_day

salesperson_option = click.option(
    "--salesperson",
    "salesperson_id",
    type=int,
    required=True,
    help="Id of the salesperson doing it (`showroom salespeople list`).",
)


def _discount_from_options(
    percent: str | None, amount: str | None, remove: bool
) -> Discount | None:
    if sum((percent is not None, amount is not None, remove)) != 1:
        raise click.UsageError("give exactly one of --percent, --amount or --remove")
    try:
        if percent is not None:
            return Discount.percent(parse_percent(percent))
        if amount is not None:
            return Discount.amount(parse_amount(amount, "--amount"))
    except QuoteError as exc:
        hint = "--percent" if percent is not None else "--amount"
        raise click.BadParameter(str(exc), param_hint=hint) from None
    return None


def register_quote_commands(main: click.Group) -> None:
    @main.group("quotes")
    def quotes_group() -> None:
        """Quotes: show, PDF, discounts, accept, confirm, cancel, assign, expire."""

    @quotes_group.command("show")
    @click.argument("folio")
    def show(folio: str) -> None:
        """Print the WhatsApp summary of a quote."""
        click.echo(run(lambda s: quote_summary_es(get_quote(s, folio))))

    @quotes_group.command("pdf")
    @click.argument("folio")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def pdf(folio: str, out: Path) -> None:
        """Write a quote's PDF."""
        data = run(lambda s: quote_pdf(get_quote(s, folio)))
        out.write_bytes(data)
        click.echo(f"wrote {out} ({len(data):,} bytes)", err=True)

    @quotes_group.command("discount")
    @click.argument("folio")
    @salesperson_option
    @click.option("--percent", help="A percentage: 12, 12% or 2.5 (up to 4 decimals).")
    @click.option("--amount", help="MXN off, IVA included: 20000, $20,000.")
    @click.option("--remove", is_flag=True, help="Take the discount off.")
    @click.option("--line", "line_ref", help="A line: its number (1, 2…) or stock id / SKU.")
    def discount(
        folio: str,
        salesperson_id: int,
        percent: str | None,
        amount: str | None,
        remove: bool,
        line_ref: str | None,
    ) -> None:
        """Put a salesperson's discount on the quote or one line (not held to the assistant's
        limit). A sent or accepted quote goes back to draft: the customer must get it again."""
        wanted = _discount_from_options(percent, amount, remove)
        line = parse_line(line_ref)

        def work(session: Session) -> str:
            quote = get_quote(session, folio)
            actor = Actor.salesperson(salesperson_id)
            apply_discount(session, quote, wanted, actor=actor, line=line)
            where = f"line {line}" if line is not None else "the whole quote"
            if wanted is None:
                what = f"discount removed from {where}"
            elif wanted.kind == "percent":
                what = f"{percent_es(wanted.value)} discount on {where}"
            else:
                what = f"{money(wanted.value)} discount on {where}"
            return (
                f"{quote.folio}: {what} by salesperson {salesperson_id}; "
                f"total {money(quote.total)}; status {quote.status}"
                + (" (send it to the customer again)" if quote.status == "draft" else "")
            )

        click.echo(run(work))

    @quotes_group.command("accept")
    @click.argument("folio")
    @salesperson_option
    def accept(folio: str, salesperson_id: int) -> None:
        """Record that the customer accepted a sent quote (told a salesperson in person or by
        phone). Stock is checked again; the sale still needs `confirm`."""

        def work(session: Session) -> str:
            quote = get_quote(session, folio)
            accept_quote(session, quote, actor=Actor.salesperson(salesperson_id))
            return (
                f"{quote.folio}: accepted on the customer's behalf by salesperson "
                f"{salesperson_id}; price holds through {last_valid_day(quote).isoformat()}"
            )

        click.echo(run(work))

    @quotes_group.command("confirm")
    @click.argument("folio")
    @salesperson_option
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

        click.echo(run(work))

    @quotes_group.command("cancel")
    @click.argument("folio")
    @salesperson_option
    @click.option("--reason", default="", help="Why (kept with the quote, 200 characters).")
    def cancel(folio: str, salesperson_id: int, reason: str) -> None:
        """Withdraw an open quote (draft, sent or accepted)."""

        def work(session: Session) -> str:
            quote = get_quote(session, folio)
            cancel_quote(session, quote, actor=Actor.salesperson(salesperson_id), reason=reason)
            return f"{quote.folio}: cancelled by salesperson {salesperson_id}"

        click.echo(run(work))

    @quotes_group.command("assign")
    @click.argument("folio")
    @click.option(
        "--salesperson", "salesperson_id", type=int, required=True, help="Who gets the quote."
    )
    @click.option("--by", "by_id", type=int, help="Who assigns it (default: the same person).")
    def assign(folio: str, salesperson_id: int, by_id: int | None) -> None:
        """Assign the salesperson who follows the quote and earns the commission."""
        actor_id = by_id if by_id is not None else salesperson_id

        def work(session: Session) -> str:
            quote = get_quote(session, folio)
            assign_salesperson(session, quote, salesperson_id, actor=Actor.salesperson(actor_id))
            name = quote.salesperson.name if quote.salesperson else ""
            return (
                f"{quote.folio}: assigned to {name} (salesperson {salesperson_id}) "
                f"by salesperson {actor_id}"
            )

        click.echo(run(work))

    @quotes_group.command("expire")
    @click.option(
        "--every",
        type=click.FloatRange(min=1),
        metavar="SECONDS",
        help="Keep running: sweep now and then every SECONDS until Ctrl-C / SIGTERM.",
    )
    def expire(every: float | None) -> None:
        """Mark open quotes past their validity as expired (prints how many)."""
        if every is None:
            folios = run(lambda s: expire_due_quotes(s))
            click.echo(f"{len(folios)} quote(s) expired")
            return
        stop = threading.Event()
        click.echo(f"expiring quotes every {every:g} s (Ctrl-C to stop)", err=True)
        with stop_on_signals(stop):
            totals = sweep_until_stopped(every, stop)
        failed = f", {totals.failed} failed" if totals.failed else ""
        click.echo(
            f"stopped after {totals.sweeps} sweep(s){failed}; {totals.expired} quote(s) expired"
        )
