"""Parts search in the chat: "¿tienen balatas para Tsuru 2015?", "ver más", "¿y para 2018?".

The customer's words go to `showroom.inventory.parts.search_parts` as they are (it reads
part words, typos and a vehicle named in the text). The vehicle is, in this order: the one
named in the message (NLU entities, or recognised in the text by the search), the one the
last parts search used or a confirmed VIN gave (`part_vehicle`), the brand/model/year
slots. When the matches depend on the vehicle and none is known (`needs_vehicle`), the bot
asks for it and keeps the words in `part_query`; the answer ("Tsuru 2015", a VIN, a photo
of the registration card) then searches them. When the vehicle is known only in part (a
VIN gives brand and year) and the matches fit several models, or several year ranges of
the model, the bot asks for the model or the year first. A card leaves out which cars the
part fits only when brand, model and year are all known and the part is made for exactly
that car. A VIN typed in the request, or a photo sent with it, is read first (actions/vin.py).

Slots: `part_query` (the words searched), `part_vehicle` ({brand, model, year}),
`shown_parts` (SKUs in the order shown: "la 2" is shown_parts[1]), `parts_offset`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common.context import entity_value, latest_text, log_id, routed_branch
from actions.common.errors import apologise_on_failure
from actions.common.text import to_int
from actions.vin import vin_for_parts
from showroom.db.models.inventory import Branch
from showroom.db.session import session_scope
from showroom.formatting import join_es
from showroom.inventory.parts import (
    PartSearchResult,
    VehicleFilter,
    first_image,
    fits_exactly,
    part_card_es,
    part_fits_es,
    search_parts,
)
from showroom.inventory.parts.cards import own_words, which_car_es
from showroom.inventory.vocabulary import text_key
from showroom.settings import get_settings

log = logging.getLogger(__name__)

HUMAN_BUTTON = {"title": "Hablar con un asesor", "payload": "/request_human"}
MORE_BUTTON = {"title": "Ver más", "payload": "/more_results"}
ASK_VEHICLE = (
    '¿Para qué auto es? Dime marca, modelo y año (por ejemplo "Tsuru 2015"), o mándame el VIN '
    "o una foto de la tarjeta de circulación 📷."
)
_PAYLOAD = re.compile(r"^/\w+(?:\{.*\})?\s*$", re.DOTALL)


@dataclass(frozen=True)
class CarForParts:
    """The customer's vehicle for a parts search (any part may be missing)."""

    brand: str | None = None
    model: str | None = None
    year: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.brand or self.model)

    def label(self) -> str:
        return " ".join(str(p) for p in (self.brand, self.model, self.year) if p)

    def as_slot(self) -> dict[str, Any] | None:
        if self.is_empty and self.year is None:
            return None
        return {"brand": self.brand, "model": self.model, "year": self.year}

    def with_year(self, year: int | None) -> CarForParts:
        return CarForParts(self.brand, self.model, year if year is not None else self.year)

    @classmethod
    def from_slot(cls, value: Any) -> CarForParts | None:
        if not isinstance(value, dict):
            return None
        car = cls(
            _text(value.get("brand")), _text(value.get("model")), plausible_year(value.get("year"))
        )
        return None if car.is_empty and car.year is None else car

    @classmethod
    def from_filter(cls, vehicle: VehicleFilter | None) -> CarForParts | None:
        if vehicle is None or vehicle.is_empty:
            return None
        return cls(vehicle.brand, vehicle.model, vehicle.year)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def plausible_year(value: Any) -> int | None:
    """A vehicle model year (1950 to next year's models), else None."""
    year = to_int(value)
    return year if year is not None and 1950 <= year <= date.today().year + 1 else None


def vehicle_in_message(tracker: Tracker) -> CarForParts | None:
    """Brand/model/year the NLU found in the latest message (None: none named)."""
    car = CarForParts(
        _text(entity_value(tracker, "brand")),
        _text(entity_value(tracker, "model")),
        plausible_year(entity_value(tracker, "year")),
    )
    return None if car.is_empty and car.year is None else car


def remembered_vehicle(tracker: Tracker) -> CarForParts | None:
    """The vehicle of the last parts search or a confirmed VIN, else the search slots."""
    car = CarForParts.from_slot(tracker.get_slot("part_vehicle"))
    if car is not None:
        return car
    slots = CarForParts(
        _text(tracker.get_slot("brand")),
        _text(tracker.get_slot("model")),
        plausible_year(tracker.get_slot("year")),
    )
    return None if slots.is_empty else slots


def query_text(tracker: Tracker) -> str:
    """The customer's words (a button payload such as "/search_part" has none)."""
    text = latest_text(tracker)
    return "" if _PAYLOAD.match(text.strip()) else text


