"""A change is decided on the quote as it is now, not on the copy a session loaded earlier.

Two sessions on the same database (SQLite and PostgreSQL): one loads the quote, the other
changes it and commits, then the first acts on its old copy. The threaded races on
PostgreSQL are in test_concurrency.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from quotes_kit import NOW, Store
from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.db.models.sales import Quote, SalesTicket
from showroom.db.session import session_scope
from showroom.sales.quotes import (
    BOT,
    SYSTEM,
    Actor,
    Discount,
    DiscountNotAllowed,
    IllegalTransition,
    NotAllowed,
    QuoteItem,
    accept_quote,
    apply_discount,
    assign_salesperson,
    attach_financing,
    confirm_quote,
    create_quote,
    get_quote,
    mark_sent,
    remove_financing,
)

LATER = NOW + timedelta(hours=1)
Change = Callable[[Session, Quote, Store], object]


def accepted_hilux(session: Session, *, financing: bool = False) -> int:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], branch="MTY", now=NOW)
    if financing:
        attach_financing(session, quote, months=48, down_percent=20, now=NOW)
    mark_sent(session, quote, now=NOW)
    accept_quote(session, quote, now=NOW)
    session.commit()
    return quote.id


CHANGES: dict[str, Change] = {
    "salesperson discount": lambda s, q, st: apply_discount(
        s, q, Discount.percent(8), actor=Actor.salesperson(st.beto.id), now=LATER
    ),
    "bot discount": lambda s, q, st: apply_discount(
        s, q, Discount.percent(2), actor=BOT, now=LATER
    ),
    "attach financing": lambda s, q, st: attach_financing(
        s, q, months=36, down_percent=30, now=LATER
    ),
    "remove financing": lambda s, q, st: remove_financing(s, q, now=LATER),
    "assign": lambda s, q, st: assign_salesperson(
        s, q, st.beto.id, actor=Actor.salesperson(st.ana.id), now=LATER
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_on_a_copy_loaded_before_the_sale_is_refused(
    db_url: str, session: Session, store: Store, change: str
) -> None:
    quote_id = accepted_hilux(session, financing=True)
    with session_scope(db_url) as console:
        stale = get_quote(console, quote_id)
        with session_scope(db_url) as counter:  # the sale is closed meanwhile
            confirm_quote(counter, get_quote(counter, quote_id), store.ana.id, now=LATER)
        assert stale.status == "accepted"
        with pytest.raises(IllegalTransition) as refused:
            CHANGES[change](console, stale, store)
        assert refused.value.status == "confirmed"
        assert "ya se convirtió en venta" in refused.value.message_es
    with session_scope(db_url) as check:
        quote = get_quote(check, quote_id)
        ticket = check.scalars(select(SalesTicket).where(SalesTicket.quote_id == quote_id)).one()
        assert quote.status == "confirmed"
        assert (quote.total, quote.discount_total) == (ticket.total, ticket.discount_total)
        assert quote.salesperson_id is None and quote.financing is not None
        assert [e.event for e in quote.events][-1] == "confirmed"


def test_the_bot_does_not_overwrite_a_discount_a_salesperson_gave_meanwhile(
    db_url: str, session: Session, store: Store
) -> None:
    quote_id = accepted_hilux(session)
    with session_scope(db_url) as chat:
        stale = get_quote(chat, quote_id)
        with session_scope(db_url) as console:
            apply_discount(console, get_quote(console, quote_id), Discount.amount(30000),
                           actor=Actor.salesperson(store.ana.id), now=LATER)  # fmt: skip
        assert stale.discount_kind is None  # the chat's copy does not know
        with pytest.raises(NotAllowed, match="salesperson set this discount"):
            apply_discount(chat, stale, Discount.percent(5), actor=BOT, now=LATER)
    with session_scope(db_url) as check:
        quote = get_quote(check, quote_id)
        assert (quote.discount_kind, quote.discount_amount) == ("amount", Decimal("30000.00"))
        assert quote.discount_by == f"salesperson:{store.ana.id}"


def test_the_bot_limit_counts_a_line_discount_given_meanwhile(
    db_url: str, session: Session, store: Store
) -> None:
    quote_id = accepted_hilux(session)  # MTY: the bot may give 5 %
    with session_scope(db_url) as chat:
        stale = get_quote(chat, quote_id)
        with session_scope(db_url) as console:
            apply_discount(console, get_quote(console, quote_id), Discount.percent(4),
                           actor=Actor.salesperson(store.ana.id), line=1, now=LATER)  # fmt: skip
        with pytest.raises(DiscountNotAllowed):  # 4 % + 5 % is past the 5 % limit
            apply_discount(chat, stale, Discount.percent(5), actor=BOT, now=LATER)
        apply_discount(chat, stale, Discount.percent(1), actor=BOT, now=LATER)  # 4 % + 1 %
    with session_scope(db_url) as check:
        quote = get_quote(check, quote_id)
        line = quote.lines[0]
        assert line.discount_amount == Decimal("27596.00")  # 4 % of 689,900
        assert quote.discount_amount == Decimal("6623.04")  # 1 % (down) of 662,304
        assert quote.total == Decimal("689900") - Decimal("27596") - Decimal("6623.04")
        assert quote.discount_total <= Decimal("34495.00")  # 5 % of the list price


def test_a_confirmation_sells_the_quote_as_it_is_now(
    db_url: str, session: Session, store: Store
) -> None:
    """Loaded while accepted; meanwhile revised (discount), sent and accepted again: the
    ticket has the new figures and the salesperson assigned meanwhile earns it."""
    quote_id = accepted_hilux(session)
    with session_scope(db_url) as console:
        stale = get_quote(console, quote_id)
        with session_scope(db_url) as other:
            quote = get_quote(other, quote_id)
            apply_discount(other, quote, Discount.amount(25000),
                           actor=Actor.salesperson(store.beto.id), now=LATER)  # fmt: skip
            mark_sent(other, quote, now=LATER)
            accept_quote(other, quote, now=LATER)
            assign_salesperson(other, quote, store.beto.id, actor=SYSTEM, now=LATER)
        assert stale.status == "accepted" and stale.discount_total == 0
        ticket = confirm_quote(console, stale, store.ana.id, now=LATER)
        assert ticket.total == Decimal("664900.00") and ticket.discount_total == Decimal("25000")
        assert ticket.salesperson_id == store.beto.id and ticket.confirmed_by_id == store.ana.id
    with session_scope(db_url) as check:
        assert get_quote(check, quote_id).total == Decimal("664900.00")


def test_assigning_records_who_assigned(session: Session, store: Store) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], now=NOW)
    assign_salesperson(session, quote, store.beto, actor=Actor.salesperson(store.ana.id), now=NOW)
    event = quote.events[-1]
    assert (event.event, event.actor_kind, event.salesperson_id) == (
        "assigned", "salesperson", store.ana.id,
    )  # fmt: skip
    assert event.details == {"salesperson": store.beto.id, "previous": None}
    assert quote.salesperson is store.beto and quote.status == "draft"
    assign_salesperson(session, quote, store.ana.id, actor=SYSTEM, now=NOW)  # routing
    assert quote.events[-1].actor_kind == "system"
    assert quote.events[-1].details == {"salesperson": store.ana.id, "previous": store.beto.id}
    with pytest.raises(NotAllowed, match="customer"):
        assign_salesperson(session, quote, store.ana, actor=Actor.customer(), now=NOW)
    with pytest.raises(NotAllowed, match="does not work at branch"):
        assign_salesperson(session, quote, store.tere, actor=SYSTEM, now=NOW)
    with pytest.raises(NotAllowed, match="does not work at branch"):
        assign_salesperson(session, quote, store.ana, actor=Actor.salesperson(store.tere.id))
    assert [e.event for e in quote.events].count("assigned") == 2
