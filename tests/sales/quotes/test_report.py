"""The daily sales report per branch (branch-local dates), as data, and as CSV and JSON from
the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from click.testing import CliRunner, Result
from quotes_kit import NOW, Store
from sqlalchemy.orm import Session

from showroom.cli import main
from showroom.db.models.sales import SalesTicket
from showroom.sales.quotes import (
    QuoteItem,
    accept_quote,
    confirm_quote,
    create_quote,
    daily_sales,
    mark_sent,
    sales_csv,
    sales_data,
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def sell(session: Session, store: Store, items: list[QuoteItem], seller: int, at: datetime,
         salesperson: object = None) -> SalesTicket:  # fmt: skip
    quote = create_quote(session, items, branch="MTY", salesperson=salesperson, now=NOW)  # type: ignore[arg-type]
    mark_sent(session, quote, now=NOW)
    accept_quote(session, quote, now=NOW)
    return confirm_quote(session, quote, seller, now=at)


def day_of_sales(session: Session, store: Store) -> list[SalesTicket]:
    noon_mty = datetime.fromisoformat("2026-11-25T12:00:00-06:00")
    return [
        sell(session, store, [QuoteItem.vehicle("MTY-0042")], store.beto.id, noon_mty, store.ana),
        sell(session, store, [QuoteItem.part("BAL-10014", 2)], store.beto.id, noon_mty),
        sell(session, store, [QuoteItem.vehicle("MTY-0007")], store.ana.id, noon_mty),
        # 00:30 on the 26th in Monterrey (06:30 UTC): the next day's sale
        sell(
            session,
            store,
            [QuoteItem.part("FIL-20001")],
            store.ana.id,
            datetime.fromisoformat("2026-11-26T00:30:00-06:00"),
        ),
        # 23:30 on the 25th in Tijuana (07:30 UTC on the 26th): the 25th there
        sell(
            session,
            store,
            [QuoteItem.vehicle("TIJ-0001")],
            store.tere.id,
            datetime.fromisoformat("2026-11-25T23:30:00-08:00"),
        ),
    ]


def test_daily_sales_per_branch_and_salesperson(session: Session, store: Store) -> None:
    tickets = day_of_sales(session, store)
    report = daily_sales(session, date(2026, 11, 25))
    assert [b.branch_code for b in report] == ["MTY", "TIJ"]
    mty, tij = report
    on_the_25th = tickets[:3]
    assert mty.tickets == 3
    assert mty.amount == sum((t.total for t in on_the_25th), Decimal(0))
    assert mty.subtotal + mty.iva == mty.amount
    assert mty.commission == sum((t.commission_amount for t in on_the_25th), Decimal(0))
    by_name = {s.name: s for s in mty.by_salesperson}
    # Ana earns the Hilux (assigned to her) and the Versa; Beto the pads
    assert by_name["Ana López"].tickets == 2
    assert by_name["Ana López"].amount == tickets[0].total + tickets[2].total
    assert by_name["Beto Garza"].tickets == 1 and by_name["Beto Garza"].amount == Decimal("1478.00")
    assert [s.name for s in mty.by_salesperson] == ["Ana López", "Beto Garza"]  # by amount
    assert (tij.tickets, tij.amount) == (1, Decimal("415000.00"))
    assert tij.by_salesperson[0].commission == Decimal("3842.59")  # 1 % of 384,259.26
    # the 26th, Monterrey only
    (next_day,) = daily_sales(session, date(2026, 11, 26), "mty")
    assert (next_day.tickets, next_day.amount) == (1, Decimal("189.90"))
    # a quiet day still lists the branch, with zeros
    (quiet,) = daily_sales(session, date(2026, 11, 24), "TIJ")
    assert (quiet.tickets, quiet.amount, quiet.by_salesperson) == (0, Decimal("0.00"), [])


def test_csv_from_the_command_line(db_url: str, session: Session, store: Store) -> None:
    tickets = day_of_sales(session, store)
    session.commit()
    result = run("report", "sales", "--date", "2026-11-25")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["branch"], r["salesperson"]) for r in rows] == [
        ("MTY", "Ana López"), ("MTY", "Beto Garza"), ("MTY", "TOTAL"),
        ("TIJ", "Teresa Muñoz"), ("TIJ", "TOTAL"),
    ]  # fmt: skip
    total = rows[2]
    assert total["date"] == "2026-11-25" and total["salesperson_id"] == ""
    assert total["tickets"] == "3"
    assert Decimal(total["amount_mxn"]) == sum((t.total for t in tickets[:3]), Decimal(0))
    assert Decimal(total["amount_mxn"]) == Decimal(rows[0]["amount_mxn"]) + Decimal(
        rows[1]["amount_mxn"]
    )
    assert rows[3]["commission_mxn"] == "3842.59"
    assert result.stdout == sales_csv(daily_sales(session, date(2026, 11, 25)))

    one = run("report", "sales", "--date", "2026-11-26", "--branch", "MTY")
    assert one.exit_code == 0
    assert [r["salesperson"] for r in csv.DictReader(io.StringIO(one.stdout))] == [
        "Ana López",
        "TOTAL",
    ]


def test_report_command_errors(db_url: str, session: Session, store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    session.commit()
    bad_date = run("report", "sales", "--date", "25/11/2026")
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.stderr
    unknown = run("report", "sales", "--date", "2026-11-25", "--branch", "XYZ")
    assert unknown.exit_code == 1
    assert unknown.stderr.strip().splitlines()[-1] == "Error: unknown branch code 'XYZ'"
    out = tmp_path / "ventas.csv"
    written = run("report", "sales", "--date", "2026-11-25", "--out", str(out))
    assert written.exit_code == 0 and out.read_text().startswith("date,branch,branch_name,")


def test_salespeople_and_quotes_commands(
    db_url: str, session: Session, store: Store, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], now=datetime.now(NOW.tzinfo))
    mark_sent(session, quote)
    accept_quote(session, quote)
    old = create_quote(session, [QuoteItem.vehicle("MTY-0007")], validity_days=1,
                       now=datetime.now(NOW.tzinfo) - timedelta(days=5))  # fmt: skip
    session.commit()

    added = run("salespeople", "add", "--branch", "mty", "--name", "Carla Treviño",
                "--phone", "81 5555 0000", "--email", "Carla@Example.mx")  # fmt: skip
    assert added.exit_code == 0, added.output
    new_id = int(added.stdout.strip())
    listed = run("salespeople", "list", "--branch", "MTY")
    assert f"{new_id}\tMTY\tCarla Treviño\tcarla@example.mx\t+528155550000\tactive" in listed.stdout
    duplicate = run(
        "salespeople", "add", "--branch", "MTY", "--name", "Otra", "--phone", "8155550000"
    )
    assert duplicate.exit_code == 1 and "already has this phone" in duplicate.stderr

    shown = run("quotes", "show", quote.folio)
    assert shown.exit_code == 0 and shown.stdout.startswith(f"Cotización {quote.folio}")
    pdf = tmp_path / "q.pdf"
    assert run("quotes", "pdf", quote.folio, "--out", str(pdf)).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    confirmed = run("quotes", "confirm", quote.folio, "--salesperson", str(new_id))
    assert confirmed.exit_code == 0, confirmed.output
    assert confirmed.stdout.startswith("Nota de venta MTY-V-")
    again = run("quotes", "confirm", quote.folio, "--salesperson", str(new_id))
    assert again.exit_code == 1 and "is confirmed: cannot confirm" in again.stderr
    assert run("quotes", "show", "MTY-1999-000001").exit_code == 1

    expired = run("quotes", "expire")
    assert expired.exit_code == 0 and expired.stdout.strip() == "1 quote(s) expired"
    session.expire_all()
    session.refresh(old)
    assert old.status == "expired"
    assert run("salespeople", "deactivate", str(new_id)).exit_code == 0
    assert "Carla" not in run("salespeople", "list").stdout
    assert "inactive" in run("salespeople", "list", "--all").stdout


def test_the_report_as_plain_data_for_the_console(session: Session, store: Store) -> None:
    tickets = day_of_sales(session, store)
    report = daily_sales(session, date(2026, 11, 25))
    data = sales_data(report)
    assert json.loads(json.dumps(data)) == data  # plain JSON types only
    assert [b["branch"] for b in data] == ["MTY", "TIJ"]
    mty = data[0]
    assert (mty["date"], mty["branch_name"], mty["tickets"]) == ("2026-11-25", "Monterrey Valle", 3)
    assert Decimal(mty["amount_mxn"]) == sum((t.total for t in tickets[:3]), Decimal(0))
    assert Decimal(mty["subtotal_mxn"]) + Decimal(mty["iva_mxn"]) == Decimal(mty["amount_mxn"])
    assert Decimal(mty["commission_mxn"]) == report[0].commission
    people = mty["by_salesperson"]
    assert [(p["salesperson_id"], p["salesperson"], p["tickets"]) for p in people] == [
        (store.ana.id, "Ana López", 2),
        (store.beto.id, "Beto Garza", 1),
    ]
    assert sum((Decimal(p["amount_mxn"]) for p in people), Decimal(0)) == Decimal(mty["amount_mxn"])
    assert all(isinstance(p[k], str) for p in people for k in ("amount_mxn", "iva_mxn"))
    (quiet,) = sales_data(daily_sales(session, date(2026, 11, 24), "TIJ"))
    assert (quiet["tickets"], quiet["amount_mxn"], quiet["by_salesperson"]) == (0, "0.00", [])


def test_json_from_the_command_line(db_url: str, session: Session, store: Store) -> None:
    day_of_sales(session, store)
    session.commit()
    result = run("report", "sales", "--date", "2026-11-25", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == sales_data(daily_sales(session, date(2026, 11, 25)))
    one = run("report", "sales", "--date", "2026-11-26", "--branch", "MTY", "--format", "json")
    assert [b["branch"] for b in json.loads(one.stdout)] == ["MTY"]
    bad = run("report", "sales", "--date", "2026-11-25", "--format", "xml")
    assert bad.exit_code == 2 and "'csv', 'json'" in bad.stderr
