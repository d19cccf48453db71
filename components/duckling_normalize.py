"""Duckling's entities, renamed and normalised to the offline parser's (pure Python).

Input: entities as Rasa's DucklingEntityExtractor writes them (`entity` = Duckling's dim,
`value`, `start`, `end`, `additional_info` = Duckling's value object). Output: the names
of components/spanish_quantities.py:

- amount-of-money -> amount (role from the same words as offline);
- number -> whatever the words around it make it (amount, percent, km, months, year,
  option), through the same classifier as offline numbers;
- duration in months/years -> months; time -> time as local wall clock in `timezone`
  ("2026-11-28T11:00:00", a date alone when the grain is a day or coarser; an interval
  gives its start); ordinal -> option.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from components.amount_roles import amount_role
from components.spanish_numbers import Numeral
from components.spanish_quantities import MAX_OPTION, classify_numeral
from components.spanish_text import Token, fold, tokenize

DIM_RANK = {"time": 0, "amount-of-money": 1, "duration": 2, "ordinal": 3, "number": 4}
DATE_GRAINS = {"day", "week", "month", "quarter", "year"}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def _local_wall_clock(moment: Any, grain: str | None, timezone: ZoneInfo) -> str | None:
    if not isinstance(moment, str):
        return None
    try:  # Python 3.10 does not read a trailing "Z"
        parsed = dt.datetime.fromisoformat(
            moment[:-1] + "+00:00" if moment.endswith("Z") else moment
        )
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone)
    if grain in DATE_GRAINS:
        return parsed.date().isoformat()
    return parsed.replace(tzinfo=None, microsecond=0).isoformat(timespec="seconds")


def _time_value(info: dict[str, Any], timezone: ZoneInfo) -> str | None:
    if info.get("type") == "interval":
        bound = info.get("from") or info.get("to") or {}
        return _local_wall_clock(bound.get("value"), bound.get("grain"), timezone)
    return _local_wall_clock(info.get("value"), info.get("grain"), timezone)


def _year_of(info: dict[str, Any]) -> int | None:
    value = str(info.get("value"))
    try:
        return dt.datetime.fromisoformat(value[:-1] if value.endswith("Z") else value).year
    except ValueError:
        return None


def _token_range(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    inside = [i for i, t in enumerate(tokens) if t.start >= start and t.end <= end]
    return (inside[0], inside[-1] + 1) if inside else None


def _number_entity(
    text: str, tokens: list[Token], entity: dict[str, Any], now: dt.datetime
) -> dict[str, Any] | None:
    """Classify a Duckling number by the words around it, as the offline parser does."""
    span = _token_range(tokens, entity["start"], entity["end"])
    value = entity.get("value")
    if span is None or not isinstance(value, int | float):
        return None
    body = fold(text[entity["start"] : entity["end"]])
    numeral = Numeral(
        value=float(value),
        start=span[0],
        end=span[1],
        in_words=any(char.isalpha() for char in body),
        scaled=any(word in body.split() for word in ("mil", "millon", "millones", "k")),
        digits_text=body if body.replace(",", "").replace(".", "").isdigit() else None,
    )
    found = classify_numeral(tokens, numeral, now)
    if found is None:
        return None
    start, end = tokens[found.start].start, tokens[found.end - 1].end
    return {"entity": found.entity, "start": start, "end": end, "value": found.value}


def normalize_duckling(
    text: str,
    duckling_entities: list[dict[str, Any]],
    now: dt.datetime,
    timezone: ZoneInfo,
    intent: str | None = None,
) -> list[dict[str, Any]]:
    """Duckling's entities as amount/percent/months/km/year/option/time (see module doc)."""
    tokens = tokenize(text)
    folded = fold(text)
    candidates: list[dict[str, Any]] = []
    for entity in duckling_entities:
        dim = entity.get("entity")
        info = entity.get("additional_info") or {}
        value = entity.get("value")
        item: dict[str, Any] | None = None
        if dim == "amount-of-money" and isinstance(value, int | float):
            item = {"entity": "amount", "value": _number(value)}
        elif dim == "number":
            item = _number_entity(text, tokens, entity, now)
        elif (
            dim == "duration"
            and isinstance(value, int | float)
            and info.get("unit")
            in (
                "month",
                "year",
            )
        ):
            months = float(value) * (12 if info.get("unit") == "year" else 1)
            item = {"entity": "months", "value": int(months)}
        elif dim == "time" and info.get("grain") == "year":
            # "jetta 2015": a model year, not a date; read it as a number
            item = _number_entity(text, tokens, {**entity, "value": _year_of(info)}, now)
        elif dim == "time":
            wall_clock = _time_value(info, timezone)
            item = {"entity": "time", "value": wall_clock} if wall_clock else None
        elif dim == "ordinal" and isinstance(value, int) and 1 <= value <= MAX_OPTION:
            item = {"entity": "option", "value": value}
        if item is None:
            continue
        item.setdefault("start", entity["start"])
        item.setdefault("end", entity["end"])
        item["text"] = text[item["start"] : item["end"]]
        item["additional_info"] = {"source": "duckling", "dim": dim}
        candidates.append(item)
    # Duckling reports "300 mil pesos" as money and "300 mil" as a number: keep the most
    # specific dimension, then the longest span.
    candidates.sort(
        key=lambda e: (DIM_RANK.get(e["additional_info"]["dim"], 9), e["start"] - e["end"])
    )
    results: list[dict[str, Any]] = []
    for item in candidates:
        if not any(item["start"] < o["end"] and o["start"] < item["end"] for o in results):
            results.append(item)
    results.sort(key=lambda e: e["start"])
    previous_end = 0
    for item in results:
        if item["entity"] == "amount":
            role = amount_role(folded, item["start"], item["end"], previous_end, intent)
            if role:
                item["role"] = role
        previous_end = item["end"]
    return results
