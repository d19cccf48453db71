"""`validate_financing_form`: price (unless a car was chosen), down payment, term.

- price: an amount, or a car from the list ("el 2") which becomes the selected car;
- down payment: an amount, a percentage of the price, or "sin enganche" (0);
- term: 12–72 months (Settings), re-asked with the allowed range when outside it;
  "lo más largo posible" is the longest.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.common.answers import (
    DOWN_PAYMENT_WORDS,
    PRICE_WORDS,
    TERM_WORDS,
    THOUSANDS_BELOW,
    amount_answer,
    money_answer,
    whole_number_answer,
)
from actions.common.context import latest_intent, latest_text
from actions.common.forms import ShowroomFormValidation
from actions.common.text import means_no_down_payment, term_preference, to_int, to_number
from actions.financing import down_payment_for, price_and_vehicle
from actions.search import vehicle_from_message
from showroom.db.session import session_scope
from showroom.formatting import money
from showroom.settings import get_settings

MIN_PRICE = Decimal(20_000)
MAX_PRICE = Decimal(50_000_000)
AMBIGUOUS_BELOW = Decimal(100)  # "20": 20 % or 20 mil? ask


def _slots(tracker: Tracker) -> dict[str, Any]:
    names = ("fin_price", "down_payment", "down_payment_pct", "term_months", "selected_vehicle")
    return {name: tracker.get_slot(name) for name in names}


def term_range_es() -> str:
    settings = get_settings()
    return f"{settings.financing_min_months} a {settings.financing_max_months} meses"


class ValidateFinancingForm(ShowroomFormValidation):
    HINTS: ClassVar[dict[str, str]] = {
        "fin_price": "Perdón, no identifiqué el precio 🙏.",
        "down_payment": "Perdón, no identifiqué el enganche 🙏.",
        "term_months": "Perdón, no identifiqué el plazo 🙏.",
    }

    def name(self) -> str:
        return "validate_financing_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        uses_car = tracker.get_slot("selected_vehicle") and tracker.get_slot("fin_price") is None
        return [slot for slot in domain_slots if not (slot == "fin_price" and uses_car)]

    # ---------------------------------------------------------------- price
    def extract_fin_price(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "El 2" (or a model name) when asked for the price: that car's price; else a
        price said any way ("350", "1.2", "cuesta 389 mil")."""
        if tracker.get_slot(REQUESTED_SLOT) != "fin_price" or tracker.get_slot("fin_price"):
            return {}
        with session_scope() as session:
            vehicle, _problem = vehicle_from_message(session, tracker)
            if vehicle is not None:
                return {"fin_price": float(vehicle.price_mxn)}
        price = money_answer(tracker, PRICE_WORDS)
        return {"fin_price": float(price)} if price is not None else {}

    def validate_fin_price(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        with session_scope() as session:
            vehicle, _problem = vehicle_from_message(session, tracker)
            if vehicle is not None and to_number(value) == vehicle.price_mxn:
                # a car was chosen: remember it; its own price (and branch rate) apply
                return {"fin_price": None, "selected_vehicle": vehicle.stock_id}
        price = to_number(value)
        if price is not None and 0 < price < THOUSANDS_BELOW:
            price *= 1000
        if price is None or not MIN_PRICE <= price <= MAX_PRICE:
            dispatcher.utter_message(
                text='Ese precio no me cuadra 🤔. Escríbelo así: "350 mil" o "$389,900".'
            )
            return {"fin_price": None}
        return {"fin_price": float(price)}

    # ---------------------------------------------------------------- down payment
    def extract_down_payment(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("down_payment") is not None:
            return {}
        text = latest_text(tracker)
        asked = tracker.get_slot(REQUESTED_SLOT) == "down_payment"
        if means_no_down_payment(text) or (asked and latest_intent(tracker) == "deny"):
            return {"down_payment": 0.0}
        if tracker.get_slot("down_payment_pct") is not None:
            with session_scope() as session:
                price, _vehicle = price_and_vehicle(session, _slots(tracker))
            down = down_payment_for(price, _slots(tracker))
            if down is not None:
                return {"down_payment": float(down)}
        if asked:
            # any amount answers the question ("tengo 80 mil"); a bare "20" stays 20 and
            # validate_down_payment asks whether it is $20,000 or 20%
            amount = amount_answer(tracker, DOWN_PAYMENT_WORDS)
            if amount is not None:
                return {"down_payment": float(amount)}
        return {}

    def validate_down_payment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        amount = to_number(value)
        percent_given = tracker.get_slot("down_payment_pct") is not None
        if amount is None or amount < 0:
            return {"down_payment": None}
        if amount == 0:
            return {"down_payment": 0.0, "down_payment_pct": None}
        if 0 < amount < AMBIGUOUS_BELOW and not percent_given:
            shown = f"{amount.normalize():f}"
            dispatcher.utter_message(
                text=f'¿Son {money(amount * 1000)} o {shown}%? Escríbelo así: "{shown} mil" '
                f'o "{shown}%".'
            )
            return {"down_payment": None}
        if amount < THOUSANDS_BELOW and amount > 0 and not percent_given:
            amount *= 1000
        with session_scope() as session:
            price, _vehicle = price_and_vehicle(session, _slots(tracker))
        if price is not None and amount >= price:
            dispatcher.utter_message(
                text=f"El enganche tiene que ser menor al precio ({money(price)}) 🙏."
            )
            return {"down_payment": None, "down_payment_pct": None}
        return {"down_payment": float(amount)}

    # ---------------------------------------------------------------- term
    def extract_term_months(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot(REQUESTED_SLOT) != "term_months" or tracker.get_slot("term_months"):
            return {}
        preference = term_preference(latest_text(tracker))
        settings = get_settings()
        if preference == "longest":
            return {"term_months": float(settings.financing_max_months)}
        if preference == "shortest":
            return {"term_months": float(settings.financing_min_months)}
        months = whole_number_answer(tracker, TERM_WORDS)  # "48", "unos 36"
        return {"term_months": float(months)} if months is not None else {}

    def validate_term_months(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        settings = get_settings()
        months = to_int(value)
        if months is None or not settings.financing_min_months <= months <= (
            settings.financing_max_months
        ):
            dispatcher.utter_message(
                text=f"Manejamos plazos de {term_range_es()}, en meses enteros 🙏."
            )
            return {"term_months": None}
        return {"term_months": float(months)}
