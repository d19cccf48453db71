""" "¿Seguimos con tu cita de prueba?": coming back to a form left for another flow.

A customer booking a test drive who asks to trade in their car, or who starts a new search
while the financing form waits for the down payment, gets that other flow; the first form
is remembered (`interrupted_form`, actions/common/interruptions.py). When the other flow is
done, `resume_form` asks whether to continue:

- "sí" → `action_resume_form` reactivates the first form; its slots are still filled, so
  it asks only what was missing;
- "no" → the first form's half-given answers (a time, the car to trade in) are dropped, so
  they don't come back unasked in a later booking or trade-in.
Another request instead of an answer is handled as usual and the question comes again
(like "¿Te interesa?" after a quote); starting another form drops the offer.
"""

from __future__ import annotations

from typing import ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.forms import YesNoQuestionValidation
from actions.common.interruptions import INTERRUPTED_SLOT, RESUMABLE_FORMS
from actions.test_drive import DONE as BOOKING_ANSWERS
from actions.trade_in import TRADE_IN_SLOTS

ANSWER_SLOT = "resume_accepted"
YES_NO = [
    {"title": "Sí, sigamos", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
]
# What a form collected that must not be reused unasked once the customer drops it (the
# search and financing forms decide that themselves: action_reset_search / _financing).
DROPPED_WITH: dict[str, list[str]] = {
    "test_drive_form": [event["name"] for event in BOOKING_ANSWERS],
    "trade_in_form": list(TRADE_IN_SLOTS),
}
DECLINED = "Va 👍, lo dejamos ahí. ¿Te ayudo con algo más?"


class ValidateResumeForm(YesNoQuestionValidation):
    """Asks only while a form waits to be resumed; ends at once otherwise."""

    ANSWER_SLOT: ClassVar[str] = ANSWER_SLOT
    WAITING_ON: ClassVar[str] = INTERRUPTED_SLOT

    def name(self) -> str:
        return "validate_resume_form"


class ActionAskResumeAccepted(Action):
    def name(self) -> str:
        return "action_ask_resume_accepted"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = RESUMABLE_FORMS.get(str(tracker.get_slot(INTERRUPTED_SLOT)))
        if question:
            dispatcher.utter_message(text=question, buttons=YES_NO)
        return []


class ActionResumeForm(Action):
    """After `resume_form`: reactivate the form left behind, or drop it."""

    def name(self) -> str:
        return "action_resume_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        form = tracker.get_slot(INTERRUPTED_SLOT)
        accepted = tracker.get_slot(ANSWER_SLOT)
        events: list[EventType] = [SlotSet(ANSWER_SLOT, None), SlotSet(INTERRUPTED_SLOT, None)]
        if form not in RESUMABLE_FORMS or accepted is None:
            return events
        if accepted:
            # Rasa runs the active form next (RulePolicy); it asks what is still missing
            return [*events, SlotSet("requested_slot", None), ActiveLoop(str(form))]
        dispatcher.utter_message(text=DECLINED)
        return events + [SlotSet(name, None) for name in DROPPED_WITH.get(str(form), [])]
