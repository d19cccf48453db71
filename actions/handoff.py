"""A person takes over: `action_request_human` and `action_register_callback`.

What is true today, and so all the customer is told: the request is stored for the
branch's staff, who see it with `showroom handoffs list` / `showroom leads list` and contact
the customer at their phone number during the branch's opening hours. Nobody is "notified"
and nobody can answer inside this chat yet (the agent console arrives in a later issue), so
the texts never say "ya avisé" or "te escribirá por este chat". A customer without a phone
(web chat, `rasa shell`) cannot be contacted: they are given the branch's numbers instead.
"""

from __future__ import annotations

import logging
from datetime import datetime, time

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
from actions.test_drive_form import time_text
from showroom.db.models.inventory import Branch
from showroom.db.session import session_scope
from showroom.formatting import clock as clock_es
from showroom.formatting import date_es, datetime_es, hours_es, phone_es
from showroom.inventory.branches import branch_hours, branch_label_es, branch_zone
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


def _hour_es(moment: time | datetime) -> str:
    """ "las 9:00", "la 1:00" (24:00 is "las 24:00")."""
    return f"{'la' if moment.hour == 1 and moment != time.max else 'las'} {clock_es(moment)}"


def at_es(moment: datetime) -> str:
    """ "a las 9:00" ("a la 1:00")."""
    return f"a {_hour_es(moment)}"


def until_es(moment: time | datetime) -> str:
    """ "hasta las 19:00" ("hasta la 1:00")."""
    return f"hasta {_hour_es(moment)}"


def _local_now(branch: Branch, now: datetime | None) -> datetime:
    return (now or clock.now()).astimezone(branch_zone(branch))


def closes_today(branch: Branch, now: datetime | None = None) -> time | None:
    """While the branch is open: its last closing time today (past a lunch break, so
    "hasta las 20:00" with 14:00–16:00 closed). None when it is closed now."""
    local = _local_now(branch, now)
    hours = branch_hours(branch)
    if not hours.is_open(local):
        return None
    return max(interval.end for interval in hours.intervals_on(local.date()))


def next_opening(branch: Branch, now: datetime | None = None) -> tuple[datetime, bool]:
    """When a closed branch opens (branch-local), and whether that is today."""
    local = _local_now(branch, now)
    opens = branch_hours(branch).next_open(local)
    return opens, opens.date() == local.date()


def next_opening_es(branch: Branch, now: datetime | None = None, *, since: bool = False) -> str:
    """ "hoy a las 9:00" / "el jueves 10 de enero a las 9:00"; with `since`: "a partir de
    hoy a las 9:00" / "a partir del jueves 10 de enero a las 9:00"."""
    opens, today = next_opening(branch, now)
    day = "hoy" if today else f"el {date_es(opens)}"
    if since:
        day = "a partir de hoy" if today else f"a partir del {date_es(opens)}"
    return f"{day} {at_es(opens)}"


def reach_the_branch_es(branch: Branch) -> str:
    """How a customer reaches the branch themselves: its WhatsApp / phone, else its address."""
    whatsapp = phone_es(branch.whatsapp_number, international=True)
    voice = phone_es(branch.voice_number, international=True)
    if whatsapp and voice and whatsapp != voice:
        return f"escribe por WhatsApp al {whatsapp} o llama al {voice}"
    if whatsapp and voice:
        return f"escribe por WhatsApp o llama al {whatsapp}"
    if whatsapp:
        return f"escribe por WhatsApp al {whatsapp}"
    if voice:
        return f"llama al {voice}"
    return f"visita la sucursal en {branch.address}"


def when_a_person_answers_es(
    branch: Branch | None,
    now: datetime | None = None,
    *,
    who: str = "un asesor",
    reachable: bool | None = None,
    purpose: str = "",
) -> str:
    """What happens next, one or two sentences: who of which branch contacts the customer,
    and when (open now: in opening hours, until when today; closed: from its next opening).

    `reachable`: True when the customer's phone is known ("a este número"), False when it is
    not (they get the branch's numbers to reach it themselves), None when the caller does
    not know (no channel is named). `purpose`: e.g. " para agendar la revisión".
    """
    if reachable is False:
        if branch is None:
            return (
                "En este chat no tengo tu teléfono para que te contacten; escríbenos por "
                "WhatsApp o llámanos para que te atiendan."
            )
        until = closes_today(branch, now)
        if until is not None:
            when = f"hoy atiende {until_es(until)}"
        else:
            when = f"abre {next_opening_es(branch, now)}"
        return (
            "En este chat no tengo tu teléfono para que te contacten. Para hablar con la "
            f"{branch_label_es(branch)}, {reach_the_branch_es(branch)} ({when})."
        )
    subject = who[:1].upper() + who[1:]
    where = " a este número" if reachable else ""
    if branch is None:
        return f"{subject} te contactará{where} en horario de atención{purpose}."
    until = closes_today(branch, now)
    if until is not None:
        return (
            f"{subject} de la {branch_label_es(branch)} te contactará{where} en horario de "
            f"atención (hoy atienden {until_es(until)}){purpose}."
        )
    return (
        f"La {branch_label_es(branch)} está cerrada ahora; {who} te contactará{where} "
        f"{next_opening_es(branch, now, since=True)}{purpose}."
    )


def preferred_time_es(branch: Branch, moment: datetime, now: datetime | None = None) -> str:
    """The customer's preferred time, confirmed as noted (and honest when the branch is
    closed then); "" for a time already past (it is still in the lead's note)."""
    if moment < (now or clock.now()):
        return ""
    local = moment.astimezone(branch_zone(branch))
    hours = branch_hours(branch)
    if hours.is_open(local):
        return f"Anoté tu horario preferido: {datetime_es(local)}."
    return (
        f"Anoté tu horario preferido ({datetime_es(local)}), aunque a esa hora la sucursal "
        f"está cerrada; su horario es {hours_es(hours)}."
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
            next_step = when_a_person_answers_es(branch, reachable=customer.phone is not None)
            dispatcher.utter_message(
                text=f"Listo ✅, dejé registrada tu solicitud. {next_step} "
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
            noted = ""
            note = "customer asked to be contacted later"
            if preferred and branch is not None:
                try:
                    moment = resolve_datetime(preferred, branch)
                except ValueError:
                    moment = None
                if moment is not None:
                    note += f"; preferred time {moment.isoformat()}"
                    noted = preferred_time_es(branch, moment)
            lead = record_callback(session, customer, branch, note=note)
            next_step = when_a_person_answers_es(branch, reachable=customer.phone is not None)
            said = "Claro 👍, dejé registrado que prefieres que te contactemos más tarde."
            dispatcher.utter_message(text=" ".join(p for p in (said, noted, next_step) if p))
            log.info("callback recorded conversation=%s lead=%s", log_id(tracker), lead.id)
        return []
