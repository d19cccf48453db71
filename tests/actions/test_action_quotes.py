"""Quotes in the chat: the chosen car or parts, "¿Te interesa?", discounts.

What the customer reads is compared with the quotes service's own output for the stored
quote (`quote_summary_es`, `signed_pdf_url`, the quote's totals), and prices with the
inventory (`get_vehicle`, `get_part`), never with typed figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from actions_kit import DOMAIN, action_event, entity, said, tracker
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.quote import ASK_WHAT, ActionRequestQuote
from actions.quote_decision import ActionQuoteDecision, ValidateQuoteDecisionForm
from showroom.db.models.inventory import Branch
from showroom.db.models.leads import HandoffRequest
from showroom.db.models.sales import Quote
from showroom.db.session import session_scope
from showroom.formatting import money
from showroom.inventory.parts import get_part
from showroom.inventory.search import get_vehicle
from showroom.sales.quotes import quote_summary_es, signed_pdf_url
from showroom.sales.quotes.config import max_bot_discount
from showroom.sales.quotes.summary import day_es, percent_es
from showroom.sales.quotes.validity import last_valid_day
from showroom.settings import get_settings

MTY = ZoneInfo("America/Monterrey")
WEDNESDAY_10AM = datetime(2030, 1, 9, 10, 0, tzinfo=MTY)
PHONE = {"phone": "+528112345678", "branch": "MTY", "channel": "whatsapp"}
SENDER = "whatsapp:+528112345678"
NO_QUESTION = [SlotSet("quote_folio", None), SlotSet("quote_accepted", None)]
Clock = Callable[[datetime], None]


async def run_full(action: Action, state: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    """Like actions_kit.run, but keeps each message's attachment (the quote's PDF link)."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, state, DOMAIN)  # type: ignore[arg-type]
    messages = []
    for message in dispatcher.messages:
        kept = said(message)
        if message.get("attachment"):
            kept["attachment"] = message["attachment"]
        messages.append(kept)
    return messages, events


def stored_quote(db_url: str, folio: str) -> tuple[str, str, Quote]:
    """(summary, pdf link, quote) as the quotes service renders the stored quote."""
    with session_scope(db_url) as session:
        quote = session.scalars(select(Quote).where(Quote.folio == folio)).unique().one()
        summary = quote_summary_es(quote, now=WEDNESDAY_10AM)
        url = signed_pdf_url(quote, get_settings().public_base_url, now=WEDNESDAY_10AM)
        for line in quote.lines:
            session.expunge(line)
        session.expunge(quote)
        return summary, url, quote


def quote_request(
    slots: dict[str, Any], text: str = "me mandas la cotizacion?", **kw: Any
) -> Tracker:
    return tracker(slots, text=text, intent="request_quote", metadata=PHONE, sender_id=SENDER, **kw)


async def send_car_quote(stock_id: str) -> str:
    _messages, events = await run_full(
        ActionRequestQuote(), quote_request({"selected_vehicle": stock_id})
    )
    folio = next(e["value"] for e in events if e["name"] == "quote_folio")
    assert isinstance(folio, str)
    return folio


def quote_answer(folio: str, text: str, *, accepted: bool, **slots: Any) -> Tracker:
    """The customer's yes (`accepted`) or no to "¿Te interesa?" for the quote `folio`."""
    return tracker(
        {"quote_folio": folio, "quote_accepted": accepted, **slots},
        text=text,
        intent="affirm" if accepted else "deny",
        metadata=PHONE,
        sender_id=SENDER,
    )


