"""The simulator page in a real browser (Debian's Chromium through Playwright): a person
picks a branch, chats, and sees the numbered options and the car photo as on a phone.
Without Chromium it skips locally and fails under CI=true, like the database tests."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from availability import unavailable
from channels.conftest import GatewayFactory
from channels.support.rasa_standin import RasaStandin

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REPLY: list[dict[str, Any]] = [{"text": "¡Hola! ¿En qué te ayudo?", "buttons": [
    {"title": "Buscar auto", "payload": "/search_vehicle"},
    {"title": "Sucursales y horarios", "payload": "/ask_branch_info"},
]}, {"text": "Así luce el Jetta:", "image": "https://fotos.example.mx/jetta.jpg"}]  # fmt: skip


def reply(message: str) -> list[dict[str, Any]]:
    return REPLY if message == "hola" else [{"text": f"Elegiste: {message}"}]


async def test_chat_in_the_browser(
    gateway_factory: GatewayFactory, branches: dict[str, str], rasa: RasaStandin
) -> None:
    if CHROMIUM is None:
        unavailable("Chromium", "not installed; scripts/system-deps.sh installs it")
    try:
        from playwright.async_api import async_playwright
    except ImportError as exc:
        unavailable("Playwright", exc)

    rasa.responder = reply
    local = {"twilio_account_sid": None, "twilio_auth_token": None}
    async with gateway_factory(**local) as app, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = await browser.new_page()
            await page.goto(app.base_url + "/")
            await page.wait_for_selector("#branch option[value=CDMX]", state="attached")
            await page.select_option("#branch", "CDMX")
            await page.fill("#phone", "55 1234 5678")
            await page.fill("#name", "Luis")
            await page.click("#setup button[type=submit]")
            await page.wait_for_function("!document.querySelector('#text').disabled")
            assert await page.text_content("#chat-title") == "Showroom Polanco"

            await page.fill("#text", "hola")
            await page.press("#text", "Enter")
            menu = page.locator(".bubble.out", has_text="1️⃣ Buscar auto")
            await menu.wait_for(timeout=15000)
            assert "2️⃣ Sucursales y horarios" in (await menu.inner_text())
            photo = page.locator(".bubble.out img")
            await photo.wait_for(state="attached", timeout=15000)
            assert await photo.get_attribute("src") == "https://fotos.example.mx/jetta.jpg"

            await page.fill("#text", "2")
            await page.press("#text", "Enter")
            await page.locator(".bubble.out", has_text="Elegiste: /ask_branch_info").wait_for(
                timeout=15000
            )
            mine = page.locator(".bubble.in")
            assert await mine.count() == 2
            await page.locator(".bubble.in[data-status=done]").nth(1).wait_for(timeout=15000)
        finally:
            await browser.close()
    assert rasa.received[0]["metadata"]["branch"] == "CDMX"
