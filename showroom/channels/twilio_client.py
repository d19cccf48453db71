"""Sending WhatsApp messages through the official `twilio` client, and finding them again.

The client gets an injected async HttpClient (Twilio's documented extension point) that
adds a hard timeout, logs nothing personal (the library's own request log prints query
parameters, i.e. phone numbers) and, when TWILIO_API_BASE_URL is set, sends the API calls
to that base URL instead of https://api.twilio.com (a loopback stand-in in tests and the
benchmark).

Errors are sorted three ways:
- permanent (4xx: bad number, outside the window, ...): the message failed;
- retryable, not created (429, 503, no connection): Twilio certainly has no message;
- outcome unknown (timeout, a connection broken after the request went out, other 5xx,
  and anything unexpected: an answer that is not JSON, an error the library has no class
  for, a bug): Twilio may have created it. The caller looks it up (`recent_messages`)
  before resending, and counts the attempt, so OUTBOUND_MAX_ATTEMPTS ends it.
Twilio's error answers come as `TwilioRestException` (its classic JSON) or, for an
RFC 9457 problem document, `TwilioServiceException`; both are sorted by HTTP status.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from showroom.settings import Settings

log = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"
# Twilio answered that it did not take the request (throttled, unavailable)
_NOT_CREATED_STATUSES = (429, 503)
LOOKUP_PAGE_SIZE = 20


@dataclass(frozen=True)
class SendResult:
    sid: str
    status: str


@dataclass(frozen=True)
class TwilioMessage:
    """A message as Twilio's list API returns it (what a lookup compares)."""

    sid: str
    status: str
    direction: str
    body: str
    num_media: int
    date_created: datetime | None


class TwilioSendError(Exception):
    def __init__(
        self,
        reason: str,
        *,
        retryable: bool,
        code: str | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.code = code
        # Twilio may have created the message although we got no answer
        self.outcome_unknown = outcome_unknown


class GatewayHttpClient(AsyncTwilioHttpClient):
    """Twilio's aiohttp client with a total timeout, an optional API base URL and no
    request logging (the library logs query parameters: phone numbers)."""

    def __init__(self, *, timeout_s: float, base_url: str | None = None) -> None:
        super().__init__(pool_connections=False, timeout=timeout_s)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout_s))

    def log_request(self, kwargs: dict[str, Any]) -> None:
        log.debug("Twilio API %s %s", kwargs.get("method"), _path_only(str(kwargs.get("url"))))

    def log_response(self, status_code: int, response: Any) -> None:
        log.debug("Twilio API answered HTTP %s", status_code)

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


def _path_only(url: str) -> str:
    return url.split("?", 1)[0]


def _api_error(exc: TwilioRestException | TwilioServiceException, action: str) -> TwilioSendError:
    """An error answer of Twilio's API, sorted by its HTTP status."""
    code = str(exc.code)[:16] if exc.code is not None else None
    try:
        status = int(exc.status)
    except (TypeError, ValueError):
        return _unexpected(exc, action)
    return TwilioSendError(
        f"Twilio refused to {action}: HTTP {status} code {code}",
        retryable=status >= 500 or status == 429,
        code=code,
        outcome_unknown=status >= 500 and status not in _NOT_CREATED_STATUSES,
    )


def _unexpected(exc: BaseException, action: str) -> TwilioSendError:
    """Something we did not foresee while asking Twilio to `action` (its type only: the
    text could carry the request's phone numbers). Twilio may have done it."""
    return TwilioSendError(
        f"unexpected failure trying to {action} ({type(exc).__name__})",
        retryable=True,
        outcome_unknown=True,
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
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _api_error(exc, "send the message") from exc
        except aiohttp.ClientConnectorError as exc:
            # no connection was made: nothing reached Twilio
            raise TwilioSendError(
                f"Twilio unreachable ({type(exc).__name__})", retryable=True
            ) from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise TwilioSendError(
                f"no answer from Twilio ({type(exc).__name__})",
                retryable=True,
                outcome_unknown=True,
            ) from exc
        except Exception as exc:  # a 2xx that is not JSON, TwilioException, a library bug
            log.warning("Twilio send failed unexpectedly (%s)", type(exc).__name__)
            raise _unexpected(exc, "send the message") from exc
        if not message.sid:
            raise TwilioSendError(
                "Twilio answered without a message sid", retryable=True, outcome_unknown=True
            )
        return SendResult(sid=str(message.sid), status=str(message.status or "queued"))

    async def recent_messages(self, *, from_number: str, to_number: str) -> list[TwilioMessage]:
        """The latest messages from this business number to this customer, newest first.

        Filtered by To and From only: `DateSent` is empty while a message is queued, so a
        date filter could hide exactly the message being looked for; the caller compares
        `date_created`. `TwilioSendError` (retryable) when Twilio cannot be asked.
        """
        try:
            found = await asyncio.wait_for(
                self._client.messages.list_async(
                    from_=f"whatsapp:{from_number}",
                    to=f"whatsapp:{to_number}",
                    limit=LOOKUP_PAGE_SIZE,
                    page_size=LOOKUP_PAGE_SIZE,
                ),
                timeout=self.timeout_s + 1,
            )
        except (TwilioRestException, TwilioServiceException) as exc:
            raise _api_error(exc, "list messages") from exc
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            raise TwilioSendError(
                f"Twilio unreachable for a lookup ({type(exc).__name__})", retryable=True
            ) from exc
        except Exception as exc:  # an answer that is not JSON, TwilioException, ...
            raise _unexpected(exc, "list messages") from exc
        try:
            return [
                TwilioMessage(
                    sid=str(m.sid),
                    status=str(m.status or ""),
                    direction=str(m.direction or ""),
                    body=str(m.body or ""),
                    num_media=int(m.num_media or 0),
                    date_created=m.date_created,
                )
                for m in found
                if m.sid
            ]
        except (TypeError, ValueError) as exc:  # a list we cannot read: not a lookup
            raise _unexpected(exc, "list messages") from exc

    async def close(self) -> None:
        await self._http.close()
