"""Haggling in the chat: which messages ask for a lower price, what figure they name, and a
second request that changes nothing (the quote stays sent, so "sí" still accepts it).

What the customer reads is compared with the service's own figures for the stored quote.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

import pytest
from actions_kit import entity
from rasa_sdk import Tracker
from sqlalchemy import select
from test_action_quotes import (
    WEDNESDAY_10AM,
    Clock,
    branch_limit,
    quote_answer,
    quote_request,
    run_full,
    send_car_quote,
    stored_quote,
)

from actions.handoff import when_a_person_answers_es
from actions.quote import ActionRequestQuote
from actions.quote_decision import ActionQuoteDecision
from actions.quote_discount import requested, wants_discount
from showroom.db.models.leads import HandoffRequest
from showroom.db.session import session_scope
from showroom.formatting import money
from showroom.inventory.branches import get_branch
from showroom.sales.quotes import Actor, Discount, add_salesperson, apply_discount, get_quote
from showroom.sales.quotes.summary import percent_es

CENT = Decimal("0.01")


# ------------------------------------------------------------------ what asks for a discount
@pytest.mark.parametrize(
    "text",
    [
        "¿me quitas 5 mil?",
        "me lo puedes bajar a 300 mil",
        "me lo das en 280",
        "que precio me das de contado",
        "hay rebaja?",
        "lo menos?",
        "¿En cuánto me lo dejas?",
        "déjamelo en 350 mil y lo cierro",
        "bájale tantito, ¿no?",
        "QUÍTALE 10 MIL",
        "¿le puedes bajar algo?",
        "¿bajan el precio si pago hoy?",
        "¿es negociable?",
        "hazme un paro con el precio",
        "me haces un descuentito?",
        "¿lo dejas en 370?",
        "¿cuál es su último precio?",
        "me lo rebajas?",
    ],
)
def test_ways_of_asking_for_a_lower_price(text: str) -> None:
    assert wants_discount(text)


@pytest.mark.parametrize(
    "text",
    [
        "me mandas la cotizacion?",
        "¿cuánto sale con todo?",
        "cotízame el Jetta",
        "me lo das a crédito?",
        "la quiero en rojo",
        "quiero bajar a verla a la agencia",
        "lo quiero a 48 meses",
        "me la dejas apartada?",
        "cotízame 4 de la 2",
        "la cotización de refacciones en Monterrey",
        "me das la cotización en PDF",
        "¿cuál es el precio final con todo?",
        "quiero pagar de contado",
    ],
)
def test_quote_requests_that_are_not_haggling(text: str) -> None:
    assert not wants_discount(text)


# ------------------------------------------------------------------ the figure they name
def asked(folio: str, text: str, entities: list[dict[str, Any]] | None = None) -> Tracker:
    return quote_request(
        {"quote_folio": folio, "selected_vehicle": "MTY-002"}, text, entities=entities
    )


@pytest.mark.parametrize(
    ("text", "entities", "price_to_pay"),
    [
        # the price they want to pay, with or without the amount entity ("280" alone is none)
        ("me lo dejas en 380 mil?", [entity("amount", 380000)], Decimal("380000")),
        ("me lo das en 380?", [], Decimal("380000")),
        ("me lo puedes bajar a $385,000", [], Decimal("385000")),
        ("me lo das en 280", [], Decimal("280000")),  # far below: a big discount, not $280
        # an amount off
        ("¿me quitas 5 mil?", [entity("amount", 5000)], Decimal("384900")),
        ("¿me quitas 5?", [], Decimal("384900")),  # on a car, 5 mil
        ("bájale 2,500", [entity("amount", 2500)], Decimal("387400")),
        # no telling words: a figure that reads as a price is one
        ("y 370 mil?", [entity("amount", 370000)], Decimal("370000")),
    ],
)
async def test_the_figure_in_the_request(
    catalog: str,
    fixed_now: Clock,
    text: str,
    entities: list[dict[str, Any]],
    price_to_pay: Decimal,
) -> None:
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")  # Toyota Corolla, $389,900
    with session_scope(catalog) as session:
        quote = get_quote(session, folio)
        base = Decimal(quote.total)
        wanted = requested(asked(folio, text, entities), quote)
    assert wanted == Discount.amount(base - price_to_pay)


def test_percentages_with_or_without_the_entity() -> None:
    state = asked("X", "me das 2.5% de descuento?")
    quote: Any = None  # a percentage needs no figures of the quote
    assert requested(state, quote) == Discount.percent("2.5")
    assert requested(asked("X", "y un 4 por ciento?"), quote) == Discount.percent(4)


# ------------------------------------------------------------------ asking again
def handoff_reasons(db_url: str) -> list[str]:
    with session_scope(db_url) as session:
        return list(session.scalars(select(HandoffRequest.reason).order_by(HandoffRequest.id)))


def trail(db_url: str, folio: str) -> list[str]:
    return [event.event for event in stored_quote(db_url, folio)[2].events]


def next_step_es(db_url: str, code: str) -> str:
    with session_scope(db_url) as session:
        return when_a_person_answers_es(get_branch(session, code), reachable=True)


async def test_asking_for_a_discount_again_then_yes_accepts(catalog: str, fixed_now: Clock) -> None:
    """The audit's path: the limit is given, "¿otro descuento?" changes nothing (no
    revision, no resend), and the customer's "sí" accepts the quote."""
    fixed_now(WEDNESDAY_10AM)
    limit = branch_limit(catalog, "MTY")
    folio = await send_car_quote("MTY-002")
    first, _events = await run_full(ActionRequestQuote(), asked(folio, "me haces descuento?"))
    summary, url, quote = stored_quote(catalog, folio)
    assert first[0]["text"] == (
        f"¡Listo! Te apliqué {percent_es(limit * 100)} de descuento "
        f"(-{money(quote.discount_amount)}) 🎉"
    )
    assert first[1] == {"text": summary, "attachment": url}
    after_first = trail(catalog, folio)
    assert after_first == ["created", "sent", "revised", "discount", "sent"]

    again, events = await run_full(ActionRequestQuote(), asked(folio, "me haces otro descuento?"))
    assert [m["text"] for m in again] == [
        f"Ya tienes el mayor descuento que puedo darte ({percent_es(limit * 100)}). Dejé "
        f"registrada tu solicitud para que un asesor revise tu cotización {folio} ✅. "
        + next_step_es(catalog, "MTY")
    ]
    assert not any("attachment" in m for m in again)  # nothing changed: nothing resent
    assert trail(catalog, folio) == after_first  # no spurious revised / discount events
    assert stored_quote(catalog, folio)[2].status == "sent"
    assert handoff_reasons(catalog) == ["discount"]
    folio_slot = next(e["value"] for e in events if e["name"] == "quote_folio")

    yes, _events = await run_full(
        ActionQuoteDecision(), quote_answer(folio_slot, "si", accepted=True)
    )
    assert yes[0]["text"].startswith(f"¡Excelente! 🎉 Registré que aceptas la cotización {folio}.")
    assert stored_quote(catalog, folio)[2].status == "accepted"


