"""Signed Twilio webhook → gateway → the real Rasa and action server → the real `twilio`
client → a loopback server answering as Twilio's Messages API. Asserts the reply, the
sender number, the stored messages, status callbacks, replays, Rasa stopped and restarted
in the middle of a conversation, the action server killed in the middle of a turn, media
both ways (a customer's photo fetched from the stand-in and read by the VIN action; the
inventory's car photos sent as MediaUrl), and that the actions find the customer without
a phone number, a profile name or a Twilio URL in Rasa's metadata.

Relies only on stable behaviour: "hola" gets domain.yml's utter_greet (its buttons as
numbered options), and the "Sucursales y horarios" option runs action_branch_info, which
names the branch the customer wrote to (the branch reaches the action as metadata).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
from typing import Any

import httpx
import pytest
from channels.conftest import messages, seed_branches, sends_settled
from channels.support.app_server import (
    RunningApp,
    gateway_settings,
    serve_app,
    wait_until,
    whatsapp_form,
)
from channels.support.twilio_standin import TwilioStandin
from ruamel.yaml import YAML
from sqlalchemy import select

from showroom.channels import texts
from showroom.channels.rasa_client import GATEWAY_ID_KEY as GATEWAY_ID
from showroom.channels.rendering import numbered_options
from showroom.db.models.conversations import Conversation, Message
from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch
from showroom.db.models.leads import HandoffRequest
from showroom.db.session import session_scope
from showroom.settings import get_settings
from showroom.vin.synthetic import make_sample, random_vin

from .rasa_stack import ROOT, RasaStack
from .test_assistant_rest import BUDGET, card, demo_photos, diesel_pickups_under, load_demo

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
            "rasa_token": stack.token,
            "action_endpoint_url": stack.action_url,
            "twilio_api_base_url": twilio.base_url,
            # photos are served by the Twilio stand-in (as Twilio serves MediaUrl0) and
            # stored where the action server reads them (one MEDIA_DIR, as deployed)
            "media_loopback_host": twilio.host,
            "media_dir": stack.workdir / "media",
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


async def test_a_turn_the_gateway_gave_up_waiting_for_is_found_in_rasas_tracker(
    running_rasa: RasaStack, stack_db: str, twilio_api: TwilioStandin
) -> None:
    """The gateway stops waiting 5 ms after sending the turn, long before Rasa has finished
    the greeting (NLU, policies, the tracker store; 50 ms was sometimes enough for it):
    the retry asks Rasa's tracker (its HTTP API, with RASA_TOKEN, as Rasa runs with
    --auth-token) and sends the greeting Rasa gave — no second turn in Rasa."""
    numbers = seed_branches(stack_db)
    greetings, _ = utter_greet()
    customer = "+528112340099"
    async with gateway(running_rasa, stack_db, twilio_api, rasa_timeout_s=0.005) as app:
        await app.send_whatsapp(body="hola", from_phone=customer, to=numbers["MTY"])
        await turn_answered(stack_db, twilio_api)
        await asyncio.sleep(1.0)  # a second turn's answer would arrive by now
    [inbound] = _inbound_of(stack_db, customer)
    assert inbound.status == "done" and inbound.attempts >= 1  # it did time out
    bodies = [m.body for m in twilio_api.sent]
    assert bodies[0] == texts.HOLDING
    assert len(bodies) == 2 and any(bodies[1].startswith(t) for t in greetings), bodies
    with session_scope(stack_db) as session:
        key = session.get(Conversation, inbound.conversation_id).key  # type: ignore[union-attr]
    events = (await _tracker(running_rasa, key))["events"]
    assert _replies_per_turn(events, str(inbound.id)) == [1]  # one turn, one greeting


def vin_photo() -> tuple[bytes, str]:
    """A customer's clear photo of a VIN sticker (JPEG bytes) and the VIN on it."""
    rng = random.Random(21)
    vin = random_vin(rng, wmi="3VW", year=2019)
    sample = make_sample(vin, "easy", rng, layout="sticker", font="DejaVuSansMono.ttf", size=40)
    return sample.jpeg, vin


