"""The assistant end to end on Rasa's REST channel: the real Rasa server with the trained
model, the real action server, the demo inventory in the app database (PostgreSQL under
CI). What the customer reads is checked against the demo CSV and the financing CLI,
computed independently of the conversation.
"""

from __future__ import annotations

import csv
import json
import re
import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from showroom.channels.rasa_client import GATEWAY_ID_KEY, RasaClient
from showroom.cli import main as showroom_cli
from showroom.db.session import session_scope
from showroom.inventory.branch_import import import_branches
from showroom.inventory.vehicle_import import import_vehicles

from .rasa_stack import ROOT, RasaStack

pytestmark = [pytest.mark.rasa, pytest.mark.slow]

DEMO = ROOT / "demo"
# A result card's price line: "$580,900 MXN · Sucursal Cancún Bonampak".
CARD_PRICE_RE = re.compile(r"^\$(\d{1,3}(?:,\d{3})+) MXN · ", re.MULTILINE)


def load_demo(url: str) -> None:
    with session_scope(url) as session:
        import_branches(session, DEMO / "branches.csv")
    with session_scope(url) as session:
        import_vehicles(session, DEMO / "vehicles.csv")


def demo_vehicles() -> list[dict[str, str]]:
    with (DEMO / "vehicles.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


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
    wanted = {
        row["stock_id"]: row
        for row in demo_vehicles()
        if row["body_type"] == "pickup"
        and row["fuel"] == "diesel"
        and Decimal(row["price_mxn"]) <= 600_000
    }
    assert wanted, "the demo inventory has no diesel pickup under 600 mil"
    customer = Customer(rasa_stack)

    results = texts(customer.says("busco una troca diésel de menos de 600 mil"))
    shown = [money(p) for p in CARD_PRICE_RE.findall(results)]
    assert shown, results
    wanted_prices = {Decimal(row["price_mxn"]) for row in wanted.values()}
    assert set(shown) <= wanted_prices, results
    assert f"Encontré {len(wanted)} opciones" in results, results
    for price in shown:
        row = next(r for r in wanted.values() if Decimal(r["price_mxn"]) == price)
        assert row["model"] in results

    chosen = texts(customer.says("me interesa la 1"))
    first_price = shown[0]
    car = next(r for r in wanted.values() if Decimal(r["price_mxn"]) == first_price)
    assert car["model"] in chosen

    customer.says("quiero financiarla")
    customer.says("20% de enganche")
    plan = texts(customer.says("a 48 meses"))

    result = CliRunner().invoke(
        showroom_cli,
        [
            "finance",
            "simulate",
            "--price",
            car["price_mxn"],
            "--down",
            "20%",
            "--months",
            "48",
            "--branch",
            car["branch"],
        ],
    )
    assert result.exit_code == 0, result.output
    expected = json.loads(result.output)
    assert f"${Decimal(expected['monthly_payment']):,.2f} MXN" in plan or (
        f"${Decimal(expected['monthly_payment']):,.0f} MXN" in plan
    ), (expected, plan)


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
    client = RasaClient(rasa_stack.rasa_url, timeout_s=30)
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
    finally:
        await client.close()
