"""Opening hours: `lun-vie 09:00-19:00; sab 10:00-15:00`.

Format (DESIGN.md "Import files", with a few tolerances real files need):
- groups separated by `;`, each `DAYS TIMES`;
- DAYS: `lun mar mie jue vie sab dom` (accents and full names accepted: `mié`, `sábado`),
  single days, ranges (`lun-vie`, `lun a vie`, wrapping `vie-lun`) and lists (`lun,mie`);
- TIMES: `HH:MM-HH:MM` (also `9:00`, `9`, `24:00` as closing time, `–` as dash), several
  ranges per group separated by `,` or ` y ` (`lun-vie 09:00-14:00, 16:00-20:00`);
  or the word `cerrado` (that day is closed; same as not naming it);
- a day not named is closed; a day named twice gets both ranges (overlaps are an error);
- ranges do not cross midnight; a schedule with no open day is an error.

Times are wall-clock times of the branch: pass datetimes already in the branch's zone
(`branches.branch_zone`). Wall-clock arithmetic stays correct across DST changes (northern
border zones such as America/Tijuana still have them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from showroom.inventory.vocabulary import fold

DAY_ABBREVIATIONS = ("lun", "mar", "mie", "jue", "vie", "sab", "dom")
_DAY_NAMES = {
    **{abbr: i for i, abbr in enumerate(DAY_ABBREVIATIONS)},
    "lunes": 0,
    "martes": 1,
    "miercoles": 2,
    "jueves": 3,
    "viernes": 4,
    "sabado": 5,
    "domingo": 6,
    "mi": 2,
    "ju": 3,
    "vi": 4,
    "sa": 5,
    "do": 6,
    "lu": 0,
}
_CLOSED_WORDS = ("cerrado", "cerrada", "closed")
_TIME = r"\d{1,2}(?::\d{2})?"
_RANGE = re.compile(rf"^({_TIME})\s*(?:-|–|—|a)\s*({_TIME})$")
_FIRST_TIME = re.compile(r"\d")


@dataclass(frozen=True, order=True)
class Interval:
    """An open interval within one day: [start, end). `end` of 24:00 is `time.max`."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class OpeningHours:
    """Weekly schedule: `days[0]` is Monday's intervals, sorted, non-overlapping."""

    days: tuple[tuple[Interval, ...], ...]
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """Parse the contract's format; `ValueError` with the reason on bad text."""
        if not text or not text.strip():
            raise ValueError("opening hours are empty")
        week: list[list[Interval]] = [[] for _ in range(7)]
        for raw_group in re.split(r"[;\n]", text):
            group = fold(raw_group)
            if not group:
                continue
            days, intervals = _parse_group(group, raw_group.strip())
            for day in days:
                week[day].extend(intervals)
        for day, intervals in enumerate(week):
            intervals.sort()
            for before, after in pairwise(intervals):
                if after.start < before.end:
                    raise ValueError(
                        f"overlapping hours on {DAY_ABBREVIATIONS[day]}: "
                        f"{_hhmm(before.start)}-{_hhmm(before.end)} and "
                        f"{_hhmm(after.start)}-{_hhmm(after.end)}"
                    )
        if not any(week):
            raise ValueError(f"no open day in {text.strip()!r}")
        return cls(days=tuple(tuple(day) for day in week), text=text.strip())

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        return self.days[day.weekday()]

    def is_open(self, local_dt: datetime) -> bool:
        """Open at this wall-clock moment (a datetime in the branch's timezone)."""
        moment = local_dt.time()
        return any(i.contains(moment) for i in self.intervals_on(local_dt.date()))

    def closes_at(self, local_dt: datetime) -> datetime | None:
        """End of the open interval containing `local_dt`; None when closed then."""
        moment = local_dt.time()
        for interval in self.intervals_on(local_dt.date()):
            if interval.contains(moment):
                return _at(local_dt, local_dt.date(), interval.end)
        return None

    def next_open(self, after: datetime) -> datetime:
        """First instant ≥ `after` when the branch is open, in `after`'s timezone."""
        if self.is_open(after):
            return after
        for offset in range(8):
            day = after.date() + timedelta(days=offset)
            for interval in self.intervals_on(day):
                candidate = _at(after, day, interval.start)
                if offset > 0 or interval.start >= after.time():
                    return candidate
        raise AssertionError("unreachable: parse() refuses schedules with no open day")


def _at(reference: datetime, day: date, moment: time) -> datetime:
    """`day` at wall-clock `moment` in `reference`'s tzinfo (24:00 is the next midnight)."""
    if moment == time.max:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=reference.tzinfo)
    return datetime.combine(day, moment, tzinfo=reference.tzinfo)


def _parse_group(group: str, original: str) -> tuple[list[int], list[Interval]]:
    closed = next((w for w in _CLOSED_WORDS if group.endswith(w)), None)
    if closed:
        days_part, times_part = group[: -len(closed)].strip(), ""
    else:
        match = _FIRST_TIME.search(group)
        if match is None:
            raise ValueError(f"no hours in {original!r} (expected like 'lun-vie 09:00-19:00')")
        days_part, times_part = group[: match.start()].strip(), group[match.start() :]
    if not days_part:
        raise ValueError(f"no days in {original!r} (expected like 'lun-vie 09:00-19:00')")
    days = _parse_days(days_part, original)
    intervals = [] if closed else _parse_times(times_part, original)
    return days, intervals


def _parse_days(text: str, original: str) -> list[int]:
    days: list[int] = []
    for item in re.split(r"\s*(?:,|\sy\s)\s*", text.strip(" :")):
        parts = re.split(r"\s*(?:-|–|—|\sa\s)\s*", item.strip())
        if len(parts) == 1:
            days.append(_day(parts[0], original))
        elif len(parts) == 2:
            first, last = _day(parts[0], original), _day(parts[1], original)
            span = (last - first) % 7
            days.extend((first + i) % 7 for i in range(span + 1))
        else:
            raise ValueError(f"bad day range {item!r} in {original!r}")
    return days


def _day(word: str, original: str) -> int:
    key = word.strip(" .:")
    if key not in _DAY_NAMES:
        raise ValueError(f"unknown day {word!r} in {original!r} (use lun mar mie jue vie sab dom)")
    return _DAY_NAMES[key]


def _parse_times(text: str, original: str) -> list[Interval]:
    intervals = []
    for item in re.split(r"\s*(?:,|\sy\s)\s*", text.strip()):
        match = _RANGE.match(item.replace(" hrs", "").replace("hrs", "").strip())
        if not match:
            raise ValueError(f"bad hours {item!r} in {original!r} (expected like 09:00-19:00)")
        start, end = _time(match.group(1), original), _time(match.group(2), original)
        if end <= start:
            raise ValueError(f"closing time must be after opening time in {item!r}")
        intervals.append(Interval(start, end))
    return intervals


def _time(text: str, original: str) -> time:
    hour_text, _, minute_text = text.partition(":")
    hour, minute = int(hour_text), int(minute_text or 0)
    if hour == 24 and minute == 0:
        return time.max
    if hour > 23 or minute > 59:
        raise ValueError(f"bad time {text!r} in {original!r}")
    return time(hour, minute)


def _hhmm(moment: time) -> str:
    return "24:00" if moment == time.max else moment.strftime("%H:%M")
