"""Odd fields in a signed WhatsApp webhook: each gets a sensible answer, nothing is lost,
nothing crashes — on SQLite and on PostgreSQL (which refuses a NUL in text)."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select

from showroom.channels import texts
from showroom.channels.turn import MAX_RASA_TEXT
from showroom.conversations.clean import clean_text, clean_value
from showroom.db.models.customers import Customer
from showroom.db.session import session_scope

from .conftest import GatewayFactory, messages
from .support.app_server import WEBHOOK, RunningApp, wait_until, whatsapp_form
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import TwilioStandin
from .test_media import jpeg_bytes


def test_clean_text_drops_control_characters_only() -> None:
    assert clean_text("a\x00b\x07c\x1b[0m\x7f\x85") == "abc[0m"
    assert clean_text("línea 1\nlínea 2\r\n\tfin 😀") == "línea 1\nlínea 2\r\n\tfin 😀"
    assert clean_text("\ud83d") == ""  # a lone surrogate cannot be stored as UTF-8
    assert clean_value({"url\x00": ["x\x00y", 3, None]}) == {"url": ["xy", 3, None]}


async def settled(url: str, count: int) -> list[Any]:
    """The inbound messages once `count` of them are handled."""

    def done() -> list[Any] | None:
        inbound = messages(url, "in")
        ready = len(inbound) == count and all(m.status != "pending" for m in inbound)
        return inbound if ready else None

    result: list[Any] = await wait_until(done)
    return result


async def test_a_nul_in_the_body_or_the_profile_name_is_stored_without_it_and_answered(
    gateway: RunningApp,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    form = whatsapp_form(body="ho\x00la", profile_name="Ana\x00 Ruiz", to=branches["MTY"])
    response = await gateway.post_signed(WEBHOOK, form)
    assert response.status_code == 200
    [reply] = await twilio_api.wait_for(1)
    [stored] = await settled(db_url, 1)
    assert (stored.body, stored.status) == ("hola", "done")
    assert rasa.messages == ["hola"] and reply.body == "eco: hola"
    with session_scope(db_url) as session:
        assert session.scalars(select(Customer.name)).all() == ["Ana Ruiz"]


@pytest.mark.parametrize("num_media", ["abc", "-3", "1.0", "", " 2 ", "99999999999999999999"])
async def test_a_num_media_that_is_not_a_count_changes_nothing_for_a_text(
    gateway: RunningApp,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
    num_media: str,
) -> None:
    form = {**whatsapp_form(body="hola", to=branches["MTY"]), "NumMedia": num_media}
    response = await gateway.post_signed(WEBHOOK, form)
    assert response.status_code == 200
    [reply] = await twilio_api.wait_for(1)
    [stored] = await settled(db_url, 1)
    assert (stored.body, stored.status) == ("hola", "done")
    assert rasa.messages == ["hola"] and reply.body == "eco: hola"


async def test_media_fields_are_used_whatever_num_media_says(
    gateway: RunningApp,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    """NumMedia "abc" with a MediaUrl0: the photo is not dropped. NumMedia 2 with only
    MediaUrl0: the photo goes to Rasa, the missing one is recorded as not fetched."""
    photos = [jpeg_bytes("red"), jpeg_bytes("blue")]
    urls = [twilio_api.add_media(p, "image/jpeg") for p in photos]
    odd = whatsapp_form(body="", media=[(urls[0], "image/jpeg")], to=branches["MTY"])
    short = whatsapp_form(body="", media=[(urls[1], "image/jpeg")], to=branches["MTY"])
    await gateway.post_signed(WEBHOOK, {**odd, "NumMedia": "abc"})
    await gateway.post_signed(WEBHOOK, {**short, "NumMedia": "2"})
    turns = await rasa.wait_for(2)
    first, second = await settled(db_url, 2)
    assert [t["message"] for t in turns] == ["/provide_vin", "/provide_vin"]
    assert [[m["sha256"] for m in t["metadata"]["media"]] for t in turns] == [
        [hashlib.sha256(photos[0]).hexdigest()],
        [hashlib.sha256(photos[1]).hexdigest()],
    ]
    assert (first.status, second.status) == ("done", "done")
    assert second.media[1] == {
        "error": "Twilio announced media without its URL",
        "unavailable": True,
    }


async def test_announced_media_without_any_url_gets_a_request_to_send_it_again(
    gateway: RunningApp,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    form = {**whatsapp_form(body="", to=branches["MTY"]), "NumMedia": "1"}
    assert (await gateway.post_signed(WEBHOOK, form)).status_code == 200
    [reply] = await twilio_api.wait_for(1)
    [stored] = await settled(db_url, 1)
    assert reply.body == texts.MEDIA_FAILED
    assert stored.status == "done" and rasa.received == []


async def test_a_body_longer_than_whatsapp_allows_is_stored_whole_and_rasa_gets_the_start(
    gateway: RunningApp,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    body = "palabra " * 2500  # 20,000 characters
    response = await gateway.send_whatsapp(body=body, to=branches["MTY"])
    assert response.status_code == 200
    [turn] = await rasa.wait_for(1)
    [stored] = await settled(db_url, 1)
    assert stored.body == body
    assert turn["message"] == body.strip()[:MAX_RASA_TEXT]


@pytest.mark.parametrize("sid", ["SM\x00abc", "SM abc", "S" * 65])
async def test_a_message_sid_we_could_not_store_it_under_gets_a_400(
    gateway: RunningApp, branches: dict[str, str], db_url: str, sid: str
) -> None:
    form = {**whatsapp_form(body="hola", to=branches["MTY"]), "MessageSid": sid}
    response = await gateway.post_signed(WEBHOOK, form)
    assert response.status_code == 400
    assert "MessageSid" in response.text
    assert messages(db_url) == []


async def test_a_body_that_is_not_utf8_is_kept_with_replacement_characters(
    gateway_factory: GatewayFactory, branches: dict[str, str], rasa: RasaStandin, db_url: str
) -> None:
    """Twilio always sends UTF-8 (and signs it); a request that does not is read as well
    as it can be, never a crash. Local mode: nothing to sign it with."""
    local = {
        "twilio_account_sid": None,
        "twilio_auth_token": None,
        "twilio_validate_signature": False,
    }
    form = whatsapp_form(body="x", to=branches["MTY"])
    fields = urlencode({k: v for k, v in form.items() if k != "Body"})
    raw = fields.encode() + b"&Body=hola+%FF%FE+se%F1or"
    async with gateway_factory(**local) as app, httpx.AsyncClient() as client:
        response = await client.post(
            app.base_url + WEBHOOK,
            content=raw,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 200
        [stored] = await settled(db_url, 1)
    assert stored.body == "hola \ufffd\ufffd se\ufffdor"
    with session_scope(db_url) as session:
        assert session.scalars(select(Customer.phone)).all() == ["+528112345678"]
    assert rasa.messages == [stored.body]
