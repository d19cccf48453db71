"""Rasa's REST channel (`POST /webhooks/rest/webhook`) and the health of Rasa and actions.

Every call has a timeout. A connection error, a timeout, a 5xx or an answer that is not a
JSON list raises `RasaUnavailableError`: the gateway keeps the message and retries it.

A timed-out call may still have gone through: Rasa finishes the turn and saves it in the
tracker. Before a retry the gateway asks the tracker (`GET /conversations/<id>/tracker`,
Rasa's HTTP API, `--enable-api`) whether the message, tagged with `gateway_message_id` in
its metadata, was already answered, and then uses those replies instead of a second turn.
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
    """Rasa did not answer usefully; the message should be retried later."""


class RasaTimeoutError(RasaUnavailableError):
    """Rasa did not answer in time; it may still be working on the message."""


class RasaClient:
    def __init__(
        self,
        rasa_url: str,
        *,
        timeout_s: float,
        action_endpoint_url: str | None = None,
        health_timeout_s: float = 2.0,
    ) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.action_health_url = _action_health_url(action_endpoint_url)
        self._timeout = httpx.Timeout(timeout_s, connect=min(3.0, timeout_s))
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
        except httpx.TimeoutException as exc:
            raise RasaTimeoutError("Rasa timed out") from exc
        except httpx.HTTPError as exc:
            raise RasaUnavailableError(f"Rasa unreachable ({type(exc).__name__})") from exc
        if response.status_code >= 500 or response.status_code in (404, 408, 429):
            raise RasaUnavailableError(f"Rasa answered HTTP {response.status_code}")
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
                url, params={"include_events": "AFTER_RESTART"}, timeout=self._timeout
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailableError(f"Rasa unreachable ({type(exc).__name__})") from exc
        if response.status_code >= 500:
            raise RasaUnavailableError(f"Rasa answered HTTP {response.status_code}")
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
