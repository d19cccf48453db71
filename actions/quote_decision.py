"""After the quote: "¿Te interesa?" (`quote_decision_form`), then `action_quote_decision`.

The form asks only while a quote just sent waits for an answer (`quote_folio`); when no
quote was sent (nothing chosen, out of stock) it ends at once and the action does nothing.

- "Sí, la quiero" → the quote is accepted (stock checked again) and a handoff request is
  recorded for the quote's branch: the customer is told, honestly, that a salesperson will
  confirm availability and write to them (the sale happens when the salesperson confirms),
  and until when the price holds (the quote's validity, extended on acceptance by
  `QUOTE_ACCEPTED_HOLD_DAYS`; stock is not held).
- "No" → nothing is cancelled: the quote stays valid until its date, and the customer is
  told so (a quote no longer open, expired or cancelled, is not said to be valid).
- A "sí" the quote cannot take (it expired, was cancelled, is already a sale, or changed
  since it was sent) gets what is true and what the customer can do (`IllegalTransition`'s
  message for "accept"); a problem only a person can solve records a handoff request.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.common import clock
from actions.common.context import latest_text, log_id
from actions.common.errors import apologise_on_failure
from actions.common.forms import YesNoQuestionValidation
from actions.common.text import folded
from actions.quote_handoff import HUMAN_BUTTON, refer_to_person
from showroom.db.models.sales import Quote
from showroom.db.session import session_scope
from showroom.sales.quotes import IllegalTransition, QuoteError, accept_quote, get_quote
from showroom.sales.quotes.summary import day_es
from showroom.sales.quotes.validity import OPEN_STATUSES, effective_status, last_valid_day

log = logging.getLogger(__name__)

QUESTION = (
    "¿Te interesa? Si me dices que sí, registro tu solicitud para que un asesor confirme "
    "la disponibilidad y te contacte para cerrar la compra."
)
YES_NO = [
    {"title": "Sí, la quiero", "payload": "/affirm"},
    {"title": "No, gracias", "payload": "/deny"},
]
QUOTE_AGAIN = {"title": "Cotizar de nuevo", "payload": "/request_quote"}
_ACCEPTS = re.compile(
    r"\b(?:(?:la|lo|las|los) quiero|me (?:la|lo|las|los) (?:quedo|llevo)|(?:la |lo )?acepto|"
    r"trato hecho|cerramos|aparta(?:la|lo|mel[ao])|adelante con (?:la|el) (?:compra|pedido))\b"
)
_DECLINES = re.compile(
    r"\b(?:no gracias|ya no|no (?:la|lo|las|los) quiero|no (?:la |lo )?acepto|no me interesa|"
    r"(?:lo|la) (?:voy a )?"
    r"pensar|lo pienso|luego te (?:digo|aviso)|despues te (?:digo|aviso)|todavia no|"
    r"por ahora no|ahorita no)\b"
)


class ValidateQuoteDecisionForm(YesNoQuestionValidation):
    ANSWER_SLOT = "quote_accepted"
    WAITING_ON = "quote_folio"

    def name(self) -> str:
        return "validate_quote_decision_form"

    def extract_quote_accepted(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "La quiero", "me la quedo" (often read as choose_option) and "lo voy a pensar"."""
        if not self.awaiting_answer(tracker):
            return {}
        text = folded(latest_text(tracker))
        if _DECLINES.search(text):
            return {"quote_accepted": False}
        if _ACCEPTS.search(text):
            return {"quote_accepted": True}
        return {}

    def validate_quote_accepted(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"quote_accepted": bool(value) if value is not None else None}


class ActionAskQuoteAccepted(Action):
    def name(self) -> str:
        return "action_ask_quote_accepted"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=QUESTION, buttons=YES_NO)
        return []


class ActionQuoteDecision(Action):
    """The customer's answer to the quote."""

    def name(self) -> str:
        return "action_quote_decision"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        folio = tracker.get_slot("quote_folio")
        accepted = tracker.get_slot("quote_accepted")
        if not isinstance(folio, str) or accepted is None:
            return []
        done: list[EventType] = [SlotSet("quote_folio", None), SlotSet("quote_accepted", None)]
        now = clock.now()
        with session_scope() as session:
            try:
                quote = get_quote(session, folio)
                if not accepted:
                    dispatcher.utter_message(text=_declined_es(quote, now))
                    log.info("quote declined conversation=%s folio=%s", log_id(tracker), folio)
                    return done
                accept_quote(session, quote, now=now)
            except QuoteError as exc:
                session.rollback()
                log.info("quote not accepted conversation=%s reason=%s", log_id(tracker), exc)
                _not_accepted(dispatcher, tracker, session, exc, folio)
                return done
            next_step = refer_to_person(
                session, tracker, quote.branch, "quote_accepted", quote.customer
            )
            held = day_es(last_valid_day(quote))
            dispatcher.utter_message(
                text=f"¡Excelente! 🎉 Registré que aceptas la cotización {folio}. Antes de "
                f"cerrar la venta, un asesor tiene que confirmar la disponibilidad. {next_step} "
                f"El precio se respeta hasta el {held}, sujeto a disponibilidad."
            )
            had_parts = any(line.item_type == "part" for line in quote.lines)
            log.info("quote accepted conversation=%s folio=%s", log_id(tracker), folio)
        return done + ([SlotSet("chosen_parts", None)] if had_parts else [])


def _declined_es(quote: Quote, now: datetime) -> str:
    """ "No": an open quote stays valid until its date; a closed one is not said to be."""
    if effective_status(quote, now) in OPEN_STATUSES:
        return (
            f"Va, sin problema 👍. Tu cotización {quote.folio} queda vigente hasta el "
            f"{day_es(last_valid_day(quote))}. Si cambias de opinión o quieres ajustar algo, "
            "aquí estoy."
        )
    return (
        "Va, sin problema 👍. Si más adelante te interesa, pídeme una cotización nueva y te la "
        "hago con el precio y la existencia de ese día."
    )


def _not_accepted(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    session: Session,
    exc: QuoteError,
    folio: str,
) -> None:
    """Why the "sí" did not count and what the customer can do; a person when only a
    person can help."""
    if exc.needs_person:
        quote = session.scalar(select(Quote).where(Quote.folio == folio))
        branch = quote.branch if quote is not None else None
        next_step = refer_to_person(session, tracker, branch, "quote_accepted")
        dispatcher.utter_message(
            text=f"{exc.message_es} Dejé registrada tu solicitud para que un asesor te ayude "
            f"con la cotización {folio} ✅. {next_step}"
        )
        return
    closed = isinstance(exc, IllegalTransition) and exc.status in ("expired", "cancelled")
    buttons = [QUOTE_AGAIN, HUMAN_BUTTON] if closed else [HUMAN_BUTTON]
    dispatcher.utter_message(text=exc.message_es, buttons=buttons)
