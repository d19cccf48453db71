"""A person takes over: `action_request_human` and `action_register_callback`.

The request is recorded for the branch's salespeople; the customer is told honestly what
happens next: a salesperson continues this same chat during the branch's opening hours (the
agent console that lets them do it arrives in a later issue, so nothing is promised "now").
"""

from __future__ import annotations

import logging
from datetime import datetime

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import clock
from actions.common.context import (
    conversation_branch,
    conversation_key,
    current_customer,
    entity_value,
    latest_intent,
    log_id,
    routed_branch,
    selected_vehicle,
)
from actions.common.errors import apologise_on_failure
from actions.test_drive_form import branch_label, time_text
from showroom.db.models.inventory import Branch
from showroom.db.session import session_scope
from showroom.formatting import datetime_es, hours_es
from showroom.inventory.branches import branch_hours, branch_zone
from showroom.sales.appointments import resolve_datetime
from showroom.sales.leads import record_callback, record_handoff

log = logging.getLogger(__name__)

# why a person was asked for, by the intent that asked (HandoffRequest.reason)
REASONS = {"search_part": "parts", "provide_vin": "vin", "request_quote": "quote"}


def handoff_branch(session: Session, tracker: Tracker) -> Branch | None:
    """The branch the customer wrote to; else the chosen car's; else the conversation's."""
    branch = routed_branch(session, tracker)
    if branch is not None:
        return branch
    vehicle = selected_vehicle(session, tracker)
    if vehicle is not None and vehicle.branch is not None:
        return vehicle.branch
    return conversation_branch(session, tracker)


def when_a_person_answers_es(branch: Branch | None, now: datetime | None = None) -> str:
    """ "… te escribirá por este chat …" with the hours, honest about being closed now."""
    if branch is None:
        return "Un asesor te escribirá por este mismo chat en horario de atención."
    hours = branch_hours(branch)
    local = (now or clock.now()).astimezone(branch_zone(branch))
    schedule = hours_es(hours)
    if hours.is_open(local):
        return (
            f"Un asesor de la {branch_label(branch)} te escribirá por este mismo chat en cuanto "
            f"se desocupe (horario: {schedule})."
        )
    return (
        f"Ahora la {branch_label(branch)} está cerrada; un asesor te escribirá por este mismo "
        f"chat a partir del {datetime_es(hours.next_open(local))} (horario: {schedule})."
    )


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reason = REASONS.get(latest_intent(tracker) or "", "customer_request")
        with session_scope() as session:
            branch = handoff_branch(session, tracker)
            customer = current_customer(session, tracker)
            request = record_handoff(session, customer, branch, conversation_key(tracker), reason)
            dispatcher.utter_message(
                text=f"Listo, ya avisé a un asesor ✅. {when_a_person_answers_es(branch)} "
                "Mientras, aquí sigo por si necesitas algo más."
            )
            log.info(
                "handoff requested conversation=%s request=%s reason=%s",
                log_id(tracker),
                request.id,
                reason,
            )
        return []


class ActionRegisterCallback(Action):
    """ "Llámame más tarde": a callback lead, with the preferred time when one was said."""

    def name(self) -> str:
        return "action_register_callback"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        preferred = time_text(entity_value(tracker, "time"))
        with session_scope() as session:
            branch = handoff_branch(session, tracker)
            customer = current_customer(session, tracker)
            when_es = ""
            note = "customer asked to be contacted later"
            if preferred and branch is not None:
                try:
                    moment = resolve_datetime(preferred, branch)
                except ValueError:
                    moment = None
                if moment is not None:
                    note += f"; preferred time {moment.isoformat()}"
                    when_es = f" Le pasé al asesor tu horario preferido: {datetime_es(moment)}."
            lead = record_callback(session, customer, branch, note=note)
            dispatcher.utter_message(
                text="Claro, sin problema 👍. Dejé anotado que te contactemos más tarde."
                f"{when_es} {when_a_person_answers_es(branch)}"
            )
            log.info("callback recorded conversation=%s lead=%s", log_id(tracker), lead.id)
        return []
