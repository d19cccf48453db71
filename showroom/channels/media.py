"""Fetching a customer's photos and PDFs from Twilio, safely.

- Only Twilio's media hosts (TWILIO_MEDIA_HOSTS), over https; every redirect hop is
  checked again (Twilio answers its media URL with a redirect to its CDN). A loopback
  stand-in is allowed over http only when MEDIA_LOOPBACK_HOST names it (never in
  production): no SSRF to anything else.
- Twilio's basic auth is sent to twilio.com hosts (and the stand-in) only.
- Size- and type-limited: the declared type, the served type and the file's first bytes
  must all be an allowed image type or PDF; the download stops at MEDIA_MAX_BYTES.
- Stored under MEDIA_DIR by sha256 (`ab/abcdef….jpg`), written atomically.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from showroom.privacy import fingerprint
from showroom.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
}
MAX_REDIRECTS = 3


class MediaRejectedError(Exception):
    """Not fetched and never will be (host, type, size): reason in English, no URL."""


class MediaUnavailableError(Exception):
    """Could not be fetched now (network, 5xx); may work later."""


def sniff_type(head: bytes) -> str | None:
    """The content type the first bytes prove, for the types we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


class MediaFetcher:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.hosts = [
            h.strip().lower() for h in settings.twilio_media_hosts.split(",") if h.strip()
        ]
        self.allowed_types = {
            t.strip().lower() for t in settings.media_allowed_types.split(",") if t.strip()
        }
        self.loopback = _loopback_host(settings)
        self.max_bytes = settings.media_max_bytes
        self.media_dir = Path(settings.media_dir)
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(settings.media_fetch_timeout_s, connect=5.0),
            follow_redirects=False,
        )

    def url_allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if self.loopback and parts.scheme == "http" and parts.netloc.lower() == self.loopback:
            return True
        if parts.scheme != "https" or parts.username or parts.password:
            return False
        if parts.port not in (None, 443):
            return False
        return any(
            host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:]))
            for pattern in self.hosts
        )

    def _wants_auth(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if self.loopback and parts.netloc.lower() == self.loopback:
            return True
        return host == "twilio.com" or host.endswith(".twilio.com")

    async def fetch(self, url: str, declared_type: str = "") -> dict[str, Any]:
        """Download, check and store one media item; its metadata for Rasa."""
        declared = declared_type.split(";")[0].strip().lower()
        if declared and declared not in self.allowed_types:
            raise MediaRejectedError(f"type {declared} is not accepted")
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if not self.url_allowed(current):
                raise MediaRejectedError("media host is not an allowed Twilio host")
            auth = self._auth() if self._wants_auth(current) else None
            try:
                async with self._http.stream("GET", current, auth=auth) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        current = urljoin(current, location)
                        continue
                    return await self._store(url, response, declared)
            except httpx.TimeoutException as exc:
                raise MediaUnavailableError("media download timed out") from exc
            except httpx.HTTPError as exc:
                raise MediaUnavailableError(
                    f"media download failed ({type(exc).__name__})"
                ) from exc
        raise MediaRejectedError("too many redirects")

    def _auth(self) -> tuple[str, str] | None:
        sid, token = self.settings.twilio_account_sid, self.settings.twilio_auth_token
        return (sid, token) if sid and token else None

    async def _store(self, url: str, response: httpx.Response, declared: str) -> dict[str, Any]:
        if response.status_code >= 500 or response.status_code == 429:
            raise MediaUnavailableError(f"media host answered HTTP {response.status_code}")
        if response.status_code >= 400:
            raise MediaRejectedError(f"media host answered HTTP {response.status_code}")
        served = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if served not in self.allowed_types:
            raise MediaRejectedError(f"served type {served or 'unknown'} is not accepted")
        length = response.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise MediaRejectedError("media is larger than MEDIA_MAX_BYTES")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise MediaRejectedError("media is larger than MEDIA_MAX_BYTES")
            chunks.append(chunk)
        data = b"".join(chunks)
        return self.store_bytes(data, served, source_url=url, declared_type=declared)

    def store_bytes(
        self, data: bytes, content_type: str, *, source_url: str = "", declared_type: str = ""
    ) -> dict[str, Any]:
        """Check and store bytes we already have (downloads, simulator uploads)."""
        if not data:
            raise MediaRejectedError("media is empty")
        if len(data) > self.max_bytes:
            raise MediaRejectedError("media is larger than MEDIA_MAX_BYTES")
        actual = sniff_type(data[:16])
        if actual is None or actual not in self.allowed_types:
            raise MediaRejectedError("file content is not an accepted image or PDF")
        for claimed in (content_type, declared_type):
            if claimed and claimed != actual:
                raise MediaRejectedError(
                    f"file content ({actual}) does not match its type ({claimed})"
                )
        digest = hashlib.sha256(data).hexdigest()
        path = self.media_dir / digest[:2] / f"{digest}{EXTENSIONS[actual]}"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            Path(tmp).replace(path)
        log.info("media stored sha=%s type=%s size=%d", fingerprint(digest), actual, len(data))
        return {
            "url": source_url,
            "content_type": actual,
            "sha256": digest,
            "path": str(path),
            "size": len(data),
        }

    async def close(self) -> None:
        await self._http.aclose()


def _loopback_host(settings: Settings) -> str | None:
    """MEDIA_LOOPBACK_HOST when it really is a loopback address and not in production."""
    value = (settings.media_loopback_host or "").strip().lower()
    if not value or settings.environment == "production":
        return None
    host = value.rsplit(":", 1)[0].strip("[]")
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        log.warning("MEDIA_LOOPBACK_HOST ignored: %s is not a loopback address", host)
        return None
    return value
