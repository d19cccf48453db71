"""Duckling's dimensions mapped to the offline parser's entity names."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from components.duckling_normalize import normalize_duckling

NOW = dt.datetime(2026, 11, 25, 9, 30)
MEXICO_CITY = ZoneInfo("America/Mexico_City")


def rasa_entity(text: str, body: str, dim: str, info: dict[str, Any]) -> dict[str, Any]:
    """An entity the way Rasa's DucklingEntityExtractor converts a Duckling match."""
    start = text.rindex(body)
    value = info.get("value") if info.get("type") != "interval" else None
    return {
        "start": start,
        "end": start + len(body),
        "text": body,
        "value": value,
        "confidence": 1.0,
        "additional_info": info,
        "entity": dim,
    }


def names(text: str, entities: list[dict[str, Any]], intent: str | None = None) -> list[Any]:
    return [
        (e["entity"], e["value"], e.get("role"), e["text"])
        for e in normalize_duckling(text, entities, NOW, MEXICO_CITY, intent)
    ]


def test_numbers_are_read_in_context() -> None:
    text = "tengo un jetta 2015 con 80 mil km, doy el 20 %"
    entities = [
        rasa_entity(
            text,
            "2015",
            "time",
            {"value": "2015-01-01T00:00:00.000-06:00", "grain": "year", "type": "value"},
        ),
        rasa_entity(text, "80 mil", "number", {"value": 80000, "type": "value"}),
        rasa_entity(text, "20", "number", {"value": 20, "type": "value"}),
    ]
    assert names(text, entities) == [
        ("year", 2015, None, "2015"),
        ("km", 80000, None, "80 mil km"),
        ("percent", 20, None, "20 %"),
    ]


def test_interval_time_gives_its_start_in_local_time() -> None:
    text = "hoy en la tarde"
    info = {
        "type": "interval",
        "from": {"value": "2026-11-25T18:00:00.000Z", "grain": "hour"},
        "to": {"value": "2026-11-26T01:00:00.000Z", "grain": "hour"},
    }
    assert names(text, [rasa_entity(text, text, "time", info)]) == [
        ("time", "2026-11-25T12:00:00", None, text)
    ]


def test_duration_in_years_is_months_and_money_gets_its_role() -> None:
    text = "enganche de 50 mil pesos a 3 años"
    entities = [
        rasa_entity(
            text,
            "50 mil pesos",
            "amount-of-money",
            {"value": 50000.0, "type": "value", "unit": "MXN"},
        ),
        rasa_entity(
            text, "3 años", "duration", {"value": 3, "year": 3, "type": "value", "unit": "year"}
        ),
    ]
    assert names(text, entities) == [
        ("amount", 50000, "down_payment", "50 mil pesos"),
        ("months", 36, None, "3 años"),
    ]


def test_other_durations_and_big_ordinals_are_ignored() -> None:
    text = "en 2 horas el vigesimo quinto"
    entities = [
        rasa_entity(
            text, "2 horas", "duration", {"value": 2, "hour": 2, "type": "value", "unit": "hour"}
        ),
        rasa_entity(text, "vigesimo quinto", "ordinal", {"value": 25, "type": "value"}),
    ]
    assert names(text, entities) == []
