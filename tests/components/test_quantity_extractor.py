"""SpanishQuantityExtractor: offline, through Duckling, and falling back when Duckling fails."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.quantity_extractor import SpanishQuantityExtractor

UTC = ZoneInfo("UTC")
# 2026-11-25 17:30 in Mexico City (UTC-6), 15:30 in Tijuana (UTC-8): a Wednesday
INSTANT = dt.datetime(2026, 11, 25, 23, 30, tzinfo=UTC)


def extractor(**config: Any) -> SpanishQuantityExtractor:
    full = {**SpanishQuantityExtractor.get_default_config(), **config}
    return SpanishQuantityExtractor(full, clock=lambda zone: INSTANT.astimezone(zone))


def parse(
    component: SpanishQuantityExtractor,
    text: str,
    metadata: dict[str, Any] | None = None,
    intent: str | None = None,
) -> list[dict[str, Any]]:
    data: dict[str, Any] = {"text": text, "metadata": metadata}
    if intent:
        data["intent"] = {"name": intent, "confidence": 0.9}
    message = Message(data=data)
    component.process([message])
    return message.get("entities", [])


def summary(entities: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["entity"], e["value"], e.get("role")) for e in entities]


@pytest.fixture(autouse=True)
def _no_duckling_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUCKLING_URL", raising=False)
    monkeypatch.delenv("RASA_DUCKLING_HTTP_URL", raising=False)
    monkeypatch.delenv("DEFAULT_TIMEZONE", raising=False)


def test_offline_entities_carry_the_extractor_name() -> None:
    entities = parse(extractor(), "busco hasta 300 mil a 48 meses")
    assert summary(entities) == [("amount", 300_000, "budget"), ("months", 48, None)]
    assert {e["extractor"] for e in entities} == {"SpanishQuantityExtractor"}


def test_now_comes_from_the_message_timezone() -> None:
    component = extractor()
    # 17:30 in Mexico City: "a las 4" already passed today
    assert summary(parse(component, "a las 4")) == [("time", "2026-11-26T16:00:00", None)]
    # 15:30 in Tijuana: still ahead today
    tijuana = parse(component, "a las 4", metadata={"timezone": "America/Tijuana"})
    assert summary(tijuana) == [("time", "2026-11-25T16:00:00", None)]


def test_timezone_from_environment_and_bad_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "America/Tijuana")
    component = extractor()
    assert summary(parse(component, "a las 4", metadata={"timezone": "Mars/Olympus"})) == [
        ("time", "2026-11-25T16:00:00", None)
    ]


def test_intent_decides_the_role_of_a_car_price() -> None:
    component = extractor()
    text = "un carro de 350 mil"
    assert summary(parse(component, text, intent="ask_financing")) == [("amount", 350_000, "price")]
    assert summary(parse(component, text, intent="search_vehicle")) == [
        ("amount", 350_000, "budget")
    ]


def test_entities_option_restricts_names() -> None:
    component = extractor(entities=["time"])
    assert summary(parse(component, "300 mil el sabado")) == [("time", "2026-11-28", None)]


# ---------------------------------------------------------------- Duckling


def duckling_time(body: str, start: int, value: str, grain: str) -> dict[str, Any]:
    return {
        "body": body,
        "start": start,
        "end": start + len(body),
        "dim": "time",
        "latent": False,
        "value": {
            "values": [{"value": value, "grain": grain, "type": "value"}],
            "value": value,
            "grain": grain,
            "type": "value",
        },
    }


FINANCING_TEXT = "cuanto pagaria por un carro de 300 mil pesos a 48 meses"
FINANCING_RESPONSE = [
    {
        "body": "300 mil pesos",
        "start": 31,
        "end": 44,
        "dim": "amount-of-money",
        "latent": False,
        "value": {"value": 300000, "type": "value", "unit": "MXN"},
    },
    {
        "body": "300 mil",
        "start": 31,
        "end": 38,
        "dim": "number",
        "latent": False,
        "value": {"value": 300000, "type": "value"},
    },
    {
        "body": "48 meses",
        "start": 47,
        "end": 55,
        "dim": "duration",
        "latent": False,
        "value": {
            "value": 48,
            "month": 48,
            "type": "value",
            "unit": "month",
            "normalized": {"value": 124416000, "unit": "second"},
        },
    },
    {
        "body": "48",
        "start": 47,
        "end": 49,
        "dim": "number",
        "latent": False,
        "value": {"value": 48, "type": "value"},
    },
]


def test_duckling_answer_is_normalised(duckling: Any) -> None:
    duckling.responses[FINANCING_TEXT] = FINANCING_RESPONSE
    component = extractor(duckling_url=duckling.url)
    entities = parse(component, FINANCING_TEXT)
    assert summary(entities) == [("amount", 300_000, "price"), ("months", 48, None)]
    assert [FINANCING_TEXT[e["start"] : e["end"]] for e in entities] == [
        "300 mil pesos",
        "48 meses",
    ]
    assert all(e["additional_info"]["source"] == "duckling" for e in entities)
    (request,) = duckling.requests
    assert request["path"] == "/parse"
    assert request["locale"] == "es_MX"
    assert request["tz"] == "America/Mexico_City"
    assert json.loads(request["dims"]) == [
        "amount-of-money",
        "number",
        "duration",
        "time",
        "ordinal",
    ]
    assert int(request["reftime"]) == int(INSTANT.timestamp() * 1000)


def test_duckling_time_becomes_local_wall_clock(duckling: Any) -> None:
    text = "el sabado a las 11"
    # Duckling answers in the requested timezone; the action wants no offset
    duckling.responses[text] = [duckling_time(text, 0, "2026-11-28T11:00:00.000-08:00", "hour")]
    component = extractor(duckling_url=duckling.url)
    entities = parse(component, text, metadata={"timezone": "America/Tijuana"})
    assert summary(entities) == [("time", "2026-11-28T11:00:00", None)]
    assert duckling.requests[0]["tz"] == "America/Tijuana"


def test_duckling_day_grain_gives_a_date_and_ordinal_an_option(duckling: Any) -> None:
    text = "la segunda el viernes"
    duckling.responses[text] = [
        {
            "body": "segunda",
            "start": 3,
            "end": 10,
            "dim": "ordinal",
            "latent": False,
            "value": {"value": 2, "type": "value"},
        },
        duckling_time("el viernes", 11, "2026-11-27T00:00:00.000-06:00", "day"),
    ]
    entities = parse(extractor(duckling_url=duckling.url), text)
    assert summary(entities) == [("option", 2, None), ("time", "2026-11-27", None)]


def test_offline_fills_what_duckling_missed(duckling: Any) -> None:
    text = "hasta 300 mil, el sabdo a las 11"
    duckling.responses[text] = [
        {
            "body": "300 mil",
            "start": 6,
            "end": 13,
            "dim": "number",
            "latent": False,
            "value": {"value": 300000, "type": "value"},
        }
    ]
    entities = parse(extractor(duckling_url=duckling.url), text)
    assert summary(entities) == [
        ("amount", 300_000, "budget"),
        ("time", "2026-11-28T11:00:00", None),
    ]
    assert entities[0]["additional_info"]["source"] == "duckling"
    assert "additional_info" not in entities[1]


def test_env_duckling_url_is_used(duckling: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUCKLING_URL", duckling.url)
    parse(extractor(), "a 48 meses")
    assert len(duckling.requests) == 1


def test_duckling_error_falls_back_and_is_not_asked_again_at_once(duckling: Any) -> None:
    duckling.status = 500
    component = extractor(duckling_url=duckling.url, duckling_retry_after=60)
    assert summary(parse(component, "hasta 300 mil")) == [("amount", 300_000, "budget")]
    assert summary(parse(component, "a 48 meses")) == [("months", 48, None)]
    assert len(duckling.requests) == 1


def test_duckling_timeout_falls_back_quickly(duckling: Any) -> None:
    duckling.delay = 2.0
    component = extractor(duckling_url=duckling.url, duckling_timeout=0.3)
    started = time.monotonic()
    assert summary(parse(component, "a 48 meses")) == [("months", 48, None)]
    assert time.monotonic() - started < 1.5


def test_duckling_not_listening_falls_back() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    component = extractor(duckling_url=f"http://127.0.0.1:{port}")
    assert summary(parse(component, "80 mil km")) == [("km", 80_000, None)]


def test_retry_after_expires(duckling: Any) -> None:
    duckling.status = 500
    component = extractor(duckling_url=duckling.url, duckling_retry_after=0.05)
    parse(component, "a 48 meses")
    time.sleep(0.1)
    duckling.status = 200
    parse(component, "a 48 meses")
    assert len(duckling.requests) == 2


def test_frozen_clock_for_conversation_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOWROOM_NLU_FROZEN_NOW", "2026-11-25T09:30:00")
    component = SpanishQuantityExtractor(SpanishQuantityExtractor.get_default_config())
    assert summary(parse(component, "el sabado a las 11")) == [
        ("time", "2026-11-28T11:00:00", None)
    ]
    # the frozen wall clock is read in the message's timezone: 09:30 there too
    tijuana = parse(component, "a las 9", metadata={"timezone": "America/Tijuana"})
    assert summary(tijuana) == [("time", "2026-11-26T09:00:00", None)]


def test_bad_frozen_clock_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOWROOM_NLU_FROZEN_NOW", "yesterday")
    component = SpanishQuantityExtractor(SpanishQuantityExtractor.get_default_config())
    (entity,) = parse(component, "mañana")
    tomorrow = dt.datetime.now(ZoneInfo("America/Mexico_City")).date() + dt.timedelta(days=1)
    assert entity["value"] == tomorrow.isoformat()