# ------------------------------------------------------------------ searching
def find_parts(
    session: Session,
    words: str,
    car: CarForParts | None,
    branch_code: str | None,
    offset: int = 0,
) -> PartSearchResult:
    return search_parts(
        session,
        words,
        brand=car.brand if car else None,
        model=car.model if car else None,
        year=car.year if car else None,
        branch_code=branch_code,
        limit=get_settings().search_page_size,
        offset=offset,
    )


@dataclass(frozen=True)
class Search:
    words: str  # what was searched (the message, or the pending words)
    result: PartSearchResult
    car: CarForParts | None  # the vehicle used (None: any)


def _same_brand(a: str | None, b: str | None) -> bool:
    return a is None or b is None or text_key(a) == text_key(b)


def completed(
    named: CarForParts, remembered: CarForParts | None, found: VehicleFilter | None
) -> CarForParts:
    """The car named now, completed with what was known of the same car: "es un Versa"
    after a VIN that said Nissan 2019 is a Nissan Versa 2019 (not when the VIN said
    Volkswagen: then it is another car). `found`: what the search made of `named`."""
    if remembered is None:
        return named
    brand = (found.brand if found else None) or named.brand
    if not _same_brand(brand, remembered.brand):
        return named
    model = named.model
    if model is None and remembered.model and _same_brand(named.brand, remembered.brand):
        model = remembered.model
    return CarForParts(
        brand or remembered.brand,
        model,
        named.year if named.year is not None else remembered.year,
    )


def search_for_message(
    session: Session,
    text: str,
    named: CarForParts | None,
    remembered: CarForParts | None,
    pending: str | None,
    branch_code: str | None,
) -> Search:
    """Search the message's words with the right vehicle; a message that names only a
    vehicle ("¿y para 2018?", "es un Versa") searches the pending words for it."""
    year = named.year if named else None
    if named is not None and not named.is_empty:
        result = find_parts(session, text, named, branch_code)
        fuller = completed(named, remembered, result.vehicle)
        if fuller != named:
            result = find_parts(session, text, fuller, branch_code)
    else:
        result = find_parts(session, text, CarForParts(year=year), branch_code)
        if result.vehicle is None and remembered is not None and not remembered.is_empty:
            result = find_parts(session, text, remembered.with_year(year), branch_code)
    car = CarForParts.from_filter(result.vehicle)
    if result.needs_part and not result.ignored and pending and not result.by_sku:
        car = car or (remembered.with_year(year) if remembered else None)
        result = find_parts(session, pending, car, branch_code)
        return Search(pending, result, CarForParts.from_filter(result.vehicle) or car)
    return Search(text, result, car)


# ------------------------------------------------------------------ showing
def _count_es(total: int) -> str:
    return "1 opción" if total == 1 else f"{total} opciones"


def intro_es(search: Search, shown: int) -> str:
    result = search.result
    about = f" para {search.car.label()}" if search.car and not search.car.is_empty else ""
    lead = ""
    if result.dropped:
        dropped = join_es([f"“{own_words(search.words, [w])}”" for w in result.dropped])
        lead = f"No encontré nada con {dropped}; te muestro lo más parecido. "
    if result.total > shown:
        return f"{lead}Encontré {_count_es(result.total)}{about}. Te muestro las {shown} mejores:"
    return f"{lead}Encontré {_count_es(result.total)}{about}:"


def show_parts(
    dispatcher: CollectingDispatcher,
    result: PartSearchResult,
    first_number: int,
    branch: Branch | None,
) -> list[str]:
    """One message per part: its photo and card, numbered for "la 2". Returns the SKUs.

    The card says which cars the part fits unless the customer's car is fully known and
    the part is made for it (`fits_exactly`)."""
    for number, part in enumerate(result.parts, start=first_number):
        text = f"{number}. {part_card_es(part, branch)}"
        fits = "" if fits_exactly(part, result.vehicle) else part_fits_es(part)
        if fits:
            text += f"\n{fits}"
        dispatcher.utter_message(text=text, image=first_image(part))
    return [part.sku for part in result.parts]


def show_part_options(dispatcher: CollectingDispatcher, shown: int, has_more: bool) -> None:
    if shown == 1:
        text = 'Si te interesa, dime cuántas piezas (por ejemplo "la 1, dame 2") y te la cotizo.'
    else:
        text = (
            '¿Te interesa alguna? Dime su número y cuántas piezas (por ejemplo "la 2, dame 4") '
            "y te la cotizo."
        )
    dispatcher.utter_message(
        text=text, buttons=([MORE_BUTTON] if has_more else []) + [HUMAN_BUTTON]
    )


