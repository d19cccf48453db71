"""X-Twilio-Signature, checked with the `twilio` library's own RequestValidator.

Unit level: the URL we rebuild and the verdict. HTTP level: the real app answers 403 to
anything not signed for its public URL, and 200 behind a trusted proxy.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError
from twilio.request_validator import RequestValidator

from showroom.channels.signature import (
    FormParams,
    SignatureConfigError,
    check_public_base_url,
    is_signed_by_twilio,
    public_url,
    signature_required,
)
from showroom.settings import Settings

from .conftest import GatewayFactory, messages
from .support.app_server import WEBHOOK, whatsapp_form
from .support.twilio_standin import ACCOUNT_SID, AUTH_TOKEN

PUBLIC = "https://chat.midealer.mx"
PARAMS = whatsapp_form(body="hola", sid="SM" + "a" * 32)


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "public_base_url": PUBLIC,
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": AUTH_TOKEN,
        "secret_key": "gateway-test-secret",
        **overrides,
    }
    return Settings(**values)


def sign(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def form(params: dict[str, str]) -> FormParams:
    return FormParams({k: [v] for k, v in params.items()})


def check(cfg: Settings, raw_path: str, params: dict[str, str], headers: dict[str, str]) -> bool:
    lowered = {k.lower(): v for k, v in headers.items()}
    return is_signed_by_twilio(cfg, public_url(cfg, raw_path, lowered), form(params), lowered)


def test_valid_signature() -> None:
    signature = sign(PUBLIC + WEBHOOK, PARAMS)
    assert check(settings(), WEBHOOK, PARAMS, {"X-Twilio-Signature": signature})


def test_tampered_body_is_refused() -> None:
    signature = sign(PUBLIC + WEBHOOK, PARAMS)
    tampered = {**PARAMS, "Body": "hola, mándame 10 autos"}
    assert not check(settings(), WEBHOOK, tampered, {"X-Twilio-Signature": signature})
    extra = {**PARAMS, "MediaUrl0": "https://evil.example/x.jpg"}
    assert not check(settings(), WEBHOOK, extra, {"X-Twilio-Signature": signature})


def test_signature_for_another_url_is_refused() -> None:
    for url in (
        "https://other-dealer.mx" + WEBHOOK,
        PUBLIC + "/webhooks/twilio/status",
        PUBLIC + WEBHOOK + "?x=1",
        "http://chat.midealer.mx" + WEBHOOK,
    ):
        signature = sign(url, PARAMS)
        assert not check(settings(), WEBHOOK, PARAMS, {"X-Twilio-Signature": signature}), url


def test_missing_or_empty_header_and_wrong_token_are_refused() -> None:
    assert not check(settings(), WEBHOOK, PARAMS, {})
    assert not check(settings(), WEBHOOK, PARAMS, {"X-Twilio-Signature": ""})
    signature = sign(PUBLIC + WEBHOOK, PARAMS, token="another-accounts-token")
    assert not check(settings(), WEBHOOK, PARAMS, {"X-Twilio-Signature": signature})
    # no auth token configured: nothing can be verified
    valid = sign(PUBLIC + WEBHOOK, PARAMS)
    assert not check(
        settings(twilio_auth_token=None), WEBHOOK, PARAMS, {"X-Twilio-Signature": valid}
    )


def test_url_with_and_without_the_default_port() -> None:
    # Twilio may sign with the explicit port; our base URL has none (and the reverse)
    with_port = sign("https://chat.midealer.mx:443" + WEBHOOK, PARAMS)
    assert check(settings(), WEBHOOK, PARAMS, {"X-Twilio-Signature": with_port})
    without_port = sign(PUBLIC + WEBHOOK, PARAMS)
    cfg = settings(public_base_url="https://chat.midealer.mx:443")
    assert check(cfg, WEBHOOK, PARAMS, {"X-Twilio-Signature": without_port})
    # a non-default port configured in the public URL works as Twilio signs it
    custom = settings(public_base_url="https://chat.midealer.mx:8443")
    with_custom_port = sign("https://chat.midealer.mx:8443" + WEBHOOK, PARAMS)
    assert check(custom, WEBHOOK, PARAMS, {"X-Twilio-Signature": with_custom_port})
    # but not when the host differs
    assert not check(
        settings(),
        WEBHOOK,
        PARAMS,
        {"X-Twilio-Signature": sign("https://chat.midealer.com.mx" + WEBHOOK, PARAMS)},
    )


def test_behind_a_proxy_forwarded_proto_and_host_are_honoured_only_when_trusted() -> None:
    internal = "http://gateway:8000"
    signature = sign(PUBLIC + WEBHOOK, PARAMS)
    headers = {
        "X-Twilio-Signature": signature,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "chat.midealer.mx",
    }
    trusted = settings(public_base_url=internal, trust_proxy_headers=True)
    assert check(trusted, WEBHOOK, PARAMS, headers)
    untrusted = settings(public_base_url=internal, trust_proxy_headers=False)
    assert not check(untrusted, WEBHOOK, PARAMS, headers)
    # a forged host header cannot redirect the check to a URL the attacker signed...
    forged = {**headers, "X-Forwarded-Host": "evil.example/x?"}
    assert not check(trusted, WEBHOOK, PARAMS, forged)
    # ...and in a chain the value our proxy appended (the last) counts, never the
    # client's own (the first): a client cannot pick the URL the check is made against
    appended = {**headers, "X-Forwarded-Proto": "http, https"}
    assert check(trusted, WEBHOOK, PARAMS, appended)
    client_said_https = {**headers, "X-Forwarded-Proto": "https, http"}
    assert not check(trusted, WEBHOOK, PARAMS, client_said_https)
    evil_signature = sign("https://evil.example" + WEBHOOK, PARAMS)
    client_host = {
        "X-Twilio-Signature": evil_signature,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "evil.example, chat.midealer.mx",
    }
    assert not check(trusted, WEBHOOK, PARAMS, client_host)
    assert check(trusted, WEBHOOK, PARAMS, {**client_host, "X-Twilio-Signature": signature})


def test_path_prefix_of_the_public_url_is_kept() -> None:
    cfg = settings(public_base_url="https://midealer.mx/showroom/")
    signature = sign("https://midealer.mx/showroom" + WEBHOOK, PARAMS)
    assert check(cfg, WEBHOOK, PARAMS, {"X-Twilio-Signature": signature})


def test_the_check_can_only_be_turned_off_in_local_mode_outside_production() -> None:
    assert signature_required(settings()) is True
    local = settings(
        twilio_account_sid=None, twilio_auth_token=None, twilio_validate_signature=False
    )
    assert signature_required(local) is False
    with pytest.raises(SignatureConfigError):
        signature_required(settings(twilio_validate_signature=False))
    with pytest.raises(SignatureConfigError):
        signature_required(
            settings(
                twilio_account_sid=None,
                twilio_auth_token=None,
                twilio_validate_signature=False,
                SHOWROOM_ENV="production",
                secret_key="a-real-secret",
            )
        )


@pytest.mark.parametrize(
    "base_url",
    [
        "http://localhost:8000",  # the default: never set
        "",
        "http://chat.midealer.mx",  # Twilio would call plain http
        "https://localhost",
        "https://127.0.0.1:8443",
        "chat.midealer.mx",
    ],
)
def test_twilio_mode_refuses_a_public_url_twilio_cannot_call(base_url: str) -> None:
    with pytest.raises(SignatureConfigError, match="PUBLIC_BASE_URL must be the public https"):
        check_public_base_url(settings(public_base_url=base_url))


def test_public_url_check_accepts_https_local_mode_and_a_loopback_standin() -> None:
    check_public_base_url(settings(public_base_url="https://chat.midealer.mx/showroom"))
    check_public_base_url(
        settings(public_base_url="http://localhost:8000", twilio_auth_token=None)
    )  # local outbox mode: Twilio never calls
    standin = settings(
        public_base_url="http://127.0.0.1:8123", twilio_api_base_url="http://127.0.0.1:9000"
    )
    check_public_base_url(standin)
    # a stand-in never excuses production: refused as soon as the settings are read
    with pytest.raises(ValidationError, match="PUBLIC_BASE_URL must be the public https"):
        settings(
            public_base_url="http://127.0.0.1:8123",
            twilio_api_base_url="http://127.0.0.1:9000",
            SHOWROOM_ENV="production",
            secret_key="a-real-secret",
        )


def test_showroom_serve_refuses_to_start_without_a_public_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from showroom.cli import main
    from showroom.settings import get_settings

    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    get_settings.cache_clear()
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code != 0
    assert "PUBLIC_BASE_URL must be the public https URL Twilio calls" in result.output


# ------------------------------------------------------------------ over HTTP
async def test_http_behind_a_trusted_proxy(
    gateway_factory: GatewayFactory, branches: dict[str, str], db_url: str
) -> None:
    async with gateway_factory(run_worker=False, trust_proxy_headers=True) as app:
        params = whatsapp_form(body="hola", to=branches["MTY"])
        public = "https://chat.midealer.mx" + WEBHOOK
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "chat.midealer.mx"}
        accepted = await app.post_signed(WEBHOOK, params, url=public, headers=headers)
        refused = await app.post_signed(
            WEBHOOK, {**params, "MessageSid": "SM" + "b" * 32}, url=public
        )
    assert accepted.status_code == 200
    assert refused.status_code == 403
    assert len(messages(db_url, "in")) == 1


async def test_http_refusals_store_nothing(
    gateway_factory: GatewayFactory, branches: dict[str, str], db_url: str
) -> None:
    import httpx

    params = whatsapp_form(body="hola", to=branches["MTY"])
    async with gateway_factory(run_worker=False) as app:
        wrong_token = await app.post_signed(WEBHOOK, params, token="not-the-token")
        async with httpx.AsyncClient() as client:
            unsigned = await client.post(app.base_url + WEBHOOK, data=params)
            status_unsigned = await client.post(
                app.base_url + "/webhooks/twilio/status",
                data={"MessageSid": "SM1", "MessageStatus": "delivered"},
            )
            signature = sign(app.settings.public_base_url + WEBHOOK, params)
            tampered = await client.post(
                app.base_url + WEBHOOK,
                data={**params, "Body": "otra cosa"},
                headers={"X-Twilio-Signature": signature},
            )
    assert [r.status_code for r in (wrong_token, unsigned, status_unsigned, tampered)] == [403] * 4
    assert wrong_token.text == "Forbidden"
    assert messages(db_url) == []


async def test_http_an_oversized_webhook_is_refused_before_anything_else(
    gateway_factory: GatewayFactory, branches: dict[str, str], db_url: str
) -> None:
    longest = whatsapp_form(body="😀" * 4096, to=branches["MTY"])  # WhatsApp's limit
    oversized = whatsapp_form(body="x" * 300_000, to=branches["MTY"])
    async with gateway_factory(run_worker=False) as app:
        accepted = await app.post_signed(WEBHOOK, longest)
        refused = await app.post_signed(WEBHOOK, oversized)
    assert (accepted.status_code, refused.status_code) == (200, 413)
    assert [len(m.body) for m in messages(db_url)] == [4096]
