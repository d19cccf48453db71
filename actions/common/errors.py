"""What the customer hears when the database is unreachable: a short apology, not silence.

Rasa drops a failed action's events and sends nothing, so a customer whose search hit a
database outage would just wait. `apologise_on_failure` wraps an action's `run`: on a
database error it logs (no PII) and tells the customer to retry or ask for a person.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.common.context import log_id

log = logging.getLogger(__name__)

TECHNICAL_PROBLEM = (
    "Tuve un problema técnico y no pude completar eso 🙏. Intenta de nuevo en un momento o "
    "pídeme hablar con un asesor."
)

A = TypeVar("A", bound=Action)
Run = Callable[[A, CollectingDispatcher, Tracker, DomainDict], Awaitable[list[EventType]]]


def apologise_on_failure(run: Run[A]) -> Run[A]:
    @functools.wraps(run)
    async def wrapper(
        self: A, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            return await run(self, dispatcher, tracker, domain)
        except SQLAlchemyError as exc:
            log.error(
                "action %s failed conversation=%s error=%s",
                self.name(),
                log_id(tracker),
                type(exc).__name__,
            )
            dispatcher.utter_message(text=TECHNICAL_PROBLEM)
            return []

    return wrapper


__all__ = ["TECHNICAL_PROBLEM", "apologise_on_failure"]
