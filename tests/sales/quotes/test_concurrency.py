"""Concurrency on the real PostgreSQL server: threads, each with its own session and
transaction. Folios stay unique and gap-free; the last unit is sold exactly once; a change
racing a confirmation never overwrites it (the confirmed quote matches its ticket)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from quotes_kit import NOW, Store
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from showroom.conversations.customers import get_or_create_customer
from showroom.db.models.inventory import Vehicle
from showroom.db.models.parts import Part
from showroom.db.models.sales import Quote, SalesTicket
from showroom.db.session import session_scope
from showroom.sales.quotes import (
    Actor,
    Discount,
    IllegalTransition,
    OutOfStock,
    QuoteItem,
    accept_quote,
    apply_discount,
    confirm_quote,
    create_quote,
    get_quote,
    mark_sent,
)

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db_url", ["postgres"], indirect=True)]
HOLD_S = 0.3  # each winner keeps its locks this long before committing


def run_together(count: int, work: Callable[[int], object]) -> list[object]:
    """Run `work(i)` in `count` threads released at the same moment; results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=20)
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


def accepted_quotes(
    session: Session, store: Store, items: list[QuoteItem], count: int
) -> list[int]:
    """`count` accepted quotes by different customers for the same items; committed."""
    ids = []
    for i in range(count):
        customer = get_or_create_customer(session, phone=f"+52811000{i:04d}")
        quote = create_quote(session, items, branch="MTY", customer=customer, now=NOW)
        mark_sent(session, quote, now=NOW)
        accept_quote(session, quote, now=NOW)
        ids.append(quote.id)
    session.commit()
    return ids


def confirm_in_own_session(db_url: str, quote_id: int, salesperson_id: int) -> str:
    with session_scope(db_url) as session:
        ticket = confirm_quote(
            session, get_quote(session, quote_id), salesperson_id, now=NOW + timedelta(hours=1)
        )
        number = ticket.number
        time.sleep(HOLD_S)  # commit late: the others must really wait for this transaction
    return number


