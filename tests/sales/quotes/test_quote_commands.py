"""`showroom quotes discount|accept|cancel|assign`: a salesperson acts on a quote from the
command line; who did it is recorded, bad input gets a one-line error and changes nothing.
Through click's CliRunner on SQLite and PostgreSQL (the commands open their own sessions)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from click.testing import CliRunner, Result
from quotes_kit import Store
from sqlalchemy.orm import Session

from showroom.cli import main
from showroom.db.models.sales import Quote
from showroom.db.session import session_scope
from showroom.formatting import money
from showroom.sales.quotes import QuoteItem, create_quote, get_quote, mark_sent
from showroom.sales.quotes.salespeople import set_active
from showroom.sales.quotes.validity import last_valid_day


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def sent_quote(session: Session, items: list[QuoteItem] | None = None) -> str:
    now = datetime.now(UTC)  # the commands act at the real time
    quote = create_quote(session, items or [QuoteItem.vehicle("MTY-0042")], branch="MTY", now=now)
    mark_sent(session, quote, now=now)
    session.commit()
    return quote.folio


def stored(db_url: str, folio: str) -> Quote:
    with session_scope(db_url) as session:
        quote = get_quote(session, folio)
        session.expunge_all()
        return quote


def error_line(result: Result) -> str:
    return result.stderr.strip().splitlines()[-1]


def test_a_salesperson_discounts_past_the_bots_limit(
    db_url: str, session: Session, store: Store
) -> None:
    folio = sent_quote(session, [QuoteItem.vehicle("MTY-0042"), QuoteItem.part("BAL-10014", 2)])
    ana = str(store.ana.id)
    done = run("quotes", "discount", folio, "--salesperson", ana, "--percent", "12%")
    assert done.exit_code == 0, done.output
    quote = stored(db_url, folio)
    # 12 % of 691,378 = 82,965.36: more than MTY's 5 % for the assistant
    assert quote.discount_amount == Decimal("82965.36")
    assert quote.total == Decimal("691378.00") - Decimal("82965.36")
    assert (quote.discount_by, quote.status) == (f"salesperson:{ana}", "draft")
    assert done.stdout.strip() == (
        f"{folio}: 12% discount on the whole quote by salesperson {ana}; total "
        f"{money(quote.total)}; status draft (send it to the customer again)"
    )
    events = [(e.event, e.actor_kind, e.salesperson_id) for e in quote.events]
    assert events[-2:] == [
        ("revised", "salesperson", store.ana.id),
        ("discount", "salesperson", store.ana.id),
    ]

    on_line = run("quotes", "discount", folio, "--salesperson", ana, "--amount", "$1,000",
                  "--line", "1")  # fmt: skip
    assert on_line.exit_code == 0, on_line.output
    assert "$1,000 MXN discount on line 1" in on_line.stdout
    by_sku = run("quotes", "discount", folio, "--salesperson", ana, "--percent", "10",
                 "--line", "bal-10014")  # fmt: skip
    assert by_sku.exit_code == 0, by_sku.output
    quote = stored(db_url, folio)
    assert [line.discount_amount for line in quote.lines] == [Decimal("1000.00"), Decimal("147.80")]
    assert quote.subtotal + quote.iva == quote.total
    removed = run("quotes", "discount", folio, "--salesperson", ana, "--remove", "--line", "1")
    assert removed.exit_code == 0 and "discount removed from line 1" in removed.stdout
    assert stored(db_url, folio).lines[0].discount_amount == 0


def test_discount_command_errors_change_nothing(
    db_url: str, session: Session, store: Store
) -> None:
    folio = sent_quote(session)
    ana = str(store.ana.id)
    usage = [
        (["--percent", "5", "--amount", "100"], "exactly one of --percent, --amount or --remove"),
        ([], "exactly one of --percent, --amount or --remove"),
        (["--percent", "mucho"], "not an amount: 'mucho'"),
        (["--percent", "2.12345"], "more than 4 decimal places"),
        (["--amount", "10.005"], "fractions of a centavo"),
        (["--percent", "0"], "greater than zero"),
    ]
    for options, message in usage:
        result = run("quotes", "discount", folio, "--salesperson", ana, *options)
        assert result.exit_code == 2, (options, result.output)
        assert message in result.stderr, (options, result.stderr)
    refused = [
        (["--salesperson", "999", "--percent", "5"], "Error: no salesperson with id 999"),
        (
            ["--salesperson", str(store.tere.id), "--percent", "5"],
            f"Error: salesperson {store.tere.id} does not work at branch MTY",
        ),
        (
            ["--salesperson", ana, "--percent", "5", "--line", "7"],
            f"Error: quote {folio} has no line 7",
        ),
        (
            ["--salesperson", ana, "--amount", "700000"],
            "Error: discount of 700000.00 is larger than the amount 689900.00",
        ),
    ]  # fmt: skip
    for options, message in refused:
        result = run("quotes", "discount", folio, *options)
        assert result.exit_code == 1, (options, result.output)
        assert error_line(result) == message
    unknown = run("quotes", "discount", "MTY-1999-000001", "--salesperson", ana, "--percent", "5")
    assert unknown.exit_code == 1 and error_line(unknown) == "Error: no quote 'MTY-1999-000001'"
    quote = stored(db_url, folio)
    assert quote.status == "sent" and quote.discount_total == 0
    assert [e.event for e in quote.events] == ["created", "sent"]


def test_accept_on_the_customers_behalf_then_confirm(
    db_url: str, session: Session, store: Store
) -> None:
    folio = sent_quote(session)
    beto = str(store.beto.id)
    accepted = run("quotes", "accept", folio, "--salesperson", beto)
    assert accepted.exit_code == 0, accepted.output
    quote = stored(db_url, folio)
    assert quote.status == "accepted"
    last = quote.events[-1]
    assert (last.event, last.actor_kind, last.salesperson_id) == (
        "accepted", "salesperson", store.beto.id,
    )  # fmt: skip
    assert accepted.stdout.strip() == (
        f"{folio}: accepted on the customer's behalf by salesperson {beto}; price holds "
        f"through {last_valid_day(quote).isoformat()}"
    )
    sold = run("quotes", "confirm", folio, "--salesperson", beto)
    assert sold.exit_code == 0 and sold.stdout.startswith("Nota de venta MTY-V-")
    late = run("quotes", "discount", folio, "--salesperson", beto, "--percent", "1")
    assert late.exit_code == 1
    assert error_line(late) == f"Error: quote {folio} is confirmed: cannot change discounts"
    draft = create_quote(session, [QuoteItem.vehicle("MTY-0007")], now=datetime.now(UTC))
    session.commit()
    never_sent = run("quotes", "accept", draft.folio, "--salesperson", beto)
    assert never_sent.exit_code == 1
    assert error_line(never_sent) == f"Error: quote {draft.folio} is draft: cannot accept"


def test_cancel_records_the_salesperson_and_the_reason(
    db_url: str, session: Session, store: Store
) -> None:
    folio = sent_quote(session)
    ana = str(store.ana.id)
    done = run(
        "quotes", "cancel", folio, "--salesperson", ana, "--reason", "compró en otra agencia"
    )
    assert done.exit_code == 0 and done.stdout.strip() == f"{folio}: cancelled by salesperson {ana}"
    quote = stored(db_url, folio)
    last = quote.events[-1]
    assert quote.status == "cancelled"
    assert (last.event, last.from_status, last.actor_kind, last.salesperson_id) == (
        "cancelled", "sent", "salesperson", store.ana.id,
    )  # fmt: skip
    assert last.details == {"reason": "compró en otra agencia"}
    again = run("quotes", "cancel", folio, "--salesperson", ana)
    assert again.exit_code == 1
    assert error_line(again) == f"Error: quote {folio} is cancelled: cannot cancel"
    other_branch = sent_quote(session, [QuoteItem.vehicle("MTY-0007")])
    refused = run("quotes", "cancel", other_branch, "--salesperson", str(store.tere.id))
    assert refused.exit_code == 1 and "does not work at branch MTY" in refused.stderr
    assert stored(db_url, other_branch).status == "sent"


def test_assign_records_who_assigned_whom(db_url: str, session: Session, store: Store) -> None:
    folio = sent_quote(session)
    ana, beto = str(store.ana.id), str(store.beto.id)
    by_supervisor = run("quotes", "assign", folio, "--salesperson", beto, "--by", ana)
    assert by_supervisor.exit_code == 0, by_supervisor.output
    assert by_supervisor.stdout.strip() == (
        f"{folio}: assigned to Beto Garza (salesperson {beto}) by salesperson {ana}"
    )
    taken = run("quotes", "assign", folio, "--salesperson", ana)  # Ana takes it herself
    assert taken.exit_code == 0, taken.output
    quote = stored(db_url, folio)
    assert quote.salesperson_id == store.ana.id and quote.status == "sent"
    assigned = [e for e in quote.events if e.event == "assigned"]
    assert [(e.actor_kind, e.salesperson_id, e.details) for e in assigned] == [
        ("salesperson", store.ana.id, {"salesperson": store.beto.id, "previous": None}),
        ("salesperson", store.ana.id, {"salesperson": store.ana.id, "previous": store.beto.id}),
    ]
    set_active(session, store.beto.id, False)
    session.commit()
    inactive = run("quotes", "assign", folio, "--salesperson", beto, "--by", ana)
    assert inactive.exit_code == 1
    assert error_line(inactive) == f"Error: salesperson {beto} is not active"
    assert stored(db_url, folio).salesperson_id == store.ana.id
