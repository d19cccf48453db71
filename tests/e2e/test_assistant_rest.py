"""The assistant end to end on Rasa's REST channel: the real Rasa server with the trained
model, the real action server, the demo inventory in the app database (PostgreSQL under
CI). What the customer reads is checked against the inventory rows (an SQL query with the
same filters, in the contract's order) and the `showroom finance simulate` command run in
its own process, both computed independently of the conversation.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from ruamel.yaml import YAML
from sqlalchemy import text

from showroom.channels.rasa_client import GATEWAY_ID_KEY, RasaClient
from showroom.db.session import session_scope
from showroom.inventory.branch_import import import_branches
from showroom.inventory.vehicle_import import import_vehicles
from showroom.settings import get_settings

from .rasa_stack import ROOT, RasaStack

pytestmark = [pytest.mark.rasa, pytest.mark.slow]

DEMO = ROOT / "demo"
SHOWROOM = ROOT / ".venv" / "bin" / "showroom"
BUDGET = Decimal(600_000)
# the contract's labels on a result card (docs/services-api.md, vehicle_card_es)
TRANSMISSION_ES = {"automatica": "Automática", "manual": "Manual"}
FUEL_ES = {
    "diesel": "Diésel",
    "gasolina": "Gasolina",
    "hibrido": "Híbrido",
    "electrico": "Eléctrico",
}
CARD_RE = re.compile(r"^\d+\. ")


def load_demo(url: str) -> None:
    with session_scope(url) as session:
        import_branches(session, DEMO / "branches.csv")
    with session_scope(url) as session:
        import_vehicles(session, DEMO / "vehicles.csv")


def demo_photos() -> dict[str, list[str]]:
    with (DEMO / "vehicles.csv").open(encoding="utf-8") as handle:
        return {row["stock_id"]: row["photo_urls"].split("|") for row in csv.DictReader(handle)}


def diesel_pickups_under(url: str, budget: Decimal) -> list[dict[str, Any]]:
    """The available diesel pickups up to `budget`, in the contract's order (price closest
    below the budget first, then newest, lowest km), straight from the tables in SQL."""
    query = text(
        "select v.stock_id, v.brand, v.model, v.version, v.year, v.mileage_km, v.price_mxn,"
        " v.transmission, v.fuel, b.code as branch, b.name as branch_name"
        " from vehicles v join branches b on b.id = v.branch_id"
        " where v.body_type = 'pickup' and v.fuel = 'diesel' and v.status = 'available'"
        " and v.price_mxn <= :budget"
        " order by v.price_mxn desc, v.year desc, v.mileage_km, v.id"
    )
    with session_scope(url) as session:
        rows = [dict(row._mapping) for row in session.execute(query, {"budget": budget})]
    for row in rows:  # SQLite hands a raw query's NUMERIC back as a float
        row["price_mxn"] = Decimal(str(row["price_mxn"])).quantize(Decimal("0.01"))
    return rows


def mxn(amount: Decimal | str) -> str:
    """The contract's money format: `$389,900 MXN`, centavos only when not zero."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    return f"${value:,.0f} MXN" if value == value.to_integral_value() else f"${value:,.2f} MXN"


def card(row: dict[str, Any]) -> str:
    """A result card written out from the inventory row, as the customer must read it."""
    return (
        f"{row['brand']} {row['model']} {row['year']} · {row['version']}\n"
        f"{row['mileage_km']:,} km · {TRANSMISSION_ES[row['transmission']]} · "
        f"{FUEL_ES[row['fuel']]}\n"
        f"{mxn(row['price_mxn'])} · Sucursal {row['branch_name']}"
    )