async def test_media_both_ways_and_the_customer_found_without_a_phone_in_rasa(
    running_rasa: RasaStack, stack_db: str, twilio_api: TwilioStandin
) -> None:
    load_demo(stack_db)
    wanted = diesel_pickups_under(stack_db, BUDGET)[: get_settings().search_page_size]
    branch_number = _branch_number(stack_db, "MTY")
    photo, vin = vin_photo()
    photo_url = twilio_api.add_media(photo, "image/jpeg")
    async with gateway(running_rasa, stack_db, twilio_api) as app:
        await app.send_whatsapp(
            body="busco una troca diésel de menos de 600 mil",
            from_phone=CUSTOMER,
            to=branch_number,
        )
        searched = await turn_answered(stack_db, twilio_api)

        # a photo of the VIN, no text: fetched from Twilio's media URL, read by the action
        await app.send_whatsapp(
            body="", from_phone=CUSTOMER, to=branch_number, media=[(photo_url, "image/jpeg")]
        )
        photo_turn = await turn_answered(stack_db, twilio_api)
        read = "\n".join(m.body for m in twilio_api.sent[searched:photo_turn])

        await app.send_whatsapp(
            body="quiero hablar con un asesor", from_phone=CUSTOMER, to=branch_number
        )
        await turn_answered(stack_db, twilio_api)
        handoff = "\n".join(m.body for m in twilio_api.sent[photo_turn:])

    # each result card is followed by its car's photo as media (Rasa's REST channel hands
    # a text and an image of one utterance over as two messages); the branch's cars come
    # first, so the order is the search's, but each photo must be its card's car's own
    photos = demo_photos()
    by_card = {card(row): row for row in diesel_pickups_under(stack_db, BUDGET)}
    searched_sent = twilio_api.sent[:searched]
    with_media = [n for n, m in enumerate(searched_sent) if m.media_urls]
    assert len(with_media) == len(wanted), [(m.body[:60], m.media_urls) for m in searched_sent]
    for n in with_media:
        caption = searched_sent[n].body or searched_sent[n - 1].body
        row = by_card[caption.split(". ", 1)[1]]
        assert searched_sent[n].media_urls == [photos[row["stock_id"]][0]]
    assert all(m.from_ == "whatsapp:" + branch_number for m in twilio_api.sent)

    assert vin in read and "foto" in read, read
    assert twilio_api.media_requests and all(r["authorized"] for r in twilio_api.media_requests)
    stored = messages(stack_db, "in")[1]
    assert (stored.body, stored.rasa_text) == ("", "/provide_vin")
    assert stored.media[0]["sha256"] and stored.media[0]["content_type"] == "image/jpeg"

    # Rasa never saw the phone number; the handoff action still found this customer
    with session_scope(stack_db) as session:
        conversation = session.scalars(select(Conversation)).one()
        request = session.scalars(select(HandoffRequest)).one()
        customers = session.scalars(select(Customer)).all()
        assert request.customer_id == conversation.customer_id
        assert request.conversation_key == conversation.key
        assert [c.phone for c in customers] == [CUSTOMER]
    assert handoff.startswith("Listo ✅"), handoff
    tracker = await _tracker(running_rasa, conversation.key)
    assert CUSTOMER.lstrip("+") not in json.dumps(tracker)
    assert CUSTOMER[3:] not in json.dumps(tracker)
    # nor the WhatsApp profile name (the customer record has it) nor Twilio's media URL
    assert "Juan" not in json.dumps(tracker, ensure_ascii=False)
    assert [c.name for c in customers] == ["Juan Pérez"]
    assert photo_url not in json.dumps(tracker)


async def turn_answered(url: str, twilio: TwilioStandin) -> int:
    """Wait until every inbound message is handled and every reply handed to Twilio; how
    many messages Twilio has then."""

    def settled() -> bool:
        inbound = messages(url, "in")
        return bool(inbound) and all(m.status != "pending" for m in inbound) and sends_settled(url)

    await wait_until(settled, timeout=120, interval=0.2)
    return len(twilio.sent)


def _branch_number(url: str, code: str) -> str:
    with session_scope(url) as session:
        number = session.scalar(select(Branch.whatsapp_number).where(Branch.code == code))
    assert number, f"the demo branches have no WhatsApp number for {code}"
    return number