# ------------------------------------------------------------------ the quote
async def test_the_chosen_car_is_quoted_with_its_pdf(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    messages, events = await run_full(
        ActionRequestQuote(), quote_request({"selected_vehicle": "MTY-002"})
    )
    folio = events[0]["value"]
    assert events == [SlotSet("quote_folio", folio), SlotSet("quote_accepted", None)]
    summary, url, quote = stored_quote(catalog, folio)
    assert messages == [{"text": summary, "attachment": url}]
    with session_scope(catalog) as session:
        vehicle = get_vehicle(session, "MTY-002")
        assert vehicle is not None
        price = Decimal(vehicle.price_mxn)
    assert quote.status == "sent"
    assert [(line.reference, line.quantity) for line in quote.lines] == [("MTY-002", 1)]
    assert Decimal(quote.total) == price  # IVA included in the list price, no discount
    assert quote.conversation_key == SENDER


async def test_a_car_named_in_the_request(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = quote_request({}, text="cotizame el jetta", entities=[entity("model", "Jetta")])
    _messages, events = await run_full(ActionRequestQuote(), state)
    chosen = events[0]["value"]
    assert events[:2] == [SlotSet("selected_vehicle", chosen), SlotSet("fin_price", None)]
    _summary, _url, quote = stored_quote(catalog, events[2]["value"])
    assert [line.reference for line in quote.lines] == [chosen]
    with session_scope(catalog) as session:
        vehicle = get_vehicle(session, chosen)
        assert vehicle is not None and vehicle.model == "Jetta"


async def test_asking_again_resends_the_same_quote(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    first = await send_car_quote("MTY-002")
    second = await send_car_quote("MTY-002")
    assert first == second
    with session_scope(catalog) as session:
        assert len(session.scalars(select(Quote)).unique().all()) == 1


async def test_the_chosen_parts_are_quoted(parts_catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    chosen = [{"sku": "BAL-T1", "qty": 2}, {"sku": "DIS-T1", "qty": 2}]
    state = quote_request(
        {"chosen_parts": chosen, "shown_parts": ["BAL-T1", "DIS-T1"]},
        text="cuanto sale con todo?",
        before=[action_event("action_search_parts"), SlotSet("chosen_parts", chosen)],
    )
    messages, events = await run_full(ActionRequestQuote(), state)
    folio = events[0]["value"]
    summary, url, quote = stored_quote(parts_catalog, folio)
    assert messages == [{"text": summary, "attachment": url}]
    with session_scope(parts_catalog) as session:
        prices = {}
        for item in chosen:
            part = get_part(session, item["sku"])
            assert part is not None
            prices[item["sku"]] = Decimal(part.price_mxn)
    assert [(line.reference, line.quantity) for line in quote.lines] == [
        ("BAL-T1", 2),
        ("DIS-T1", 2),
    ]
    assert Decimal(quote.total) == sum(prices[i["sku"]] * i["qty"] for i in chosen)


async def test_nothing_chosen_asks_what_to_quote(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    messages, events = await run_full(ActionRequestQuote(), quote_request({}, text="cotizacion"))
    assert [m["text"] for m in messages] == [ASK_WHAT]
    assert events == NO_QUESTION
    with session_scope(catalog) as session:
        assert session.scalars(select(Quote)).first() is None


async def test_parts_shown_but_none_chosen_asks_which(parts_catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = quote_request(
        {"shown_parts": ["BAL-T1", "BAL-T2"]},
        text="cotizame",
        before=[action_event("action_search_parts"), SlotSet("shown_parts", ["BAL-T1", "BAL-T2"])],
    )
    messages, events = await run_full(ActionRequestQuote(), state)
    assert messages[0]["text"].startswith("¿Qué pieza te cotizo?")
    assert events == NO_QUESTION


# ------------------------------------------------------------------ "¿Te interesa?"
async def test_the_form_asks_only_while_a_quote_waits() -> None:
    form = ValidateQuoteDecisionForm()
    waiting = tracker({"quote_folio": "MTY-2030-000001"})
    answered = tracker({"quote_folio": "MTY-2030-000001", "quote_accepted": True})
    assert await form.required_slots([], None, waiting, {}) == ["quote_accepted"]  # type: ignore[arg-type]
    assert await form.required_slots([], None, answered, {}) == []  # type: ignore[arg-type]
    assert await form.required_slots([], None, tracker(), {}) == []  # type: ignore[arg-type]


def test_la_quiero_and_lo_voy_a_pensar_are_answers() -> None:
    form = ValidateQuoteDecisionForm()

    def answer(text: str) -> dict[str, Any]:
        state = tracker(
            {"quote_folio": "MTY-2030-000001", "requested_slot": "quote_accepted"},
            text=text,
            intent="choose_option",
        )
        return form.extract_quote_accepted(None, state, {})  # type: ignore[arg-type]

    assert answer("me la quedo") == {"quote_accepted": True}
    assert answer("lo voy a pensar") == {"quote_accepted": False}
    assert answer("y de que color es?") == {}


async def test_accepting_records_it_and_asks_a_salesperson(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")
    state = quote_answer(folio, "si, lo quiero", accepted=True)
    messages, events = await run_full(ActionQuoteDecision(), state)
    assert events == NO_QUESTION
    assert messages[0]["text"].startswith(
        f"¡Excelente! 🎉 Registré que aceptas la cotización {folio}. Antes de cerrar la venta, "
        "un asesor tiene que confirmar la disponibilidad."
    )
    _summary, _url, quote = stored_quote(catalog, folio)
    assert quote.status == "accepted"
    # until when the price holds (the quote's validity, extended on acceptance)
    assert messages[0]["text"].endswith(
        f"El precio se respeta hasta el {day_es(last_valid_day(quote))}, sujeto a disponibilidad."
    )
    with session_scope(catalog) as session:
        request = session.scalars(select(HandoffRequest)).one()
        assert (request.reason, request.conversation_key) == ("quote_accepted", SENDER)


async def test_accepting_parts_clears_the_chosen_parts(
    parts_catalog: str, fixed_now: Clock
) -> None:
    fixed_now(WEDNESDAY_10AM)
    chosen = [{"sku": "BUJ-1", "qty": 4}]
    _m, events = await run_full(
        ActionRequestQuote(),
        quote_request(
            {"chosen_parts": chosen},
            text="cotizamelas",
            before=[action_event("action_search_parts"), SlotSet("chosen_parts", chosen)],
        ),
    )
    folio = events[0]["value"]
    state = quote_answer(folio, "si", accepted=True, chosen_parts=chosen)
    _messages, events = await run_full(ActionQuoteDecision(), state)
    assert events == [*NO_QUESTION, SlotSet("chosen_parts", None)]


async def test_declining_keeps_the_quote_valid(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")
    state = quote_answer(folio, "no gracias", accepted=False)
    messages, events = await run_full(ActionQuoteDecision(), state)
    _summary, _url, quote = stored_quote(catalog, folio)
    assert [m["text"] for m in messages] == [
        f"Va, sin problema 👍. Tu cotización {folio} queda vigente hasta el "
        f"{day_es(last_valid_day(quote))}. Si cambias de opinión o quieres ajustar algo, aquí "
        "estoy."
    ]
    assert events == NO_QUESTION
    assert quote.status == "sent"
    with session_scope(catalog) as session:
        assert session.scalars(select(HandoffRequest)).first() is None


async def test_no_quote_waiting_does_nothing(catalog: str) -> None:
    messages, events = await run_full(ActionQuoteDecision(), tracker(text="si", intent="affirm"))
    assert (messages, events) == ([], [])


# ------------------------------------------------------------------ discounts
def branch_limit(db_url: str, code: str) -> Decimal:
    with session_scope(db_url) as session:
        branch = session.scalars(select(Branch).where(Branch.code == code)).one()
        return max_bot_discount(branch)


def discount_request(folio: str, text: str, percent: float) -> Tracker:
    return quote_request(
        {"quote_folio": folio, "selected_vehicle": "MTY-002"},
        text=text,
        entities=[entity("percent", percent)],
    )


async def test_a_discount_within_the_branch_limit(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    limit = branch_limit(catalog, "MTY")
    asked = limit * 100 / 2  # half of what the bot may give
    assert asked > 0
    folio = await send_car_quote("MTY-002")
    _s, _u, before = stored_quote(catalog, folio)
    state = discount_request(folio, f"me das {asked}% de descuento?", float(asked))
    messages, events = await run_full(ActionRequestQuote(), state)
    summary, url, after = stored_quote(catalog, folio)
    saved = Decimal(before.total) - Decimal(after.total)
    assert saved > 0
    assert Decimal(after.discount_value or 0) == asked
    assert messages == [
        {"text": f"¡Listo! Te apliqué {percent_es(asked)} de descuento (-{money(saved)}) 🎉"},
        {"text": summary, "attachment": url},
    ]
    assert events == [SlotSet("quote_folio", folio), SlotSet("quote_accepted", None)]
    with session_scope(catalog) as session:
        assert session.scalars(select(HandoffRequest)).first() is None


async def test_a_discount_above_the_limit_gets_the_limit_and_a_person(
    catalog: str, fixed_now: Clock
) -> None:
    fixed_now(WEDNESDAY_10AM)
    limit = branch_limit(catalog, "MTY")
    folio = await send_car_quote("MTY-002")
    _s, _u, before = stored_quote(catalog, folio)
    asked = limit * 100 + 7
    state = discount_request(folio, f"me lo dejas con {asked}% de descuento?", float(asked))
    messages, events = await run_full(ActionRequestQuote(), state)
    summary, url, after = stored_quote(catalog, folio)
    saved = Decimal(before.total) - Decimal(after.total)
    assert Decimal(after.discount_value or 0) == limit * 100  # never more than the limit
    # the bot's percentage rounds down: never a centavo past the limit
    assert saved == (Decimal(before.total) * limit).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    assert messages[0]["text"].startswith(
        f"Lo más que puedo darte yo es {percent_es(limit * 100)} de descuento "
        f"(-{money(saved)}); ya te lo apliqué 🎉. Para lo que me pides, dejé registrada tu "
        f"solicitud para que un asesor revise tu cotización {folio} ✅."
    )
    assert messages[1:] == [{"text": summary, "attachment": url}]
    assert events == [SlotSet("quote_folio", folio), SlotSet("quote_accepted", None)]
    with session_scope(catalog) as session:
        assert session.scalars(select(HandoffRequest.reason)).one() == "discount"


async def test_a_branch_where_only_salespeople_discount(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    assert branch_limit(catalog, "CDMX") == 0
    folio = await send_car_quote("CDMX-001")
    _s, _u, before = stored_quote(catalog, folio)
    state = quote_request(
        {"quote_folio": folio, "selected_vehicle": "CDMX-001"}, text="me haces descuento?"
    )
    messages, _events = await run_full(ActionRequestQuote(), state)
    _s, _u, after = stored_quote(catalog, folio)
    assert after.total == before.total
    assert messages[0]["text"].startswith(
        f"Los descuentos los autoriza un asesor. Dejé registrada tu solicitud para que un "
        f"asesor revise tu cotización {folio} ✅."
    )
    with session_scope(catalog) as session:
        assert session.scalars(select(HandoffRequest.reason)).one() == "discount"


async def test_a_discount_with_many_decimals_keeps_four(catalog: str, fixed_now: Clock) -> None:
    """ "¿Me das 2.12345%?": a quote stores four decimals; the bot gives 2.1234 %."""
    fixed_now(WEDNESDAY_10AM)
    assert branch_limit(catalog, "MTY") * 100 > Decimal("2.12345")
    folio = await send_car_quote("MTY-002")
    _s, _u, before = stored_quote(catalog, folio)
    state = discount_request(folio, "me das 2.12345% de descuento?", 2.12345)
    messages, _events = await run_full(ActionRequestQuote(), state)
    summary, url, after = stored_quote(catalog, folio)
    assert Decimal(after.discount_value or 0) == Decimal("2.1234")
    saved = Decimal(before.total) - Decimal(after.total)
    assert saved == (Decimal(before.total) * Decimal("0.021234")).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN
    )
    assert messages == [
        {"text": f"¡Listo! Te apliqué 2.1234% de descuento (-{money(saved)}) 🎉"},
        {"text": summary, "attachment": url},
    ]


# ------------------------------------------------------------------ asking again
def sell_elsewhere(db_url: str, stock_id: str) -> str:
    """The car is sold to someone else (at the showroom) after it was quoted here; what the
    customer is told (the car as the quote names it)."""
    with session_scope(db_url) as session:
        vehicle = get_vehicle(session, stock_id)
        assert vehicle is not None
        vehicle.status = "sold"
        name = f"{vehicle.title} {vehicle.version}".strip()
    return f"Lo siento, el {name} ya no está disponible (sin existencia)."


async def test_asking_again_for_a_car_sold_meanwhile(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")
    gone = sell_elsewhere(catalog, "MTY-002")
    messages, events = await run_full(
        ActionRequestQuote(), quote_request({"selected_vehicle": "MTY-002"})
    )
    assert [m["text"] for m in messages] == [gone]
    assert not any("attachment" in m for m in messages)  # no PDF of a car that is gone
    assert events == NO_QUESTION
    _s, _u, quote = stored_quote(catalog, folio)
    assert quote.status == "sent" and [e.event for e in quote.events] == ["created", "sent"]


async def test_an_accepted_quote_is_not_resent_once_the_car_is_sold(
    catalog: str, fixed_now: Clock
) -> None:
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")
    await run_full(ActionQuoteDecision(), quote_answer(folio, "si", accepted=True))
    again, _events = await run_full(
        ActionRequestQuote(), quote_request({"selected_vehicle": "MTY-002"})
    )
    assert again[0]["text"].startswith(f"Ya aceptaste la cotización {folio} ✅")  # still there
    gone = sell_elsewhere(catalog, "MTY-002")
    messages, events = await run_full(
        ActionRequestQuote(), quote_request({"selected_vehicle": "MTY-002"})
    )
    assert [m["text"] for m in messages] == [gone]
    assert events == NO_QUESTION
