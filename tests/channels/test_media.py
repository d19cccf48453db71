"""Inbound media: only from Twilio's hosts, with Twilio's auth, checked, stored by sha256,
handed to Rasa in the metadata; a media-only message becomes `/provide_vin`."""

from __future__ import annotations

import hashlib
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from showroom.channels import texts
from showroom.channels.media import MediaFetcher, MediaRejectedError, public_peer
from showroom.channels.turn import MEDIA_FETCH_ATTEMPTS
from showroom.settings import Settings

from .conftest import GatewayFactory, messages
from .support.app_server import wait_until
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, MediaHostStandin, TwilioStandin

S3 = "https://s3-external-1.amazonaws.com"
BUCKET = "/media.twiliocdn.com/"


def jpeg_bytes(color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, format="JPEG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fetcher(tmp_path: Path, **overrides: Any) -> MediaFetcher:
    values: dict[str, Any] = {
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": AUTH_TOKEN,
        "secret_key": "gateway-test-secret",
        "media_dir": tmp_path / "media",
        **overrides,
    }
    return MediaFetcher(Settings(**values))


@pytest.mark.parametrize(
    "url",
    [
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
        "https://mms.twiliocdn.com/AC1/abc",
        "https://media.twiliocdn.com/AC1/abc",
        # accounts without "Enforce HTTP Auth on Media URLs": Twilio's bucket on S3
        f"{S3}{BUCKET}AC1/a1b2c3",
        f"{S3}:443{BUCKET}AC1/a1b2c3",
    ],
)
def test_twilio_media_hosts_are_allowed(tmp_path: Path, url: str) -> None:
    assert fetcher(tmp_path).url_allowed(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",  # not https
        "https://169.254.169.254/latest/meta-data/",
        "https://localhost/secret",
        "https://api.twilio.com.evil.example/x",
        "https://evil.example/?h=api.twilio.com",
        "https://api.twilio.com@evil.example/x",
        "https://user:pw@api.twilio.com/x",
        "https://api.twilio.com:8443/x",
        "https://twiliocdn.com.evil.example/x",
        "file:///etc/passwd",
        "",
        # S3 outside Twilio's bucket, or tricks to leave it
        f"{S3}/other-bucket/AC1/x",
        f"{S3}/media.twiliocdn.com.evil/AC1/x",
        f"{S3}{BUCKET}../other-bucket/x",
        f"{S3}{BUCKET}%2e%2e/other-bucket/x",
        f"{S3}{BUCKET}AC1%2f..%2fx",
        f"{S3}/media.twiliocdn.com",
        f"http://s3-external-1.amazonaws.com{BUCKET}AC1/x",
        f"https://s3-external-1.amazonaws.com:8443{BUCKET}AC1/x",
        f"https://s3.amazonaws.com{BUCKET}AC1/x",
        f"https://evil.example{BUCKET}AC1/x",
        "https://api.twilio.com:99999/x",
    ],
)
def test_anything_else_is_refused(tmp_path: Path, url: str) -> None:
    assert not fetcher(tmp_path).url_allowed(url)


def test_the_loopback_host_is_only_honoured_outside_production(tmp_path: Path) -> None:
    assert fetcher(tmp_path, media_loopback_host="127.0.0.1:9999").url_allowed(
        "http://127.0.0.1:9999/x"
    )
    assert not fetcher(tmp_path, media_loopback_host="127.0.0.1:9999").url_allowed(
        "http://127.0.0.1:9998/x"
    )
    assert not fetcher(tmp_path, media_loopback_host="10.0.0.5:80").url_allowed(
        "http://10.0.0.5:80/x"
    )
    production = fetcher(
        tmp_path,
        media_loopback_host="127.0.0.1:9999",
        SHOWROOM_ENV="production",
        public_base_url="https://chat.midealer.mx",
    )
    assert not production.url_allowed("http://127.0.0.1:9999/x")


@pytest.mark.parametrize(
    ("url", "auth"),
    [
        ("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", True),
        ("https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC1/Media/ME1", True),
        ("https://mms.twiliocdn.com/AC1/abc", False),
        (f"{S3}{BUCKET}AC1/abc", False),
        ("https://evil-api.twilio.com/x", False),
        ("https://media.twilio.com/x", False),
        ("http://api.twilio.com/x", False),
    ],
)
def test_twilios_credentials_go_to_its_api_host_only(tmp_path: Path, url: str, auth: bool) -> None:
    assert fetcher(tmp_path)._wants_auth(url) is auth


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("52.216.8.1", True),
        ("2600:1f18::1", True),
        ("10.0.0.5", False),
        ("172.16.0.1", False),
        ("192.168.1.10", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("::1", False),
        ("fd00::1", False),
        ("fe80::1%eth0", False),
        ("::ffff:10.0.0.1", False),
        ("0.0.0.0", False),
        ("not an address", False),
    ],
)
def test_only_public_peer_addresses_are_fetched_from(address: str, public: bool) -> None:
    """A name in the allow-list that resolves to a private address is refused once the
    connection shows where it went (DNS rebinding, a hijacked record)."""
    assert public_peer(address) is public


