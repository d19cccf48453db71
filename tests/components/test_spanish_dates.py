"""Dates and times resolved against a fixed "now" (components/spanish_dates.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from components.spanish_dates import find_times
from components.spanish_text import tokenize

# Wednesday 25 November 2026, 09:30 local time
WEDNESDAY_MORNING = dt.datetime(2026, 11, 25, 9, 30)


def times(text: str, now: dt.datetime = WEDNESDAY_MORNING) -> list[tuple[str, str]]:
    tokens = tokenize(text)
    return [
        (text[tokens[m.start].start : tokens[m.end - 1].end], m.value)
        for m in find_times(tokens, now)
    ]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("el sabado a las 11", "el sabado a las 11", "2026-11-28T11:00:00"),
        ("el sábado a las 11", "el sábado a las 11", "2026-11-28T11:00:00"),
        ("el sabdo a las 11", "el sabdo a las 11", "2026-11-28T11:00:00"),
        ("mañana a las 5 de la tarde", "mañana a las 5 de la tarde", "2026-11-26T17:00:00"),
        ("manana a las 5", "manana a las 5", "2026-11-26T17:00:00"),
        ("pasado mañana 10am", "pasado mañana 10am", "2026-11-27T10:00:00"),
        ("el 15 de diciembre a las 10", "el 15 de diciembre a las 10", "2026-12-15T10:00:00"),
        ("hoy en la tarde", "hoy en la tarde", "2026-11-25T16:00:00"),
        ("el lunes temprano", "el lunes temprano", "2026-11-30T09:00:00"),
        ("a las 4", "a las 4", "2026-11-25T16:00:00"),
        ("a las 11", "a las 11", "2026-11-25T11:00:00"),
        ("a la una", "a la una", "2026-11-25T13:00:00"),
        ("a las 10:30", "a las 10:30", "2026-11-25T10:30:00"),
        ("a las 4 y media", "a las 4 y media", "2026-11-25T16:30:00"),
        ("a las 8 de la noche", "a las 8 de la noche", "2026-11-25T20:00:00"),
        ("a las 7 am", "a las 7 am", "2026-11-26T07:00:00"),
        ("el viernes", "el viernes", "2026-11-27"),
        ("el miércoles", "el miércoles", "2026-11-25"),
        ("el próximo miércoles", "el próximo miércoles", "2026-12-02"),
        ("el 3 de enero", "el 3 de enero", "2027-01-03"),
        ("el dia 30", "el dia 30", "2026-11-30"),
        ("15/12", "15/12", "2026-12-15"),
        ("mañana", "mañana", "2026-11-26"),
        ("mañana en la mañana", "mañana en la mañana", "2026-11-26T10:00:00"),
        ("a mediodia", "a mediodia", "2026-11-25T12:00:00"),
        ("en 2 horas", "en 2 horas", "2026-11-25T11:30:00"),
        ("este fin de semana", "este fin de semana", "2026-11-28"),
    ],
)
def test_resolves_expressions(text: str, span: str, value: str) -> None:
    assert times(text) == [(span, value)]


def test_expression_inside_a_sentence() -> None:
    assert times("Quiero ir a manejar el Jetta el sabado a las 11 porfa") == [
        ("el sabado a las 11", "2026-11-28T11:00:00")
    ]


def test_past_time_today_moves_to_tomorrow() -> None:
    afternoon = dt.datetime(2026, 11, 25, 18, 0)
    assert times("a las 5", afternoon) == [("a las 5", "2026-11-26T17:00:00")]


def test_ambiguous_morning_hour_already_past_means_evening() -> None:
    assert times("a las 8", dt.datetime(2026, 11, 25, 9, 30)) == [
        ("a las 8", "2026-11-25T20:00:00")
    ]


def test_same_weekday_after_the_time_is_next_week() -> None:
    saturday_noon = dt.datetime(2026, 11, 28, 12, 0)
    assert times("el sabado a las 11", saturday_noon) == [
        ("el sabado a las 11", "2026-12-05T11:00:00")
    ]
    assert times("el sabado a las 4", saturday_noon) == [
        ("el sabado a las 4", "2026-11-28T16:00:00")
    ]


def test_passed_date_means_next_year() -> None:
    assert times("el 2 de febrero", WEDNESDAY_MORNING) == [("el 2 de febrero", "2027-02-02")]


def test_day_31_skips_short_months() -> None:
    assert times("el dia 31", WEDNESDAY_MORNING) == [("el dia 31", "2026-12-31")]


@pytest.mark.parametrize(
    "text",
    [
        "las 2 me gustan",
        "me gusta la 2",
        "llego tarde",
        "buenas tardes",
        "los sabados abren?",
        "tengo 2 carros",
        "un jetta 2015",
    ],
)
def test_no_time(text: str) -> None:
    assert times(text) == []
