"""`validate_vehicle_search_form`: ask only what is missing.

- body type: not asked when a brand or model was given ("busco un Toyota"); "me da igual"
  means any;
- budget: not asked when a model was given ("¿tienes Jetta?" shows Jettas); "no importa",
  "sin límite" or a plain "no" mean no limit (stored as 0); a bare number is thousands
  ("como unos 320") or, below 10, millions ("1.2").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.common.answers import BUDGET_WORDS, THOUSANDS_BELOW, money_answer
from actions.common.context import latest_intent, latest_text
from actions.common.forms import ShowroomFormValidation
from actions.common.text import is_indifferent, to_number
from showroom.inventory.vocabulary import canonical_value

MIN_BUDGET = Decimal(20_000)
MAX_BUDGET = Decimal(50_000_000)


def budget_value(value: Any) -> float | None:
    """The budget in MXN (0: no limit); None when it is not a sensible amount."""
    number = to_number(value)
    if number is None or number < 0:
        return None
    if number == 0:
        return 0.0
    if number < THOUSANDS_BELOW:
        number *= 1000
    if not MIN_BUDGET <= number <= MAX_BUDGET:
        return None
    return float(number)


class ValidateVehicleSearchForm(ShowroomFormValidation):
    HINTS: ClassVar[dict[str, str]] = {
        "body_type": "Perdón, no identifiqué el tipo de auto 🙏.",
        "budget": "Perdón, no identifiqué el monto 🙏.",
    }

    def name(self) -> str:
        return "validate_vehicle_search_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        required = []
        if not (tracker.get_slot("brand") or tracker.get_slot("model")):
            required.append("body_type")
        if not tracker.get_slot("model"):
            required.append("budget")
        return required

    def extract_body_type(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot(REQUESTED_SLOT) != "body_type" or tracker.get_slot("body_type"):
            return {}
        return {"body_type": "any"} if is_indifferent(latest_text(tracker)) else {}

    def extract_budget(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot(REQUESTED_SLOT) != "budget" or tracker.get_slot("budget") is not None:
            return {}
        if latest_intent(tracker) == "deny" or is_indifferent(latest_text(tracker)):
            return {"budget": 0.0}
        # "como unos 320", "hasta 1.2", or an amount said with another role ("tengo 300 mil")
        budget = money_answer(tracker, BUDGET_WORDS)
        return {"budget": float(budget)} if budget is not None else {}

    def validate_body_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == "any":
            return {"body_type": "any"}
        canonical = canonical_value("body_type", str(value)) if value else None
        if canonical is None:
            dispatcher.utter_message(text="Ese tipo de auto no lo manejo 🙏.")
        return {"body_type": canonical}

    def validate_budget(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        budget = budget_value(value)
        if budget is None:
            dispatcher.utter_message(
                text='Ese monto no me cuadra 🤔. Escríbelo así: "300 mil" o "$350,000".'
            )
        return {"budget": budget}
