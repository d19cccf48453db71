"""draft → sent → accepted → confirmed (ticket, stock, commission); expired, cancelled.
Every transition recorded with who and when; wrong steps refused. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from quotes_kit import NOW, Store
from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Vehicle
from showroom.db.models.parts import Part
from showroom.db.models.sales import Quote, QuoteEvent, SalesTicket
from showroom.sales.quotes import (
    BOT,
    CUSTOMER,
    SYSTEM,
    Actor,
    Discount,
    IllegalTransition,
    NotAllowed,
    OutOfStock,
    QuoteExpired,
    QuoteItem,
    accept_quote,
    allowed_actions,
    apply_discount,
    cancel_quote,
    confirm_quote,
    create_quote,
    expire_due_quotes,
    mark_sent,
    quote_summary_es,
)
from showroom.sales.quotes.config import quote_settings
from showroom.sales.quotes.salespeople import set_active


def sent_and_accepted(session: Session, items: list[QuoteItem], **kw: object):  # type: ignore[no-untyped-def]
    quote = create_quote(session, items, now=NOW, **kw)  # type: ignore[arg-type]
    mark_sent(session, quote, now=NOW + timedelta(minutes=1))
    accept_quote(session, quote, now=NOW + timedelta(minutes=2))
    return quote


def test_the_whole_way_to_a_sales_ticket(session: Session, store: Store) -> None:
    quote = create_quote(
        session,
        [QuoteItem.vehicle("MTY-0042"), QuoteItem.part("BAL-10014", 2)],
        customer=store.customer,
        salesperson=store.ana,
        now=NOW,
    )
    apply_discount(session, quote, Discount.percent(5), actor=BOT, now=NOW)
    assert allowed_actions(quote, now=NOW) == ["send", "cancel", "expire"]
    mark_sent(session, quote, now=NOW + timedelta(minutes=1))
    mark_sent(session, quote, now=NOW + timedelta(minutes=3))  # sent again: recorded, no error
    accept_quote(session, quote, now=NOW + timedelta(hours=1))
    accept_quote(session, quote, now=NOW + timedelta(hours=1, minutes=1))  # "sí" twice
    assert allowed_actions(quote, Actor.salesperson(store.beto.id), NOW) == ["confirm", "cancel"]
    ticket = confirm_quote(session, quote, store.beto, now=NOW + timedelta(hours=2))

    assert quote.status == "confirmed" and quote.ticket is ticket
    assert ticket.number == "MTY-V-2026-000001"
    # the assigned salesperson earns it; the one who confirmed is recorded too
    assert ticket.salesperson_id == store.ana.id and ticket.confirmed_by_id == store.beto.id
    assert ticket.total == quote.total and ticket.subtotal + ticket.iva == ticket.total
    assert ticket.commission_rate == Decimal("0.015")
    assert ticket.commission_amount == (ticket.subtotal * Decimal("0.015")).quantize(
        Decimal("0.01")
    )
    assert ticket.sale_date == date(2026, 11, 25)  # 12:00 in Monterrey
    # stock: the vehicle is sold, two pads fewer
    session.expire_all()
    assert session.get(Vehicle, store.hilux.id).status == "sold"  # type: ignore[union-attr]
    assert session.get(Part, store.pads.id).stock == 1  # type: ignore[union-attr]
    events = session.scalars(
        select(QuoteEvent).where(QuoteEvent.quote_id == quote.id).order_by(QuoteEvent.id)
    ).all()
    trail = [(e.event, e.from_status, e.to_status, e.actor_kind, e.salesperson_id) for e in events]
    assert trail == [
        ("created", None, "draft", "bot", None),
        ("discount", None, None, "bot", None),
        ("sent", "draft", "sent", "bot", None),
        ("resent", None, None, "bot", None),
        ("accepted", "sent", "accepted", "customer", None),
        ("confirmed", "accepted", "confirmed", "salesperson", store.beto.id),
    ]
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert events[-1].at == NOW + timedelta(hours=2)
    assert events[-1].details == {"ticket": "MTY-V-2026-000001"}
    # a confirmed quote is closed
    with pytest.raises(IllegalTransition) as closed:
        confirm_quote(session, quote, store.beto, now=NOW + timedelta(hours=3))
    assert "ya se convirtió en venta" in closed.value.message_es
    with pytest.raises(IllegalTransition):
        cancel_quote(session, quote, actor=CUSTOMER, now=NOW + timedelta(hours=3))
    with pytest.raises(IllegalTransition):
        apply_discount(session, quote, Discount.percent(1), actor=BOT, now=NOW)


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ([], "accept"),  # a draft was never sent
        ([], "confirm"),
        (["send"], "confirm"),  # not accepted yet
        (["send", "cancel"], "accept"),
        (["send", "cancel"], "send"),
        (["send", "cancel"], "cancel"),
    ],
)
def test_illegal_transitions_are_refused(
    session: Session, store: Store, steps: list[str], action: str
) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], now=NOW)
    do = {
        "send": lambda: mark_sent(session, quote, now=NOW),
        "accept": lambda: accept_quote(session, quote, now=NOW),
        "confirm": lambda: confirm_quote(session, quote, store.ana, now=NOW),
        "cancel": lambda: cancel_quote(session, quote, actor=CUSTOMER, now=NOW),
    }
    for step in steps:
        do[step]()
    status, count = quote.status, len(quote.events)
    with pytest.raises(IllegalTransition, match=f"is {status}: cannot {action}"):
        do[action]()
    assert quote.status == status and len(quote.events) == count


def test_who_may_do_what(session: Session, store: Store) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], now=NOW)
    with pytest.raises(NotAllowed):
        mark_sent(session, quote, actor=CUSTOMER, now=NOW)
    mark_sent(session, quote, now=NOW)
    with pytest.raises(NotAllowed):
        accept_quote(session, quote, actor=BOT, now=NOW)  # the customer says yes, not the bot
    accept_quote(session, quote, actor=Actor.salesperson(store.ana.id), now=NOW)  # on their behalf
    with pytest.raises(NotAllowed, match="does not work at branch"):
        confirm_quote(session, quote, store.tere, now=NOW)
    set_active(session, store.beto.id, False)
    with pytest.raises(NotAllowed, match="not active"):
        confirm_quote(session, quote, store.beto.id, now=NOW)
    with pytest.raises(NotAllowed):
        cancel_quote(session, quote, actor=Actor.salesperson(store.tere.id), now=NOW)
    assert quote.status == "accepted"


def test_cancel_records_who_and_why(session: Session, store: Store) -> None:
    quote = sent_and_accepted(session, [QuoteItem.vehicle("MTY-0042")])
    cancel_quote(session, quote, actor=CUSTOMER, reason="ya compré otro", now=NOW)
    last = quote.events[-1]
    assert (last.event, last.from_status, last.to_status, last.actor_kind) == (
        "cancelled", "accepted", "cancelled", "customer",
    )  # fmt: skip
    assert last.details == {"reason": "ya compré otro"}
    session.expire_all()
    assert session.get(Vehicle, store.hilux.id).status == "available"  # type: ignore[union-attr]


def test_expiry_sweep_and_late_steps(session: Session, store: Store) -> None:
    old = create_quote(session, [QuoteItem.vehicle("MTY-0042")], validity_days=1, now=NOW)
    mark_sent(session, old, now=NOW)
    fresh = create_quote(session, [QuoteItem.vehicle("MTY-0007")], now=NOW)
    # valid through Thursday 26 (Monterrey); Friday 00:00 local is 06:00 UTC
    friday = NOW.replace(day=27, hour=6, minute=0)
    with pytest.raises(QuoteExpired) as late:
        accept_quote(session, old, now=friday)
    assert "venció" in late.value.message_es
    assert old.status == "sent"
    assert expire_due_quotes(session, now=friday - timedelta(seconds=1)) == []
    assert expire_due_quotes(session, now=friday) == [old.folio]
    assert old.status == "expired" and fresh.status == "draft"
    last = old.events[-1]
    assert (last.event, last.from_status, last.actor_kind) == ("expired", "sent", "system")
    assert expire_due_quotes(session, now=friday) == []  # idempotent
    with pytest.raises(IllegalTransition):
        cancel_quote(session, old, actor=SYSTEM, now=friday)


def three_pads_sent_then_sold_at_the_counter(session: Session, store: Store, left: int) -> Quote:
    """A quote for three pads, sent; meanwhile the counter sells some: `left` remain."""
    quote = create_quote(session, [QuoteItem.part("BAL-10014", 3)], branch="MTY", now=NOW)
    mark_sent(session, quote, now=NOW)
    store.pads.stock = left
    session.flush()
    return quote


def test_stock_is_checked_when_the_customer_accepts(session: Session, store: Store) -> None:
    quote = three_pads_sent_then_sold_at_the_counter(session, store, left=2)
    with pytest.raises(OutOfStock) as short:
        accept_quote(session, quote, now=NOW)
    assert short.value.available == 2
    assert quote.status == "sent"


def test_second_sale_of_the_same_unit_fails_and_changes_nothing(
    session: Session, store: Store
) -> None:
    first = sent_and_accepted(session, [QuoteItem.part("FIL-20001"), QuoteItem.vehicle("MTY-0007")])
    second = sent_and_accepted(
        session, [QuoteItem.vehicle("MTY-0007"), QuoteItem.part("BAL-10014")]
    )
    confirm_quote(session, first, store.ana, now=NOW + timedelta(hours=1))
    with pytest.raises(OutOfStock, match="sin existencia: MTY-0007"):
        confirm_quote(session, second, store.beto, now=NOW + timedelta(hours=1))
    # the pads of the failed sale were not taken, the quote is still accepted, no ticket
    session.flush()
    session.expire_all()
    assert session.get(Part, store.pads.id).stock == 3  # type: ignore[union-attr]
    assert session.get(Part, store.last_filter.id).stock == 0  # type: ignore[union-attr]
    assert second.status == "accepted" and second.ticket is None
    assert session.scalar(select(SalesTicket.id).where(SalesTicket.quote_id == second.id)) is None


def test_a_vehicle_set_aside_needs_the_salespersons_say_so(session: Session, store: Store) -> None:
    quote = sent_and_accepted(session, [QuoteItem.vehicle("MTY-0042")])
    store.hilux.status = "reserved"  # apartado in the console
    session.flush()
    with pytest.raises(OutOfStock):
        confirm_quote(session, quote, store.ana, now=NOW)
    ticket = confirm_quote(session, quote, store.ana, include_reserved=True, now=NOW)
    assert ticket.number.startswith("MTY-V-2026-")
    session.expire_all()
    assert session.get(Vehicle, store.hilux.id).status == "sold"  # type: ignore[union-attr]


def test_without_an_assigned_salesperson_the_confirmer_earns_it(
    session: Session, store: Store
) -> None:
    quote = sent_and_accepted(session, [QuoteItem.vehicle("TIJ-0001")])
    late_night = NOW.replace(day=26, hour=7, minute=30)  # 23:30 on the 25th in Tijuana
    ticket = confirm_quote(session, quote, store.tere, now=late_night)
    assert ticket.salesperson_id == ticket.confirmed_by_id == store.tere.id
    assert ticket.sale_date == date(2026, 11, 25)
    assert ticket.commission_rate == Decimal("0.01")  # TIJ has none: the default 1 %
    assert ticket.number == "TIJ-V-2026-000001"


# ------------------------------------------------------------------ the price holds once accepted
def late_acceptance(session: Session, item: QuoteItem) -> Quote:
    """Quoted Wed 25 Nov (valid through Wed 2 Dec, Monterrey), sent at 23:00 and accepted at
    23:50 on that last day."""
    quote = create_quote(session, [item], branch="MTY", validity_days=7, now=NOW)
    last_evening = datetime.fromisoformat("2026-12-02T23:00:00-06:00")
    mark_sent(session, quote, now=last_evening)
    accept_quote(session, quote, now=last_evening + timedelta(minutes=50))
    return quote


def test_a_quote_accepted_at_2350_on_its_last_day_can_still_be_confirmed(
    session: Session, store: Store
) -> None:
    quote = late_acceptance(session, QuoteItem.vehicle("MTY-0042"))
    waiting = late_acceptance(session, QuoteItem.part("ACE-5W30", 2))
    # held through the 3rd day after acceptance (QUOTE_ACCEPTED_HOLD_DAYS): Sat 5 Dec
    held_until = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)  # local midnight starting the 6th
    assert quote.valid_until == held_until
    accepted = quote.events[-1]
    assert accepted.event == "accepted"
    assert accepted.details == {
        "valid_until_was": datetime(2026, 12, 3, 6, 0, tzinfo=UTC).isoformat(),
        "price_held_until": held_until.isoformat(),
    }
    assert "Vigente hasta el sábado 5 de diciembre" in quote_summary_es(
        quote, now=held_until - timedelta(days=1)
    )
    # midnight passes: the sweep leaves accepted quotes alone, a salesperson confirms
    next_morning = datetime.fromisoformat("2026-12-03T10:00:00-06:00")
    assert expire_due_quotes(session, now=datetime(2026, 12, 3, 6, 0, tzinfo=UTC)) == []
    ticket = confirm_quote(session, quote, store.ana, now=next_morning)
    assert ticket.total == quote.total and quote.status == "confirmed"
    # not confirmed by the end of the hold: expired then, not a second earlier
    assert expire_due_quotes(session, now=held_until - timedelta(seconds=1)) == []
    assert expire_due_quotes(session, now=held_until) == [waiting.folio]


def test_without_a_hold_the_late_acceptance_expires_at_midnight(
    session: Session, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTE_ACCEPTED_HOLD_DAYS", "0")
    quote_settings.cache_clear()
    quote = late_acceptance(session, QuoteItem.vehicle("MTY-0042"))
    assert quote.valid_until == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    with pytest.raises(QuoteExpired):
        confirm_quote(session, quote, store.ana, now=datetime(2026, 12, 3, 16, 0, tzinfo=UTC))


def test_an_early_acceptance_keeps_the_validity(session: Session, store: Store) -> None:
    quote = sent_and_accepted(session, [QuoteItem.vehicle("MTY-0042")], branch="MTY")
    assert quote.valid_until == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # never shortened
    assert quote.events[-1].event == "accepted" and quote.events[-1].details == {}


# ------------------------------------------------------------------ sending re-checks stock
def test_a_quote_whose_unit_was_sold_is_not_sent(session: Session, store: Store) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0007")], now=NOW)
    store.versa.status = "sold"  # sold at the showroom before the quote went out
    session.flush()
    with pytest.raises(OutOfStock, match="MTY-0007"):
        mark_sent(session, quote, now=NOW)
    assert quote.status == "draft" and [e.event for e in quote.events] == ["created"]


def test_a_resend_checks_stock_again(session: Session, store: Store) -> None:
    quote = three_pads_sent_then_sold_at_the_counter(session, store, left=1)
    with pytest.raises(OutOfStock) as short:
        mark_sent(session, quote, now=NOW + timedelta(hours=1))
    assert (short.value.available, short.value.requested) == (1, 3)
    assert [e.event for e in quote.events] == ["created", "sent"]
