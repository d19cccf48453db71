"""Fetching a customer's photos and PDFs from Twilio, safely.

- Only Twilio's media sources (TWILIO_MEDIA_HOSTS), over https on port 443; every
  redirect hop is checked again (Twilio answers its media URL with a redirect: to
  `mms.twiliocdn.com` when the account enforces HTTP auth on media, else to
  `s3-external-1.amazonaws.com/media.twiliocdn.com/…`). A source may be a host, a
  `*.domain`, and either followed by a path prefix: the S3 host is allowed only under
  Twilio's bucket. Paths with dot segments or encoded slashes are refused, and so is a
  connection whose peer address is not public (a name resolving to a private address).
  A loopback stand-in is allowed over http only when MEDIA_LOOPBACK_HOST (the stand-in
  for api.twilio.com) or a loopback source names it, never in production: no SSRF to
  anything else.
- Twilio's basic auth goes to Twilio's API host only (`api.twilio.com`, a regional
  `api.<edge>.<region>.twilio.com`, or the stand-in), never to a CDN or S3 hop.
- Size- and type-limited: the declared type, the served type and the file's first bytes
  must all be an allowed image type or PDF; the download stops at MEDIA_MAX_BYTES.
- Stored under MEDIA_DIR by sha256 (`ab/abcdef….jpg`), written atomically.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import re
import tempfile
from dataclasses import dataclass
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
# Twilio's REST API hosts, global or regional (api.dublin.ie1.twilio.com)
_TWILIO_API_HOST = re.compile(r"^api(\.[a-z0-9-]+\.[a-z0-9-]+)?\.twilio\.com$", re.IGNORECASE)


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


@dataclass(frozen=True)
class MediaSource:
    """One allowed source: a host (`api.twilio.com`), a domain's subdomains
    (`*.twiliocdn.com`) or, outside production, a loopback `host:port` (tests), and the
    path prefix URLs must start with (`/` for the whole host)."""

    host: str
    path_prefix: str = "/"
    loopback: bool = False

    @classmethod
    def parse(cls, entry: str) -> MediaSource | None:
        host, slash, path = entry.strip().partition("/")
        host = host.lower()
        if not host:
            return None
        prefix = "/" + path if slash else "/"
        name = host.rsplit(":", 1)[0] if ":" in host else host
        if _is_loopback(name):
            return cls(host, prefix, loopback=True) if ":" in host else None
        return None if ":" in host else cls(host, prefix)

    def matches(self, scheme: str, netloc: str, host: str, port: int | None, path: str) -> bool:
        if not path.startswith(self.path_prefix):
            return False
        if self.loopback:
            return scheme == "http" and netloc == self.host
        if scheme != "https" or port not in (None, 443):
            return False
        if self.host.startswith("*."):
            return host.endswith(self.host[1:])
        return host == self.host


def parse_sources(value: str, *, production: bool) -> list[MediaSource]:
    """TWILIO_MEDIA_HOSTS → sources (loopback ones dropped in production)."""
    sources = []
    for entry in value.split(","):
        if not entry.strip():
            continue
        source = MediaSource.parse(entry)
        if source is None or (source.loopback and production):
            log.warning("TWILIO_MEDIA_HOSTS entry ignored (not a host, or loopback in production)")
            continue
        sources.append(source)
    return sources


def safe_path(path: str) -> bool:
    """No dot segments, backslashes or encoded slashes/dots: a path prefix means what it
    says (`/media.twiliocdn.com/../other-bucket/` is not under it)."""
    lowered = path.lower()
    if "\\" in lowered or any(code in lowered for code in ("%2e", "%2f", "%5c")):
        return False
    return not any(segment in (".", "..") for segment in lowered.split("/"))


def public_peer(address: str) -> bool:
    """Whether a connection's peer address is a public one (not private, loopback,
    link-local — cloud metadata —, reserved or multicast)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class MediaFetcher:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        production = settings.environment == "production"
        self.sources = parse_sources(settings.twilio_media_hosts, production=production)
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

    def _source(self, url: str) -> MediaSource | None:
        """The source allowing `url` (the stand-in counts as one); None when none does."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return None
        if parts.username is not None or parts.password is not None:
            return None
        netloc = parts.netloc.lower()
        if self.loopback and parts.scheme == "http" and netloc == self.loopback:
            return MediaSource(netloc, loopback=True)
        if not safe_path(parts.path):
            return None
        host = (parts.hostname or "").lower()
        for source in self.sources:
            if source.matches(parts.scheme, netloc, host, port, parts.path or "/"):
                return source
        return None

    def url_allowed(self, url: str) -> bool:
        return self._source(url) is not None

    def _wants_auth(self, url: str) -> bool:
        """Twilio's credentials go to its API host only, on any hop: never to a CDN, S3
        or anything a redirect names."""
        parts = urlsplit(url)
        if self.loopback and parts.scheme == "http" and parts.netloc.lower() == self.loopback:
            return True
        return parts.scheme == "https" and bool(_TWILIO_API_HOST.match(parts.hostname or ""))

    async def fetch(self, url: str, declared_type: str = "") -> dict[str, Any]:
        """Download, check and store one media item; its metadata for Rasa."""
        declared = declared_type.split(";")[0].strip().lower()
        if declared and declared not in self.allowed_types:
            raise MediaRejectedError(f"type {declared} is not accepted")
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            source = self._source(current)
            if source is None:
                raise MediaRejectedError("media host is not an allowed Twilio host")
            auth = self._auth() if self._wants_auth(current) else None
            try:
                async with self._http.stream("GET", current, auth=auth) as response:
                    if not source.loopback and not _peer_is_public(response):
                        raise MediaRejectedError("media host resolved to a non-public address")
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


def _is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _peer_is_public(response: httpx.Response) -> bool:
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    # no peer known (a transport without sockets): nothing was reached over the network
    return peer is None or public_peer(str(peer[0]))


def _loopback_host(settings: Settings) -> str | None:
    """MEDIA_LOOPBACK_HOST when it really is a loopback address and not in production."""
    value = (settings.media_loopback_host or "").strip().lower()
    if not value or settings.environment == "production":
        return None
    host = value.rsplit(":", 1)[0]
    if not _is_loopback(host):
        log.warning("MEDIA_LOOPBACK_HOST ignored: %s is not a loopback address", host)
        return None
    return value
