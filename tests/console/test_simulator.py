"""The WhatsApp simulator: the same pipeline as Twilio's webhook, answers in the outbox."""

from __future__ import annotations

import hashlib
import io
import random
from typing import Any

import httpx
from channels.conftest import GatewayFactory, messages
from channels.support.app_server import RunningApp, wait_until
from channels.support.rasa_standin import RasaStandin
from channels.support.twilio_standin import TwilioStandin
from channels.test_webhook_limits import raw_post
from PIL import Image

from showroom.channels.request_size import DEFAULT_MAX_BODY

LOCAL = {"twilio_account_sid": None, "twilio_auth_token": None}
MENU: list[dict[str, Any]] = [{"text": "¡Hola! ¿En qué te ayudo?", "buttons": [
    {"title": "Buscar auto", "payload": "/search_vehicle"},
    {"title": "Sucursales y horarios", "payload": "/ask_branch_info"},
]}, {"image": "https://fotos.example.mx/jetta.jpg"}]  # fmt: skip


def menu(message: str) -> list[dict[str, Any]]:
    return MENU if message == "hola" else [{"text": f"eco: {message}"}]


async def _open(client: httpx.AsyncClient, app: RunningApp, **body: Any) -> httpx.Response:
    return await client.post(app.base_url + "/simulator/api/conversations", json=body)


async def _poll(client: httpx.AsyncClient, app: RunningApp, cid: int, count: int) -> list[Any]:
    async def enough() -> list[Any] | None:
        r = await client.get(f"{app.base_url}/simulator/api/conversations/{cid}/messages?after=0")
        data = r.json()
        done = [m for m in data if m["status"] not in ("pending",)]
        return data if len(done) >= count else None

    result: list[Any] = await wait_until(enough)
    return result


async def test_page_and_branches_in_local_mode(
    gateway_factory: GatewayFactory, branches: dict[str, str]
) -> None:
    async with gateway_factory(run_worker=False, **LOCAL) as app, httpx.AsyncClient() as client:
        page = await client.get(app.base_url + "/")
        also = await client.get(app.base_url + "/simulator")
        listed = await client.get(app.base_url + "/simulator/api/branches")
        script = await client.get(app.base_url + "/static/simulator.js")
    assert page.status_code == also.status_code == 200
    assert "Simulador de WhatsApp" in page.text
    assert script.status_code == 200
    assert {b["code"]: b["whatsapp_number"] for b in listed.json()} == branches


