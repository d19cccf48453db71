"""The forms' questions (`action_ask_<slot>`), one place for their wording.

Rasa's validator counts a response used only by a form as unused (`rasa data validate
--fail-on-warnings` fails on it), so the questions are actions here instead of
`utter_ask_<slot>` responses. A form finds `action_ask_<slot>` by name; to change a question,
edit its text below. The day/time question, which depends on the branch, is
`action_ask_td_datetime` in test_drive_form.py.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


def inform_button(title: str, **entities: Any) -> dict[str, str]:
    """A button that answers with `/inform{"entity": value}` (the NLU is skipped)."""
    return {"title": title, "payload": "/inform" + json.dumps(entities, ensure_ascii=False)}


class AskAction(Action, ABC):
    """Sends `TEXT` (and `BUTTONS`) to ask for one slot."""

    TEXT: ClassVar[str] = ""
    BUTTONS: ClassVar[list[dict[str, str]]] = []

    @abstractmethod
    def name(self) -> str:
        """`action_ask_<slot>`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=self.TEXT, buttons=list(self.BUTTONS))
        return []


# ------------------------------------------------------------------ vehicle search
class AskBodyType(AskAction):
    TEXT = "¿Qué tipo de vehículo buscas?"
    BUTTONS: ClassVar[list[dict[str, str]]] = [
        inform_button("Sedán", body_type="sedan"),
        inform_button("SUV / camioneta", body_type="suv"),
        inform_button("Pickup", body_type="pickup"),
        inform_button("Hatchback", body_type="hatchback"),
        inform_button("Me da igual", body_type="any"),
    ]

    def name(self) -> str:
        return "action_ask_body_type"


class AskBudget(AskAction):
    TEXT = (
        '¿Hasta cuánto quieres invertir? Por ejemplo: "300 mil". '
        'Si no tienes límite, dime "no importa".'
    )

    def name(self) -> str:
        return "action_ask_budget"


# ------------------------------------------------------------------ financing
class AskFinPrice(AskAction):
    TEXT = (
        "¿Qué auto quieres financiar? Dime el número de la lista o su precio "
        '(por ejemplo "350 mil").'
    )

    def name(self) -> str:
        return "action_ask_fin_price"


class AskDownPayment(AskAction):
    TEXT = (
        '¿Cuánto darías de enganche? Puede ser una cantidad ("80 mil"), '
        'un porcentaje ("20%") o "sin enganche".'
    )

    def name(self) -> str:
        return "action_ask_down_payment"


class AskTermMonths(AskAction):
    TEXT = "¿A cuántos meses? Manejamos plazos de 12 a 72 meses."
    BUTTONS: ClassVar[list[dict[str, str]]] = [
        inform_button(f"{months} meses", months=months) for months in (24, 36, 48, 60)
    ]

    def name(self) -> str:
        return "action_ask_term_months"


# ------------------------------------------------------------------ test drive
class AskSelectedVehicle(AskAction):
    TEXT = "¿Qué auto te gustaría manejar? Dime marca y modelo, o el número de la lista."

    def name(self) -> str:
        return "action_ask_selected_vehicle"


class AskCustomerName(AskAction):
    TEXT = "¿A nombre de quién agendo la cita?"

    def name(self) -> str:
        return "action_ask_customer_name"


# ------------------------------------------------------------------ trade-in
class AskTradeInBrand(AskAction):
    TEXT = "¡Claro! Recibimos tu auto a cuenta. ¿De qué marca es?"

    def name(self) -> str:
        return "action_ask_tradein_brand"


class AskTradeInModel(AskAction):
    TEXT = "¿Qué modelo es?"

    def name(self) -> str:
        return "action_ask_tradein_model"


class AskTradeInYear(AskAction):
    TEXT = "¿De qué año es?"

    def name(self) -> str:
        return "action_ask_tradein_year"


class AskTradeInKm(AskAction):
    TEXT = "¿Cuántos kilómetros tiene, más o menos?"

    def name(self) -> str:
        return "action_ask_tradein_km"
