"""Financing simulation: the plan for a price, a down payment and a term.

The figures come from `showroom.sales.financing.simulate` (the same function behind
`showroom finance simulate`), with the annual rate of the car's branch (else the
conversation's branch, else the default). Slots:

- `fin_price`: a price the customer gave; empty means the selected car's price;
- `down_payment` (MXN) or `down_payment_pct` (a percentage, re-applied to the price when
  the car changes); `term_months`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common.context import entity_names, entity_value, log_id, rate_branch
from actions.common.errors import apologise_on_failure
from actions.common.interruptions import offer_to_resume
from actions.common.text import to_int, to_number
from actions.search import vehicle_from_message
from showroom.db.models.inventory import Vehicle
from showroom.db.session import session_scope
from showroom.formatting import money
from showroom.inventory.branches import annual_rate
from showroom.inventory.search import get_vehicle
from showroom.sales.financing import (
    FinancingError,
    FinancingPlan,
    down_payment_from_percent,
    simulate,
)

log = logging.getLogger(__name__)

FINANCING_SLOTS = ("fin_price", "down_payment", "down_payment_pct", "term_months")
# Only for a quick answer in the middle of another form; always said out loud.
EXAMPLE_DOWN_PCT = Decimal(20)
EXAMPLE_MONTHS = 48

# What the standard amortisation leaves out; said with every plan (and by
# action_financing_info): Mexican car credit usually adds these on top.
NOT_INCLUDED_ES = "No incluye seguro, comisión por apertura ni IVA de los intereses."
SIMULATION_ONLY_ES = "Es una simulación, sujeta a aprobación de crédito."

NEXT_BUTTONS = [
    {"title": "Agendar prueba de manejo", "payload": "/book_test_drive"},
    {"title": "Hablar con un asesor", "payload": "/request_human"},
]


def percent_es(value: Decimal) -> str:
    """`Decimal("13.9")` -> `"13.9%"`, `Decimal("20.00")` -> `"20%"`."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()
    return f"{rounded:f}%"


@dataclass(frozen=True)
class Inputs:
    price: Decimal
    vehicle: Vehicle | None  # the car the price is from, if any
    down_payment: Decimal | None
    months: int | None


def price_and_vehicle(
    session: Session, values: dict[str, Any]
) -> tuple[Decimal | None, Vehicle | None]:
    """A price the customer gave wins; else the selected car's price."""
    price = to_number(values.get("fin_price"))
    stock_id = values.get("selected_vehicle")
    vehicle = get_vehicle(session, stock_id) if isinstance(stock_id, str) and stock_id else None
    if price is not None and price > 0:
        return price, None
    if vehicle is not None:
        return Decimal(vehicle.price_mxn), vehicle
    return None, None


def down_payment_for(price: Decimal | None, values: dict[str, Any]) -> Decimal | None:
    """A percentage (re-applied to the current price) wins over an amount."""
    pct = to_number(values.get("down_payment_pct"))
    if pct is not None and price is not None:
        try:
            return down_payment_from_percent(price, pct)
        except FinancingError:
            return None
    amount = to_number(values.get("down_payment"))
    return amount if amount is not None and amount >= 0 else None


def plan_message(plan: FinancingPlan, vehicle: Vehicle | None, assumed: list[str]) -> str:
    lines = ["Simulación de crédito 🧮"]
    if vehicle is not None:
        lines.append(f"{vehicle.title}: {money(plan.price)}")
    else:
        lines.append(f"Precio: {money(plan.price)}")
    share = percent_es(plan.down_payment * 100 / plan.price)
    lines += [
        f"Enganche: {money(plan.down_payment)} ({share})",
        f"Plazo: {plan.months} meses · Tasa anual: {percent_es(plan.annual_rate * 100)}",
        f"Mensualidad: {money(plan.monthly_payment)}",
        f"Total pagado: {money(plan.total_paid)} (con enganche)",
    ]
    if assumed:
        lines.append(f"Usé {' y '.join(assumed)} como ejemplo; dime tus números y la recalculo.")
    lines += [NOT_INCLUDED_ES, SIMULATION_ONLY_ES]
    return "\n".join(lines)


