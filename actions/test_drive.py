"""`action_book_test_drive`: store the appointment and confirm day, time, branch, address."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.context import (
    branch_for_vehicle,
    current_customer,
    log_id,
    selected_vehicle,
)
from actions.common.errors import apologise_on_failure
from actions.common.interruptions import offer_to_resume
from actions.common.text import person_name
from showroom.db.session import session_scope
from showroom.formatting import datetime_es, hours_es
from showroom.inventory.branches import branch_hours, branch_label_es, map_link
from showroom.sales.appointments import SlotUnavailable, book_test_drive, resolve_datetime

log = logging.getLogger(__name__)

DONE = [SlotSet("td_datetime", None), SlotSet("td_date", None), SlotSet("td_proposed", None)]


class ActionBookTestDrive(Action):
    def name(self) -> str:
        return "action_book_test_drive"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        when = tracker.get_slot("td_datetime")
        name = person_name(str(tracker.get_slot("customer_name") or ""))
        with session_scope() as session:
            vehicle = selected_vehicle(session, tracker)
            branch = branch_for_vehicle(session, tracker, vehicle)
            if branch is None or not when:
                dispatcher.utter_message(
                    text="No pude agendar la cita por ahora 🙏. Pídeme hablar con un asesor y "
                    "te ayudamos."
                )
                log.warning("test drive without branch or time conversation=%s", log_id(tracker))
                return DONE
            customer = current_customer(session, tracker)
            if name and not customer.name:
                customer.name = name
            starts_at = resolve_datetime(str(when), branch)
            try:
                appointment = book_test_drive(session, customer, branch, vehicle, starts_at)
            except SlotUnavailable as exc:
                # taken between the question and now (or the clock passed it): offer the next
                dispatcher.utter_message(
                    text=f"Ese horario ya no está disponible 😕. Horario de la "
                    f"{branch_label_es(branch)}: {hours_es(branch_hours(branch))}."
                )
                proposal = exc.next_open.isoformat() if exc.next_open else None
                return [
                    SlotSet("td_datetime", None),
                    SlotSet("td_date", None),
                    SlotSet("td_proposed", proposal),
                    FollowupAction("test_drive_form"),
                ]
            lines = [
                f"¡Listo{', ' + name if name else ''}! ✅ Tu prueba de manejo quedó agendada:",
            ]
            if vehicle is not None:
                version = f" · {vehicle.version}" if vehicle.version else ""
                lines.append(f"🚗 {vehicle.title}{version}")
            lines += [
                f"📅 {datetime_es(starts_at)}",
                f"📍 {branch_label_es(branch)}: {branch.address}",
                map_link(branch),
                "Si necesitas cambiarla, pídeme hablar con un asesor.",
            ]
            dispatcher.utter_message(text="\n".join(lines))
            log.info(
                "test drive confirmed conversation=%s appointment=%s",
                log_id(tracker),
                appointment.id,
            )
        return DONE + offer_to_resume(tracker)