def test_loopback_sources_are_only_honoured_outside_production(tmp_path: Path) -> None:
    hosts = f"api.twilio.com,127.0.0.1:9999{BUCKET}"
    url = f"http://127.0.0.1:9999{BUCKET}AC1/x"
    assert fetcher(tmp_path, twilio_media_hosts=hosts).url_allowed(url)
    assert not fetcher(tmp_path, twilio_media_hosts=hosts).url_allowed(
        "http://127.0.0.1:9999/other/x"
    )
    production = fetcher(
        tmp_path,
        twilio_media_hosts=hosts,
        SHOWROOM_ENV="production",
        public_base_url="https://chat.midealer.mx",
    )
    assert not production.url_allowed(url)


@pytest.fixture
async def media_host() -> AsyncIterator[MediaHostStandin]:
    standin = MediaHostStandin()
    await standin.start()
    yield standin
    await standin.stop()


async def test_a_redirect_to_twilios_s3_bucket_is_followed_without_twilios_credentials(
    tmp_path: Path, twilio_api: TwilioStandin, media_host: MediaHostStandin
) -> None:
    """Accounts without HTTP auth on media: api.twilio.com redirects to S3 (a loopback
    stand-in here, allowed as `host:port/media.twiliocdn.com/`)."""
    data = jpeg_bytes("green")
    target = media_host.add(f"{BUCKET}{ACCOUNT_SID}/5f2c9a", data, "image/jpeg")
    url = twilio_api.add_media(data, "image/jpeg", redirect_to=target)
    media = fetcher(
        tmp_path,
        media_loopback_host=twilio_api.host,
        twilio_media_hosts=f"api.twilio.com,{media_host.host}{BUCKET}",
    )
    try:
        stored = await media.fetch(url, "image/jpeg")
    finally:
        await media.close()
    assert stored["sha256"] == hashlib.sha256(data).hexdigest()
    assert [r["authorized"] for r in twilio_api.media_requests] == [True]
    # Twilio's credentials stayed with Twilio
    assert media_host.requests == [
        {"path": f"{BUCKET}{ACCOUNT_SID}/5f2c9a", "authorization": False}
    ]


@pytest.mark.parametrize(
    "redirect",
    [
        "http://localhost:{port}/media.twiliocdn.com/AC1/x",  # another host name
        "http://127.0.0.1:{port}/other-bucket/AC1/x",  # outside the allowed prefix
        "http://127.0.0.1:{port}/media.twiliocdn.com/../other-bucket/x",
        "http://169.254.169.254/latest/meta-data/",
        "https://evil.example/media.twiliocdn.com/AC1/x",
    ],
)
async def test_a_redirect_anywhere_else_is_refused_before_connecting(
    tmp_path: Path, twilio_api: TwilioStandin, media_host: MediaHostStandin, redirect: str
) -> None:
    data = jpeg_bytes("green")
    port = media_host.host.rsplit(":", 1)[1]
    for path in ("/media.twiliocdn.com/AC1/x", "/other-bucket/AC1/x", "/other-bucket/x"):
        media_host.add(path, data, "image/jpeg")
    url = twilio_api.add_media(data, "image/jpeg", redirect_to=redirect.format(port=port))
    media = fetcher(
        tmp_path,
        media_loopback_host=twilio_api.host,
        twilio_media_hosts=f"api.twilio.com,{media_host.host}{BUCKET}",
    )
    try:
        with pytest.raises(MediaRejectedError, match="not an allowed Twilio host"):
            await media.fetch(url, "image/jpeg")
    finally:
        await media.close()
    assert len(twilio_api.media_requests) == 1
    assert media_host.requests == []  # never reached, so nothing (no credentials) leaked
    assert not (tmp_path / "media").exists()


async def test_fetch_follows_twilios_redirect_with_auth_and_stores_by_sha256(
    tmp_path: Path, twilio_api: TwilioStandin
) -> None:
    data = jpeg_bytes()
    url = twilio_api.add_media(data, "image/jpeg")
    media = fetcher(tmp_path, media_loopback_host=twilio_api.host)
    try:
        stored = await media.fetch(url, "image/jpeg")
    finally:
        await media.close()
    digest = hashlib.sha256(data).hexdigest()
    assert stored["sha256"] == digest
    assert stored["content_type"] == "image/jpeg"
    assert stored["size"] == len(data)
    assert stored["url"] == url
    assert Path(stored["path"]) == tmp_path / "media" / digest[:2] / f"{digest}.jpg"
    assert Path(stored["path"]).read_bytes() == data
    assert twilio_api.media_requests == [
        {"path": url.split(twilio_api.host)[1], "authorized": True}
    ]


