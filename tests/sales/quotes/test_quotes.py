"""Building quotes from what the customer chose: items, branch, IVA, folio, validity,
discounts (bot limit vs salesperson), financing. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

import pytest
from quotes_kit import NOW, Store
from sqlalchemy.orm import Session

from showroom.db.models.sales import Quote
from showroom.sales.financing import FinancingError
from showroom.sales.quotes import (
    BOT,
    CUSTOMER,
    SYSTEM,
    Actor,
    Discount,
    DiscountNotAllowed,
    IllegalTransition,
    InvalidDiscount,
    ItemNotFound,
    NotAllowed,
    OutOfStock,
    QuoteError,
    QuoteExpired,
    QuoteItem,
    accept_quote,
    apply_discount,
    attach_financing,
    create_quote,
    get_quote,
    latest_open_quote,
    mark_sent,
    remove_financing,
)
from showroom.sales.quotes.service import reprice
from showroom.sales.quotes.validity import effective_status, last_valid_day


def test_vehicle_quote_has_everything(session: Session, store: Store) -> None:
    quote = create_quote(
        session, [QuoteItem.vehicle("MTY-0042")], customer=store.customer,
        salesperson=store.ana, conversation_key="wa:+528112345678", now=NOW,
    )  # fmt: skip
    assert quote.folio == "MTY-2026-000001"
    assert quote.status == "draft"
    assert quote.branch.code == "MTY" and quote.salesperson is store.ana
    (line,) = quote.lines
    assert (line.item_type, line.reference, line.quantity) == ("vehicle", "MTY-0042", 1)
    assert line.description.startswith("Toyota Hilux 2024 SR Diésel 4x4")
    assert line.unit_price == Decimal("689900.00")
    assert quote.list_total == quote.total == Decimal("689900.00")
    assert quote.iva_rate == Decimal("0.16")
    assert (quote.subtotal, quote.iva) == (Decimal("594741.38"), Decimal("95158.62"))
    # valid through the 7th day after, in Monterrey time: 25 Nov + 7 = 2 Dec
    assert last_valid_day(quote).isoformat() == "2026-12-02"
    assert quote.valid_until == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)  # local midnight
    (event,) = quote.events
    assert (event.event, event.from_status, event.to_status, event.actor_kind) == (
        "created", None, "draft", "bot",
    )  # fmt: skip
    # it is all in the database
    session.expire_all()
    again = get_quote(session, "mty-2026-000001")
    assert again.id == quote.id and again.total == Decimal("689900.00")


def test_parts_quote_merges_skus_and_uses_the_given_branch(session: Session, store: Store) -> None:
    quote = create_quote(
        session,
        [
            QuoteItem.part("BAL-10014", 1),
            QuoteItem.part("bal-10014", 1),
            QuoteItem.part("ACE-5W30", 2),
        ],
        branch="mty",
        now=NOW,
    )
    assert [(ln.reference, ln.quantity) for ln in quote.lines] == [
        ("BAL-10014", 2),
        ("ACE-5W30", 2),
    ]
    assert quote.total == Decimal("1478.00") + Decimal("2579.00")
    assert quote.subtotal + quote.iva == quote.total
    assert "Brembo" in quote.lines[0].description and "SKU BAL-10014" in quote.lines[0].description


def test_vehicle_branch_wins_and_border_iva(session: Session, store: Store) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("TIJ-0001")], branch="MTY", now=NOW)
    assert quote.branch.code == "TIJ" and quote.folio == "TIJ-2026-000001"
    assert quote.iva_rate == Decimal("0.08")
    assert (quote.subtotal, quote.iva) == (Decimal("384259.26"), Decimal("30740.74"))


def test_items_that_cannot_be_quoted(session: Session, store: Store) -> None:
    with pytest.raises(ItemNotFound, match="NOPE-1"):
        create_quote(session, [QuoteItem.vehicle("NOPE-1")], now=NOW)
    with pytest.raises(ItemNotFound):
        create_quote(session, [QuoteItem.part("XX-404")], branch="MTY", now=NOW)
    with pytest.raises(OutOfStock) as short:
        create_quote(session, [QuoteItem.part("BAL-10014", 4)], branch="MTY", now=NOW)
    assert (short.value.available, short.value.requested) == (3, 4)
    assert "sin existencia" in str(short.value) and "Solo tenemos 3" in short.value.message_es
    store.versa.status = "sold"
    session.flush()
    with pytest.raises(OutOfStock, match="sin existencia: MTY-0007"):
        create_quote(session, [QuoteItem.vehicle("MTY-0007")], now=NOW)
    with pytest.raises(QuoteError, match="branch"):
        create_quote(session, [QuoteItem.part("BAL-10014")], now=NOW)  # shared part, no branch
    with pytest.raises(QuoteError, match="another branch"):
        create_quote(session, [QuoteItem.part("ACE-5W30")], branch="TIJ", now=NOW)
    with pytest.raises(QuoteError, match="separate quotes"):
        create_quote(
            session, [QuoteItem.vehicle("MTY-0042"), QuoteItem.vehicle("TIJ-0001")], now=NOW
        )
    with pytest.raises(QuoteError, match="one unit"):
        QuoteItem(stock_id="MTY-0042", quantity=2)
    with pytest.raises(QuoteError, match="either"):
        QuoteItem(stock_id="MTY-0042", sku="BAL-10014")
    with pytest.raises(QuoteError, match="at least one"):
        create_quote(session, [], branch="MTY", now=NOW)
    with pytest.raises(NotAllowed, match="does not work at branch"):
        create_quote(session, [QuoteItem.vehicle("MTY-0042")], salesperson=store.tere, now=NOW)
    assert session.query(Quote).count() == 0


def test_bot_discount_within_limit_and_refused_above(session: Session, store: Store) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], now=NOW)
    apply_discount(session, quote, Discount.percent(5), actor=BOT, now=NOW)  # the 5 % limit
    assert quote.discount_total == Decimal("34495.00") and quote.total == Decimal("655405.00")
    assert quote.discount_by == "bot"
    with pytest.raises(DiscountNotAllowed) as refused:
        apply_discount(session, quote, Discount.amount(40000), actor=BOT, now=NOW)
    assert "5%" in refused.value.message_es and refused.value.max_amount == Decimal("34495.00")
    # nothing changed by the refusal
    assert quote.discount_kind == "percent" and quote.total == Decimal("655405.00")
    # a line discount on top would take the quote past the limit too
    with pytest.raises(DiscountNotAllowed):
        apply_discount(session, quote, Discount.amount(1), actor=BOT, line=1, now=NOW)


def test_salesperson_gives_more_and_the_bot_cannot_undo_it(session: Session, store: Store) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042"), QuoteItem.part("BAL-10014", 2)],
                         now=NOW)  # fmt: skip
    ana = Actor.salesperson(store.ana.id)
    apply_discount(session, quote, Discount.amount(50000), actor=ana, line="MTY-0042", now=NOW)
    apply_discount(session, quote, Discount.percent(2), actor=ana, now=NOW)
    assert quote.lines[0].discount_amount == Decimal("50000.00")
    assert quote.lines[0].discount_by == f"salesperson:{store.ana.id}"
    # 2 % of (639,900 + 1,478) = 12,827.56
    assert quote.discount_amount == Decimal("12827.56")
    assert quote.total == Decimal("691378") - Decimal("50000") - Decimal("12827.56")
    assert quote.subtotal + quote.iva == quote.total
    with pytest.raises(NotAllowed):
        apply_discount(session, quote, None, actor=BOT, line=1, now=NOW)
    with pytest.raises(DiscountNotAllowed):  # already ~9 % off: the bot may not add any
        apply_discount(session, quote, Discount.percent(1), actor=BOT, line=2, now=NOW)
    with pytest.raises(InvalidDiscount):
        apply_discount(session, quote, Discount.amount(2000), actor=ana, line=2, now=NOW)
    for nobody in (CUSTOMER, SYSTEM):
        with pytest.raises(NotAllowed):
            apply_discount(session, quote, Discount.percent(1), actor=nobody, now=NOW)
    with pytest.raises(NotAllowed, match="does not work"):
        apply_discount(
            session, quote, Discount.percent(1), actor=Actor.salesperson(store.tere.id), now=NOW
        )
    # the salesperson removes their own discount
    apply_discount(session, quote, None, actor=ana, line=1, now=NOW)
    assert quote.lines[0].discount_amount == 0 and quote.lines[0].discount_kind is None
    events = [e.event for e in quote.events]
    assert events.count("discount") == 3


def test_branch_without_a_limit_uses_the_environment(
    session: Session, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("TIJ-0001")], now=NOW)  # TIJ: no limit set
    with pytest.raises(DiscountNotAllowed) as refused:
        apply_discount(session, quote, Discount.percent(1), actor=BOT, now=NOW)
    assert "asesor" in refused.value.message_es  # default 0: only salespeople discount
    from showroom.sales.quotes.config import quote_settings

    monkeypatch.setenv("QUOTE_MAX_BOT_DISCOUNT", "0.02")
    quote_settings.cache_clear()
    apply_discount(session, quote, Discount.percent(2), actor=BOT, now=NOW)
    assert quote.discount_amount == Decimal("8300.00")


def test_changing_a_sent_or_accepted_quote_sends_it_back_to_draft(
    session: Session, store: Store
) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], now=NOW)
    mark_sent(session, quote, now=NOW)
    accept_quote(session, quote, now=NOW)
    apply_discount(session, quote, Discount.percent(3), actor=BOT, now=NOW)
    assert quote.status == "draft"
    revised = [e for e in quote.events if e.event == "revised"]
    assert (revised[0].from_status, revised[0].to_status) == ("accepted", "draft")


def test_financing_is_attached_stored_and_follows_discounts(session: Session, store: Store) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], now=NOW)
    attach_financing(session, quote, months=48, down_percent=20, now=NOW)
    plan = quote.financing
    assert plan is not None
    assert plan["price"] == "689900.00" and plan["down_payment"] == "137980.00"
    assert plan["annual_rate"] == "0.129" and plan["months"] == 48  # MTY's own rate
    first_payment = Decimal(plan["monthly_payment"])
    apply_discount(
        session, quote, Discount.amount(20000), actor=Actor.salesperson(store.ana.id), now=NOW
    )
    assert quote.financing is not None
    assert quote.financing["price"] == "669900.00"
    assert quote.financing["down_payment"] == "133980.00"  # still 20 %
    assert Decimal(quote.financing["monthly_payment"]) < first_payment
    session.expire_all()
    assert get_quote(session, quote.id).financing == quote.financing
    with pytest.raises(FinancingError):
        attach_financing(session, quote, months=100, down_payment=1000, now=NOW)
    remove_financing(session, quote, now=NOW)
    assert quote.financing is None
    parts = create_quote(session, [QuoteItem.part("BAL-10014")], branch="MTY", now=NOW)
    with pytest.raises(QuoteError, match="vehicle quotes"):
        attach_financing(session, parts, months=12, down_payment=0, now=NOW)


def test_expired_quotes_cannot_change(session: Session, store: Store) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], validity_days=1, now=NOW)
    later = NOW + timedelta(days=3)
    assert effective_status(quote, later) == "expired"
    with pytest.raises(QuoteExpired):
        apply_discount(session, quote, Discount.percent(1), actor=BOT, now=later)
    with pytest.raises(QuoteExpired):
        mark_sent(session, quote, now=later)
    assert quote.status == "draft"  # the sweep marks it (test_lifecycle)


def test_latest_open_quote_is_what_the_customer_refers_to(session: Session, store: Store) -> None:
    first = create_quote(session, [QuoteItem.vehicle("MTY-0042")], customer=store.customer, now=NOW)
    second = create_quote(session, [QuoteItem.vehicle("MTY-0007")], customer=store.customer,
                          now=NOW + timedelta(minutes=5))  # fmt: skip
    assert (
        latest_open_quote(session, customer=store.customer, now=NOW + timedelta(hours=1)) is second
    )
    assert second.folio == "MTY-2026-000002" and first.folio == "MTY-2026-000001"
    much_later = NOW + timedelta(days=30)
    assert latest_open_quote(session, customer=store.customer, now=much_later) is None
    with pytest.raises(QuoteError):
        latest_open_quote(session)
    with pytest.raises(IllegalTransition):
        accept_quote(session, first, now=NOW)  # still a draft: it was never sent


def test_the_bots_discount_rounds_down_and_stays_so_when_repriced(
    session: Session, store: Store
) -> None:
    """5 % of $329,900.50 is $16,495.025: the bot gives $16,495.02 (the 5 % limit, rounded
    down), a salesperson's 5 % is $16,495.03; re-pricing the stored quote keeps both."""
    by_bot = create_quote(session, [QuoteItem.vehicle("MTY-0007")], now=NOW)
    apply_discount(session, by_bot, Discount.percent(5), actor=BOT, now=NOW)
    assert by_bot.discount_amount == Decimal("16495.02")
    assert by_bot.discount_total <= (Decimal("329900.50") * Decimal("0.05")).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN
    )
    assert by_bot.subtotal + by_bot.iva == by_bot.total == Decimal("313405.48")
    # a salesperson's line discount makes the quote re-price: the bot's part stays rounded down
    ana = Actor.salesperson(store.ana.id)
    apply_discount(session, by_bot, Discount.amount("0.50"), actor=ana, line=1, now=NOW)
    assert by_bot.discount_amount == Decimal("16495.00")  # 5 % of 329,900.00, exact
    apply_discount(session, by_bot, None, actor=ana, line=1, now=NOW)
    assert by_bot.discount_amount == Decimal("16495.02")
    by_person = create_quote(session, [QuoteItem.part("ACE-5W30")], branch="MTY", now=NOW)
    apply_discount(session, by_person, Discount.percent("2.5"), actor=ana, now=NOW)
    assert by_person.discount_amount == Decimal("32.24")  # 32.2375, half up
    session.commit()
    session.expire_all()
    again = get_quote(session, by_bot.id)
    reprice(again)
    assert (again.discount_amount, again.total) == (Decimal("16495.02"), Decimal("313405.48"))


def test_a_four_decimal_percentage_is_stored_and_reprices_identically(
    session: Session, store: Store
) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], now=NOW)
    ana = Actor.salesperson(store.ana.id)
    apply_discount(session, quote, Discount.percent("7.1234"), actor=ana, now=NOW)
    figures = (quote.discount_amount, quote.total, quote.subtotal, quote.iva)
    assert quote.discount_amount == Decimal("49144.34")  # 689,900 × 7.1234 % = 49,144.3366
    session.commit()
    session.expire_all()
    stored = get_quote(session, quote.id)
    assert stored.discount_value == Decimal("7.1234")
    reprice(stored)
    assert (stored.discount_amount, stored.total, stored.subtotal, stored.iva) == figures
    with pytest.raises(InvalidDiscount, match="4 decimal places"):
        apply_discount(session, stored, Discount.percent("7.12345"), actor=ana, now=NOW)
