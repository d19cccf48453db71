"""Trade-in ("toma a cuenta"): the customer's car (brand, model, year, km) becomes a lead.

No price is ever given here: an appraiser has to see the car. The lead is stored for the
branch's appraisers (`showroom leads list --kind trade_in`), who contact the customer;
the customer is told only that (actions/handoff.py `when_a_person_answers_es`).
Brands and models we don't sell are not in the NLU's lookup tables, so the form also takes
them from the text.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.common.answers import KM_WORDS, amount_answer
from actions.common.context import (
    conversation_branch,
    current_customer,
    latest_text,
    log_id,
)
from actions.common.errors import apologise_on_failure
from actions.common.forms import ShowroomFormValidation
from actions.common.interruptions import offer_to_resume
from actions.common.text import to_int, vehicle_words, year_in
from actions.handoff import when_a_person_answers_es
from showroom.db.session import session_scope
from showroom.formatting import km
from showroom.inventory.vocabulary import canonical_brand
from showroom.sales.leads import record_trade_in

log = logging.getLogger(__name__)

TRADE_IN_SLOTS = ("tradein_brand", "tradein_model", "tradein_year", "tradein_km")
OLDEST_YEAR = 1980
MAX_KM = 1_500_000


def newest_year() -> int:
    return date.today().year + 1


class ValidateTradeInForm(ShowroomFormValidation):
    HINTS: ClassVar[dict[str, str]] = {
        "tradein_brand": "Perdón, no identifiqué la marca 🙏.",
        "tradein_model": "Perdón, no identifiqué el modelo 🙏.",
        "tradein_year": 'Perdón, no identifiqué el año 🙏. Escríbelo así: "2015".',
        "tradein_km": 'Aunque sea aproximado, ¿cuántos kilómetros tiene? Por ejemplo: "80 mil".',
    }

    def name(self) -> str:
        return "validate_trade_in_form"

    def extract_tradein_year(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot(REQUESTED_SLOT) != "tradein_year" or tracker.get_slot("tradein_year"):
            return {}  # not asked, or the NLU's `year` already filled it
        year = year_in(latest_text(tracker))
        return {"tradein_year": float(year)} if year else {}

    def extract_tradein_km(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot(REQUESTED_SLOT) != "tradein_km" or tracker.get_slot("tradein_km"):
            return {}  # not asked, or the NLU's `km` already filled it
        value = amount_answer(tracker, KM_WORDS)  # "80 mil", "como 80" (validate: thousands)
        return {"tradein_km": float(value)} if value is not None else {}

    def validate_tradein_brand(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        words = vehicle_words(str(value)) if value else None
        return {"tradein_brand": canonical_brand(words) if words else None}

    def validate_tradein_model(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        words = vehicle_words(str(value)) if value else None
        brand = tracker.get_slot("tradein_brand")
        if words and isinstance(brand, str) and words.casefold().startswith(brand.casefold() + " "):
            words = words[len(brand) + 1 :]  # "Nissan Versa" -> "Versa"
        return {"tradein_model": words}

    def validate_tradein_year(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        year = to_int(value)
        if year is None or not OLDEST_YEAR <= year <= newest_year():
            dispatcher.utter_message(
                text=f"El año debe estar entre {OLDEST_YEAR} y {newest_year()} 🙏. ¿De qué año es?"
            )
            return {"tradein_year": None}
        return {"tradein_year": float(year)}

    def validate_tradein_km(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        kilometres = to_int(value)
        if kilometres is not None and 0 < kilometres < 1000:
            kilometres *= 1000  # "tiene 80" means 80 mil
        if kilometres is None or not 0 <= kilometres <= MAX_KM:
            dispatcher.utter_message(
                text='Ese kilometraje no me cuadra 🤔. Escríbelo así: "80 mil km".'
            )
            return {"tradein_km": None}
        return {"tradein_km": float(kilometres)}


class ActionRegisterTradeIn(Action):
    def name(self) -> str:
        return "action_register_trade_in"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        brand = str(tracker.get_slot("tradein_brand") or "")
        model = str(tracker.get_slot("tradein_model") or "")
        year = to_int(tracker.get_slot("tradein_year"))
        kilometres = to_int(tracker.get_slot("tradein_km"))
        if not brand or not model or year is None or kilometres is None:
            dispatcher.utter_message(
                text="Me faltaron datos de tu auto 🙏. ¿Lo intentamos de nuevo?"
            )
            return [SlotSet(name, None) for name in TRADE_IN_SLOTS]
        with session_scope() as session:
            branch = conversation_branch(session, tracker)
            customer = current_customer(session, tracker)
            lead = record_trade_in(session, customer, branch, brand, model, year, kilometres)
            next_step = when_a_person_answers_es(
                branch,
                who="un valuador",
                reachable=customer.phone is not None,
                purpose=" para agendar la revisión",
            )
            dispatcher.utter_message(
                text=f"¡Gracias! Registré tu {brand} {model} {year} con {km(kilometres)} ✅.\n"
                f"{next_step} La oferta depende de revisar el auto en persona, por eso no te "
                "doy una cifra por aquí."
            )
            log.info("trade-in recorded conversation=%s lead=%s", log_id(tracker), lead.id)
        return [SlotSet(name, None) for name in TRADE_IN_SLOTS] + offer_to_resume(tracker)
