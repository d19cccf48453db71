"""The base of every form validation action.

Rasa rejects a form (and lets rules/stories handle the message) when the answer filled no
slot. That is right for a digression ("¿dónde están?" in the middle of the booking), but
wrong for an answer the bot could not read ("mañana temprano" with no time in it): the
customer was answering, so the form should stay, say what it needs and ask again. Answers
(`ANSWER_INTENTS`) are therefore never rejected; everything else is.

A form activated while another one was running remembers that one
(actions/common/interruptions.py), so the customer is offered to come back to it.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.common.context import latest_intent
from actions.common.errors import TECHNICAL_PROBLEM
from actions.common.interruptions import remember_interruption

log = logging.getLogger(__name__)

# What a customer says when answering the form's question (data/nlu/inform.yml etc.);
# nlu_fallback too: an answer the classifier was unsure about is still an answer here.
ANSWER_INTENTS = frozenset({"inform", "affirm", "deny", "choose_option", "nlu_fallback"})


class ShowroomFormValidation(FormValidationAction, ABC):
    """`validate_<form>` with a clear re-ask when an answer could not be used."""

    # slot -> what to say when the answer to that slot's question had no usable value
    HINTS: ClassVar[dict[str, str]] = {}
    # intents that answer this form's questions (others are digressions)
    ANSWER_INTENTS: ClassVar[frozenset[str]] = ANSWER_INTENTS

    @abstractmethod
    def name(self) -> str:
        """`validate_<form name>` (abstract: the action server skips this base class)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        asked = tracker.get_slot(REQUESTED_SLOT)
        intent = latest_intent(tracker)
        candidates = [name for name in tracker.slots_to_validate() if name != REQUESTED_SLOT]
        # on activation: which form, if any, this one interrupted (actions/resume.py)
        interruption = remember_interruption(tracker, self.form_name())
        try:
            events = await super().run(dispatcher, tracker, domain)
        except SQLAlchemyError as exc:
            # keep the form (the same question comes again) instead of a silent failure
            log.error("validation %s failed error=%s", self.name(), type(exc).__name__)
            dispatcher.utter_message(text=TECHNICAL_PROBLEM)
            return [SlotSet(asked, None)] if isinstance(asked, str) else []
        if (
            isinstance(asked, str)
            and asked in self.domain_slots(domain)
            and intent in self.ANSWER_INTENTS
            and not candidates
            and not any(_sets_a_value(event) for event in events)
        ):
            # nothing usable in the answer: keep the form, explain, ask the same slot again
            hint = self.HINTS.get(asked)
            if hint:
                dispatcher.utter_message(text=hint)
            events.append(SlotSet(asked, None))
        return interruption + events


class YesNoQuestionValidation(ShowroomFormValidation):
    """A form with one yes/no slot (`ANSWER_SLOT`), asked while `WAITING_ON` holds something
    and the answer is unknown: "¿Te interesa?" after a quote, "¿Es tu vehículo?" after a VIN."""

    ANSWER_SLOT: ClassVar[str]
    WAITING_ON: ClassVar[str]
    ANSWER_INTENTS: ClassVar[frozenset[str]] = frozenset({"affirm", "deny", "nlu_fallback"})

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if hasattr(cls, "ANSWER_SLOT") and not cls.HINTS:
            cls.HINTS = {cls.ANSWER_SLOT: "Perdón, no te entendí 🙏."}

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        waiting = tracker.get_slot(self.WAITING_ON) and tracker.get_slot(self.ANSWER_SLOT) is None
        return [self.ANSWER_SLOT] if waiting else []

    def awaiting_answer(self, tracker: Tracker) -> bool:
        """The question was asked and not answered yet (text extraction applies)."""
        return (
            tracker.get_slot(REQUESTED_SLOT) == self.ANSWER_SLOT
            and tracker.get_slot(self.ANSWER_SLOT) is None
        )


def _sets_a_value(event: dict[str, Any]) -> bool:
    return event.get("event") == "slot" and event.get("name") != REQUESTED_SLOT
