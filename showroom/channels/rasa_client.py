"""Rasa's REST channel (`POST /webhooks/rest/webhook`) and the health of Rasa and actions.

Every call has a timeout. A connection error, a timeout, a 5xx or an answer that is not a
JSON list raises `RasaUnavailableError`: the gateway keeps the message and retries it.

A call that timed out, broke after the request went out, or whose caller crashed may
still have gone through: Rasa finishes the turn and saves it in the tracker. Before such a
message is sent again the gateway asks the tracker (`GET /conversations/<id>/tracker`,
Rasa's HTTP API, `--enable-api`) whether the message, tagged with `gateway_message_id` in
its metadata, was already answered, and then uses those replies instead of a second turn.
`RasaUnavailableError.maybe_processed` tells the two kinds of failure apart.

With Rasa started with `--auth-token`, every call to its HTTP API carries that token
(RASA_TOKEN) as `?token=`; the REST channel's webhook takes none and gets none, and a
refused token is logged as the configuration error it is.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import quote

import httpx

log = logging.getLogger(__name__)

REST_WEBHOOK = "/webhooks/rest/webhook"
GATEWAY_ID_KEY = "gateway_message_id"
# what Rasa's REST channel returns of a bot utterance (CollectingOutputChannel)
REST_REPLY_KEYS = ("image", "buttons", "attachment", "custom")


class RasaUnavailableError(Exception):
    """Rasa did not answer usefully; the message should be retried later.

    `maybe_processed`: the request may have reached Rasa and its turn may have run (or
    still be running). False only when Rasa certainly did not take the turn: the
    connection was refused, or Rasa itself answered with an error.
    """

    def __init__(self, reason: str, *, maybe_processed: bool = False) -> None:
        super().__init__(reason)
        self.maybe_processed = maybe_processed


class RasaTimeoutError(RasaUnavailableError):
    """Rasa did not answer in time; it may still be working on the message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, maybe_processed=True)


# answered by a proxy in front of Rasa while Rasa may still be working on the turn
_PROXY_TIMEOUTS = (502, 504)


