"""Sending WhatsApp messages through the official `twilio` client.

The client gets an injected async HttpClient (Twilio's documented extension point) that
adds a hard timeout and, when TWILIO_API_BASE_URL is set, sends the API calls to that
base URL instead of https://api.twilio.com (a loopback stand-in in tests and the
benchmark). Errors are sorted into retryable (network, timeout, 429, 5xx) and permanent
(4xx: bad number, outside the window, ...).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from showroom.settings import Settings

log = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"


@dataclass(frozen=True)
class SendResult:
    sid: str
    status: str


class TwilioSendError(Exception):
    def __init__(self, reason: str, *, retryable: bool, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.code = code


class GatewayHttpClient(AsyncTwilioHttpClient):
    """Twilio's aiohttp client with a total timeout and an optional API base URL."""

    def __init__(self, *, timeout_s: float, base_url: str | None = None) -> None:
        super().__init__(pool_connections=False, timeout=timeout_s)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout_s))

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        if self.base_url and url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        if auth is not None:
            # as a header: aiohttp deprecates its BasicAuth object
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            headers = {**(headers or {}), "Authorization": f"Basic {token}"}
        return await super().request(
            method, url, params, data, headers, None, None, allow_redirects
        )


class TwilioMessenger:
    """`messages.create` for WhatsApp, from a branch's number, with status callbacks."""

    def __init__(self, settings: Settings) -> None:
        if not (settings.twilio_account_sid and settings.twilio_auth_token):
            raise ValueError("Twilio credentials are not configured (local outbox mode)")
        self.timeout_s = settings.twilio_timeout_s
        self._http = GatewayHttpClient(
            timeout_s=settings.twilio_timeout_s, base_url=settings.twilio_api_base_url
        )
        self._client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=self._http
        )

    async def send(
        self,
        *,
        from_number: str,
        to_number: str,
        body: str = "",
        media_urls: list[str] | None = None,
        content_sid: str | None = None,
        content_variables: dict[str, str] | None = None,
        status_callback: str | None = None,
    ) -> SendResult:
        kwargs: dict[str, Any] = {
            "from_": f"whatsapp:{from_number}",
            "to": f"whatsapp:{to_number}",
        }
        if content_sid:
            kwargs["content_sid"] = content_sid
            if content_variables:
                kwargs["content_variables"] = json.dumps(content_variables, ensure_ascii=False)
        else:
            if body:
                kwargs["body"] = body
            if media_urls:
                kwargs["media_url"] = list(media_urls)
        if status_callback:
            kwargs["status_callback"] = status_callback
        try:
            message = await asyncio.wait_for(
                self._client.messages.create_async(**kwargs), timeout=self.timeout_s + 1
            )
        except TwilioRestException as exc:
            retryable = exc.status == 429 or exc.status >= 500
            code = str(exc.code) if exc.code is not None else None
            raise TwilioSendError(
                f"Twilio refused the message: HTTP {exc.status} code {code}",
                retryable=retryable,
                code=code,
            ) from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise TwilioSendError(
                f"Twilio unreachable ({type(exc).__name__})", retryable=True
            ) from exc
        if not message.sid:
            raise TwilioSendError("Twilio answered without a message sid", retryable=True)
        return SendResult(sid=str(message.sid), status=str(message.status or "queued"))

    async def close(self) -> None:
        await self._http.close()
