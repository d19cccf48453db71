"""Do-not-contact: `action_opt_out` ("ya no me escriban") and `action_wrong_number`.

Both record an opt-out for every channel; campaigns honour it (showroom.campaigns).
"""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.context import current_customer, log_id
from actions.common.errors import apologise_on_failure
from showroom.campaigns.compliance import opt_out
from showroom.db.session import session_scope

log = logging.getLogger(__name__)


class ActionOptOut(Action):
    def name(self) -> str:
        return "action_opt_out"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with session_scope() as session:
            opt_out(session, current_customer(session, tracker), channel="all", source="chat")
        log.info("opt-out conversation=%s", log_id(tracker))
        dispatcher.utter_message(
            text="Listo ✅. Ya no te enviaremos mensajes ni llamadas promocionales. Si algún día "
            "quieres información, escríbenos y con gusto te atendemos."
        )
        return []


class ActionWrongNumber(Action):
    def name(self) -> str:
        return "action_wrong_number"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with session_scope() as session:
            opt_out(
                session, current_customer(session, tracker), channel="all", source="wrong_number"
            )
        log.info("wrong number conversation=%s", log_id(tracker))
        dispatcher.utter_message(
            text="¡Perdón por la molestia! 🙏 Ya registramos que este número no es el correcto y "
            "no te volveremos a contactar."
        )
        return []
