"""`validate_test_drive_form` and `action_ask_td_datetime`: car, day and time, name.

Times are the branch's wall-clock time (the NLU sends ISO without offset). A day without a
time ("el sábado") is kept in `td_date` and the form asks the time of that day, with that
day's hours. A past time, or one outside the opening hours, is refused with the hours and a
proposed time (`td_proposed`) that a "sí" accepts. The name is not asked when the WhatsApp
profile name (or the customer record) has one.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.common import clock
from actions.common.context import (
    branch_for_vehicle,
    current_customer,
    latest_intent,
    latest_text,
    selected_vehicle,
)
from actions.common.errors import apologise_on_failure
from actions.common.forms import ShowroomFormValidation
from actions.common.text import folded, person_name
from actions.search import vehicle_from_message
from showroom.db.models.inventory import Branch
from showroom.db.session import session_scope
from showroom.formatting import clock as clock_es
from showroom.formatting import date_es, datetime_es, hours_es
from showroom.inventory.branches import branch_hours, branch_label_es, branch_zone
from showroom.inventory.search import get_vehicle
from showroom.sales.appointments import fits, next_slot, resolve_datetime

# A time proposed instead of a past one leaves the customer this long to get there.
LEAD_TIME = timedelta(hours=1)
# What `extract_td_datetime` puts in the slot for a "no" to the proposed time, so that
# validation (which alone may clear `td_proposed`) forgets the proposal and asks afresh.
DECLINED = "declined"
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MIDNIGHT = re.compile(r"T00:00(?::00(?:\.0+)?)?(?:[+-]|Z|$)")
_DAY_WORDS = re.compile(
    r"\b(?:hoy|manana|pasado|lunes|martes|miercoles|jueves|viernes|sabado|domingo|proximo|"
    r"siguiente|semana|\d{1,2} de|\d{1,2}/\d{1,2})\b"
)


def time_text(value: Any) -> str | None:
    """The ISO text of a `time` entity/slot (Duckling intervals give their start)."""
    if isinstance(value, dict):
        value = value.get("from") or value.get("value")
    return value.strip() if isinstance(value, str) and value.strip() else None


def is_date_only(text: str) -> bool:
    """ "2026-11-28", or a midnight Duckling gives for a day ("el sábado")."""
    return bool(_DATE_ONLY.match(text) or _MIDNIGHT.search(text))


def now_at(branch: Branch) -> datetime:
    return clock.now().astimezone(branch_zone(branch))


def day_hours_es(branch: Branch, day: date) -> str | None:
    """ "10:00–15:00" for that day; None when closed."""
    intervals = branch_hours(branch).intervals_on(day)
    if not intervals:
        return None
    return " y ".join(f"{clock_es(i.start)}–{clock_es(i.end)}" for i in intervals)


class ValidateTestDriveForm(ShowroomFormValidation):
    HINTS: ClassVar[dict[str, str]] = {
        "selected_vehicle": "Perdón, no identifiqué el auto 🙏.",
        "td_datetime": "Perdón, no identifiqué el día y la hora 🙏.",
    }

    def name(self) -> str:
        return "validate_test_drive_form"

    # ---------------------------------------------------------------- vehicle
    def extract_selected_vehicle(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A car named in any turn of the booking ("con el Corolla"); a list number only when
        the form asked for the car (a "2" elsewhere is a day or an hour)."""
        asked = tracker.get_slot(REQUESTED_SLOT) == "selected_vehicle"
        entities = {e.get("entity") for e in (tracker.latest_message or {}).get("entities", [])}
        names_car = bool(entities & {"brand", "model"})
        if not (asked or names_car) or ("option" in entities and not asked and not names_car):
            return {}
        with session_scope() as session:
            vehicle, problem = vehicle_from_message(session, tracker)
            if vehicle is not None:
                return {"selected_vehicle": vehicle.stock_id}
        if asked and problem:
            dispatcher.utter_message(text=problem)
            return {"selected_vehicle": None}
        return {}

    def validate_selected_vehicle(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        with session_scope() as session:
            vehicle = get_vehicle(session, str(value)) if value else None
            if vehicle is None:
                return {"selected_vehicle": None}
            if vehicle.status != "available":
                dispatcher.utter_message(
                    text=f"El {vehicle.title} ya no está disponible 😕. ¿Quieres manejar otro?"
                )
                return {"selected_vehicle": None}
        return {"selected_vehicle": str(value)}

    # ---------------------------------------------------------------- day and time
    def extract_td_datetime(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "Sí" to a proposed time takes it; "no" drops the proposal."""
        if tracker.get_slot(REQUESTED_SLOT) != "td_datetime":
            return {}
        proposed = tracker.get_slot("td_proposed")
        if proposed and latest_intent(tracker) == "affirm":
            return {"td_datetime": proposed}
        if proposed and latest_intent(tracker) == "deny":
            return {"td_datetime": DECLINED}
        return {}

    def validate_td_datetime(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A bookable time (ISO with the branch's offset), or the reason it is not."""
        text = time_text(value)
        cleared = {"td_datetime": None, "td_proposed": None}
        if text == DECLINED:
            return cleared
        with session_scope() as session:
            vehicle = selected_vehicle(session, tracker)
            branch = branch_for_vehicle(session, tracker, vehicle)
            if text is None or branch is None:
                return cleared
            try:
                moment = resolve_datetime(text, branch)
            except ValueError:
                return cleared
            pending_day = tracker.get_slot("td_date")
            if (
                pending_day
                and not is_date_only(text)
                and not _DAY_WORDS.search(folded(latest_text(tracker)))
            ):
                day = date.fromisoformat(str(pending_day))
                moment = moment.replace(year=day.year, month=day.month, day=day.day)
            now = now_at(branch)
            if is_date_only(text):
                return self._day_only(dispatcher, branch, moment.date(), now)
            hours = branch_hours(branch)
            if moment < now:
                dispatcher.utter_message(text="Esa hora ya pasó 🙂.")
                proposal = next_slot(hours, now + LEAD_TIME)
            elif not fits(hours, moment):
                dispatcher.utter_message(
                    text=f"A esa hora la {branch_label_es(branch)} está cerrada o ya no alcanza "
                    f"para la prueba. Horario: {hours_es(hours)}."
                )
                proposal = next_slot(hours, moment)
            else:
                return {"td_datetime": moment.isoformat(), "td_date": None, "td_proposed": None}
            return {"td_datetime": None, "td_date": None, "td_proposed": proposal.isoformat()}

    def _day_only(
        self, dispatcher: CollectingDispatcher, branch: Branch, day: date, now: datetime
    ) -> dict[str, Any]:
        today = now.date()
        if day < today:
            dispatcher.utter_message(text="Esa fecha ya pasó 🙂.")
            return {"td_datetime": None, "td_date": None, "td_proposed": None}
        if day == today and not any(
            i.end > now.time() for i in branch_hours(branch).intervals_on(day)
        ):
            hours = branch_hours(branch)
            dispatcher.utter_message(
                text=f"Hoy la {branch_label_es(branch)} ya cerró. Horario: {hours_es(hours)}."
            )
            proposal = next_slot(hours, now)
            return {"td_datetime": None, "td_date": None, "td_proposed": proposal.isoformat()}
        if day_hours_es(branch, day) is None:
            hours = branch_hours(branch)
            dispatcher.utter_message(
                text=f"El {date_es(datetime.combine(day, datetime.min.time()))} la "
                f"{branch_label_es(branch)} está cerrada. Horario: {hours_es(hours)}."
            )
            return {"td_datetime": None, "td_date": None, "td_proposed": None}
        return {"td_datetime": None, "td_date": day.isoformat(), "td_proposed": None}

    # ---------------------------------------------------------------- name
    def extract_customer_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The name we already have (the WhatsApp profile name the gateway stored on the
        customer): never asked again."""
        if tracker.get_slot("customer_name"):
            return {}
        with session_scope() as session:
            known = current_customer(session, tracker).name
        known_name = person_name(known or "")
        return {"customer_name": known_name} if known_name else {}

    def validate_customer_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = person_name(str(value)) if value else None
        if name is None:
            dispatcher.utter_message(text='¿Me dices tu nombre? Por ejemplo: "Ana López".')
        return {"customer_name": name}


class ActionAskTdDatetime(Action):
    """The form's question for the day and time: the proposed time if there is one, the
    time of a day already given, else day and time."""

    def name(self) -> str:
        return "action_ask_td_datetime"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        proposed = tracker.get_slot("td_proposed")
        day = tracker.get_slot("td_date")
        with session_scope() as session:
            branch = branch_for_vehicle(session, tracker, selected_vehicle(session, tracker))
            if proposed and branch is not None:
                moment = resolve_datetime(str(proposed), branch)
                dispatcher.utter_message(
                    text=f'¿Te queda bien el {datetime_es(moment)}? Responde "sí" o dime otro '
                    "día y hora."
                )
                return []
            if day and branch is not None:
                when = date.fromisoformat(str(day))
                hours = day_hours_es(branch, when)
                opening = f" Ese día abrimos {hours}." if hours else ""
                dispatcher.utter_message(
                    text=f"¿A qué hora el {date_es(datetime.combine(when, datetime.min.time()))}?"
                    f"{opening}"
                )
                return []
        dispatcher.utter_message(
            text='¿Qué día y a qué hora te queda bien? Por ejemplo: "el sábado a las 11".'
        )
        return []
