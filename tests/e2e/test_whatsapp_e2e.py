"""Signed Twilio webhook → gateway → the real Rasa and action server → the real `twilio`
client → a loopback server answering as Twilio's Messages API. Asserts the reply, the
sender number, the stored messages, status callbacks, replays, and Rasa stopped and
restarted in the middle of a conversation.

Relies only on stable behaviour: "hola" gets domain.yml's utter_greet (its buttons as
numbered options), and the "Sucursales y horarios" option runs action_branch_info, which
names the branch the customer wrote to (the branch reaches the action as metadata).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.conftest import messages, seed_branches
from channels.support.app_server import (
    RunningApp,
    gateway_settings,
    serve_app,
    wait_until,
    whatsapp_form,
)
from channels.support.twilio_standin import TwilioStandin
from ruamel.yaml import YAML

from showroom.channels import texts
from showroom.channels.rendering import numbered_options

from .rasa_stack import ROOT, RasaStack

pytestmark = [pytest.mark.rasa, pytest.mark.slow]

CUSTOMER = "+528112345678"


def utter_greet() -> tuple[list[str], list[dict[str, str]]]:
    """The greeting's text variants and its buttons, from the project's domain.yml."""
    domain = YAML(typ="safe").load((ROOT / "domain.yml").read_text())
    variants = domain["responses"]["utter_greet"]
    buttons = variants[0].get("buttons") or []
    return [v["text"] for v in variants], buttons


def branch_info_option() -> str:
    """The number the customer types for the branch-info option of the greeting."""
    _, buttons = utter_greet()
    for number, button in enumerate(buttons, start=1):
        if button["payload"] == "/ask_branch_info":
            return str(number)
    raise AssertionError("utter_greet has no /ask_branch_info option")


def gateway(stack: RasaStack, db_url: str, twilio: TwilioStandin, **overrides: Any) -> Any:
    def make(base_url: str) -> Any:
        values = {
            "rasa_url": stack.rasa_url,
            "action_endpoint_url": stack.action_url,
            "twilio_api_base_url": twilio.base_url,
            "rasa_timeout_s": 60.0,
            "holding_notice_after_s": 30.0,
            "gateway_retry_max_delay_s": 2.0,
            **overrides,
        }
        return gateway_settings(db_url, base_url, **values)

    return serve_app(make)


async def test_whatsapp_turns_through_the_real_rasa_and_action_server(
    running_rasa: RasaStack, stack_db: str, twilio_api: TwilioStandin
) -> None:
    numbers = seed_branches(stack_db)
    greetings, buttons = utter_greet()
    async with gateway(running_rasa, stack_db, twilio_api) as app:
        app: RunningApp  # type: ignore[no-redef]
        hola = await app.send_whatsapp(body="hola", from_phone=CUSTOMER, to=numbers["MTY"])
        assert hola.status_code == 200
        [greet] = await twilio_api.wait_for(1, timeout=60)

        option = branch_info_option()
        form_sid = "SM" + "e2e0" * 8
        form = whatsapp_form(body=option, from_phone=CUSTOMER, to=numbers["MTY"], sid=form_sid)
        await app.post_signed("/webhooks/twilio/whatsapp", form)
        await app.post_signed("/webhooks/twilio/whatsapp", form)  # Twilio retried: same sid
        sent = await twilio_api.wait_for(2, timeout=60)
        await asyncio.sleep(1.0)  # a second answer to the replay would arrive by now

        await twilio_api.send_status(greet, "delivered")
        await twilio_api.send_status(greet, "sent")
        await twilio_api.send_status(greet, "read")

    # the greeting, from the branch's number, with the domain's buttons as numbered options
    assert greet.from_ == "whatsapp:" + numbers["MTY"]
    assert greet.to == "whatsapp:" + CUSTOMER
    assert any(greet.body.startswith(text) for text in greetings)
    lines, _ = numbered_options(buttons)
    assert lines in greet.body
    # the option number became the payload, the action saw the branch from the metadata
    branch_reply = sent[1]
    assert branch_reply.from_ == "whatsapp:" + numbers["MTY"]
    assert "Showroom Monterrey Valle" in branch_reply.body
    assert "Showroom Polanco" not in branch_reply.body
    assert len(twilio_api.sent) == 2

    inbound = messages(stack_db, "in")
    assert [(m.body, m.rasa_text, m.status) for m in inbound] == [
        ("hola", None, "done"),
        (option, "/ask_branch_info", "done"),
    ]
    outbound = messages(stack_db, "out")
    assert [m.provider_sid for m in outbound] == [m.sid for m in twilio_api.sent]
    assert outbound[0].reply_to_id == inbound[0].id and outbound[1].reply_to_id == inbound[1].id
    assert outbound[0].status == "read"
    assert outbound[0].delivered_at is not None and outbound[0].read_at is not None
    assert outbound[1].status == "queued"


async def test_rasa_stopped_mid_conversation_and_restarted_answers_once_in_order(
    running_rasa: RasaStack, stack_db: str, twilio_api: TwilioStandin
) -> None:
    numbers = seed_branches(stack_db)
    greetings, _ = utter_greet()
    async with gateway(running_rasa, stack_db, twilio_api) as app:
        await app.send_whatsapp(body="hola", from_phone=CUSTOMER, to=numbers["CDMX"])
        await twilio_api.wait_for(1, timeout=60)

        running_rasa.stop_rasa()
        await app.send_whatsapp(body=branch_info_option(), from_phone=CUSTOMER, to=numbers["CDMX"])
        await app.send_whatsapp(body="hola", from_phone=CUSTOMER, to=numbers["CDMX"])
        sent = await twilio_api.wait_for(2, timeout=30)
        assert sent[1].body == texts.HOLDING
        await wait_until(lambda: messages(stack_db, "in")[1].attempts >= 2, timeout=30)

        await asyncio.to_thread(running_rasa.start_rasa)
        sent = await twilio_api.wait_for(4, timeout=120)
        await asyncio.sleep(1.0)

    bodies = [m.body for m in twilio_api.sent]
    assert len(bodies) == 4, bodies
    assert any(bodies[0].startswith(t) for t in greetings)
    assert bodies[1] == texts.HOLDING
    assert "Showroom Polanco" in bodies[2]
    assert any(bodies[3].startswith(t) for t in greetings)
    assert {m.from_ for m in twilio_api.sent} == {"whatsapp:" + numbers["CDMX"]}
    inbound = messages(stack_db, "in")
    assert [m.status for m in inbound] == ["done", "done", "done"]
    replies = [m.reply_to_id for m in messages(stack_db, "out") if m.author == "bot"]
    assert replies == [inbound[0].id, inbound[1].id, inbound[2].id]
