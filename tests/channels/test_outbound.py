"""What customers receive: numbered options they answer by number, images as media, long
texts split, WhatsApp's 24-hour rule and templates, the local outbox."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from showroom.channels import texts
from showroom.conversations.messages import queue_outbound
from showroom.db.base import utcnow
from showroom.db.models.conversations import Conversation
from showroom.db.session import session_scope

from .conftest import GatewayFactory, messages
from .support.app_server import wait_until
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import TwilioStandin

MENU = [
    {"text": "¡Hola! ¿Qué buscas?", "buttons": [
        {"title": "SUV", "payload": '/inform{"body_type": "suv"}'},
        {"title": "Pickup", "payload": '/inform{"body_type": "pickup"}'},
        {"title": "Hablar con un asesor", "payload": "/request_human"},
    ]},
]  # fmt: skip


def menu_then_echo(message: str) -> list[dict[str, Any]]:
    return MENU if message == "hola" else [{"text": f"eco: {message}"}]


async def test_buttons_become_numbered_options_answered_by_number(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    rasa.responder = menu_then_echo
    async with gateway_factory() as app:
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        [menu] = await twilio_api.wait_for(1)
        await app.send_whatsapp(body="la 2", to=branches["MTY"])
        await twilio_api.wait_for(2)
        # options are gone after a turn without buttons: "3" is just text now
        await app.send_whatsapp(body="3", to=branches["MTY"])
        await twilio_api.wait_for(3)
        await app.send_whatsapp(body="hola", to=branches["MTY"])
        await twilio_api.wait_for(4)
        await app.send_whatsapp(body="1️⃣", to=branches["MTY"])
        await twilio_api.wait_for(5)

    assert menu.body == (
        "¡Hola! ¿Qué buscas?\n\n1️⃣ SUV\n2️⃣ Pickup\n3️⃣ Hablar con un asesor\n\n" + texts.OPTIONS_HINT
    )
    assert rasa.messages == [
        "hola",
        '/inform{"body_type": "pickup"}',
        "3",
        "hola",
        '/inform{"body_type": "suv"}',
    ]
    inbound = messages(db_url, "in")
    assert (inbound[1].body, inbound[1].rasa_text) == ("la 2", '/inform{"body_type": "pickup"}')
    assert inbound[2].rasa_text is None


async def test_images_go_as_media_and_long_texts_are_split_at_sentences(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
) -> None:
    long_text = " ".join(
        f"Esta es la oración número {n} de una respuesta larga." for n in range(80)
    )
    rasa.responder = lambda _m: [
        {"text": "Toyota Hilux 2024 · $689,900 MXN", "image": "https://fotos.example.mx/hilux.jpg"},
        {"image": "https://fotos.example.mx/hilux-2.jpg"},
        {"text": long_text},
    ]
    async with gateway_factory(whatsapp_max_chars=1600) as app:
        await app.send_whatsapp(body="fotos", to=branches["MTY"])
        sent = await wait_until(lambda: twilio_api.sent if len(twilio_api.sent) >= 5 else None)

    assert sent[0].media_urls == ["https://fotos.example.mx/hilux.jpg"]
    assert sent[0].body == "Toyota Hilux 2024 · $689,900 MXN"
    assert (sent[1].media_urls, sent[1].body) == (["https://fotos.example.mx/hilux-2.jpg"], "")
    pieces = [m.body for m in sent[2:]]
    assert len(pieces) == 3
    assert all(len(p) <= 1600 for p in pieces)
    assert all(p.endswith("larga.") for p in pieces)
    assert " ".join(pieces) == long_text


async def _answered_conversation(app: Any, twilio_api: TwilioStandin, to: str) -> None:
    await app.send_whatsapp(body="hola", to=to)
    await twilio_api.wait_for(1)


def _age_window_and_queue(db_url: str, hours: float, **outbound: Any) -> None:
    with session_scope(db_url) as session:
        session.execute(
            update(Conversation).values(last_inbound_at=utcnow() - timedelta(hours=hours))
        )
        conversation = session.scalars(select(Conversation)).one()
        queue_outbound(session, conversation, author="agent", **outbound)


async def test_free_form_outside_the_24_hour_window_is_refused_with_the_reason(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    async with gateway_factory() as app:
        await _answered_conversation(app, twilio_api, branches["MTY"])
        _age_window_and_queue(db_url, 25, body="¿Sigues interesado en la Hilux?")
        refused = await wait_until(
            lambda: [m for m in messages(db_url, "out") if m.status == "refused"]
        )
    assert len(twilio_api.sent) == 1
    assert "24-hour window" in refused[0].error
    assert "no approved template" in refused[0].error


async def test_the_approved_template_is_used_outside_the_window(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    templates = {"followup": "HX0123456789abcdef0123456789abcdef"}
    async with gateway_factory(twilio_templates=templates) as app:
        await _answered_conversation(app, twilio_api, branches["MTY"])
        _age_window_and_queue(
            db_url,
            30,
            body="¿Sigues interesado en la Hilux?",
            template_use="followup",
            template_variables={"1": "Juan", "2": "Hilux"},
        )
        sent = await twilio_api.wait_for(2)

    assert sent[1].first("ContentSid") == templates["followup"]
    assert json.loads(sent[1].first("ContentVariables")) == {"1": "Juan", "2": "Hilux"}
    assert sent[1].body == ""
    assert sent[1].from_ == "whatsapp:" + branches["MTY"]
    out = messages(db_url, "out")[-1]
    assert (out.template_sid, out.status) == (templates["followup"], "queued")


async def test_inside_the_window_an_agent_message_goes_out_as_written(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    async with gateway_factory(twilio_templates={"followup": "HXabc"}) as app:
        await _answered_conversation(app, twilio_api, branches["CDMX"])
        _age_window_and_queue(
            db_url, 23, body="Hola Juan, soy Ana de Polanco", template_use="followup"
        )
        sent = await twilio_api.wait_for(2)
    assert sent[1].body == "Hola Juan, soy Ana de Polanco"
    assert sent[1].first("ContentSid") == ""


async def test_local_outbox_mode_stores_instead_of_sending(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    rasa: RasaStandin,
    db_url: str,
) -> None:
    rasa.responder = menu_then_echo
    async with gateway_factory(
        twilio_account_sid=None, twilio_auth_token=None, twilio_validate_signature=False
    ) as app:
        response = await app.send_whatsapp(body="hola", to=branches["MTY"])
        assert response.status_code == 200
        [reply] = await wait_until(
            lambda: [m for m in messages(db_url, "out") if m.status == "local"]
        )
    assert reply.body.startswith("¡Hola! ¿Qué buscas?\n\n1️⃣ SUV")
    assert reply.options[0] == {"title": "SUV", "payload": '/inform{"body_type": "suv"}'}
    assert reply.submitted_at is not None and reply.provider_sid is None
    assert twilio_api.sent == []
