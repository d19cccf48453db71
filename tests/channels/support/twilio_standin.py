"""A loopback server that answers as Twilio's REST API does, for the real `twilio` client.

- `POST /2010-04-01/Accounts/{Sid}/Messages.json`: checks basic auth, records the form,
  answers 201 with a realistic Message resource (`sid`, `status: "queued"`, ...), or an
  error in Twilio's JSON error format when the test queued one, or any raw answer
  (`raw_answers`: a 200 that is not JSON, an RFC 9457 problem document). A test can make it slow
  *after* the message exists (`create_delays`: the caller times out although Twilio has
  the message) or run a hook at that moment (`on_create`: e.g. kill the gateway).
- `GET /2010-04-01/Accounts/{Sid}/Messages.json?To=&From=&PageSize=`: Twilio's list of
  messages, newest first, in its paging envelope (what the gateway reads to find a send
  whose answer it lost); each query is recorded in `lookups`. Sids in `unlisted` are left
  out, as Twilio's list can lag behind a message just created.
- Media like Twilio's: `GET /2010-04-01/Accounts/{Sid}/Messages/{MM}/Media/{ME}` needs
  basic auth and redirects to `/cdn/{ME}`, which serves the bytes, or to the URL the test
  gave (`add_media(..., redirect_to=)`: another host, such as a `MediaHostStandin`
  answering as Twilio's S3 bucket does).
- `send_status(...)` posts a status callback to the message's StatusCallback URL, signed
  with the auth token exactly as Twilio signs it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

import httpx
from aiohttp import web
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f3a1c9e27b6d4058a9e1c2d3b4a59687"


@dataclass
class SentMessage:
    sid: str
    form: dict[str, list[str]]
    received_at: float  # time.time()

    def first(self, name: str) -> str:
        return (self.form.get(name) or [""])[0]

    @property
    def to(self) -> str:
        return self.first("To")

    @property
    def from_(self) -> str:
        return self.first("From")

    @property
    def body(self) -> str:
        return self.first("Body")

    @property
    def media_urls(self) -> list[str]:
        return self.form.get("MediaUrl", [])

    @property
    def status_callback(self) -> str:
        return self.first("StatusCallback")


@dataclass(frozen=True)
class RawAnswer:
    """An answer to a message creation other than Twilio's normal one."""

    status: int
    body: str
    content_type: str = "application/json"
    # the message exists at Twilio all the same (a proxy mangled the answer)
    created: bool = False


def problem(status: int, code: int, title: str) -> RawAnswer:
    """An RFC 9457 problem document, as Twilio's newer APIs answer errors."""
    document = {
        "type": f"https://www.twilio.com/docs/errors/{code}",
        "title": title,
        "status": status,
        "code": code,
        "detail": "Stand-in failure queued by the test",
        "instance": "/2010-04-01/Messages",
    }
    return RawAnswer(status, json.dumps(document), "application/problem+json")