@pytest.mark.parametrize(
    ("data", "served", "declared", "reason"),
    [
        (b"<html>hi</html>", "text/html", "image/jpeg", "served type text/html"),
        (PDF, "image/jpeg", "image/jpeg", "does not match"),
        (jpeg_bytes(), "image/jpeg", "video/mp4", "type video/mp4"),
        (b"\xff\xd8\xff" + b"\x00" * 5000, "image/jpeg", "image/jpeg", "larger than"),
    ],
)
async def test_fetch_refuses_wrong_types_and_oversized_files(
    tmp_path: Path,
    twilio_api: TwilioStandin,
    data: bytes,
    served: str,
    declared: str,
    reason: str,
) -> None:
    url = twilio_api.add_media(data, served)
    media = fetcher(tmp_path, media_loopback_host=twilio_api.host, media_max_bytes=4096)
    try:
        with pytest.raises(MediaRejectedError, match=reason):
            await media.fetch(url, declared)
    finally:
        await media.close()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))


async def test_media_only_message_goes_to_rasa_as_provide_vin_with_the_stored_media(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    rasa: RasaStandin,
    db_url: str,
) -> None:
    data = jpeg_bytes("blue")
    url = twilio_api.add_media(data, "image/jpeg")
    async with gateway_factory() as app:
        await app.send_whatsapp(body="", media=[(url, "image/jpeg")], to=branches["MTY"])
        await rasa.wait_for(1)
        await twilio_api.wait_for(1)

    [turn] = rasa.received
    assert turn["message"] == "/provide_vin"
    [item] = turn["metadata"]["media"]
    assert item["sha256"] == hashlib.sha256(data).hexdigest()
    assert item["content_type"] == "image/jpeg"
    assert Path(item["path"]).read_bytes() == data
    assert "url" not in item  # Twilio's media URL stays with us (the stored file is enough)
    [inbound] = messages(db_url, "in")
    assert inbound.media[0]["sha256"] == item["sha256"]
    assert inbound.media[0]["url"] == url


async def test_a_photo_with_a_caption_keeps_the_caption_as_text(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    rasa: RasaStandin,
) -> None:
    url = twilio_api.add_media(PDF, "application/pdf")
    async with gateway_factory() as app:
        await app.send_whatsapp(
            body="mi factura", media=[(url, "application/pdf")], to=branches["MTY"]
        )
        await rasa.wait_for(1)
    assert rasa.received[0]["message"] == "mi factura"
    assert rasa.received[0]["metadata"]["media"][0]["content_type"] == "application/pdf"


async def test_unusable_media_without_text_gets_a_clear_answer_and_never_reaches_rasa(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    rasa: RasaStandin,
    db_url: str,
) -> None:
    async with gateway_factory() as app:
        await app.send_whatsapp(
            body="",
            media=[("https://169.254.169.254/latest/meta-data/", "image/jpeg")],
            to=branches["MTY"],
        )
        [reply] = await twilio_api.wait_for(1)
        await wait_until(lambda: messages(db_url, "in")[0].status == "done")
    assert reply.body == texts.UNSUPPORTED_MEDIA
    assert rasa.received == []
    [inbound] = messages(db_url, "in")
    assert "not an allowed Twilio host" in inbound.media[0]["error"]


async def test_a_media_host_down_for_a_while_is_retried_then_the_photo_goes_through(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    rasa: RasaStandin,
) -> None:
    data = jpeg_bytes("red")
    url = twilio_api.add_media(data, "image/jpeg")
    twilio_api.media_unavailable = 2
    async with gateway_factory() as app:
        await app.send_whatsapp(body="", media=[(url, "image/jpeg")], to=branches["MTY"])
        [turn] = await rasa.wait_for(1)
    assert turn["message"] == "/provide_vin"
    assert turn["metadata"]["media"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert len(twilio_api.media_requests) == 3


async def test_a_media_host_that_stays_down_gets_a_request_to_send_it_again(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    twilio_api: TwilioStandin,
    rasa: RasaStandin,
    db_url: str,
) -> None:
    url = twilio_api.add_media(jpeg_bytes("red"), "image/jpeg")
    twilio_api.media_unavailable = 100
    async with gateway_factory() as app:
        await app.send_whatsapp(body="", media=[(url, "image/jpeg")], to=branches["MTY"])
        await wait_until(lambda: messages(db_url, "in")[0].status == "done", timeout=20)
        sent = await twilio_api.wait_for(2)
    assert [m.body for m in sent] == [texts.HOLDING, texts.MEDIA_FAILED]
    assert len(twilio_api.media_requests) == MEDIA_FETCH_ATTEMPTS
    assert rasa.received == []