class RasaClient:
    def __init__(
        self,
        rasa_url: str,
        *,
        timeout_s: float,
        action_endpoint_url: str | None = None,
        health_timeout_s: float = 2.0,
        token: str | None = None,
    ) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        # Rasa's HTTP API (`--auth-token`); None when Rasa runs without one
        self._api_auth = {"token": token} if token else {}
        self.action_health_url = _action_health_url(action_endpoint_url)
        # The turn's own time limit applies once the request is sent; connecting has its
        # own 3 s (a Rasa that does not accept connections is down, not slow).
        self._timeout = httpx.Timeout(timeout_s, connect=3.0)
        self._health_timeout = httpx.Timeout(health_timeout_s)
        self._http = httpx.AsyncClient()
        self._actions_checked_at = 0.0
        self._actions_ok = True

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """One customer turn → Rasa's replies (possibly empty)."""
        payload = {"sender": sender, "message": text, "metadata": metadata}
        try:
            response = await self._http.post(
                self.rasa_url + REST_WEBHOOK, json=payload, timeout=self._timeout
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # no connection, so no request: Rasa never saw this message
            raise RasaUnavailableError(f"Rasa unreachable ({type(exc).__name__})") from exc
        except httpx.TimeoutException as exc:
            raise RasaTimeoutError("Rasa timed out") from exc
        except httpx.HTTPError as exc:
            # the connection broke after the request went out: Rasa may have it
            raise RasaUnavailableError(
                f"Rasa unreachable ({type(exc).__name__})", maybe_processed=True
            ) from exc
        if response.status_code >= 500 or response.status_code in (404, 408, 429):
            raise RasaUnavailableError(
                f"Rasa answered HTTP {response.status_code}",
                maybe_processed=response.status_code in _PROXY_TIMEOUTS,
            )
        if response.status_code >= 400:
            # our request is wrong: retrying will not help, but losing the message is worse
            log.error("Rasa refused the request: HTTP %s", response.status_code)
            raise RasaUnavailableError(f"Rasa answered HTTP {response.status_code}")
        try:
            replies = response.json()
        except ValueError as exc:
            raise RasaUnavailableError("Rasa answered something that is not JSON") from exc
        if not isinstance(replies, list):
            raise RasaUnavailableError("Rasa answered JSON that is not a list")
        return [r for r in replies if isinstance(r, dict)]

    async def replies_already_given(
        self, sender: str, gateway_id: str
    ) -> list[dict[str, Any]] | None:
        """The replies Rasa gave to the message tagged `gateway_id`, if it saw that message.

        None when the tracker does not have it (or Rasa's HTTP API is not enabled: then
        the caller sends as before). Rasa saves a turn's events together at its end, so a
        message found here was answered completely.
        """
        url = f"{self.rasa_url}/conversations/{quote(sender, safe='')}/tracker"
        try:
            response = await self._http.get(
                url,
                params={"include_events": "AFTER_RESTART", **self._api_auth},
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            # not known whether Rasa has the message: the caller keeps assuming it may
            raise RasaUnavailableError(
                f"Rasa unreachable ({type(exc).__name__})", maybe_processed=True
            ) from exc
        if response.status_code >= 500:
            raise RasaUnavailableError(
                f"Rasa answered HTTP {response.status_code}", maybe_processed=True
            )
        if response.status_code in (401, 403):
            # the message is sent as if Rasa had never seen it: it may get a second turn
            log.error(
                "Rasa refused the tracker lookup (HTTP %s): RASA_TOKEN must be the token "
                "Rasa runs with (--auth-token)",
                response.status_code,
            )
            return None
        if response.status_code >= 400:
            log.warning("Rasa's tracker API unavailable (HTTP %s)", response.status_code)
            return None
        try:
            events = response.json().get("events") or []
        except (ValueError, AttributeError):
            return None
        return replies_to(events, gateway_id)

    async def rasa_healthy(self) -> bool:
        return await self._ok(self.rasa_url + "/")

    async def actions_healthy(self, *, max_age_s: float = 0.0) -> bool:
        """The action server's /health (cached for `max_age_s`); True when not configured."""
        if self.action_health_url is None:
            return True
        now = time.monotonic()
        if max_age_s and now - self._actions_checked_at < max_age_s:
            return self._actions_ok
        self._actions_ok = await self._ok(self.action_health_url)
        self._actions_checked_at = now
        return self._actions_ok

    async def _ok(self, url: str) -> bool:
        try:
            response = await self._http.get(url, timeout=self._health_timeout)
        except httpx.HTTPError:
            return False
        return response.status_code < 400

    async def close(self) -> None:
        await self._http.aclose()


def _action_health_url(action_endpoint_url: str | None) -> str | None:
    """`http://host:5055/webhook` → `http://host:5055/health`."""
    if not action_endpoint_url:
        return None
    base = action_endpoint_url.rstrip("/")
    if base.endswith("/webhook"):
        base = base[: -len("/webhook")]
    return base + "/health"


def replies_to(events: list[dict[str, Any]], gateway_id: str) -> list[dict[str, Any]] | None:
    """The bot messages after the user message tagged `gateway_id`, as the REST channel
    returns them; None when no user message carries that tag."""
    start = None
    for index, event in enumerate(events):
        metadata = event.get("metadata") or {}
        if event.get("event") == "user" and metadata.get(GATEWAY_ID_KEY) == gateway_id:
            start = index
    if start is None:
        return None
    replies: list[dict[str, Any]] = []
    for event in events[start + 1 :]:
        if event.get("event") == "user":
            break
        if event.get("event") != "bot":
            continue
        data = event.get("data") or {}
        reply = {key: data[key] for key in REST_REPLY_KEYS if data.get(key)}
        if event.get("text"):
            reply = {"text": event["text"], **reply}
        if reply:
            replies.append(reply)
    return replies