def present_search(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    search: Search,
    customer_text: str,
    branch: Branch | None,
) -> list[EventType]:
    """Tell the customer what the search found (or what is missing) and remember it."""
    result = search.result
    car_slot = search.car.as_slot() if search.car else None
    log.info(
        "parts search conversation=%s total=%d vehicle=%s needs_vehicle=%s needs_part=%s",
        log_id(tracker),
        result.total,
        bool(search.car),
        result.needs_vehicle,
        result.needs_part,
    )
    keep_car = [SlotSet("part_vehicle", car_slot)] if car_slot else []
    no_list = [SlotSet("shown_parts", None), SlotSet("parts_offset", 0)]
    if result.needs_part and result.ignored:
        words = own_words(customer_text, result.ignored)
        dispatcher.utter_message(
            text=f"Por ahora no manejamos {words} 😕. ¿Te ayudo con otra pieza o te comunico con "
            "un asesor?",
            buttons=[HUMAN_BUTTON],
        )
        return [SlotSet("part_query", None), *keep_car, *no_list]
    if result.needs_part:
        about = f" para tu {search.car.label()}" if search.car else ""
        dispatcher.utter_message(
            text=f"¿Qué pieza buscas{about}? Por ejemplo: balatas, amortiguadores o bujías."
        )
        return [SlotSet("part_query", None), *keep_car, *no_list]
    if result.needs_vehicle:
        dispatcher.utter_message(text=ASK_VEHICLE)
        return [SlotSet("part_query", search.words), *no_list]
    if result.needs_model or result.needs_year:
        label = search.car.label() if search.car else ""
        words = own_words(search.words, result.understood) or "piezas"
        models = result.models if result.needs_model else []
        dispatcher.utter_message(text=which_car_es(label, words, models))
        return [SlotSet("part_query", search.words), *keep_car, *no_list]
    if not result.parts:
        words = own_words(search.words, result.understood + result.ignored) or "esa pieza"
        about = f" para {search.car.label()}" if search.car else ""
        dispatcher.utter_message(
            text=f"No encontré {words}{about} en nuestro catálogo 😕. Si quieres, un asesor lo "
            "revisa; o dime otra pieza u otro año.",
            buttons=[HUMAN_BUTTON],
        )
        return [SlotSet("part_query", search.words), *keep_car, *no_list]
    dispatcher.utter_message(text=intro_es(search, len(result.parts)))
    skus = show_parts(dispatcher, result, 1, branch)
    show_part_options(dispatcher, len(skus), result.has_more)
    return [
        SlotSet("part_query", search.words),
        SlotSet("part_vehicle", car_slot),
        SlotSet("shown_parts", skus),
        SlotSet("parts_offset", len(skus)),
    ]


def search_and_present(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    *,
    text: str | None = None,
    car: CarForParts | None = None,
) -> list[EventType]:
    """A parts search for the latest message, or for `text` / `car` when given (the
    pending words after the customer told us the vehicle)."""
    customer_text = query_text(tracker) if text is None else text
    pending = tracker.get_slot("part_query")
    pending = pending if isinstance(pending, str) and pending.strip() else None
    with session_scope() as session:
        branch = routed_branch(session, tracker)
        code = branch.code if branch else None
        if text is not None and car is not None and not car.is_empty:
            result = find_parts(session, text, car, code)
            search = Search(text, result, CarForParts.from_filter(result.vehicle) or car)
        else:
            named = car if car is not None else vehicle_in_message(tracker)
            search = search_for_message(
                session, customer_text, named, remembered_vehicle(tracker), pending, code
            )
        return present_search(dispatcher, tracker, search, customer_text, branch)


def more_parts(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """ "Ver más" after a parts list: the next page, numbered after the previous ones."""
    shown = [str(s) for s in tracker.get_slot("shown_parts") or []]
    words = tracker.get_slot("part_query")
    if not shown or not isinstance(words, str):
        dispatcher.utter_message(text='Primero dime qué pieza buscas 🙂 Por ejemplo: "balatas".')
        return []
    offset = to_int(tracker.get_slot("parts_offset")) or len(shown)
    car = CarForParts.from_slot(tracker.get_slot("part_vehicle"))
    with session_scope() as session:
        branch = routed_branch(session, tracker)
        result = find_parts(session, words, car, branch.code if branch else None, offset)
        if not result.parts:
            dispatcher.utter_message(
                text=f"Ya te mostré todas las opciones que tengo ({result.total}). ¿Busco otra "
                "pieza?"
            )
            return []
        dispatcher.utter_message(text="Aquí van más opciones:")
        new = show_parts(dispatcher, result, len(shown) + 1, branch)
        show_part_options(dispatcher, len(shown) + len(new), result.has_more)
    return [SlotSet("shown_parts", shown + new), SlotSet("parts_offset", offset + len(new))]


class ActionSearchParts(Action):
    """search_part: the best matches with price, stock, branch and photo."""

    def name(self) -> str:
        return "action_search_parts"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events, done = await vin_for_parts(
            dispatcher, tracker, read_photo=vehicle_in_message(tracker) is None
        )
        if done:
            return events
        return events + search_and_present(dispatcher, tracker)
