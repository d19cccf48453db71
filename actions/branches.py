"""`action_branch_info`: address, hours (es-MX), whether it is open now, map link.

Which branches: those in the city the customer names now; else the branch they wrote to;
else the city they named earlier; else all of them. A city without a branch says so and
lists the others.
"""

from __future__ import annotations

from datetime import datetime

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import clock
from actions.common.context import Metadata, entity_value
from actions.common.errors import apologise_on_failure
from showroom.db.models.inventory import Branch
from showroom.db.session import session_scope
from showroom.formatting import datetime_es, hours_es
from showroom.inventory.branches import (
    branch_hours,
    branch_zone,
    get_branch,
    list_branches,
    map_link,
)
from showroom.inventory.vocabulary import fold

MAX_LISTED = 6


def open_now_es(branch: Branch, now: datetime | None = None) -> str:
    """ "Abierto ahora" / "Cerrado ahora; abre el lunes 30 de noviembre, 9:00"."""
    local = (now or clock.now()).astimezone(branch_zone(branch))
    hours = branch_hours(branch)
    if hours.is_open(local):
        return "Abierto ahora ✅"
    return f"Cerrado ahora; abre el {datetime_es(hours.next_open(local))}"


def address_es(branch: Branch) -> str:
    """The address, with the city unless the address already names it."""
    if not branch.city or fold(branch.city) in fold(branch.address):
        return branch.address
    return f"{branch.address}, {branch.city}"


def branch_card_es(branch: Branch, now: datetime | None = None) -> str:
    return "\n".join(
        [
            f"📍 {branch.name}",
            address_es(branch),
            f"Horario: {hours_es(branch_hours(branch))}",
            open_now_es(branch, now),
            map_link(branch),
        ]
    )


class ActionBranchInfo(Action):
    def name(self) -> str:
        return "action_branch_info"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        city = entity_value(tracker, "city")
        with session_scope() as session:
            branches: list[Branch] = []
            intro = ""
            if isinstance(city, str) and city.strip():
                branches = list_branches(session, city)
                if not branches:
                    intro = f"No tenemos sucursal en {city.strip()} 😕. Estas son las nuestras:"
            if not branches and not intro:
                code = Metadata.from_tracker(tracker).branch
                routed = get_branch(session, code) if code else None
                branches = [routed] if routed is not None else []
            earlier_city = tracker.get_slot("city")
            if not branches and not intro and isinstance(earlier_city, str) and earlier_city:
                branches = list_branches(session, earlier_city)
            if not branches:
                branches = list_branches(session)
                if len(branches) > 1 and not intro:
                    intro = "Estas son nuestras sucursales:"
            if not branches:
                dispatcher.utter_message(
                    text="Por ahora no tengo los datos de las sucursales 🙏. Pídeme hablar con un "
                    "asesor y te ayudamos."
                )
                return []
            if intro:
                dispatcher.utter_message(text=intro)
            for branch in branches[:MAX_LISTED]:
                dispatcher.utter_message(text=branch_card_es(branch))
        return []