def finance_simulate(price: Decimal, down: str, months: int, branch: str) -> dict[str, str]:
    """The real `showroom finance simulate` command, in its own process, on the same data."""
    done = subprocess.run(
        [str(SHOWROOM), "finance", "simulate", "--price", str(price), "--down", down,
         "--months", str(months), "--branch", branch],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    plan: dict[str, str] = json.loads(done.stdout)
    return plan


class Customer:
    """One REST-channel conversation."""

    def __init__(self, stack: RasaStack) -> None:
        self.url = stack.rasa_url + "/webhooks/rest/webhook"
        self.sender = f"rest-{uuid.uuid4().hex[:12]}"

    def says(self, text: str) -> list[dict[str, Any]]:
        response = httpx.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        response.raise_for_status()
        replies: list[dict[str, Any]] = response.json()
        assert replies, f"no reply to {text!r}"
        return replies


def texts(replies: list[dict[str, Any]]) -> str:
    return "\n".join(str(reply.get("text", "")) for reply in replies)


def test_diesel_pickup_under_600k_then_financing(rasa_stack: RasaStack, stack_db: str) -> None:
    load_demo(stack_db)
    wanted = diesel_pickups_under(stack_db, BUDGET)
    page = get_settings().search_page_size
    assert len(wanted) > page, "the demo inventory needs more diesel pickups under 600 mil"
    customer = Customer(rasa_stack)

    replies = customer.says("busco una troca diésel de menos de 600 mil")
    said = [str(r["text"]) for r in replies if r.get("text")]
    assert said[0].startswith(f"Encontré {len(wanted)} opciones"), said
    cards = [t for t in said if CARD_RE.match(t)]
    # exactly the best `page` inventory rows, numbered, each with its own first photo
    assert cards == [f"{n}. {card(row)}" for n, row in enumerate(wanted[:page], start=1)], said
    photos = demo_photos()
    images = [r["image"] for r in replies if r.get("image")]
    assert images == [photos[row["stock_id"]][0] for row in wanted[:page]]

    car = wanted[0]
    chosen = texts(customer.says("me interesa la 1"))
    assert f"¡Buena elección! 👌\n{card(car)}" in chosen, chosen

    customer.says("quiero financiarla")
    # bare numbers answer the form's questions: "20" could be 20 mil or 20 %, so it asks
    asked = texts(customer.says("20"))
    assert '¿Son $20,000 MXN o 20%? Escríbelo así: "20 mil" o "20%".' in asked, asked
    customer.says("20% de enganche")
    replies = customer.says("48")

    expected = finance_simulate(car["price_mxn"], "20%", 48, car["branch"])
    rate = (Decimal(expected["annual_rate"]) * 100).normalize()
    plan = next((str(r["text"]) for r in replies if "Mensualidad" in str(r.get("text"))), "")
    assert plan.splitlines() == [
        "Simulación de crédito 🧮",
        f"{car['brand']} {car['model']} {car['year']}: {mxn(expected['price'])}",
        f"Enganche: {mxn(expected['down_payment'])} (20%)",
        f"Plazo: 48 meses · Tasa anual: {rate:f}%",
        f"Mensualidad: {mxn(expected['monthly_payment'])}",
        f"Total pagado: {mxn(expected['total_paid'])} (con enganche)",
        "No incluye seguro, comisión por apertura ni IVA de los intereses.",
        "Es una simulación, sujeta a aprobación de crédito.",
    ], texts(replies)


def test_a_trade_in_in_the_middle_of_the_booking_then_back(
    rasa_stack: RasaStack, stack_db: str
) -> None:
    """Another flow started inside a form runs, then the bot offers to come back to the
    first form, which continues where it was (actions/resume.py)."""
    load_demo(stack_db)
    customer = Customer(rasa_stack)
    assert "¿Qué auto te gustaría manejar?" in texts(
        customer.says("quiero agendar una prueba de manejo")
    )
    brand = texts(customer.says("oye y me toman mi carro a cuenta?"))
    assert "¿De qué marca es?" in brand, brand
    customer.says("es un Nissan")
    customer.says("es un Tsuru")
    customer.says("del 2012")
    done = texts(customer.says("tiene como 150"))  # a bare number: 150 mil km
    assert "Registré tu Nissan Tsuru 2012 con 150,000 km" in done, done
    assert done.endswith("¿Seguimos con tu cita de prueba de manejo?"), done
    back = texts(customer.says("si"))
    assert back.startswith("¿Qué auto te gustaría manejar?"), back


@pytest.mark.parametrize(
    ("message", "response"),
    [
        ("hola buenas noches", "utter_greet"),
        ("hi, do you have any cars for sale? I need help please", "utter_only_spanish"),
    ],
)
def test_fixed_answers_come_from_the_domain(
    rasa_stack: RasaStack, stack_db: str, message: str, response: str
) -> None:
    domain = YAML(typ="safe").load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    variants = {variant["text"] for variant in domain["responses"][response]}
    replies = Customer(rasa_stack).says(message)
    assert replies[0]["text"] in variants, replies


async def test_the_tracker_gives_back_a_turns_replies_as_rest_did(
    rasa_stack: RasaStack, stack_db: str
) -> None:
    """What the gateway uses to avoid a second turn after a timeout (rasa_client.py)."""
    load_demo(stack_db)
    client = RasaClient(rasa_stack.rasa_url, timeout_s=30, token=rasa_stack.token)
    anonymous = RasaClient(rasa_stack.rasa_url, timeout_s=30)
    sender = f"replay-{uuid.uuid4().hex[:8]}"
    try:
        assert await client.replies_already_given(sender, "41") is None
        first = await client.send(sender, "hola", {GATEWAY_ID_KEY: "41"})
        second = await client.send(sender, "busco una suv automatica", {GATEWAY_ID_KEY: "42"})
        assert len(second) >= 1
        strip = [{k: v for k, v in r.items() if k != "recipient_id"} for r in first + second]
        assert await client.replies_already_given(sender, "41") == strip[: len(first)]
        assert await client.replies_already_given(sender, "42") == strip[len(first) :]
        assert await client.replies_already_given(sender, "43") is None
        # Rasa runs with --auth-token: without it the tracker is refused (no replies found)
        assert await anonymous.replies_already_given(sender, "41") is None
    finally:
        await client.close()
        await anonymous.close()
