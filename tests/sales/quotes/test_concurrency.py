"""Concurrency on the real PostgreSQL server: threads, each with its own session and
transaction. Folios stay unique and gap-free; the last unit is sold exactly once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

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
    IllegalTransition,
    OutOfStock,
    QuoteItem,
    accept_quote,
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