async def test_a_chat_goes_through_the_gateway_pipeline_to_rasa_and_the_outbox(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    rasa.responder = menu
    # with Twilio credentials and the simulator turned on: simulator chats never reach Twilio
    async with gateway_factory(simulator_enabled=True) as app, httpx.AsyncClient() as client:
        opened = await _open(client, app, branch="TIJ", phone="664 123 4567", name="Ana")
        cid = opened.json()["id"]
        sent = await client.post(
            f"{app.base_url}/simulator/api/conversations/{cid}/messages", json={"text": "hola"}
        )
        chat = await _poll(client, app, cid, 3)
        await client.post(
            f"{app.base_url}/simulator/api/conversations/{cid}/messages", json={"text": "2"}
        )
        chat = await _poll(client, app, cid, 5)

    assert opened.json() == {
        "id": cid,
        "branch": "TIJ",
        "branch_name": "Showroom Tijuana",
        "phone": "+526641234567",
    }
    assert sent.status_code == 200 and sent.json()["throttled"] is False
    assert [(m["direction"], m["author"]) for m in chat] == [
        ("in", "customer"), ("out", "bot"), ("out", "bot"), ("in", "customer"), ("out", "bot"),
    ]  # fmt: skip
    assert chat[0]["status"] == "done"
    assert chat[1]["body"].startswith("¡Hola! ¿En qué te ayudo?\n\n1️⃣ Buscar auto\n2️⃣ Sucursales")
    assert chat[1]["status"] == "local"
    assert chat[2]["media"] == [{"url": "https://fotos.example.mx/jetta.jpg", "type": None}]
    assert chat[4]["body"] == "eco: /ask_branch_info"
    assert rasa.messages == ["hola", "/ask_branch_info"]
    metadata = rasa.received[0]["metadata"]
    assert metadata["branch"] == "TIJ" and metadata["timezone"] == "America/Tijuana"
    assert metadata["channel"] == "whatsapp" and metadata["simulated"] is True
    # nothing personal in Rasa: the name stays on the customer record
    assert "phone" not in metadata and "profile_name" not in metadata
    assert twilio_api.sent == []
    assert {m.status for m in messages(db_url, "out")} == {"local"}


async def test_a_photo_uploaded_in_the_simulator_reaches_rasa_as_media(
    gateway_factory: GatewayFactory, branches: dict[str, str], rasa: RasaStandin
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "green").save(buffer, format="PNG")
    png = buffer.getvalue()
    async with gateway_factory(**LOCAL) as app, httpx.AsyncClient() as client:
        cid = (await _open(client, app, branch="MTY", phone="8112345678")).json()["id"]
        upload = await client.post(
            f"{app.base_url}/simulator/api/conversations/{cid}/messages",
            data={"text": ""},
            files={"file": ("vin.png", png, "image/png")},
        )
        refused = await client.post(
            f"{app.base_url}/simulator/api/conversations/{cid}/messages",
            files={"file": ("x.png", b"not an image", "image/png")},
        )
        chat = await _poll(client, app, cid, 2)
        image = await client.get(app.base_url + chat[0]["media"][0]["url"])

    assert upload.status_code == 200
    assert refused.status_code == 415
    assert rasa.messages == ["/provide_vin"]
    digest = hashlib.sha256(png).hexdigest()
    assert rasa.received[0]["metadata"]["media"][0]["sha256"] == digest
    assert chat[0]["media"] == [{"url": f"/simulator/media/{digest}", "type": "image/png"}]
    assert image.content == png


async def test_bad_input_gets_clear_errors(
    gateway_factory: GatewayFactory, branches: dict[str, str]
) -> None:
    async with gateway_factory(run_worker=False, **LOCAL) as app, httpx.AsyncClient() as client:
        bad_phone = await _open(client, app, branch="MTY", phone="12")
        bad_branch = await _open(client, app, branch="NOPE", phone="8112345678")
        cid = (await _open(client, app, branch="MTY", phone="8112345678")).json()["id"]
        empty = await client.post(
            f"{app.base_url}/simulator/api/conversations/{cid}/messages", json={"text": "  "}
        )
        missing = await client.get(f"{app.base_url}/simulator/api/conversations/999999/messages")
        traversal = await client.get(app.base_url + "/simulator/media/..%2F..%2Fetc%2Fpasswd")
    assert bad_phone.status_code == 400 and "teléfono" in bad_phone.json()["error"]
    assert bad_branch.status_code == 404
    assert empty.status_code == 400
    assert missing.status_code == 404
    assert traversal.status_code == 404


async def test_the_simulator_is_off_with_twilio_credentials(
    gateway_factory: GatewayFactory, branches: dict[str, str]
) -> None:
    async with gateway_factory(run_worker=False) as app, httpx.AsyncClient() as client:
        root = await client.get(app.base_url + "/")
        page = await client.get(app.base_url + "/simulator")
        api = await _open(client, app, branch="MTY", phone="8112345678")
    assert root.status_code == 200 and root.json() == {"service": "showroom", "health": "/health"}
    assert page.status_code == 404
    assert api.status_code == 404


async def test_a_photo_bigger_than_the_apps_default_limit_is_taken_only_by_the_upload(
    gateway_factory: GatewayFactory, branches: dict[str, str], rasa: RasaStandin, db_url: str
) -> None:
    """The upload route takes up to MEDIA_MAX_BYTES; every other route keeps the app's
    default body limit (DEFAULT_MAX_BODY), and an upload over its own is refused."""
    noise = Image.frombytes("RGB", (900, 900), random.Random(7).randbytes(900 * 900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    png = buffer.getvalue()
    assert DEFAULT_MAX_BODY < len(png) < 3 * 2**20
    limits = {**LOCAL, "media_max_bytes": 3 * 2**20}
    async with gateway_factory(**limits) as app, httpx.AsyncClient(timeout=30) as client:
        cid = (await _open(client, app, branch="MTY", phone="8112345678")).json()["id"]
        url = f"{app.base_url}/simulator/api/conversations/{cid}/messages"
        upload = await client.post(url, files={"file": ("auto.png", png, "image/png")})
        # refused by its Content-Length, before the client has sent it
        too_big = await raw_post(
            app,
            url.removeprefix(app.base_url),
            {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(4 * 2**20)},
        )
        other_route = await client.post(
            app.base_url + "/simulator/api/conversations",
            json={"branch": "MTY", "phone": "8112345678", "name": "x" * (DEFAULT_MAX_BODY + 1)},
        )
        await rasa.wait_for(1)
    assert upload.status_code == 200
    assert too_big.startswith("HTTP/1.1 413")
    assert other_route.status_code == 413
    assert rasa.received[0]["metadata"]["media"][0]["sha256"] == hashlib.sha256(png).hexdigest()
    assert len(messages(db_url, "in")) == 1
