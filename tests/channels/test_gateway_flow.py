"""The gateway end to end with stand-ins for Rasa and Twilio (real app, real DB, real
`twilio` client): storage before the ACK, routing, replies, statuses, replays, forgeries."""

from __future__ import annotations

import json

from sqlalchemy import select

from showroom.db.models.conversations import MessageStatusEvent
from showroom.db.models.customers import Customer
from showroom.db.session import session_scope

from .conftest import conversations, messages
from .support.app_server import RunningApp, wait_until, whatsapp_form
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import TwilioStandin

CUSTOMER = "+528112345678"


async def test_message_is_stored_before_the_ack_then_answered_from_the_branch_number(
    gateway: RunningApp,
    db_url: str,
    twilio_api: TwilioStandin,
    rasa: RasaStandin,
    branches: dict[str, str],
) -> None:
    response = await gateway.send_whatsapp(body="hola", from_phone=CUSTOMER, to=branches["MTY"])

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert "<Response></Response>" in response.text
    stored = messages(db_url, "in")
    assert [(m.body, m.author) for m in stored] == [("hola", "customer")]

    sent = await twilio_api.wait_for(1)
    assert sent[0].from_ == "whatsapp:" + branches["MTY"]
    assert sent[0].to == "whatsapp:" + CUSTOMER
    assert sent[0].body == "eco: hola"
    [queued] = messages(db_url, "out")
    # the callback URL names our message: a callback that beats our record of the sid
    # still finds it
    assert sent[0].status_callback == (
        f"{gateway.settings.public_base_url}/webhooks/twilio/status?m={queued.id}"
    )

    [turn] = rasa.received
    conversation = conversations(db_url)[0]
    assert turn["sender"] == conversation.key
    assert CUSTOMER not in turn["sender"]
    # no phone number nor WhatsApp profile name reaches Rasa (its tracker store keeps
    # metadata for good): actions read the customer's name from the customer record
    assert CUSTOMER.lstrip("+") not in json.dumps(turn)
    assert "Juan" not in json.dumps(turn, ensure_ascii=False)
    assert turn["metadata"] == {
        "channel": "whatsapp",
        "branch": "MTY",
        "timezone": "America/Monterrey",
        "media": [],
        "gateway_message_id": str(messages(db_url, "in")[0].id),
    }
    with session_scope(db_url) as session:
        customer = session.get(Customer, conversation.customer_id)
        assert customer is not None and customer.name == "Juan Pérez"

    [inbound] = messages(db_url, "in")
    [reply] = await wait_until(
        lambda: [m for m in messages(db_url, "out") if m.status not in ("pending", "submitting")]
    )
    assert inbound.status == "done" and inbound.processed_at is not None
    assert (reply.author, reply.body, reply.status) == ("bot", "eco: hola", "queued")
    assert reply.provider_sid == sent[0].sid
    assert reply.reply_to_id == inbound.id
    assert reply.submitted_at is not None


async def test_status_callbacks_are_stored_and_never_move_backwards(
    gateway: RunningApp, db_url: str, twilio_api: TwilioStandin, branches: dict[str, str]
) -> None:
    await gateway.send_whatsapp(body="hola", to=branches["CDMX"])
    [sent] = await twilio_api.wait_for(1)
    await wait_until(lambda: messages(db_url, "out") and messages(db_url, "out")[0].provider_sid)

    # delivered arrives before sent (Twilio does not promise order)
    assert (await twilio_api.send_status(sent, "delivered")).status_code == 204
    assert (await twilio_api.send_status(sent, "sent")).status_code == 204
    [reply] = messages(db_url, "out")
    assert reply.status == "delivered"
    assert reply.sent_at is not None and reply.delivered_at is not None

    await twilio_api.send_status(sent, "read")
    await twilio_api.send_status(sent, "failed", error_code="30008")
    [reply] = messages(db_url, "out")
    assert reply.status == "read"
    assert reply.error_code is None

    with session_scope(db_url) as session:
        events = session.scalars(select(MessageStatusEvent).order_by(MessageStatusEvent.id)).all()
        assert [(e.status, e.message_id) for e in events] == [
            ("delivered", reply.id),
            ("sent", reply.id),
            ("read", reply.id),
            ("failed", reply.id),
        ]


async def test_a_failed_delivery_is_recorded_with_twilios_code(
    gateway: RunningApp, db_url: str, twilio_api: TwilioStandin, branches: dict[str, str]
) -> None:
    await gateway.send_whatsapp(body="hola", to=branches["MTY"])
    [sent] = await twilio_api.wait_for(1)
    await wait_until(
        lambda: messages(db_url, "out")[0].provider_sid if messages(db_url, "out") else None
    )
    await twilio_api.send_status(sent, "sent")
    await twilio_api.send_status(sent, "undelivered", error_code="63024")
    await twilio_api.send_status(sent, "delivered")  # cannot revive a final state
    [reply] = messages(db_url, "out")
    assert (reply.status, reply.error_code) == ("undelivered", "63024")


