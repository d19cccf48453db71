"""What the webhooks refuse before doing any work, and what they never count twice:
bodies over the route's limit (413, by Content-Length before the body is read, counted
toward the per-IP limit) and a replayed MessageSid (not counted toward its sender's)."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from showroom.channels.webhook import MAX_WEBHOOK_BYTES

from .conftest import GatewayFactory, messages
from .support.app_server import WEBHOOK, RunningApp, wait_until, whatsapp_form
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import TwilioStandin

STATUS = "/webhooks/twilio/status"


async def raw_post(app: RunningApp, path: str, head: dict[str, str], body: bytes = b"") -> str:
    """Send a request as written (headers, then `body`, possibly much less than its
    Content-Length says); the status line of the answer."""
    parts = urlsplit(app.base_url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        lines = [f"POST {path} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{k}: {v}" for k, v in head.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), timeout=5)
    finally:
        writer.close()
    return status.decode().strip()


async def test_a_body_over_the_limit_is_refused_by_its_content_length_before_it_is_sent(
    gateway_factory: GatewayFactory, branches: dict[str, str], db_url: str
) -> None:
    """The client announces 50 MB and sends nothing: the answer comes at once."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    async with gateway_factory(run_worker=False) as app:
        for path in (WEBHOOK, STATUS):
            status = await raw_post(app, path, {**form, "Content-Length": str(50 * 2**20)})
            assert status == "HTTP/1.1 413 Request Entity Too Large", (path, status)
        # announced with Expect: 100-continue, it is refused instead of being invited
        status = await raw_post(
            app,
            WEBHOOK,
            {**form, "Content-Length": str(MAX_WEBHOOK_BYTES + 1), "Expect": "100-continue"},
        )
        assert status.startswith("HTTP/1.1 413"), status
        # a chunked body has no length up front: cut off at the limit
        chunk = b"Body=" + b"x" * (MAX_WEBHOOK_BYTES + 10)
        chunked = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n0\r\n\r\n"
        status = await raw_post(app, WEBHOOK, {**form, "Transfer-Encoding": "chunked"}, chunked)
        assert status.startswith("HTTP/1.1 413"), status
        # and a normal one still works on a fresh connection
        accepted = await app.send_whatsapp(body="hola", to=branches["MTY"])
    assert accepted.status_code == 200
    assert [m.body for m in messages(db_url)] == ["hola"]


async def test_oversized_requests_count_toward_the_ip_limit(
    gateway_factory: GatewayFactory, branches: dict[str, str], db_url: str
) -> None:
    head = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(MAX_WEBHOOK_BYTES * 4),
    }
    async with gateway_factory(run_worker=False, rate_limit_ip_per_minute=2) as app:
        statuses = [(await raw_post(app, WEBHOOK, head)).split(" ")[1] for _ in range(3)]
        forged = await app.post_signed(WEBHOOK, whatsapp_form(body="x"), token="not-twilios")
        # Twilio's own signed traffic from the same address is never refused for its IP
        genuine = await app.send_whatsapp(body="hola", to=branches["MTY"])
    assert statuses == ["413", "413", "429"]
    assert forged.status_code == 429
    assert genuine.status_code == 200
    assert [m.body for m in messages(db_url, "in")] == ["hola"]


async def test_a_replayed_message_sid_does_not_count_toward_the_senders_limit(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
) -> None:
    """Twilio retrying one message three times leaves the customer's next message within
    a limit of two per minute."""
    first = whatsapp_form(body="hola", from_phone="+528119990001", to=branches["MTY"])
    second = whatsapp_form(body="busco una suv", from_phone="+528119990001", to=branches["MTY"])
    async with gateway_factory(rate_limit_sender_per_minute=2) as app:
        codes = [(await app.post_signed(WEBHOOK, first)).status_code for _ in range(4)]
        codes.append((await app.post_signed(WEBHOOK, second)).status_code)
        await twilio_api.wait_for(2)
        await wait_until(lambda: [m.status for m in messages(db_url, "in")] == ["done", "done"])
    assert codes == [200] * 5
    assert rasa.messages == ["hola", "busco una suv"]
    assert [m.body for m in twilio_api.sent] == ["eco: hola", "eco: busco una suv"]
