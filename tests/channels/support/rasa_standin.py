"""A loopback server speaking Rasa's REST channel, for tests that need to control Rasa.

It records every `POST /webhooks/rest/webhook` (sender, message, metadata) in arrival
order and answers with `responder(message)` — by default `eco: <message>`. Tests make it
slow (`delay_s`), take it down and bring it back on the same port (`stop()`/`start()`),
like a restarted Rasa. It also answers `/` (Rasa's hello) and `/health` (the action
server's), so one stand-in covers the gateway's health checks, and keeps a tracker per
sender like Rasa's HTTP API (`GET /conversations/<id>/tracker`): a turn's user and bot
events are saved together when the turn ends, as Rasa does — also when the caller has
gone away meanwhile (aiohttp does not cancel the handler). `before_reply` runs once the
turn is saved, before the answer goes back (a test can crash the gateway "between" the
two). Like Rasa run with `--auth-token`, its HTTP API (the tracker) answers 401 without
`?token=<token>` when `token` is set; the REST webhook takes no token. Each lookup is
recorded in `tracker_lookups`. The end-to-end tests use the real Rasa (tests/e2e).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Reply = list[dict[str, Any]]


def echo(message: str) -> Reply:
    return [{"text": f"eco: {message}"}]


@dataclass
class RasaStandin:
    responder: Callable[[str], Reply] = echo
    delay_s: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    before_reply: Callable[[dict[str, Any]], Awaitable[None]] | None = None
    # Rasa's --auth-token for its HTTP API (None: the API is open)
    token: str | None = None
    # (sender, whether the lookup was authorized) of every tracker request
    tracker_lookups: list[tuple[str, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._in_flight: dict[str, int] = {}
        self.trackers: dict[str, list[dict[str, Any]]] = {}
        # the most requests of one sender Rasa had at the same time (ordering: must be 1)
        self.max_in_flight = 0
        if not self.port:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                self.port = sock.getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[str]:
        return [r["message"] for r in self.received]

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        app.router.add_get("/", self._hello)
        app.router.add_get("/health", self._health)
        app.router.add_get("/conversations/{sender}/tracker", self._tracker)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        return self.url

    async def stop(self) -> None:
        """Down: connections to its port are refused until `start()`."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _hello(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _webhook(self, request: web.Request) -> web.Response:
        payload = await request.json()
        sender = payload["sender"]
        self.received.append(payload)
        self._in_flight[sender] = self._in_flight.get(sender, 0) + 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight[sender])
        try:
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            answers = self.responder(payload["message"])
        finally:
            self._in_flight[sender] -= 1
        user = {"event": "user", "text": payload["message"], "metadata": payload.get("metadata")}
        bots = [{"event": "bot", "text": a.get("text"), "data": a} for a in answers]
        listen = {"event": "action", "name": "action_listen"}
        self.trackers.setdefault(sender, []).extend([user, *bots, listen])
        if self.before_reply is not None:
            await self.before_reply(payload)
        return web.json_response([{"recipient_id": sender, **a} for a in answers])

    async def _tracker(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        authorized = self.token is None or request.query.get("token") == self.token
        self.tracker_lookups.append((sender, authorized))
        if not authorized:  # Rasa's answer to a missing or wrong token
            return web.json_response(
                {"version": "3.6.21", "status": "failure", "reason": "NotAuthenticated"},
                status=401,
            )
        return web.json_response({"sender_id": sender, "events": self.trackers.get(sender, [])})

    async def wait_for(self, count: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.received) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(
                    f"expected {count} messages at Rasa, got {len(self.received)}: {self.messages}"
                )
            await asyncio.sleep(0.02)
        return list(self.received)
