"""Vehicle search: start a search, show results, "ver más", "me interesa el 2".

The filters live in slots (brand, model, body_type, transmission, fuel, condition, year,
budget). `action_reset_search` runs before the search form on every new `search_vehicle`
and decides which of the previous filters still apply (see `filters_to_reset`).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common.context import (
    entity_names,
    entity_value,
    latest_text,
    log_id,
    routed_branch,
)
from actions.common.errors import apologise_on_failure
from actions.common.flow import last_list
from actions.common.interruptions import offer_to_resume
from actions.common.text import to_int, to_number
from actions.parts import more_parts
from actions.parts_choice import choose_part, message_pick
from showroom.db.models.inventory import Vehicle
from showroom.db.session import session_scope
from showroom.inventory.describe import describe_wanted_es
from showroom.inventory.search import (
    SearchResult,
    VehicleQuery,
    describe_filters_es,
    describe_relaxed_es,
    find_vehicle_by_name,
    get_vehicle,
    search_vehicles,
    vehicle_card_es,
)
from showroom.inventory.text_match import match_vehicle_names
from showroom.inventory.vocabulary import text_key
from showroom.settings import get_settings

log = logging.getLogger(__name__)

SUBJECT = ("brand", "model", "body_type")
REFINEMENTS = ("transmission", "fuel", "condition", "year")
FILTERS = (*SUBJECT, *REFINEMENTS, "budget")
LIST_SLOTS = ("shown_vehicles", "search_offset")

AFTER_LIST_BUTTONS = [
    {"title": "Calcular mensualidades", "payload": "/ask_financing"},
    {"title": "Agendar prueba de manejo", "payload": "/book_test_drive"},
]
MORE_BUTTON = {"title": "Ver más", "payload": "/more_results"}
AFTER_CHOICE_BUTTONS = [
    {"title": "Calcular mensualidades", "payload": "/ask_financing"},
    {"title": "Agendar prueba de manejo", "payload": "/book_test_drive"},
    {"title": "Pedir cotización", "payload": "/request_quote"},
    {"title": "Hablar con un asesor", "payload": "/request_human"},
]
DESCRIPTION_CHARS = 280
EXTRA_PHOTOS = 2


# ------------------------------------------------------------------ filters
def mentioned_filters(tracker: Tracker) -> set[str]:
    """Filter slots the latest message talks about (a role-less amount counts as budget)."""
    names = entity_names(tracker)
    mentioned = {name for name in (*SUBJECT, *REFINEMENTS) if name in names}
    if budget_in_message(tracker) is not None:
        mentioned.add("budget")
    return mentioned


def budget_in_message(tracker: Tracker) -> Decimal | None:
    value = entity_value(tracker, "amount", role="budget")
    if value is None and entity_value(tracker, "amount", role="down_payment") is None:
        # "una suv de 400 mil": an amount with no role in a search is the budget
        roleless = [
            e.get("value")
            for e in (tracker.latest_message or {}).get("entities") or []
            if e.get("entity") == "amount" and not e.get("role")
        ]
        value = roleless[0] if roleless else None
    return to_number(value)


def filters_to_reset(mentioned: set[str], had_search: bool) -> set[str]:
    """Which previous filters a new request drops (the customer's expectation, not a rule
    of the database):

    - nothing said ("quiero ver otro carro"): start over, the form asks again;
    - only refinements ("¿y automáticas?"): keep the rest of the previous search;
    - a new subject: a named model drops the other subject filters, the refinements and the
      budget (asking for a Hilux means the Hilux, whatever was said for sedans); a brand or
      body type drops the other subject filters and refinements but keeps the budget (the
      customer's wallet did not change).
    """
    if not mentioned:
        return set(FILTERS)
    subject = mentioned & set(SUBJECT)
    if not subject or not had_search:
        return set()
    dropped = set(SUBJECT) | set(REFINEMENTS)
    if "model" in subject:
        dropped.add("budget")
    if "brand" in subject and "model" not in subject and "body_type" not in subject:
        dropped.discard("body_type")  # "¿y de Mazda?" after SUVs: Mazda SUVs
    return dropped - mentioned


def had_search(tracker: Tracker) -> bool:
    return bool(tracker.get_slot("shown_vehicles")) or any(
        tracker.get_slot(name) is not None for name in FILTERS
    )


def query_from(values: dict[str, Any], branch_code: str | None) -> VehicleQuery:
    body_type = values.get("body_type")
    budget = to_number(values.get("budget"))
    year = to_int(values.get("year"))
    return VehicleQuery(
        brand=values.get("brand") or None,
        model=values.get("model") or None,
        body_type=None if body_type in (None, "any") else str(body_type),
        transmission=values.get("transmission") or None,
        fuel=values.get("fuel") or None,
        condition=values.get("condition") or None,
        year_min=year if year and year > 1900 else None,
        max_price=budget if budget and budget > 0 else None,
        branch_code=branch_code,
    )


def current_filters(tracker: Tracker, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    values = {name: tracker.get_slot(name) for name in FILTERS}
    values.update(overrides or {})
    return values


# ------------------------------------------------------------------ showing results
def _count_es(total: int) -> str:
    return "1 opción" if total == 1 else f"{total} opciones"


def _intro(result: SearchResult, asked: VehicleQuery, shown: int) -> str:
    wanted = describe_filters_es(asked)
    if result.relaxed:
        missing = describe_wanted_es(asked)
        not_found = f"No encontré {missing} 😕. " if missing else "No encontré eso exactamente 😕. "
        return (
            f"{not_found}Ampliando la búsqueda a {describe_relaxed_es(result.relaxed)}, "
            f"encontré {_count_es(result.total)}:"
        )
    about = f" ({wanted})" if wanted else ""
    if result.total > shown:
        return f"Encontré {_count_es(result.total)}{about}. Te muestro las {shown} mejores:"
    return f"Encontré {_count_es(result.total)}{about}:"


def show_vehicles(
    dispatcher: CollectingDispatcher, vehicles: list[Vehicle], first_number: int
) -> None:
    """One message per car: its first photo and its card, numbered as the customer will
    choose it ("me interesa el 2")."""
    for number, vehicle in enumerate(vehicles, start=first_number):
        photo = vehicle.photo_urls[0] if vehicle.photo_urls else None
        dispatcher.utter_message(text=f"{number}. {vehicle_card_es(vehicle)}", image=photo)


def show_options(dispatcher: CollectingDispatcher, shown: int, has_more: bool) -> None:
    """What next, after a list; `shown` is how many cars the customer has seen so far."""
    buttons = ([MORE_BUTTON] if has_more else []) + AFTER_LIST_BUTTONS
    if shown == 1:
        text = '¿Te interesa? Responde "el 1" y te doy más detalles.'
    else:
        text = '¿Te interesa alguno? Dime su número (por ejemplo "el 2").'
    dispatcher.utter_message(text=text, buttons=buttons)


def search_and_show(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    overrides: dict[str, Any] | None = None,
) -> list[EventType]:
    """A new result list (offset 0) for the current filters plus `overrides`."""
    values = current_filters(tracker, overrides)
    with session_scope() as session:
        branch = routed_branch(session, tracker)
        query = query_from(values, branch.code if branch is not None else None)
        page = get_settings().search_page_size
        result = search_vehicles(session, query, offset=0, limit=page)
        log.info(
            "search conversation=%s total=%d relaxed=%s",
            log_id(tracker),
            result.total,
            ",".join(result.relaxed) or "-",
        )
        if not result.vehicles:
            dispatcher.utter_message(
                text="Por ahora no tengo autos disponibles que coincidan 😕. Puedes probar con "
                "otro tipo de auto u otro presupuesto, o pedirme hablar con un asesor."
            )
            return [SlotSet("shown_vehicles", None), SlotSet("search_offset", 0)]
        dispatcher.utter_message(text=_intro(result, query.normalized(), len(result.vehicles)))
        show_vehicles(dispatcher, result.vehicles, first_number=1)
        shown = [v.stock_id for v in result.vehicles]
        show_options(dispatcher, len(shown), result.has_more)
    return [SlotSet("shown_vehicles", shown), SlotSet("search_offset", len(shown))]


class ActionResetSearch(Action):
    """Before the search form: forget the previous filters the new request replaces."""

    def name(self) -> str:
        return "action_reset_search"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.active_loop_name == "vehicle_search_form":
            return []  # asked again in the middle of the form: keep what was said
        mentioned = mentioned_filters(tracker)
        events = [
            SlotSet(name, None)
            for name in FILTERS
            if name in filters_to_reset(mentioned, had_search(tracker))
        ]
        budget = budget_in_message(tracker)
        if budget is not None:  # a role-less amount, which the slot mapping did not take
            events.append(SlotSet("budget", float(budget)))
        return [*events, SlotSet("shown_vehicles", None), SlotSet("search_offset", 0)]


class ActionSearchVehicles(Action):
    """After the search form: the best matches, relaxed and explained when nothing fits."""

    def name(self) -> str:
        return "action_search_vehicles"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return search_and_show(dispatcher, tracker) + offer_to_resume(tracker)


class ActionMoreResults(Action):
    """ "Ver más": the next page of the same search (cars, or parts when the last list
    was of parts), numbered after the previous ones."""

    def name(self) -> str:
        return "action_more_results"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if last_list(tracker) == "parts":
            return more_parts(dispatcher, tracker)
        shown = list(tracker.get_slot("shown_vehicles") or [])
        if not shown:
            dispatcher.utter_message(
                text='Primero dime qué buscas 🙂 Por ejemplo: "una SUV de hasta 400 mil".'
            )
            return []
        offset = to_int(tracker.get_slot("search_offset")) or len(shown)
        with session_scope() as session:
            branch = routed_branch(session, tracker)
            query = query_from(current_filters(tracker), branch.code if branch else None)
            page = get_settings().search_page_size
            result = search_vehicles(session, query, offset=offset, limit=page)
            if not result.vehicles:
                dispatcher.utter_message(
                    text=f"Ya te mostré todas las opciones que tengo ({result.total}). "
                    "¿Quieres cambiar algo? Por ejemplo el tipo de auto o el presupuesto."
                )
                return []
            dispatcher.utter_message(text="Aquí van más opciones:")
            show_vehicles(dispatcher, result.vehicles, first_number=len(shown) + 1)
            new = [v.stock_id for v in result.vehicles]
            show_options(dispatcher, len(shown) + len(new), result.has_more)
        return [
            SlotSet("shown_vehicles", shown + new),
            SlotSet("search_offset", offset + len(new)),
        ]


# ------------------------------------------------------------------ choosing a car
def vehicle_from_message(session: Session, tracker: Tracker) -> tuple[Vehicle | None, str | None]:
    """The car the latest message points at: a list number, or a brand/model (preferring the
    cars just shown). Returns (vehicle, problem): `problem` is a Spanish sentence when the
    message points at nothing usable."""
    shown = [str(s) for s in tracker.get_slot("shown_vehicles") or []]
    option = to_int(entity_value(tracker, "option"))
    if option is not None:
        if not shown:
            return None, "Aún no te he mostrado opciones. ¿Qué auto buscas?"
        if not 1 <= option <= len(shown):
            return None, f"Solo te mostré {len(shown)}; dime un número del 1 al {len(shown)}."
        return get_vehicle(session, shown[option - 1]), None
    brand, model = entity_value(tracker, "brand"), entity_value(tracker, "model")
    if not brand and not model:
        brand, model = match_vehicle_names(session, latest_text(tracker))
    if not brand and not model:
        return None, None
    for stock_id in shown:
        vehicle = get_vehicle(session, stock_id)
        if vehicle is not None and _same_name(vehicle, brand, model):
            return vehicle, None
    branch = routed_branch(session, tracker)
    found = find_vehicle_by_name(session, brand, model, branch.code if branch else None)
    if found is None:
        name = " ".join(str(part) for part in (brand, model) if part)
        return None, f"No tengo {name} disponible en este momento 😕."
    return found, None


def names_a_car_only(tracker: Tracker) -> bool:
    """ "El Jetta": a brand or model and no list position or quantity."""
    return bool(entity_names(tracker) & {"brand", "model"}) and message_pick(tracker).is_empty


def _same_name(vehicle: Vehicle, brand: Any, model: Any) -> bool:
    if model and text_key(str(model)) not in (vehicle.model_key, text_key(vehicle.model)):
        return False
    return not brand or text_key(str(brand)) == vehicle.brand_key


def _short(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def present_choice(dispatcher: CollectingDispatcher, vehicle: Vehicle) -> None:
    """The chosen car: card with photo, a few more photos, the description, what next."""
    photos = list(vehicle.photo_urls or [])
    text = f"¡Buena elección! 👌\n{vehicle_card_es(vehicle)}"
    if vehicle.description:
        text += f"\n{_short(vehicle.description)}"
    dispatcher.utter_message(text=text, image=photos[0] if photos else None)
    for photo in photos[1 : 1 + EXTRA_PHOTOS]:
        dispatcher.utter_message(image=photo)
    dispatcher.utter_message(text="¿Qué quieres hacer?", buttons=AFTER_CHOICE_BUTTONS)


class ActionSelectVehicle(Action):
    """ "Me interesa el 2" / "el Jetta": remember the car, show it, offer the next steps.
    After a list of parts, "la 2, dame 4" chooses a part instead (actions/parts_choice.py)."""

    def name(self) -> str:
        return "action_select_vehicle"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if last_list(tracker) == "parts" and not names_a_car_only(tracker):
            return choose_part(dispatcher, tracker)
        with session_scope() as session:
            vehicle, problem = vehicle_from_message(session, tracker)
            if vehicle is None:
                dispatcher.utter_message(
                    text=problem
                    or '¿Cuál te interesa? Dime su número de la lista (por ejemplo "el 2").'
                )
                return []
            if vehicle.status != "available":
                dispatcher.utter_message(
                    text=f"El {vehicle.title} ya no está disponible 😕. ¿Te muestro otras "
                    "opciones parecidas?",
                    buttons=[{"title": "Ver más", "payload": "/more_results"}],
                )
                return []
            present_choice(dispatcher, vehicle)
            stock_id = vehicle.stock_id
        log.info("vehicle selected conversation=%s stock=%s", log_id(tracker), stock_id)
        # a new car: financing uses its price, not a price the customer typed before
        return [SlotSet("selected_vehicle", stock_id), SlotSet("fin_price", None)]
