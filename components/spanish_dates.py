"""Spanish dates and times as customers write them, resolved to local wall-clock time.

"el sabado a las 11", "mañana a las 5 de la tarde", "pasado manana 10am", "el 15 de
diciembre a las 10", "hoy en la tarde", "el lunes temprano", "a las 4", "en 2 horas".
Pure Python. Everything is relative to `now`, a naive local wall-clock datetime (the
caller picks the timezone), so tests can fix it.

Resolution rules (documented in docs/nlu-components.md):
- an hour without am/pm or part of day: 1-7 means afternoon (13:00-19:00), 8-12 as said
  (a dealership's hours); "a las 11" -> 11:00, "a las 5" -> 17:00;
- a part of day without an hour: temprano 09:00, mañana 10:00, mediodía 12:00,
  tarde 16:00, noche 19:00;
- a time that has passed moves to its next occurrence (an ambiguous morning hour first
  tries the evening when that is still business hours, up to 20:00); a weekday means the
  next such day (today if the time is still ahead); a day of month or date that has passed
  means next month / next year;
- a date without a time gives the date only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from components.spanish_numbers import word_value
from components.spanish_text import Token, fuzzy_lookup

WEEKDAYS = {
    "lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5,
    "domingo": 6, "biernes": 4, "sabdo": 5, "sabao": 5, "juebes": 3,
}  # fmt: skip
WEEKDAY_ABBREVIATIONS = {"lun": 0, "mie": 2, "mier": 2, "jue": 3, "vie": 4, "sab": 5, "dom": 6}
MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
}  # fmt: skip
MONTH_ABBREVIATIONS = {
    "ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dic": 12,
}  # fmt: skip
PART_HOURS = {"temprano": 9, "manana": 10, "mediodia": 12, "tarde": 16, "noche": 19}
PM_PARTS = {"tarde", "noche"}
LATEST_EVENING_GUESS = 20  # "a las 8" said at 10:00 may mean 20:00, "a las 9" may not
TIME_LEAD_INS = {
    "a", "para", "de", "eso", "tipo", "desde", "hasta", "como", "sobre", "antes", "despues",
    "entre",
}  # fmt: skip
FILLERS = {"a", "en", "por", "la", "las", "el", "como", "tipo", "eso", "de", "para", "y", "al"}


@dataclass
class Piece:
    kind: str  # "day", "time", "part", "delta"
    start: int  # token index
    end: int  # exclusive
    offset_days: int | None = None  # day: hoy 0, mañana 1 ...
    weekday: int | None = None
    next_week: bool = False
    day: int | None = None
    month: int | None = None
    year: int | None = None
    hour: int | None = None
    minute: int = 0
    meridiem: str | None = None  # "am" / "pm"
    part: str | None = None
    minutes_ahead: int | None = None


@dataclass(frozen=True)
class TimeMention:
    start: int  # token index
    end: int  # exclusive
    value: str  # ISO 8601 local: "2026-11-28T11:00:00" or "2026-11-28"


def _word(tokens: list[Token], i: int) -> str:
    return tokens[i].text if 0 <= i < len(tokens) else ""


def _small_number(tokens: list[Token], i: int) -> int | None:
    """An integer 0..59 written in digits or one word."""
    word = _word(tokens, i)
    if word.isdigit():
        return int(word) if int(word) < 60 else None
    value = word_value(word) if word else None
    return value if value is not None and value < 60 else None


def _weekday(word: str) -> int | None:
    if word in WEEKDAY_ABBREVIATIONS:
        return WEEKDAY_ABBREVIATIONS[word]
    return fuzzy_lookup(word, WEEKDAYS, min_length=5)


def _month(word: str) -> int | None:
    if word in MONTH_ABBREVIATIONS:
        return MONTH_ABBREVIATIONS[word]
    return fuzzy_lookup(word, MONTHS, min_length=5)


def _day_piece(tokens: list[Token], i: int) -> Piece | None:
    word, nxt = _word(tokens, i), _word(tokens, i + 1)
    lead = i
    while lead > 0 and i - lead < 3 and _word(tokens, lead - 1) in ("el", "este", "proximo"):
        lead -= 1
    if word == "pasado" and nxt == "manana":
        return Piece("day", i, i + 2, offset_days=2)
    if word == "hoy":
        return Piece("day", i, i + 1, offset_days=0)
    if word == "manana" and _word(tokens, i - 1) not in ("la", "las", "pasado"):
        return Piece("day", i, i + 1, offset_days=1)
    if word in ("fin", "finde") and (word == "finde" or _word(tokens, i + 2) == "semana"):
        return Piece("day", lead, i + (1 if word == "finde" else 3), weekday=5)
    weekday = _weekday(word) if not (word.endswith("s") and _word(tokens, i - 1) == "los") else None
    if weekday is not None and (len(word) > 3 or lead < i):
        end = i + 1
        next_week = _word(tokens, i - 1) == "proximo"
        if nxt == "que" and _word(tokens, i + 2) == "viene":
            end, next_week = i + 3, True
        return Piece("day", lead, end, weekday=weekday, next_week=next_week)
    return _date_piece(tokens, i)


def _date_piece(tokens: list[Token], i: int) -> Piece | None:
    """ "15 de diciembre (de 2026)", "15 dic", "15/12(/2026)", "el dia 15", "1ro de mayo"."""
    word = _word(tokens, i)
    day = int(word) if word.isdigit() and 1 <= int(word) <= 31 else None
    j = i + 1
    if word == "primero":
        day = 1
    elif day == 1 and _word(tokens, j) in ("ro", "o"):
        j += 1
    if day is None:
        return None
    start = i
    if _word(tokens, i - 1) == "dia":
        start = i - 1
    if _word(tokens, start - 1) == "el":
        start -= 1
    if _word(tokens, j) == "/" and _word(tokens, j + 1).isdigit():
        numeric_month = int(_word(tokens, j + 1))
        if not 1 <= numeric_month <= 12:
            return None
        year = None
        end = j + 2
        if _word(tokens, end) == "/" and _word(tokens, end + 1).isdigit():
            year = int(_word(tokens, end + 1))
            year += 2000 if year < 100 else 0
            end += 2
        return Piece("day", start, end, day=day, month=numeric_month, year=year)
    k = j + 1 if _word(tokens, j) == "de" else j
    month = _month(_word(tokens, k)) if _word(tokens, k) else None
    if month is not None and (k > j or len(_word(tokens, k)) >= 3):
        end = k + 1
        year = None
        if _word(tokens, end) in ("de", "del") and len(_word(tokens, end + 1)) == 4:
            year, end = int(_word(tokens, end + 1)), end + 2
        return Piece("day", start, end, day=day, month=month, year=year)
    if start < i and _word(tokens, i - 1) == "dia":  # "el dia 15"
        return Piece("day", start, i + 1, day=day)
    return None


def _time_piece(tokens: list[Token], i: int) -> Piece | None:
    """ "a las 11", "las 5 y media", "11:30", "10am", "5 pm", "a la una", "mediodia"."""
    word = _word(tokens, i)
    if word == "mediodia" or (word == "medio" and _word(tokens, i + 1) == "dia"):
        end = i + (1 if word == "mediodia" else 2)
        start = i - 1 if _word(tokens, i - 1) in ("a", "al") else i
        return Piece("time", start, end, hour=12, meridiem="pm")
    article = _word(tokens, i - 1)
    # "las 2" alone may be "both"; "la 2" is an option in a list: only with a lead-in word
    after_article = (article == "las" and _word(tokens, i - 2) in TIME_LEAD_INS) or (
        article == "la" and _word(tokens, i - 2) == "a" and word in ("1", "una")
    )
    hour: int | None = None
    minute = 0
    if ":" in word:
        hh, _, mm = word.partition(":")
        if hh.isdigit() and mm.isdigit() and int(hh) <= 24 and int(mm) < 60:
            hour, minute = int(hh), int(mm)
    else:
        value = _small_number(tokens, i)
        if value is not None and value <= 24 and word != "un":
            hour = value
    if hour is None:
        return None
    j = i + 1
    if _word(tokens, j) == "y" and _word(tokens, j + 1) == "media":
        minute, j = 30, j + 2
    elif _word(tokens, j) == "y" and _word(tokens, j + 1) == "cuarto":
        minute, j = 15, j + 2
    elif _word(tokens, j) == "menos" and _word(tokens, j + 1) == "cuarto":
        hour, minute, j = (hour - 1) % 24, 45, j + 2
    elif _word(tokens, j) == "y" and _small_number(tokens, j + 1) is not None:
        minute, j = _small_number(tokens, j + 1) or 0, j + 2
    meridiem = None
    nxt = _word(tokens, j)
    if nxt in ("am", "pm"):
        meridiem, j = nxt, j + 1
    elif nxt in ("a", "p") and _word(tokens, j + 1) == "m":
        meridiem, j = nxt + "m", j + 2
    if _word(tokens, j) in ("hrs", "hr", "horas", "hs", "h"):
        j += 1
    if _word(tokens, j) == "en" and _word(tokens, j + 1) == "punto":
        j += 2
    says_time = meridiem or ":" in word or j > i + 1
    if not (after_article or (says_time and article in ("las", "la")) or meridiem or ":" in word):
        return None
    after_article = after_article or article in ("las", "la")
    start = i
    if after_article:
        start = i - 1
        if _word(tokens, i - 2) == "a":
            start = i - 2
    return Piece("time", start, j, hour=hour, minute=minute, meridiem=meridiem)


def _part_piece(tokens: list[Token], i: int) -> Piece | None:
    """ "en la tarde", "por la mañana", "de la noche", "esta tarde", "temprano"."""
    word = _word(tokens, i)
    if word == "temprano":
        return Piece("part", i, i + 1, part="temprano")
    if word not in ("manana", "tarde", "noche", "madrugada"):
        return None
    previous = _word(tokens, i - 1)
    if previous == "esta":
        return Piece("part", i - 1, i + 1, part=word, offset_days=0)
    if previous not in ("la", "las"):
        return None
    start = i - 2 if _word(tokens, i - 2) in ("en", "por", "de", "a", "como") else i - 1
    return Piece("part", start, i + 1, part="manana" if word == "madrugada" else word)


def _delta_piece(tokens: list[Token], i: int) -> Piece | None:
    """ "en 2 horas", "dentro de una hora", "en media hora", "en 30 minutos"."""
    word = _word(tokens, i)
    if word == "en":
        j = i + 1
    elif word == "dentro" and _word(tokens, i + 1) == "de":
        j = i + 2
    else:
        return None
    if _word(tokens, j) == "media" and _word(tokens, j + 1) == "hora":
        return Piece("delta", i, j + 2, minutes_ahead=30)
    amount = 1 if _word(tokens, j) in ("una", "un") else _small_number(tokens, j)
    unit = _word(tokens, j + 1)
    if amount is None or unit not in ("hora", "horas", "hr", "hrs", "minutos", "min", "mins"):
        return None
    return Piece("delta", i, j + 2, minutes_ahead=amount * (60 if unit.startswith("h") else 1))


def _pieces(tokens: list[Token]) -> list[Piece]:
    pieces: list[Piece] = []
    i = 0
    while i < len(tokens):
        if tokens[i].in_code:
            i += 1
            continue
        for reader in (_delta_piece, _day_piece, _time_piece, _part_piece):
            piece = reader(tokens, i)
            if piece is not None and (not pieces or piece.start >= pieces[-1].end):
                pieces.append(piece)
                i = piece.end
                break
        else:
            i += 1
    return pieces


def _groups(tokens: list[Token], pieces: list[Piece]) -> list[list[Piece]]:
    groups: list[list[Piece]] = []
    for piece in pieces:
        if groups:
            last = groups[-1]
            gap = [t.text for t in tokens[last[-1].end : piece.start]]
            kinds = {p.kind for p in last}
            if (
                piece.kind not in kinds
                and "delta" not in kinds | {piece.kind}
                and len(gap) <= 3
                and all(word in FILLERS for word in gap)
            ):
                last.append(piece)
                continue
        groups.append([piece])
    return groups


def _date_for(day: Piece, today: dt.date) -> dt.date | None:
    if day.offset_days is not None:
        return today + dt.timedelta(days=day.offset_days)
    if day.weekday is not None:
        ahead = (day.weekday - today.weekday()) % 7
        if ahead == 0 and day.next_week:
            ahead = 7
        return today + dt.timedelta(days=ahead)
    if day.day is None:
        return None
    year = day.year or today.year
    month = day.month or today.month
    for _ in range(13):
        if day.day <= calendar.monthrange(year, month)[1]:
            candidate = dt.date(year, month, day.day)
            if candidate >= today or day.year is not None:
                return candidate
        if day.month is not None:
            year += 1
        else:
            month, year = (1, year + 1) if month == 12 else (month + 1, year)
    return None


def _resolve(group: list[Piece], now: dt.datetime) -> str | None:
    by_kind = {piece.kind: piece for piece in group}
    if "delta" in by_kind:
        moment = now + dt.timedelta(minutes=by_kind["delta"].minutes_ahead or 0)
        return moment.replace(second=0, microsecond=0).isoformat(timespec="seconds")
    day, time, part = by_kind.get("day"), by_kind.get("time"), by_kind.get("part")
    if day is None and part is not None and part.offset_days is not None:
        day = Piece("day", part.start, part.end, offset_days=part.offset_days)
    date = _date_for(day, now.date()) if day is not None else None
    if day is not None and date is None:
        return None
    if time is None and part is None:
        return date.isoformat() if date else None
    ambiguous = False
    if time is not None and time.hour is not None:
        hour, minute = time.hour, time.minute
        meridiem = time.meridiem or (
            "pm" if part and part.part in PM_PARTS else "am" if part else None
        )
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        elif meridiem is None and 1 <= hour <= 7:
            hour += 12
        ambiguous = meridiem is None and 8 <= hour <= 11
    else:
        hour, minute = PART_HOURS[part.part if part and part.part else "manana"], 0
    hour %= 24
    base = date or now.date()
    moment = dt.datetime.combine(base, dt.time(hour, minute))
    if moment <= now:
        evening = moment + dt.timedelta(hours=12)
        if ambiguous and evening > now and evening.hour <= LATEST_EVENING_GUESS:
            moment = evening
        elif day is None or day.offset_days == 0:
            moment += dt.timedelta(days=1)
        elif day.weekday is not None:
            moment += dt.timedelta(days=7)
        elif day.day is not None and day.year is None:
            later = _date_for(
                Piece("day", 0, 0, day=day.day, month=day.month), base + dt.timedelta(days=1)
            )
            moment = dt.datetime.combine(later, moment.time()) if later else moment
    return moment.isoformat(timespec="seconds")


def find_times(tokens: list[Token], now: dt.datetime) -> list[TimeMention]:
    """Every date/time expression in `tokens`, resolved against local `now`."""
    mentions = []
    for group in _groups(tokens, _pieces(tokens)):
        value = _resolve(group, now.replace(tzinfo=None))
        if value is not None:
            mentions.append(TimeMention(group[0].start, group[-1].end, value))
    return mentions
