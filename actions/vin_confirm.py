""" "Nissan, año modelo 2019, armado en México. ¿Es tu vehículo?" and what the answer does.

`vin_confirm_form` asks only while a VIN waits for confirmation (`pending_vin`); when the
VIN could not be used the form ends at once and `action_use_vin` does nothing. "Sí" keeps
the VIN and hands the decoded brand and model year to the parts search (searching the part
the customer asked for, if any); "no" forgets it, and a vehicle named in the answer ("no,
es un Versa 2016") is used instead.

A model-year code stands for two years 30 apart ("F": 2015 or 1985) and most Mexican VINs
do not say which (showroom.vin.decode.model_years). Then the question names the likelier
year and offers the other one as a button; a year typed in the answer ("es 1985", "no, es
del 85", "2016") keeps the VIN's brand and corrects the year.
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
from actions.parts import (
    CarForParts,
    plausible_year,
    remembered_vehicle,
    search_and_present,
    vehicle_in_message,
)
from showroom.inventory.vocabulary import text_key
from showroom.vin.decode import VinInfo, decode, describe_es

log = logging.getLogger(__name__)

YES_NO = [
    {"title": "Sí, es mi auto", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
]
_YES = re.compile(r"\b(?:si|es (?:el )?mio|es mi (?:carro|auto|coche|camioneta)|correcto)\b")
_NO = re.compile(r"(?:^no\b|\bno es\b|\bese no\b|\bes otro\b)")
_FULL_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_SHORT_YEAR = re.compile(r"\b(?:del?|modelo|ano)\s+(\d\d)\b|^\s*(?:es\s+)?(\d\d)\s*$")


def answered_year(tracker: Tracker, info: VinInfo | None = None) -> int | None:
    """A model year given in the answer to "¿Es tu vehículo?" with no other car named: the
    NLU's `year` entity, a 4-digit year in the text, or two digits ("del 85") that are the
    end of one of the years the VIN's code may stand for."""
    named = vehicle_in_message(tracker)
    if named is not None and not named.is_empty:
        return None  # another car ("es un Versa 2016"), not a correction
    if named is not None and named.year is not None:
        return named.year
    text = folded(latest_text(tracker))
    if full := _FULL_YEAR.search(text):
        return plausible_year(int(full.group(1)))
    short = _SHORT_YEAR.search(text)
    if short and info is not None and info.model_year is not None:
        digits = short.group(1) or short.group(2)
        for year in (info.model_year, *info.model_year_alternatives):
            if f"{year % 100:02d}" == digits:
                return year
    return None


def question_es(info: VinInfo) -> tuple[str, list[dict[str, str]]]:
    """The question and its buttons. When the code may stand for another year, that year
    is a button and typing any year corrects it."""
    text = f"{describe_es(info)}. ¿Es tu vehículo?"
    if not info.model_year or not info.model_year_alternatives:
        return text, YES_NO
    other = info.model_year_alternatives[0]
    buttons = [
        {"title": f"Sí, es {info.model_year}", "payload": "/affirm"},
        {"title": f"Es {other}", "payload": f'/inform{{"year": {other}}}'},
        {"title": "No es mi auto", "payload": "/deny"},
    ]
    return f"{text} Si es modelo {other} u otro año, escríbeme el año.", buttons


class ValidateVinConfirmForm(YesNoQuestionValidation):
    ANSWER_SLOT = "vin_confirmed"
    WAITING_ON = "pending_vin"

    def name(self) -> str:
        return "validate_vin_confirm_form"

    def extract_vin_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "No, es un Versa 2016" (another car) is a no; a year alone ("es 1985", "no, es del
        85") is a yes with that year (action_use_vin applies it); "sí es" read as text."""
        if not self.awaiting_answer(tracker):
            return {}
        vin = tracker.get_slot("pending_vin")
        info = decode(vin) if isinstance(vin, str) else None
        year = answered_year(tracker, info)
        if latest_intent(tracker) == "affirm" or (
            latest_intent(tracker) == "deny" and year is None
        ):
            return {}  # the slot mapping (from_intent) already has it
        named = vehicle_in_message(tracker)
        if named is not None and not named.is_empty:
            return {"vin_confirmed": False}
        if year is not None:
            return {"vin_confirmed": True}  # the VIN's car, another year: action_use_vin
        text = folded(latest_text(tracker))
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
        text, buttons = question_es(decode(vin))
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


def or_es(items: list[str]) -> str:
    """`["Jeep", "Dodge", "Chrysler"]` -> `"Jeep, Dodge o Chrysler"`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " o " + items[-1]


def car_from_vin(vin: str, tracker: Tracker) -> CarForParts:
    """Brand and model year from the VIN (the year the customer typed in the answer, when
    there is one); the model the customer already gave is kept when it is of the same brand
    (a VIN does not say the model)."""
    info = decode(vin)
    year = answered_year(tracker, info) or info.model_year
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
    return CarForParts(info.make, model, year)


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
        if not confirmed and answered_year(tracker, decode(vin)) is not None:
            confirmed = True  # "no, es 1985": the VIN's car, the year corrected
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