async def test_the_same_or_a_smaller_figure_changes_nothing(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")
    two = [entity("percent", 2)]
    await run_full(ActionRequestQuote(), asked(folio, "me das 2% de descuento?", two))
    before = stored_quote(catalog, folio)[2]
    expected = (
        f"Tu cotización {folio} ya tiene ese descuento o uno mayor: el total es "
        f"{money(before.total)}."
    )
    for text, entities in (
        ("me das 2% de descuento?", two),
        ("¿me quitas mil pesos?", [entity("amount", 1000)]),  # less than the 2 % it has
    ):
        messages, _events = await run_full(ActionRequestQuote(), asked(folio, text, entities))
        assert [m["text"] for m in messages] == [expected]
    after = stored_quote(catalog, folio)[2]
    assert (after.status, after.total, after.discount_value) == ("sent", before.total, 2)
    assert len(after.events) == len(before.events)
    assert handoff_reasons(catalog) == []  # they have what they asked for: no person needed


async def test_more_after_less_shows_the_whole_discount(catalog: str, fixed_now: Clock) -> None:
    """1 %, then "¿me haces descuento?": the limit replaces it and the message shows the
    discount the quote now has, not the difference."""
    fixed_now(WEDNESDAY_10AM)
    limit = branch_limit(catalog, "MTY")
    folio = await send_car_quote("MTY-002")
    one = asked(folio, "me das 1% de descuento?", [entity("percent", 1)])
    await run_full(ActionRequestQuote(), one)
    assert Decimal(stored_quote(catalog, folio)[2].discount_value or 0) == 1
    messages, _events = await run_full(ActionRequestQuote(), asked(folio, "y un descuentito?"))
    summary, url, quote = stored_quote(catalog, folio)
    list_price = Decimal(quote.list_total)
    off = (list_price * limit).quantize(CENT, rounding=ROUND_DOWN)
    assert quote.discount_amount == off and quote.total == list_price - off
    assert messages == [
        {"text": f"¡Listo! Te apliqué {percent_es(limit * 100)} de descuento (-{money(off)}) 🎉"},
        {"text": summary, "attachment": url},
    ]
    assert quote.status == "sent"


async def test_a_price_far_below_gets_the_limit_and_a_person(
    catalog: str, fixed_now: Clock
) -> None:
    fixed_now(WEDNESDAY_10AM)
    limit = branch_limit(catalog, "MTY")
    folio = await send_car_quote("MTY-002")
    messages, _events = await run_full(ActionRequestQuote(), asked(folio, "me lo das en 280"))
    summary, url, quote = stored_quote(catalog, folio)
    assert Decimal(quote.discount_value or 0) == limit * 100
    assert messages[0]["text"] == (
        f"Lo más que puedo darte yo es {percent_es(limit * 100)} de descuento "
        f"(-{money(quote.discount_amount)}); ya te lo apliqué 🎉. Para lo que me pides, dejé "
        f"registrada tu solicitud para que un asesor revise tu cotización {folio} ✅. "
        + next_step_es(catalog, "MTY")
    )
    assert messages[1:] == [{"text": summary, "attachment": url}]
    assert handoff_reasons(catalog) == ["discount"]


async def test_a_quote_revised_by_a_salesperson_is_sent_again(
    catalog: str, fixed_now: Clock
) -> None:
    """A salesperson changed the sent quote (draft again). The customer's discount request
    is for the salesperson, but the revised quote reaches them, and "sí" then accepts it."""
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")
    with session_scope(catalog) as session:
        ana = add_salesperson(session, "MTY", "Ana López")
        quote = get_quote(session, folio)
        apply_discount(session, quote, Discount.percent(1), actor=Actor.salesperson(ana.id))
        assert quote.status == "draft"
    messages, _events = await run_full(ActionRequestQuote(), asked(folio, "me haces descuento?"))
    summary, url, quote = stored_quote(catalog, folio)
    assert messages[0]["text"].startswith("Eso lo tiene que hacer un asesor. ")
    assert messages[1:] == [{"text": summary, "attachment": url}]  # the revised quote
    assert quote.status == "sent" and Decimal(quote.discount_value or 0) == 1
    assert handoff_reasons(catalog) == ["discount"]
    await run_full(ActionQuoteDecision(), quote_answer(folio, "si", accepted=True))
    assert stored_quote(catalog, folio)[2].status == "accepted"