def test_two_customers_cannot_buy_the_last_part(
    db_url: str, session: Session, store: Store
) -> None:
    ids = accepted_quotes(session, store, [QuoteItem.part("FIL-20001")], 2)  # stock: 1
    sellers = [store.ana.id, store.beto.id]
    results = run_together(2, lambda i: confirm_in_own_session(db_url, ids[i], sellers[i]))

    winners = [r for r in results if isinstance(r, str)]
    losers = [r for r in results if isinstance(r, OutOfStock)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "sin existencia" in str(losers[0]) and losers[0].reference == "FIL-20001"
    with session_scope(db_url) as check:
        assert check.scalar(select(Part.stock).where(Part.sku == "FIL-20001")) == 0
        assert check.scalar(select(func.count(SalesTicket.id))) == 1
        statuses = sorted(check.scalars(select(Quote.status).where(Quote.id.in_(ids))))
        assert statuses == ["accepted", "confirmed"]


def test_two_customers_cannot_buy_the_same_car(db_url: str, session: Session, store: Store) -> None:
    ids = accepted_quotes(session, store, [QuoteItem.vehicle("MTY-0042")], 2)
    sellers = [store.ana.id, store.beto.id]
    results = run_together(2, lambda i: confirm_in_own_session(db_url, ids[i], sellers[i]))

    assert sum(isinstance(r, str) for r in results) == 1, results
    assert sum(isinstance(r, OutOfStock) for r in results) == 1, results
    with session_scope(db_url) as check:
        assert check.scalar(select(Vehicle.status).where(Vehicle.stock_id == "MTY-0042")) == "sold"
        assert check.scalar(select(func.count(SalesTicket.id))) == 1


def test_many_buyers_for_three_units(db_url: str, session: Session, store: Store) -> None:
    ids = accepted_quotes(session, store, [QuoteItem.part("BAL-10014")], 7)  # stock: 3
    results = run_together(7, lambda i: confirm_in_own_session(db_url, ids[i], store.ana.id))

    numbers = sorted(r for r in results if isinstance(r, str))
    assert numbers == [f"MTY-V-2026-{n:06d}" for n in (1, 2, 3)], results
    assert sum(isinstance(r, OutOfStock) for r in results) == 4, results
    with session_scope(db_url) as check:
        assert check.scalar(select(Part.stock).where(Part.sku == "BAL-10014")) == 0


def test_one_quote_confirmed_twice_at_once(db_url: str, session: Session, store: Store) -> None:
    (quote_id,) = accepted_quotes(session, store, [QuoteItem.part("BAL-10014")], 1)
    sellers = [store.ana.id, store.beto.id]
    results = run_together(2, lambda i: confirm_in_own_session(db_url, quote_id, sellers[i]))

    assert sum(isinstance(r, str) for r in results) == 1, results
    assert sum(isinstance(r, IllegalTransition) for r in results) == 1, results
    with session_scope(db_url) as check:
        assert check.scalar(select(Part.stock).where(Part.sku == "BAL-10014")) == 2


def test_concurrent_quotes_get_unique_consecutive_folios(
    db_url: str, session: Session, store: Store
) -> None:
    session.commit()

    def quote(i: int) -> str:
        with session_scope(db_url) as own:
            folio = create_quote(own, [QuoteItem.part("ACE-5W30")], branch="MTY", now=NOW).folio
            time.sleep(0.05)
        return folio

    results = run_together(8, quote)
    assert sorted(results) == [f"MTY-2026-{n:06d}" for n in range(1, 9)], results  # type: ignore[type-var]


def test_a_rolled_back_quote_gives_its_number_back(
    db_url: str, session: Session, store: Store
) -> None:
    session.commit()
    with pytest.raises(RuntimeError), session_scope(db_url) as own:
        create_quote(own, [QuoteItem.part("ACE-5W30")], branch="MTY", now=NOW)
        raise RuntimeError("the caller failed after creating the quote")
    with session_scope(db_url) as own:
        folio = create_quote(own, [QuoteItem.part("ACE-5W30")], branch="MTY", now=NOW).folio
    assert folio == "MTY-2026-000001"


# ------------------------------------------------------------------ edits racing a sale
LATER = NOW + timedelta(hours=1)


def assert_ticket_matches_quote(db_url: str, quote_id: int) -> None:
    """A confirmed quote kept what was sold: its figures are the ticket's, no change after."""
    with session_scope(db_url) as check:
        quote = get_quote(check, quote_id)
        ticket = check.scalars(select(SalesTicket).where(SalesTicket.quote_id == quote_id)).one()
        assert quote.status == "confirmed"
        figures = ("list_total", "discount_total", "subtotal", "iva", "total")
        assert [getattr(quote, f) for f in figures] == [getattr(ticket, f) for f in figures]
        events = [e.event for e in quote.events]
        assert events[-1] == "confirmed" and "revised" not in events, events


def test_a_discount_on_a_quote_being_confirmed_waits_and_is_refused(
    db_url: str, session: Session, store: Store
) -> None:
    (quote_id,) = accepted_quotes(session, store, [QuoteItem.vehicle("MTY-0042")], 1)
    confirmed = threading.Event()

    def confirm() -> str:
        with session_scope(db_url) as own:
            ticket = confirm_quote(own, get_quote(own, quote_id), store.ana.id, now=LATER)
            confirmed.set()
            time.sleep(HOLD_S)  # commit late: the discount must wait for this transaction
            return ticket.number

    with ThreadPoolExecutor(1) as pool, session_scope(db_url) as console:
        stale = get_quote(console, quote_id)  # loaded while still accepted
        assert stale.status == "accepted"
        sale = pool.submit(confirm)
        assert confirmed.wait(10)
        with pytest.raises(IllegalTransition) as refused:
            apply_discount(
                console, stale, Discount.percent(10), actor=Actor.salesperson(store.beto.id),
                now=LATER,
            )  # fmt: skip
        assert refused.value.status == "confirmed"
        assert "ya se convirtió en venta" in refused.value.message_es
        assert sale.result(timeout=20).startswith("MTY-V-2026-")
    assert_ticket_matches_quote(db_url, quote_id)


def test_a_confirmation_racing_a_discount_waits_and_is_refused(
    db_url: str, session: Session, store: Store
) -> None:
    (quote_id,) = accepted_quotes(session, store, [QuoteItem.vehicle("MTY-0042")], 1)
    discounted = threading.Event()

    def discount() -> None:
        with session_scope(db_url) as own:
            apply_discount(own, get_quote(own, quote_id), Discount.percent(10),
                           actor=Actor.salesperson(store.beto.id), now=LATER)  # fmt: skip
            discounted.set()
            time.sleep(HOLD_S)

    with ThreadPoolExecutor(1) as pool, session_scope(db_url) as console:
        stale = get_quote(console, quote_id)
        change = pool.submit(discount)
        assert discounted.wait(10)
        with pytest.raises(IllegalTransition) as refused:
            confirm_quote(console, stale, store.ana.id, now=LATER)
        assert refused.value.status == "draft"  # revised: the customer must get it again
        change.result(timeout=20)
    with session_scope(db_url) as check:
        assert check.scalar(select(func.count(SalesTicket.id))) == 0
        assert check.scalar(select(Vehicle.status).where(Vehicle.stock_id == "MTY-0042")) == (
            "available"
        )
        quote = get_quote(check, quote_id)
        assert quote.status == "draft" and quote.discount_total == Decimal("68990.00")


def test_confirm_and_discount_released_together(
    db_url: str, session: Session, store: Store
) -> None:
    """Both load the accepted quote, then act at the same moment: exactly one wins, and a
    confirmed quote always matches its ticket."""
    rounds = 4
    ids = accepted_quotes(session, store, [QuoteItem.part("ACE-5W30", 2)], rounds)
    outcomes = []
    for quote_id in ids:
        loaded = threading.Barrier(2)

        def act(i: int, quote_id: int = quote_id, loaded: threading.Barrier = loaded) -> str:
            with session_scope(db_url) as own:
                quote = get_quote(own, quote_id)
                loaded.wait(timeout=20)  # both hold an "accepted" copy before either writes
                if i == 0:
                    return confirm_quote(own, quote, store.ana.id, now=LATER).number
                apply_discount(own, quote, Discount.amount(100),
                               actor=Actor.salesperson(store.beto.id), now=LATER)  # fmt: skip
                return "discounted"

        results = run_together(2, act)
        wins = [r for r in results if isinstance(r, str)]
        refusals = [r for r in results if isinstance(r, IllegalTransition)]
        assert len(wins) == 1 and len(refusals) == 1, results
        if wins[0] == "discounted":
            assert refusals[0].status == "draft"
            with session_scope(db_url) as check:
                assert get_quote(check, quote_id).ticket is None
        else:
            assert refusals[0].status == "confirmed"
            assert_ticket_matches_quote(db_url, quote_id)
        outcomes.append(wins[0] == "discounted")
    with session_scope(db_url) as check:
        sold = check.scalar(select(func.count(SalesTicket.id)))
        assert check.scalar(select(Part.stock).where(Part.sku == "ACE-5W30")) == 40 - 2 * sold
        assert sold == outcomes.count(False)