def simulate_and_show(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    overrides: dict[str, Any] | None = None,
    allow_examples: bool = False,
) -> list[EventType]:
    """Simulate with the slots (plus `overrides`) and send the plan.

    With `allow_examples` (a quick question in the middle of another form) a missing down
    payment or term is filled with an example value that the message names.
    """
    values = {name: tracker.get_slot(name) for name in (*FINANCING_SLOTS, "selected_vehicle")}
    values.update(overrides or {})
    with session_scope() as session:
        price, vehicle = price_and_vehicle(session, values)
        if price is None:
            dispatcher.utter_message(
                text="Para calcular las mensualidades necesito el auto o su precio. Elige uno "
                'de la lista o dime el precio (por ejemplo "350 mil").'
            )
            return []
        assumed: list[str] = []
        down = down_payment_for(price, values)
        if down is None and allow_examples:
            down = down_payment_from_percent(price, EXAMPLE_DOWN_PCT)
            assumed.append(f"{percent_es(EXAMPLE_DOWN_PCT)} de enganche")
        months = to_int(values.get("term_months"))
        if months is None and allow_examples:
            months = EXAMPLE_MONTHS
            assumed.append(f"{EXAMPLE_MONTHS} meses")
        if down is None or months is None:
            dispatcher.utter_message(text="Me falta el enganche o el plazo para calcular 🙏.")
            return []
        rate = annual_rate(rate_branch(session, tracker, vehicle))
        try:
            plan = simulate(price, down, months, rate)
        except FinancingError as exc:
            log.info("financing rejected conversation=%s reason=%s", log_id(tracker), exc)
            dispatcher.utter_message(text=_problem_es(price, down, months))
            return []
        dispatcher.utter_message(text=plan_message(plan, vehicle, assumed))
        log.info(
            "financing simulated conversation=%s months=%d rate=%s",
            log_id(tracker),
            plan.months,
            plan.annual_rate,
        )
    if assumed:
        return []
    dispatcher.utter_message(
        text='¿Quieres probar otro enganche o plazo? Solo dímelo (por ejemplo "a 60 meses").',
        buttons=NEXT_BUTTONS,
    )
    return [SlotSet("financing_terms", terms_slot(plan, vehicle, values))]


def terms_slot(plan: FinancingPlan, vehicle: Vehicle | None, values: dict[str, Any]) -> dict:
    """What the customer simulated, for the quote (`financing_terms`): a percentage down
    payment stays a percentage, so it follows the quoted price and its discounts."""
    pct = to_number(values.get("down_payment_pct"))
    return {
        "stock_id": vehicle.stock_id if vehicle is not None else None,
        "price": str(plan.price),
        "months": plan.months,
        "down_payment": str(plan.down_payment),
        "down_percent": str(pct) if pct is not None else None,
    }


def _problem_es(price: Decimal, down: Decimal, months: int) -> str:
    if down >= price:
        return f"El enganche tiene que ser menor al precio ({money(price)}). ¿Cuánto darías?"
    if not 12 <= months <= 72:
        return "Manejamos plazos de 12 a 72 meses. ¿A cuántos meses lo quieres?"
    return "No pude calcular con esos números 🙏. ¿Me los confirmas?"


class ActionSimulateFinancing(Action):
    """After the financing form (or as a quick answer during the test-drive booking)."""

    def name(self) -> str:
        return "action_simulate_financing"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        in_other_form = tracker.active_loop_name not in (None, "financing_form")
        events = simulate_and_show(dispatcher, tracker, allow_examples=in_other_form)
        return events + offer_to_resume(tracker)


def mentioned_financing(tracker: Tracker) -> set[str]:
    """Financing slots the latest message gives a value for."""
    names = entity_names(tracker)
    mentioned = set()
    if entity_value(tracker, "amount", role="price") is not None:
        mentioned.add("fin_price")
    if entity_value(tracker, "amount", role="down_payment") is not None:
        mentioned.add("down_payment")
    if "percent" in names:
        mentioned.add("down_payment_pct")
    if "months" in names:
        mentioned.add("term_months")
    return mentioned


class ActionResetFinancing(Action):
    """Before the financing form: a fresh request starts over; one that changes a number
    ("¿y a 60 meses?") keeps the others; one that names a car ("¿y el Jetta a meses?")
    selects that car."""

    def name(self) -> str:
        return "action_reset_financing"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.active_loop_name == "financing_form":
            return []
        mentioned = mentioned_financing(tracker)
        reset = set(FINANCING_SLOTS) - mentioned if not mentioned else set()
        if "down_payment" in mentioned:
            reset.add("down_payment_pct")
        if "down_payment_pct" in mentioned:
            reset.add("down_payment")
        events: list[EventType] = [SlotSet(name, None) for name in FINANCING_SLOTS if name in reset]
        with session_scope() as session:
            vehicle, _problem = vehicle_from_message(session, tracker)
            if vehicle is not None and vehicle.status == "available":
                events.append(SlotSet("selected_vehicle", vehicle.stock_id))
                if "fin_price" not in mentioned and "fin_price" not in reset:
                    events.append(SlotSet("fin_price", None))
        return events
