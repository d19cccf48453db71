"""`action_financing_info`: questions about credit the simulation cannot answer.

"¿Aceptan buró?", "¿qué requisitos piden?", "¿hay meses sin intereses?", "¿cuál es la
tasa?", "¿puedo financiar un seminuevo?" (intent financing_info). The bot knows only what
the configuration says: the annual rate it simulates with (per branch), the terms it
simulates (Settings) and what a simulation leaves out. Approval, requirements, promotions
and the banks the dealer works with are for a salesperson, so the answer says so and offers
one, plus a simulation. Nothing is invented.
"""

from __future__ import annotations

import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common.context import latest_text, routed_branch, selected_vehicle
from actions.common.errors import apologise_on_failure
from actions.common.text import folded
from actions.financing import NOT_INCLUDED_ES, percent_es
from showroom.db.session import session_scope
from showroom.inventory.branches import annual_rate, branch_label_es, list_branches
from showroom.settings import get_settings

BUTTONS = [
    {"title": "Calcular mensualidades", "payload": "/ask_financing"},
    {"title": "Hablar con un asesor", "payload": "/request_human"},
]
MAX_BRANCH_RATES = 5  # more than this: the Settings rate instead of a list

# (topic, words) in the order the answers are given; the first two topics found answer.
TOPICS = [
    ("promotions", r"sin intereses|\bmsi\b|promocion|promo\b|descuento en (?:la )?tasa"),
    (
        "requirements",
        r"buro|requisito|papel|documento|aval|ingreso|nomina|historial|aprueb|aprobacion|"
        r"comprob|\bine\b|identificacion|por mi cuenta|independiente|edad",
    ),
    ("used", r"seminuevo|usado|de segunda|de agencia no|modelo viejo|antiguedad"),
    ("rate", r"tasa|interes|\bcat\b|cobran de|porcentaje anual"),
    ("included", r"seguro|comision|apertura|\biva\b|penaliza|adelant|pagar antes|liquidar"),
    ("lenders", r"banco|bbva|banorte|santander|hsbc|scotiabank|financiera|directo|infonavit"),
    ("term", r"plazo|cuantos meses|hasta cuanto tiempo|cuantos anos"),
]
_TOPIC_RES = [(name, re.compile(pattern)) for name, pattern in TOPICS]


def topics_in(text: str) -> list[str]:
    """The topics a question is about, in answer order (empty: a general question)."""
    value = folded(text)
    return [name for name, pattern in _TOPIC_RES if pattern.search(value)]


def rate_es(session: Session, tracker: Tracker) -> str:
    """ "La tasa anual con la que simulo es 12.9% (Sucursal Monterrey Valle)": the chosen
    car's branch, else the conversation's, else every branch's (a few), else Settings."""
    vehicle = selected_vehicle(session, tracker)
    branch = vehicle.branch if vehicle is not None else None
    branch = branch or routed_branch(session, tracker)
    if branch is not None:
        shown = percent_es(annual_rate(branch) * 100)
        return f"La tasa anual con la que simulo es {shown} ({branch_label_es(branch)})."
    branches = list_branches(session)
    rates = {annual_rate(b) for b in branches}
    if len(rates) > 1 and len(branches) <= MAX_BRANCH_RATES:
        each = "; ".join(
            f"{branch_label_es(b)}: {percent_es(annual_rate(b) * 100)}" for b in branches
        )
        return f"La tasa anual con la que simulo depende de la sucursal: {each}."
    rate = rates.pop() if rates else get_settings().annual_rate
    return f"La tasa anual con la que simulo es {percent_es(rate * 100)}."


def answer_es(topic: str, rate: str) -> str:
    settings = get_settings()
    terms = f"{settings.financing_min_months} a {settings.financing_max_months} meses"
    return {
        "promotions": "No tengo información de promociones ni de meses sin intereses; "
        "un asesor te dice si hay alguna vigente.",
        "requirements": "Los requisitos, el buró y la aprobación del crédito los revisa un "
        "asesor de la sucursal; yo no puedo confirmarte si te lo aprueban.",
        "used": "Puedo simularte mensualidades de cualquier auto del inventario, nuevo o "
        "seminuevo; si se aprueba el crédito y en qué condiciones te lo confirma un asesor.",
        "rate": f"{rate} La tasa final depende de la aprobación.",
        "included": f"{NOT_INCLUDED_ES} Esos costos y las condiciones del contrato te los "
        "da un asesor.",
        "lenders": "Con qué bancos o financieras trabaja la agencia te lo confirma un asesor.",
        "term": f"Simulo plazos de {terms}.",
    }[topic]


class ActionFinancingInfo(Action):
    def name(self) -> str:
        return "action_financing_info"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        topics = topics_in(latest_text(tracker))[:2]
        with session_scope() as session:
            rate = rate_es(session, tracker)
        if topics:
            lines = [answer_es(topic, rate) for topic in topics]
        else:
            lines = [answer_es("rate", rate), answer_es("requirements", rate)]
        lines.append("¿Te calculo las mensualidades o prefieres que te contacte un asesor?")
        dispatcher.utter_message(text="\n".join(lines), buttons=BUTTONS)
        return []
