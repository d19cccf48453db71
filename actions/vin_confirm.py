""" "Nissan, año modelo 2019, armado en México. ¿Es tu vehículo?" and what the answer does.

`vin_confirm_form` asks only while a VIN waits for confirmation (`pending_vin`); when the
VIN could not be used the form ends at once and `action_use_vin` does nothing. "Sí" keeps
the VIN and hands the decoded brand and model year to the parts search (searching the part
the customer asked for, if any); "no" forgets it, and a vehicle named in the answer ("no,
es un Versa 2016") is used instead.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.context import latest_intent, latest_text, log_id
from actions.common.errors import apologise_on_failure
from actions.common.forms import YesNoQuestionValidation
from actions.common.text import folded
from actions.parts import CarForParts, remembered_vehicle, search_and_present, vehicle_in_message
from showroom.inventory.vocabulary import text_key
from showroom.vin.decode import decode, describe_es

log = logging.getLogger(__name__)

YES_NO = [
    {"title": "Sí, es mi auto", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
]
_YES = re.compile(r"\b(?:si|es (?:el )?mio|es mi (?:carro|auto|coche|camioneta)|correcto)\b")
_NO = re.compile(r"(?:^no\b|\bno es\b|\bese no\b|\bes otro\b)")


class ValidateVinConfirmForm(YesNoQuestionValidation):
    ANSWER_SLOT = "vin_confirmed"
    WAITING_ON = "pending_vin"

    def name(self) -> str:
        return "validate_vin_confirm_form"

    def extract_vin_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "No, es un Versa 2016" (inform with a vehicle) is a no; "sí es" read as text."""
        if not self.awaiting_answer(tracker):
            return {}
        if latest_intent(tracker) in ("affirm", "deny"):
            return {}  # the slot mapping (from_intent) already has it
        text = folded(latest_text(tracker))
        named = vehicle_in_message(tracker)
        if named is not None and not named.is_empty:
            return {"vin_confirmed": False}
        if _NO.search(text):
            return {"vin_confirmed": False}
        if latest_intent(tracker) in ("inform", "nlu_fallback") and _YES.search(text):
            return {"vin_confirmed": True}
        return {}

    def validate_vin_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"vin_confirmed": bool(value) if value is not None else None}


class ActionAskVinConfirmed(Action):
    """The form's question: the decoded vehicle (only what the VIN says)."""

    def name(self) -> str:
        return "action_ask_vin_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        vin = tracker.get_slot("pending_vin")
        if not isinstance(vin, str):
            return []
        dispatcher.utter_message(
            text=f"{describe_es(decode(vin))}. ¿Es tu vehículo?", buttons=YES_NO
        )
        return []


def or_es(items: list[str]) -> str:
    """`["Jeep", "Dodge", "Chrysler"]` -> `"Jeep, Dodge o Chrysler"`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " o " + items[-1]


def car_from_vin(vin: str, tracker: Tracker) -> CarForParts:
    """Brand and model year from the VIN; the model the customer already gave is kept when
    it is of the same brand (a VIN does not say the model)."""
    info = decode(vin)
    before = remembered_vehicle(tracker)
    model = None
    if (
        before is not None
        and before.model
        and before.brand
        and info.make
        and text_key(before.brand) == text_key(info.make)
    ):
        model = before.model
    return CarForParts(info.make, model, info.model_year)


class ActionUseVin(Action):
    """After the confirmation: use the VIN's vehicle for parts, or forget the VIN."""

    def name(self) -> str:
        return "action_use_vin"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        vin = tracker.get_slot("pending_vin")
        confirmed = tracker.get_slot("vin_confirmed")
        if not isinstance(vin, str) or confirmed is None:
            return []
        done: list[EventType] = [SlotSet("pending_vin", None), SlotSet("vin_confirmed", None)]
        pending = tracker.get_slot("part_query")
        log.info("vin answered conversation=%s confirmed=%s", log_id(tracker), bool(confirmed))
        if not confirmed:
            named = vehicle_in_message(tracker)
            if named is not None and not named.is_empty:
                return done + search_and_present(dispatcher, tracker, car=named)
            dispatcher.utter_message(
                text="Va, entonces no lo uso 👍. ¿Me escribes el VIN o me mandas otra foto? "
                'También me puedes decir marca, modelo y año (por ejemplo "Versa 2016").'
            )
            return done
        car = car_from_vin(vin, tracker)
        done += [SlotSet("vehicle_vin", vin), SlotSet("part_vehicle", car.as_slot())]
        if car.brand is None:
            makes = decode(vin).possible_makes
            which = f" ({or_es(list(makes))})" if makes else ""
            dispatcher.utter_message(
                text=f"¡Gracias! Con el VIN no alcanzo a distinguir la marca{which}. ¿Me dices "
                "la marca y el modelo?"
            )
            return done
        if isinstance(pending, str) and pending.strip():
            return done + search_and_present(dispatcher, tracker, text=pending, car=car)
        dispatcher.utter_message(text=f"¡Listo! Ya tengo tu {car.label()} ✅. ¿Qué pieza buscas?")
        return done
