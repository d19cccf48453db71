"""What else can happen to a quote in the chat: a financing simulation rides along to the
quote and its PDF; a quote the bot cannot build asks a person (recorded, said honestly); a
"sí" to a quote that expired, was cancelled, is already a sale or changed since it was sent
says what is true and what the customer can do.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

from actions_kit import action_event, entity, tracker
from pypdf import PdfReader
from rasa_sdk.events import SlotSet
from sqlalchemy import select
from test_action_quotes import (
    NO_QUESTION,
    PHONE,
    SENDER,
    WEDNESDAY_10AM,
    Clock,
    quote_answer,
    quote_request,
    run_full,
    send_car_quote,
    stored_quote,
)

from actions.financing import ActionSimulateFinancing
from actions.handoff import when_a_person_answers_es
from actions.quote import ActionRequestQuote
from actions.quote_decision import ActionQuoteDecision
from showroom.db.models.inventory import Branch
from showroom.db.models.leads import HandoffRequest
from showroom.db.session import session_scope
from showroom.formatting import money
from showroom.inventory.branches import annual_rate, get_branch
from showroom.sales.financing import down_payment_from_percent, simulate
from showroom.sales.quotes import (
    Actor,
    Discount,
    accept_quote,
    add_salesperson,
    apply_discount,
    cancel_quote,
    confirm_quote,
    get_quote,
    quote_pdf,
)
from showroom.sales.quotes.pdf import amount

HUMAN = {"title": "Hablar con un asesor", "payload": "/request_human"}
AGAIN = {"title": "Cotizar de nuevo", "payload": "/request_quote"}


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"[ \t]+", " ", "\n".join(page.extract_text() or "" for page in reader.pages))


def handoffs(db_url: str) -> list[tuple[str, str | None]]:
    """(reason, branch code) of every handoff request, oldest first."""
    with session_scope(db_url) as session:
        rows = session.execute(
            select(HandoffRequest.reason, Branch.code)
            .outerjoin(Branch, Branch.id == HandoffRequest.branch_id)
            .order_by(HandoffRequest.id)
        ).all()
        return [(reason, code) for reason, code in rows]


# ------------------------------------------------------------------ financing
async def test_the_simulation_done_in_the_chat_is_attached_to_the_quote(
    catalog: str, fixed_now: Clock
) -> None:
    fixed_now(WEDNESDAY_10AM)
    chosen = {"selected_vehicle": "MTY-002", "down_payment_pct": 20.0, "term_months": 48.0}
    _messages, simulated = await run_full(ActionSimulateFinancing(), tracker(chosen))
    terms = next(e["value"] for e in simulated if e["name"] == "financing_terms")
    state = quote_request(
        {**chosen, "financing_terms": terms},
        text="cotizamelo con el financiamiento",
        before=[action_event("action_simulate_financing"), SlotSet("financing_terms", terms)],
    )
    messages, events = await run_full(ActionRequestQuote(), state)
    folio = next(e["value"] for e in events if e["name"] == "quote_folio")
    summary, url, quote = stored_quote(catalog, folio)
    assert messages == [{"text": summary, "attachment": url}]
    with session_scope(catalog) as session:
        rate = annual_rate(get_branch(session, "MTY"))
        pdf = pdf_text(quote_pdf(get_quote(session, folio), now=WEDNESDAY_10AM))
    total = Decimal(quote.total)
    plan = simulate(total, down_payment_from_percent(total, 20), 48, rate)
    assert quote.financing is not None
    assert quote.financing["months"] == 48
    assert Decimal(quote.financing["down_payment"]) == plan.down_payment
    assert Decimal(quote.financing["monthly_payment"]) == plan.monthly_payment
    assert (
        f"Financiamiento: enganche {money(plan.down_payment)} y 48 pagos mensuales de "
        f"{money(plan.monthly_payment)}"
    ) in summary
    assert "Financiamiento (simulación)" in pdf and "48 meses" in pdf
    assert amount(plan.monthly_payment) in pdf and amount(plan.down_payment) in pdf

    # a discount afterwards: the 20 % down payment follows the new price
    discount = quote_request(
        {**chosen, "financing_terms": terms, "quote_folio": folio},
        text="me das 2% de descuento?",
        entities=[entity("percent", 2)],
    )
    await run_full(ActionRequestQuote(), discount)
    _summary, _url, discounted = stored_quote(catalog, folio)
    assert discounted.financing is not None
    new_total = Decimal(discounted.total)
    assert new_total < total
    assert Decimal(discounted.financing["down_payment"]) == down_payment_from_percent(new_total, 20)


async def test_a_simulation_for_another_car_is_not_attached(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    other = {"selected_vehicle": "CDMX-001", "down_payment_pct": 20.0, "term_months": 48.0}
    _messages, simulated = await run_full(ActionSimulateFinancing(), tracker(other))
    terms = next(e["value"] for e in simulated if e["name"] == "financing_terms")
    state = quote_request({"selected_vehicle": "MTY-002", "financing_terms": terms})
    _messages, events = await run_full(ActionRequestQuote(), state)
    folio = next(e["value"] for e in events if e["name"] == "quote_folio")
    assert stored_quote(catalog, folio)[2].financing is None


# ------------------------------------------------------------------ a quote the bot cannot build
async def test_a_quote_the_bot_cannot_build_asks_a_person(
    parts_catalog: str, fixed_now: Clock
) -> None:
    """A part only the MTY branch sells, asked for in a chat with the CDMX branch: no quote;
    a handoff request for CDMX is recorded and the customer is told when it attends."""
    fixed_now(WEDNESDAY_10AM)
    chosen = [{"sku": "FIL-V1", "qty": 1}]
    state = tracker(
        {"chosen_parts": chosen},
        text="cotizamelo",
        intent="request_quote",
        metadata={**PHONE, "branch": "CDMX"},
        sender_id=SENDER,
        before=[action_event("action_search_parts"), SlotSet("chosen_parts", chosen)],
    )
    messages, events = await run_full(ActionRequestQuote(), state)
    with session_scope(parts_catalog) as session:
        next_step = when_a_person_answers_es(get_branch(session, "CDMX"), reachable=True)
    assert messages == [
        {
            "text": "No pude completar la cotización. Dejé registrada tu solicitud para que un "
            f"asesor te ayude con la cotización ✅. {next_step}"
        }
    ]
    assert "en un momento" not in messages[0]["text"]
    assert events == NO_QUESTION
    assert handoffs(parts_catalog) == [("quote", "CDMX")]


# ------------------------------------------------------------------ a "sí" that cannot count
async def test_yes_to_an_expired_quote(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")
    fixed_now(WEDNESDAY_10AM + timedelta(days=30))
    messages, events = await run_full(
        ActionQuoteDecision(), quote_answer(folio, "si", accepted=True)
    )
    assert messages == [
        {
            "text": f"Tu cotización {folio} ya venció, así que ya no puedo registrarla como "
            "aceptada. Si todavía te interesa, pídeme una cotización nueva y te la hago con el "
            "precio y la existencia de hoy.",
            "buttons": [AGAIN, HUMAN],
        }
    ]
    assert events == NO_QUESTION
    assert stored_quote(catalog, folio)[2].status == "sent"  # the sweep marks it expired
    assert handoffs(catalog) == []
    # "no" to it: not said to stay valid
    declined, _events = await run_full(
        ActionQuoteDecision(), quote_answer(folio, "no gracias", accepted=False)
    )
    assert [m["text"] for m in declined] == [
        "Va, sin problema 👍. Si más adelante te interesa, pídeme una cotización nueva y te la "
        "hago con el precio y la existencia de ese día."
    ]


async def test_yes_to_a_cancelled_quote(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")
    with session_scope(catalog) as session:
        ana = add_salesperson(session, "MTY", "Ana López")
        cancel_quote(session, get_quote(session, folio), actor=Actor.salesperson(ana.id))
    messages, _events = await run_full(
        ActionQuoteDecision(), quote_answer(folio, "si, la quiero", accepted=True)
    )
    assert messages == [
        {
            "text": f"La cotización {folio} fue cancelada, así que ya no se puede aceptar. Si "
            "todavía te interesa, pídeme una cotización nueva o habla con un asesor.",
            "buttons": [AGAIN, HUMAN],
        }
    ]
    assert stored_quote(catalog, folio)[2].status == "cancelled"


async def test_yes_to_a_quote_already_sold(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")
    with session_scope(catalog) as session:
        ana = add_salesperson(session, "MTY", "Ana López")
        quote = get_quote(session, folio)
        accept_quote(session, quote, actor=Actor.salesperson(ana.id))  # by phone
        confirm_quote(session, quote, ana)
    messages, _events = await run_full(
        ActionQuoteDecision(), quote_answer(folio, "si", accepted=True)
    )
    assert messages == [
        {
            "text": f"La cotización {folio} ya se convirtió en venta, así que no hace falta "
            "aceptarla otra vez. Si tienes dudas sobre tu compra, habla con un asesor.",
            "buttons": [HUMAN],
        }
    ]
    assert stored_quote(catalog, folio)[2].status == "confirmed"


async def test_yes_to_a_quote_changed_since_it_was_sent(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    folio = await send_car_quote("MTY-002")
    with session_scope(catalog) as session:
        ana = add_salesperson(session, "MTY", "Ana López")
        quote = get_quote(session, folio)
        apply_discount(session, quote, Discount.percent(4), actor=Actor.salesperson(ana.id))
    messages, _events = await run_full(
        ActionQuoteDecision(), quote_answer(folio, "si", accepted=True)
    )
    assert messages == [
        {
            "text": f"La cotización {folio} tuvo cambios desde que te la mandé. Pídemela otra "
            'vez (por ejemplo "mándame la cotización") para ver cómo quedó y aceptarla.',
            "buttons": [HUMAN],
        }
    ]
    assert stored_quote(catalog, folio)[2].status == "draft"
