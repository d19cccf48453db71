"""Run the real web app (Sanic) in the test's event loop on a free port, and talk to it as
Twilio does (signed form posts)."""

from __future__ import annotations

import asyncio
import secrets
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from sanic import Sanic
from twilio.request_validator import RequestValidator

from showroom.channels.gateway import Gateway
from showroom.console.app import create_app
from showroom.settings import Settings

from .twilio_standin import ACCOUNT_SID, AUTH_TOKEN

WEBHOOK = "/webhooks/twilio/whatsapp"


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.set_inheritable(True)
    return sock


@dataclass
class RunningApp:
    app: Sanic
    base_url: str
    settings: Settings

    @property
    def gateway(self) -> Gateway:
        gateway: Gateway = self.app.ctx.gateway
        return gateway

    async def post_signed(
        self,
        path: str,
        params: dict[str, str],
        *,
        token: str = AUTH_TOKEN,
        url: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST a form signed with `token` over `url` (default: the public URL of `path`)."""
        signed_url = url or (self.settings.public_base_url.rstrip("/") + path)
        signature = RequestValidator(token).compute_signature(signed_url, params)
        async with httpx.AsyncClient(timeout=10) as client:
            return await client.post(
                self.base_url + path,
                data=params,
                headers={"X-Twilio-Signature": signature, **(headers or {})},
            )

    async def send_whatsapp(self, **fields: Any) -> httpx.Response:
        return await self.post_signed(WEBHOOK, whatsapp_form(**fields))


def whatsapp_form(
    *,
    body: str = "hola",
    from_phone: str = "+528112345678",
    to: str = "+528180001000",
    sid: str | None = None,
    profile_name: str = "Juan Pérez",
    media: list[tuple[str, str]] | None = None,
) -> dict[str, str]:
    """The fields Twilio posts for an incoming WhatsApp message."""
    sid = sid or "SM" + secrets.token_hex(16)
    form = {
        "SmsMessageSid": sid,
        "NumMedia": str(len(media or [])),
        "ProfileName": profile_name,
        "MessageType": "image" if media and not body else "text",
        "SmsSid": sid,
        "WaId": from_phone.lstrip("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": f"whatsapp:{to}",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": f"whatsapp:{from_phone}",
        "ApiVersion": "2010-04-01",
    }
    for index, (url, content_type) in enumerate(media or []):
        form[f"MediaUrl{index}"] = url
        form[f"MediaContentType{index}"] = content_type
    return form


def gateway_settings(db_url: str, public_base_url: str, **overrides: Any) -> Settings:
    """Settings for a test gateway: fast polling and retries, Twilio credentials."""
    values: dict[str, Any] = {
        "database_url": db_url,
        "public_base_url": public_base_url,
        "secret_key": "gateway-test-secret",
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": AUTH_TOKEN,
        "gateway_poll_interval_s": 0.05,
        "gateway_retry_max_delay_s": 0.5,
        "holding_notice_after_s": 3.0,
        "rasa_timeout_s": 5.0,
        "twilio_timeout_s": 5.0,
        "action_endpoint_url": "",
        "rate_limit_sender_per_minute": 100,
        "rate_limit_ip_per_minute": 1000,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def serve_app(
    make_settings: Callable[[str], Settings], *, run_worker: bool = True
) -> AsyncIterator[RunningApp]:
    """The real app on a free loopback port; `make_settings(base_url)` builds its Settings."""
    sock = free_socket()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = make_settings(base_url)
    app = create_app(settings, name=f"test_{secrets.token_hex(6)}", run_worker=run_worker)
    # Sanic rewrites some of its own methods at start-up ("touchup"); doing that a second
    # time in one process fails, and several apps start in one test session
    app.config.TOUCHUP = False
    # create_server already listens; requests wait in the backlog until startup ends
    server = await app.create_server(sock=sock, access_log=False)
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield RunningApp(app=app, base_url=base_url, settings=settings)
    finally:
        await server.before_stop()
        closing = server.close()
        if closing is not None:
            await closing
        await server.after_stop()
        Sanic.unregister_app(app)
        sock.close()


async def wait_until(
    predicate: Callable[[], Any], timeout: float = 15.0, interval: float = 0.05
) -> Any:
    """Poll `predicate` (sync or async) until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)
