"""Choosing parts from the list: "la 2", "dame 4", "la 2, dame 4", "4 de la primera".

The chosen parts and their quantities accumulate in `chosen_parts` (a list of
`{"sku": ..., "qty": ...}` in the order chosen) until they are quoted and accepted, so a
customer can pick balatas, then search discos and pick those too, and get one quote.
A quantity is never more than the stock: the customer is told how many there are.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common.context import entity_value, latest_text, log_id
from actions.common.picks import Pick, read_pick
from showroom.db.session import session_scope
from showroom.inventory.parts import get_part, money_mxn
from showroom.inventory.parts.cards import part_title_es

log = logging.getLogger(__name__)

QUOTE_BUTTON = {"title": "Cotizar", "payload": "/request_quote"}
HUMAN_BUTTON = {"title": "Hablar con un asesor", "payload": "/request_human"}


def chosen_parts(tracker: Tracker) -> list[dict[str, Any]]:
    """The chosen parts, cleaned: `[{"sku": str, "qty": int >= 1}]`."""
    chosen = []
    for item in tracker.get_slot("chosen_parts") or []:
        if not isinstance(item, dict) or not isinstance(item.get("sku"), str):
            continue
        qty = item.get("qty")
        qty = int(qty) if isinstance(qty, int | float) and not isinstance(qty, bool) else 1
        chosen.append({"sku": item["sku"], "qty": max(qty, 1)})
    return chosen


def message_pick(tracker: Tracker) -> Pick:
    return read_pick(latest_text(tracker), entity_value(tracker, "option"))


def _with(chosen: list[dict[str, Any]], sku: str, qty: int) -> list[dict[str, Any]]:
    updated = [dict(item) for item in chosen if item["sku"] != sku]
    position = next((i for i, item in enumerate(chosen) if item["sku"] == sku), len(updated))
    updated.insert(position, {"sku": sku, "qty": qty})
    return updated


def apply_pick(
    dispatcher: CollectingDispatcher, tracker: Tracker, pick: Pick, *, confirm: bool = True
) -> list[dict[str, Any]] | None:
    """The chosen parts after `pick`; None when the pick could not be used (the customer
    was told why). `confirm`: say what was noted (off when a quote follows at once)."""
    shown = [str(s) for s in tracker.get_slot("shown_parts") or []]
    chosen = chosen_parts(tracker)
    option = pick.option
    if option == -1:
        option = len(shown) or None
    if option is None:
        if pick.quantity is not None and chosen:
            option_sku = chosen[-1]["sku"]  # "dame 4": the part chosen last
        elif pick.quantity is not None and len(shown) == 1:
            option_sku = shown[0]
        else:
            dispatcher.utter_message(
                text='¿Cuál de la lista? Dime su número y cuántas (por ejemplo "la 2, dame 4").'
            )
            return None
    elif not shown:
        dispatcher.utter_message(text="Aún no te he mostrado piezas. ¿Qué pieza buscas?")
        return None
    elif not 1 <= option <= len(shown):
        dispatcher.utter_message(
            text=f"Solo te mostré {len(shown)}; dime un número del 1 al {len(shown)}."
        )
        return None
    else:
        option_sku = shown[option - 1]
    previous = next((item["qty"] for item in chosen if item["sku"] == option_sku), None)
    wanted = pick.quantity or previous or 1
    with session_scope() as session:
        part = get_part(session, option_sku)
        if part is None:
            dispatcher.utter_message(text="Esa pieza ya no está en el catálogo 😕. ¿Busco otra?")
            return None
        title, price, stock = part_title_es(part), Decimal(part.price_mxn), part.stock
    if stock <= 0:
        dispatcher.utter_message(
            text=f"{title} está sin existencia por ahora 😕. ¿Quieres que un asesor revise si la "
            "puede conseguir, o eliges otra?",
            buttons=[HUMAN_BUTTON],
        )
        return None
    qty = min(wanted, stock)
    updated = _with(chosen, option_sku, qty)
    log.info("part chosen conversation=%s lines=%d", log_id(tracker), len(updated))
    if confirm:
        note = f"Solo hay {stock} en existencia, así que te anoté {stock}. " if wanted > qty else ""
        total = f" · {money_mxn(price * qty)}" if qty > 1 else ""
        dispatcher.utter_message(
            text=f"Anotado ✅ {qty} × {title} ({money_mxn(price)} c/u){total}.\n{note}"
            "¿Te la cotizo? También puedes elegir otra de la lista o buscar otra pieza.",
            buttons=[QUOTE_BUTTON, HUMAN_BUTTON],
        )
    elif wanted > qty:
        dispatcher.utter_message(text=f"De {title} solo hay {stock} en existencia; cotizo {stock}.")
    return updated


def choose_part(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """ "La 2, dame 4" after a parts list (choose_option, or an answer with a quantity)."""
    updated = apply_pick(dispatcher, tracker, message_pick(tracker))
    return [] if updated is None else [SlotSet("chosen_parts", updated)]