class LoopbackServer:
    """An aiohttp app (`_app`) on 127.0.0.1 at a free port: the stand-ins' lifecycle."""

    base_url: str
    _runner: web.AppRunner | None

    def _app(self) -> web.Application:
        raise NotImplementedError

    async def start(self) -> str:
        self._runner = web.AppRunner(self._app(), access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def host(self) -> str:
        return self.base_url.removeprefix("http://")


@dataclass
class TwilioStandin(LoopbackServer):
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    sent: list[SentMessage] = field(default_factory=list)
    # (http status, twilio error code) answered to the next message creations, in order
    failures: list[tuple[int, int]] = field(default_factory=list)
    # raw answers to the next message creations (after `failures`), in order
    raw_answers: list[RawAnswer] = field(default_factory=list)
    # every message creation request (also those answered with a failure)
    create_requests: int = 0
    # sids the message list leaves out (Twilio's list lagging behind)
    unlisted: set[str] = field(default_factory=set)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    media_requests: list[dict[str, Any]] = field(default_factory=list)
    # the next N media requests get a 503, as from a media host that is down for a while
    media_unavailable: int = 0
    # seconds the next message creations wait, after the message exists, before answering
    create_delays: list[float] = field(default_factory=list)
    # awaited once a message exists, before the answer (a crash "between" the two)
    on_create: Callable[[SentMessage], Awaitable[None]] | None = None
    # the query of every message list request (To, From, PageSize...)
    lookups: list[dict[str, str]] = field(default_factory=list)
    base_url: str = ""

    def __post_init__(self) -> None:
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.resources: dict[str, dict[str, Any]] = {}
        self.redirects: dict[str, str] = {}

    # ------------------------------------------------------------------ lifecycle
    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self._create_message)
        app.router.add_get("/2010-04-01/Accounts/{sid}/Messages.json", self._list_messages)
        app.router.add_get(
            "/2010-04-01/Accounts/{sid}/Messages/{mm}/Media/{me}", self._media_resource
        )
        app.router.add_get("/cdn/{me}", self._cdn)
        return app

    # ------------------------------------------------------------------ messages
    def _authorized(self, request: web.Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return request.headers.get("Authorization") == f"Basic {expected}"

    @staticmethod
    def _error(status: int, code: int, message: str) -> web.Response:
        return web.json_response(
            {
                "code": code,
                "message": message,
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
            status=status,
        )

    async def _create_message(self, request: web.Request) -> web.Response:
        if request.match_info["sid"] != self.account_sid or not self._authorized(request):
            return self._error(401, 20003, "Authenticate")
        posted = await request.post()
        form: dict[str, list[str]] = {}
        for key, value in posted.items():
            form.setdefault(key, []).append(str(value))
        self.create_requests += 1
        if self.failures:
            status, code = self.failures.pop(0)
            return self._error(status, code, "Stand-in failure queued by the test")
        raw = self.raw_answers.pop(0) if self.raw_answers else None
        if raw is not None and not raw.created:
            return web.Response(status=raw.status, text=raw.body, content_type=raw.content_type)
        sid = "SM" + secrets.token_hex(16)
        now = formatdate(usegmt=True).replace("GMT", "+0000")
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}"
        resource = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": (form.get("Body") or [""])[0],
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": (form.get("From") or [""])[0],
            "messaging_service_sid": None,
            "num_media": str(len(form.get("MediaUrl", []))),
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": (form.get("To") or [""])[0],
            "uri": f"{uri}.json",
        }
        sent = SentMessage(sid=sid, form=form, received_at=time.time())
        async with self._changed:
            self.resources[sid] = resource
            self.sent.append(sent)
            self._changed.notify_all()
        if self.on_create is not None:
            await self.on_create(sent)
        if self.create_delays:
            await asyncio.sleep(self.create_delays.pop(0))
        if raw is not None:
            return web.Response(status=raw.status, text=raw.body, content_type=raw.content_type)
        return web.json_response(resource, status=201)

    async def _list_messages(self, request: web.Request) -> web.Response:
        """Twilio's Messages list: filters To/From, newest first, one page."""
        if request.match_info["sid"] != self.account_sid or not self._authorized(request):
            return self._error(401, 20003, "Authenticate")
        query = dict(request.query)
        self.lookups.append(query)
        page_size = int(query.get("PageSize", "50"))
        found = [
            r
            for r in reversed(list(self.resources.values()))
            if r["to"] == query.get("To", r["to"])
            and r["from"] == query.get("From", r["from"])
            and r["sid"] not in self.unlisted
        ][:page_size]
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json?PageSize={page_size}"
        return web.json_response(
            {
                "messages": found,
                "end": max(len(found) - 1, 0),
                "first_page_uri": f"{uri}&Page=0",
                "next_page_uri": None,
                "page": 0,
                "page_size": page_size,
                "previous_page_uri": None,
                "start": 0,
                "uri": f"{uri}&Page=0",
            }
        )

    async def wait_for(self, count: int, timeout: float = 15.0) -> list[SentMessage]:
        """Wait until at least `count` messages were sent; all of them."""

        async def enough() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.sent) >= count)

        try:
            await asyncio.wait_for(enough(), timeout)
        except TimeoutError:
            bodies = [m.body[:60] for m in self.sent]
            raise AssertionError(
                f"expected {count} messages sent to Twilio, got {len(self.sent)}: {bodies}"
            ) from None
        return list(self.sent)

    async def send_status(
        self,
        message: SentMessage,
        status: str,
        *,
        error_code: str | None = None,
        url: str | None = None,
    ) -> httpx.Response:
        """Post a signed status callback for `message`, as Twilio does (to `url` instead
        of the message's StatusCallback when given: still signed over the URL used)."""
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "ChannelPrefix": "whatsapp",
            "From": message.from_,
            "MessageSid": message.sid,
            "MessageStatus": status,
            "SmsSid": message.sid,
            "SmsStatus": status,
            "To": message.to,
        }
        if error_code:
            params["ErrorCode"] = error_code
        url = url or message.status_callback
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        async with httpx.AsyncClient(timeout=10) as client:
            return await client.post(url, data=params, headers={"X-Twilio-Signature": signature})

    # ------------------------------------------------------------------ media
    def add_media(self, data: bytes, content_type: str, *, redirect_to: str = "") -> str:
        """A Twilio-style media URL (needs auth, redirects to the CDN) serving `data`, or
        redirecting to `redirect_to` instead."""
        media_sid = "ME" + secrets.token_hex(16)
        self.media[media_sid] = (data, content_type)
        if redirect_to:
            self.redirects[media_sid] = redirect_to
        message_sid = "MM" + secrets.token_hex(16)
        account = f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}"
        return f"{account}/Messages/{message_sid}/Media/{media_sid}"

    async def _media_resource(self, request: web.Request) -> web.Response:
        self.media_requests.append({"path": request.path, "authorized": self._authorized(request)})
        if not self._authorized(request):
            return self._error(401, 20003, "Authenticate")
        if self.media_unavailable > 0:
            self.media_unavailable -= 1
            return self._error(503, 20500, "Service Unavailable")
        media_sid = request.match_info["me"]
        if media_sid not in self.media:
            return self._error(404, 20404, "Not found")
        raise web.HTTPTemporaryRedirect(self.redirects.get(media_sid, f"/cdn/{media_sid}"))

    async def _cdn(self, request: web.Request) -> web.Response:
        media_sid = request.match_info["me"]
        if media_sid not in self.media:
            return web.Response(status=404)
        data, content_type = self.media[media_sid]
        return web.Response(body=data, content_type=content_type)


@dataclass
class MediaHostStandin(LoopbackServer):
    """Another host serving media by path (as Twilio's S3 bucket serves
    `/media.twiliocdn.com/AC…/…` to accounts without HTTP auth on media); records every
    request with whether it carried an Authorization header."""

    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""

    def __post_init__(self) -> None:
        self._runner: web.AppRunner | None = None

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/{path:.*}", self._serve)
        return app

    def add(self, path: str, data: bytes, content_type: str) -> str:
        self.files[path] = (data, content_type)
        return self.base_url + path

    async def _serve(self, request: web.Request) -> web.Response:
        self.requests.append(
            {"path": request.path, "authorization": "Authorization" in request.headers}
        )
        if request.path not in self.files:
            return web.Response(status=404)
        data, content_type = self.files[request.path]
        return web.Response(body=data, content_type=content_type)
