"""When a quote needs a person: the request is recorded, then the customer is told so.

Shared by the quote actions (a discount beyond the bot's limit, a quote the bot could not
build, an answer it could not record). The wording is the handoff action's
(`when_a_person_answers_es`): which branch contacts the customer and when it attends, and
without a phone number how to reach the branch; never "en un momento".
"""

from __future__ import annotations

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.common.context import conversation_key, current_customer
from actions.handoff import when_a_person_answers_es
from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch
from showroom.sales.leads import record_handoff

HUMAN_BUTTON = {"title": "Hablar con un asesor", "payload": "/request_human"}


def refer_to_person(
    session: Session,
    tracker: Tracker,
    branch: Branch | None,
    reason: str,
    customer: Customer | None = None,
) -> str:
    """Record a handoff request for `branch` (once per conversation while one is pending)
    and return what happens next, e.g. "Un asesor de la Sucursal Monterrey Valle te
    contactará a este número en horario de atención (hoy atienden hasta las 19:00)."."""
    customer = customer or current_customer(session, tracker)
    record_handoff(session, customer, branch, conversation_key(tracker), reason)
    return when_a_person_answers_es(branch, reachable=customer.phone is not None)
