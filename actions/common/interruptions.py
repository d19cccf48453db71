"""A form left for another flow, and the offer to come back to it.

A one-message digression ("¿dónde están?" while booking) returns to the form by itself
(Rasa's RulePolicy). Starting another flow's form in the middle of one (a search while
booking a test drive, financing while searching) replaces the active form; Rasa forgets
the first. These functions remember it: when one of `RESUMABLE_FORMS` is activated while
another one was still active, `interrupted_form` names the one left behind. When the new
flow is done, its final action (`offer_to_resume`) activates `resume_form`, which asks
"¿Seguimos con tu cita de prueba?"; "sí" reactivates the first form, whose slots are still
filled, so it asks only what was missing (actions/resume.py).

Everything is read from the tracker's events, so no slot influences the policies
(docs/dialogue.md): a form was interrupted when the `active_loop` event before its own
activation names another form (a form that ended normally is followed by `active_loop:
null`).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet

INTERRUPTED_SLOT = "interrupted_form"
RESUME_FORM = "resume_form"
# Forms a customer may leave for another flow and come back to, with the question that
# offers to come back.
RESUMABLE_FORMS: dict[str, str] = {
    "vehicle_search_form": "¿Seguimos con la búsqueda de tu auto?",
    "financing_form": "¿Seguimos con el cálculo de tus mensualidades?",
    "test_drive_form": "¿Seguimos con tu cita de prueba de manejo?",
    "trade_in_form": "¿Seguimos con los datos de tu auto para tomarlo a cuenta?",
}


def _loop_events(tracker: Tracker) -> list[tuple[int, Any]]:
    return [
        (index, event.get("name"))
        for index, event in enumerate(tracker.events or [])
        if event.get("event") == "active_loop"
    ]


def _latest_user_index(tracker: Tracker) -> int:
    events = tracker.events or []
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return index
    return -1


def form_left_behind(tracker: Tracker, form: str) -> tuple[bool, str | None]:
    """(activated now, the resumable form it replaced) for `form`.

    "Activated now": `form`'s own activation is the latest `active_loop` event and came
    after the customer's latest message. The form it replaced is the `active_loop` before
    it, when that one was still running (not null) and is another resumable form.
    """
    loops = _loop_events(tracker)
    if not loops:
        return False, None
    index, name = loops[-1]
    if name != form or index < _latest_user_index(tracker):
        return False, None
    previous = loops[-2][1] if len(loops) > 1 else None
    if previous in RESUMABLE_FORMS and previous != form:
        return True, str(previous)
    return True, None


def remember_interruption(tracker: Tracker, form: str) -> list[EventType]:
    """When `form` is being activated: `interrupted_form` set to the form it replaced, or
    cleared (a flow started afresh drops an old offer). Nothing on later turns."""
    if form not in RESUMABLE_FORMS:
        return []
    activated, replaced = form_left_behind(tracker, form)
    if not activated or tracker.get_slot(INTERRUPTED_SLOT) == replaced:
        return []
    return [SlotSet(INTERRUPTED_SLOT, replaced)]


def offer_to_resume(tracker: Tracker) -> list[EventType]:
    """For a flow's final action: activate `resume_form` ("¿Seguimos con…?") when a form
    was left for this flow and no form is running now."""
    waiting = tracker.get_slot(INTERRUPTED_SLOT)
    if waiting not in RESUMABLE_FORMS or tracker.active_loop_name:
        return []
    return [ActiveLoop(RESUME_FORM)]