async def _tracker(stack: RasaStack, sender: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.get(
            f"{stack.rasa_url}/conversations/{sender}/tracker", params=stack.api_params
        )
    response.raise_for_status()
    tracker: dict[str, Any] = response.json()
    return tracker


async def test_a_turn_the_action_server_died_in_is_answered_once_it_is_back(
    running_rasa: RasaStack, stack_db: str, twilio_api: TwilioStandin
) -> None:
    """The action server is killed between the gateway's health check and Rasa calling
    the branch-info action: Rasa logs the failed action and answers nothing. The customer
    gets "dame un momento" and, once the action server is back, the real answer — not
    silence (the empty turn is no answer; the message goes to Rasa again).

    The gateway checks the action server's health at most every 2 s, so the kill must
    fall between that check and Rasa's call: it happens when the greeting reaches Twilio,
    and the customer's second message is handed to Rasa right after. On a machine so
    slow that the greeting's turn takes over 2 s the gateway sees the action server down
    before Rasa gets the message (then nothing reaches Rasa, a different case): the
    scenario is tried again with another customer."""
    numbers = seed_branches(stack_db)
    async with gateway(running_rasa, stack_db, twilio_api, rasa_timeout_s=20.0) as app:
        app: RunningApp  # type: ignore[no-redef]
        for attempt in range(3):
            customer = f"+52811234{5670 + attempt}"
            outcome = await _actions_die_after_the_greeting(
                app, running_rasa, stack_db, twilio_api, customer, numbers["CDMX"]
            )
            if outcome is not None:
                break
        else:
            pytest.fail("the action server's health was re-checked before Rasa got the message")

    bodies, inbound, turns = outcome
    greetings, _ = utter_greet()
    assert len(bodies) == 3, bodies
    assert any(bodies[0].startswith(t) for t in greetings)
    assert bodies[1] == texts.HOLDING
    assert "Showroom Polanco" in bodies[2]
    assert [m.status for m in inbound] == ["done", "done"]
    # Rasa's tracker: the failed turn (no reply after it), then the answered one
    assert len(turns) == 2 and turns[0] == 0 and turns[1] >= 1, turns


async def _actions_die_after_the_greeting(
    app: RunningApp,
    stack: RasaStack,
    url: str,
    twilio: TwilioStandin,
    customer: str,
    number: str,
) -> tuple[list[str], list[Any], list[int]] | None:
    """Kill the action server when the greeting reaches Twilio, with the branch-info
    option already waiting behind it; start it again once the gateway has retried.
    (bodies sent, inbound messages, the bot replies of each of the option's turns in
    Rasa), or None when Rasa never got the option while the action server was down."""
    killed: list[str] = []

    async def kill_the_action_server(sent: Any) -> None:
        if sent.to == "whatsapp:" + customer and not killed and stack.actions.proc:
            killed.append(sent.sid)
            os.killpg(stack.actions.proc.pid, signal.SIGKILL)

    twilio.on_create = kill_the_action_server
    try:
        await app.send_whatsapp(body="hola", from_phone=customer, to=number)
        await app.send_whatsapp(body=branch_info_option(), from_phone=customer, to=number)
        await wait_until(lambda: len(_inbound_of(url, customer)) == 2, timeout=60)
        await wait_until(lambda: _inbound_of(url, customer)[1].attempts >= 1, timeout=60)
    finally:
        twilio.on_create = None
    assert killed, "the greeting never reached Twilio"
    await asyncio.to_thread(stack.stop_actions)  # reaps the killed process
    await asyncio.to_thread(stack.start_actions)
    await turn_answered(url, twilio)
    inbound = _inbound_of(url, customer)
    with session_scope(url) as session:
        key = session.get(Conversation, inbound[0].conversation_id).key  # type: ignore[union-attr]
    turns = _replies_per_turn((await _tracker(stack, key))["events"], str(inbound[1].id))
    if not turns or turns[0] > 0:
        return None  # the option's first turn ran with the actions up, or never reached Rasa
    return [m.body for m in twilio.sent if m.to == "whatsapp:" + customer], inbound, turns


def _inbound_of(url: str, phone: str) -> list[Any]:
    with session_scope(url) as session:
        return list(
            session.scalars(
                select(Message)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .join(Customer, Customer.id == Conversation.customer_id)
                .where(Customer.phone == phone, Message.direction == "in")
                .order_by(Message.id)
            )
        )


def _replies_per_turn(events: list[dict[str, Any]], gateway_id: str) -> list[int]:
    """For each user event tagged `gateway_id`, the bot events before the next user one."""
    counts: list[int] = []
    counting = False
    for event in events:
        if event.get("event") == "user":
            counting = (event.get("metadata") or {}).get(GATEWAY_ID) == gateway_id
            if counting:
                counts.append(0)
        elif counting and event.get("event") == "bot":
            counts[-1] += 1
    return counts