async def test_a_replayed_message_sid_is_answered_once(
    gateway: RunningApp,
    db_url: str,
    twilio_api: TwilioStandin,
    rasa: RasaStandin,
    branches: dict[str, str],
) -> None:
    form = whatsapp_form(body="quiero una troca", to=branches["MTY"])
    first = await gateway.post_signed("/webhooks/twilio/whatsapp", form)
    second = await gateway.post_signed("/webhooks/twilio/whatsapp", form)
    assert first.status_code == second.status_code == 200

    await twilio_api.wait_for(1)
    third = await gateway.post_signed("/webhooks/twilio/whatsapp", form)
    assert third.status_code == 200
    await gateway.send_whatsapp(body="sigo aquí", to=branches["MTY"])
    await twilio_api.wait_for(2)

    assert rasa.messages == ["quiero una troca", "sigo aquí"]
    assert [m.body for m in twilio_api.sent] == ["eco: quiero una troca", "eco: sigo aquí"]
    assert [m.body for m in messages(db_url, "in")] == ["quiero una troca", "sigo aquí"]


async def test_a_number_unknown_to_phonenumbers_is_still_answered(
    gateway: RunningApp, db_url: str, twilio_api: TwilioStandin, branches: dict[str, str]
) -> None:
    # a country code phonenumbers has no metadata for: still a WhatsApp user Twilio delivered
    response = await gateway.send_whatsapp(
        body="hello", from_phone="+99912345678", to=branches["MTY"]
    )
    assert response.status_code == 200
    [reply] = await twilio_api.wait_for(1)
    assert reply.to == "whatsapp:+99912345678"
    [conversation] = conversations(db_url)
    assert conversation.customer_number == "+99912345678"


async def test_fields_that_are_not_a_whatsapp_message_get_a_clear_400(
    gateway: RunningApp, db_url: str, branches: dict[str, str]
) -> None:
    sms = whatsapp_form(body="hola", to=branches["MTY"])
    sms["From"], sms["To"] = "+528112345678", branches["MTY"]
    no_sid = whatsapp_form(body="hola", to=branches["MTY"])
    no_sid["MessageSid"] = no_sid["SmsMessageSid"] = ""
    first = await gateway.post_signed("/webhooks/twilio/whatsapp", sms)
    second = await gateway.post_signed("/webhooks/twilio/whatsapp", no_sid)
    assert (first.status_code, second.status_code) == (400, 400)
    assert "only WhatsApp messages" in first.text
    assert "MessageSid" in second.text
    assert messages(db_url) == []


async def test_one_customer_writing_to_two_branches_has_two_conversations(
    gateway: RunningApp,
    db_url: str,
    twilio_api: TwilioStandin,
    rasa: RasaStandin,
    branches: dict[str, str],
) -> None:
    await gateway.send_whatsapp(body="hola Monterrey", from_phone=CUSTOMER, to=branches["MTY"])
    await gateway.send_whatsapp(body="hola Tijuana", from_phone=CUSTOMER, to=branches["TIJ"])
    sent = await twilio_api.wait_for(2)

    assert {(m.from_, m.body) for m in sent} == {
        ("whatsapp:" + branches["MTY"], "eco: hola Monterrey"),
        ("whatsapp:" + branches["TIJ"], "eco: hola Tijuana"),
    }
    found = conversations(db_url)
    assert len(found) == 2
    assert found[0].customer_id == found[1].customer_id
    assert found[0].key != found[1].key
    assert {r["metadata"]["branch"] for r in rasa.received} == {"MTY", "TIJ"}
    assert {r["metadata"]["timezone"] for r in rasa.received} == {
        "America/Monterrey",
        "America/Tijuana",
    }


async def test_replies_go_to_the_whatsapp_address_twilio_gave_the_customer_stays_e164(
    gateway: RunningApp, db_url: str, twilio_api: TwilioStandin, branches: dict[str, str]
) -> None:
    """WhatsApp knows Mexican mobiles as `+521…` (the old mobile prefix): Twilio posts
    `whatsapp:+5218112345678`, and the reply must go to exactly that address; the
    customer is still `+528112345678`, the same one as from any other channel."""
    first = await gateway.send_whatsapp(
        body="hola", from_phone="+5218112345678", to=branches["MTY"]
    )
    assert first.status_code == 200
    [reply] = await twilio_api.wait_for(1)
    assert reply.to == "whatsapp:+5218112345678"
    assert reply.from_ == "whatsapp:" + branches["MTY"]
    await wait_until(lambda: messages(db_url, "out")[0].provider_sid == reply.sid)
    await twilio_api.send_status(reply, "delivered")
    await wait_until(lambda: messages(db_url, "out")[0].status == "delivered")
    [conversation] = conversations(db_url)
    assert conversation.customer_number == "+5218112345678"
    with session_scope(db_url) as session:
        assert session.scalars(select(Customer.phone)).all() == ["+528112345678"]

    # the same customer later arrives as +52 and 10 digits: one customer, replies follow
    await gateway.send_whatsapp(body="sigo aquí", from_phone="+528112345678", to=branches["MTY"])
    sent = await twilio_api.wait_for(2)
    assert sent[1].to == "whatsapp:+528112345678"
    assert len(conversations(db_url)) == 1
    with session_scope(db_url) as session:
        assert session.scalars(select(Customer.phone)).all() == ["+528112345678"]
