"""`action_request_quote`: "¿cuánto sale con todo?", "cotízame el Jetta", "¿me haces descuento?".

A quote is built from what the customer chose in this conversation: the parts they picked
(`chosen_parts`, with quantities) when the conversation is about parts, else the car named
in the message or chosen (`selected_vehicle`). Nothing chosen: the bot asks what to quote.
A financing simulation the customer ran for that car (`financing_terms`) is attached. The
customer gets a short summary and the PDF (WhatsApp media through the gateway, a signed
expiring link under PUBLIC_BASE_URL); the quote is marked sent, and `quote_decision_form`
asks whether they want it (actions/quote_decision.py).

Asking again for the same items resends the open quote (same folio) instead of making a
new one, after checking its stock again: a unit sold meanwhile is not offered (the customer
is told it is gone). A discount request applies to the open quote (actions/quote_discount.py)
and the quote is sent again whenever it changed (or is a draft: a sent quote that was
revised must reach the customer again before a "sí" can accept it). A quote the bot cannot
build for a reason the customer cannot fix records a handoff request and says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import clock
from actions.common.context import (
    conversation_branch,
    conversation_key,
    current_customer,
    entity_names,
    latest_text,
    log_id,
    selected_vehicle,
)
from actions.common.errors import apologise_on_failure
from actions.common.flow import last_flow
from actions.handoff import handoff_branch
from actions.parts_choice import apply_pick, chosen_parts, message_pick
from actions.quote_discount import DiscountOutcome, give_discount, wants_discount
from actions.quote_handoff import HUMAN_BUTTON, refer_to_person
from actions.search import vehicle_from_message
from showroom.db.models.inventory import Branch
from showroom.db.models.sales import Quote
from showroom.db.session import session_scope
from showroom.sales.financing import FinancingError
from showroom.sales.quotes import (
    QuoteError,
    QuoteItem,
    attach_financing,
    check_quote_stock,
    create_quote,
    latest_open_quote,
    mark_sent,
    quote_summary_es,
    signed_pdf_url,
)
from showroom.settings import get_settings

log = logging.getLogger(__name__)

ASK_WHAT = "¿Qué te cotizo? Dime qué auto o qué pieza buscas y te armo la cotización."
ASK_WHICH_CAR = "¿De qué auto quieres la cotización? Elige uno de la lista o dime marca y modelo."
ASK_WHICH_PART = (
    '¿Qué pieza te cotizo? Dime su número de la lista y cuántas (por ejemplo "la 2, dame 4").'
)
WHAT_BUTTONS = [{"title": "Buscar auto", "payload": "/search_vehicle"}]


@dataclass
class Order:
    """What to quote, and the slot changes choosing it implied."""

    items: list[QuoteItem]
    branch: Branch | None
    events: list[EventType] = field(default_factory=list)
    stock_id: str | None = None  # the car, for a vehicle quote


def _parts_order(
    dispatcher: CollectingDispatcher, tracker: Tracker, session: Session
) -> Order | None:
    chosen = chosen_parts(tracker)
    events: list[EventType] = []
    pick = message_pick(tracker)
    if not pick.is_empty and tracker.get_slot("shown_parts"):
        updated = apply_pick(dispatcher, tracker, pick, confirm=False)  # "cotízame 4 de la 2"
        if updated is None:
            return None
        chosen = updated
        events.append(SlotSet("chosen_parts", chosen))
    if not chosen:
        dispatcher.utter_message(
            text=ASK_WHICH_PART if tracker.get_slot("shown_parts") else ASK_WHAT
        )
        return None
    items = [QuoteItem.part(item["sku"], item["qty"]) for item in chosen]
    return Order(items, conversation_branch(session, tracker), events)


def _vehicle_order(
    dispatcher: CollectingDispatcher, tracker: Tracker, session: Session
) -> Order | None:
    named, problem = vehicle_from_message(session, tracker)
    if problem:
        dispatcher.utter_message(text=problem)
        return None
    vehicle = named or selected_vehicle(session, tracker)
    if vehicle is None:
        shown = tracker.get_slot("shown_vehicles")
        dispatcher.utter_message(text=ASK_WHICH_CAR if shown else ASK_WHAT, buttons=WHAT_BUTTONS)
        return None
    events: list[EventType] = []
    if vehicle.stock_id != tracker.get_slot("selected_vehicle"):
        events = [SlotSet("selected_vehicle", vehicle.stock_id), SlotSet("fin_price", None)]
    return Order([QuoteItem.vehicle(vehicle.stock_id)], vehicle.branch, events, vehicle.stock_id)


def what_to_quote(
    dispatcher: CollectingDispatcher, tracker: Tracker, session: Session
) -> Order | None:
    """The items the customer chose; None when the customer was asked what to quote."""
    about_parts = (
        last_flow(tracker) == "parts"
        or "part" in entity_names(tracker)
        or (bool(chosen_parts(tracker)) and not tracker.get_slot("selected_vehicle"))
    )
    if about_parts:
        return _parts_order(dispatcher, tracker, session)
    return _vehicle_order(dispatcher, tracker, session)


def _same_items(quote: Quote, items: list[QuoteItem]) -> bool:
    wanted = sorted(((item.stock_id or item.sku or "").upper(), item.quantity) for item in items)
    quoted = sorted((line.reference.upper(), line.quantity) for line in quote.lines)
    return wanted == quoted


def attach_simulation(session: Session, tracker: Tracker, quote: Quote, stock_id: str) -> None:
    """The financing the customer simulated for this car (or for a price they typed)."""
    terms = tracker.get_slot("financing_terms")
    if quote.financing or not isinstance(terms, dict) or not terms.get("months"):
        return
    if terms.get("stock_id") not in (None, stock_id):
        return  # simulated for another car
    try:
        if terms.get("down_percent") is not None:
            attach_financing(
                session,
                quote,
                months=int(terms["months"]),
                down_percent=terms["down_percent"],
                now=clock.now(),
            )
        else:
            attach_financing(
                session,
                quote,
                months=int(terms["months"]),
                down_payment=terms.get("down_payment") or 0,
                now=clock.now(),
            )
    except (FinancingError, QuoteError, ValueError) as exc:
        log.info("financing not attached folio=%s reason=%s", quote.folio, type(exc).__name__)


def quote_for(session: Session, tracker: Tracker, order: Order) -> Quote:
    """The open quote with exactly these items (sent again, after its stock is checked:
    `send`), else a new one."""
    key = conversation_key(tracker)
    now = clock.now()
    open_quote = latest_open_quote(session, conversation_key=key, now=now)
    if open_quote is not None and _same_items(open_quote, order.items):
        quote = open_quote
    else:
        quote = create_quote(
            session,
            order.items,
            branch=order.branch,
            customer=current_customer(session, tracker),
            conversation_key=key,
            now=now,
        )
    if order.stock_id:
        attach_simulation(session, tracker, quote, order.stock_id)
    return quote


class ActionRequestQuote(Action):
    def name(self) -> str:
        return "action_request_quote"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        no_question: list[EventType] = [
            SlotSet("quote_folio", None),
            SlotSet("quote_accepted", None),
        ]
        discount = wants_discount(latest_text(tracker))
        now = clock.now()
        with session_scope() as session:
            quote = (
                latest_open_quote(session, conversation_key=conversation_key(tracker), now=now)
                if discount
                else None
            )
            order: Order | None = None
            if quote is None:
                order = what_to_quote(dispatcher, tracker, session)
                if order is None:
                    return no_question
            fresh = quote is None
            try:
                if quote is None and order is not None:
                    quote = quote_for(session, tracker, order)
                assert quote is not None
                outcome = give_discount(tracker, session, quote, now) if discount else None
                # a draft is a quote that changed since the customer got it: send it again
                send = fresh or outcome is None or outcome.applied or quote.status == "draft"
                if send:
                    self._send(session, quote, now)
            except QuoteError as exc:
                session.rollback()
                log.info("quote refused conversation=%s reason=%s", log_id(tracker), exc)
                self._refused(dispatcher, tracker, session, exc)
                return no_question
            pieces = self._messages(session, tracker, quote, outcome, send)
            folio, accepted = quote.folio, quote.status == "accepted"
            log.info("quote sent conversation=%s folio=%s", log_id(tracker), folio)
        for piece in pieces:
            dispatcher.utter_message(**piece)
        events = list(order.events) if order else []
        if accepted:
            return events + no_question
        return [*events, SlotSet("quote_folio", folio), SlotSet("quote_accepted", None)]

    @staticmethod
    def _send(session: Session, quote: Quote, now: datetime) -> None:
        """Offer the quote (again) only while everything on it is in stock (`OutOfStock`
        otherwise: a unit sold since it was quoted is never re-offered). `mark_sent` checks
        it; an accepted quote is resent as it is, so its stock is checked here."""
        if quote.status in ("draft", "sent"):
            mark_sent(session, quote, now=now)
        else:
            check_quote_stock(session, quote)

    @staticmethod
    def _refused(
        dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, exc: QuoteError
    ) -> None:
        """What went wrong; when the customer cannot fix it, a person is asked to help."""
        if not exc.needs_person:
            dispatcher.utter_message(text=exc.message_es, buttons=[HUMAN_BUTTON])
            return
        next_step = refer_to_person(session, tracker, handoff_branch(session, tracker), "quote")
        dispatcher.utter_message(
            text=f"{exc.message_es} Dejé registrada tu solicitud para que un asesor te ayude "
            f"con la cotización ✅. {next_step}"
        )

    @staticmethod
    def _messages(
        session: Session,
        tracker: Tracker,
        quote: Quote,
        outcome: DiscountOutcome | None,
        send: bool,
    ) -> list[dict[str, Any]]:
        """What the customer gets: the discount's news, the summary with the PDF."""
        pieces: list[dict[str, Any]] = []
        if outcome is not None:
            text = outcome.message
            if outcome.needs_person:
                next_step = refer_to_person(
                    session, tracker, quote.branch, "discount", quote.customer
                )
                text += f" {next_step}"
            pieces.append({"text": text})
            if not send:
                return pieces
        if quote.status == "accepted":
            pieces.append(
                {
                    "text": f"Ya aceptaste la cotización {quote.folio} ✅; un asesor te contactará "
                    "para confirmar la disponibilidad. Aquí te la mando otra vez:"
                }
            )
        url = signed_pdf_url(quote, get_settings().public_base_url, now=clock.now())
        pieces.append({"text": quote_summary_es(quote, now=clock.now()), "attachment": url})
        return pieces
