"""`compatibilidad` entries as structured fitments: brand, model, inclusive year range.

Catalogs from different shops write the same fact many ways; the year span is found
wherever it is in the entry and everything that is not the vehicle is dropped:

- `Nissan Tsuru 1992-2017`, `1992 a 2017`, `del 92 al 17`, `Nissan/Tsuru/1992-2017`,
  `Chevrolet Chevy (1994-2012)`: a range; `Ford Ranger 12-18`: two-digit years (yy up to
  next year's is 20yy); `Toyota Corolla 2015`: that year only;
- `Nissan Versa 2012-2019 1.6L`, `Jetta A4 1.8T 2000-2015`, `Nissan Tsuru 1992-2017 Std`:
  engine and trim notes dropped (the raw text is kept with the fitment);
- `Kia Rio 2018 - Actual`, `2015+`, `desde 2012`, `2015 en adelante`, `2018 a la fecha`:
  from that year on; `hasta 2010`: up to 2010; `antes de 2011`: up to 2010;
- `Chevrolet Aveo 2008, 2009, 2010`, `2008 y 2009`: one range; `2008, 2010`: two;
- `Mazda3 2014-2018`: brand and model glued; `Tsuru 92-17`, `Vocho 1985-2003`,
  `Attitude 15-20`, `Urvan`: a model without its brand (vehicles.py's table of the models
  sold in Mexico);
- lists: `Nissan Tsuru 1992-2017, Sentra 1995-1999`, `Tsuru 1992-2017 / Sentra 2000-2006`,
  and `Tsuru / Sentra 2000-2006` (the years after the last model are for both).

Not understood (kept raw, reported by the importer with its line, never an error): an
unknown brand that is not a well-known model, impossible years ("2017-1992", "1850"), and
an entry where a year is still left once the span is taken out ("Tsuru 1992-2017 Sentra
2000": two vehicles in one entry, or a year inside the model name).

`PARSER_VERSION` is part of every part's content hash: a re-import after the parser
changes refreshes the fitments even when the file did not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from showroom.inventory.parts.text import normalize, strip_accents
from showroom.inventory.parts.vehicles import (
    BRAND_ALIASES,
    KNOWN_MODELS,
    MODEL_BRANDS,
    MODEL_KEY_ALIASES,
    canonical_brand,
    display_model,
    expand_year,
    model_key,
)

PARSER_VERSION = 3  # 3: models_mx.csv for brandless models, lists separated by "/"

# Why an entry was not understood (English, for the import report).
UNKNOWN_VEHICLE = "unknown brand or model"
IMPOSSIBLE_YEARS = "impossible years"
YEAR_LEFT_OVER = "a year is left in the model (two vehicles in one entry?)"
NO_VEHICLE = "years without a vehicle"

_GLUED = re.compile(r"([a-z]+)(\d+[a-z]?)")  # a brand and a model number: "mazda3"
_DIGITS_DASH = re.compile(r"(?<=\d)\s*[-–—/]\s*(?=\d)")  # "1992-2017", "92/17"
_TOKEN = re.compile(r"[^\W_]+(?:[-.'][^\W_]+)*|[+,&]|[-–—]")
_ENGINE = re.compile(
    r"\d[.,]\d+(l|lt|lts|litros?|t|tsi|tdi|turbo)?|[vl]\d{1,2}|\d{1,2}v|\d\s?cil(indros)?"
)
# Words that describe a version, engine or body, not the model (dropped after the model's
# first word: "Civic EX" is a Civic, "Mercedes-Benz GL" keeps its GL).
_NOTE_WORDS = frozenset(
    {
        "std", "estandar", "standard", "aut", "automatico", "automatica", "manual", "tm", "ta",
        "cvt", "dsg", "turbo", "tsi", "tdi", "dohc", "sohc", "gasolina", "diesel", "hibrido",
        "4x4", "4x2", "2wd", "4wd", "awd", "fwd", "rwd", "base", "sport", "gl", "gls", "glx",
        "gli", "ls", "lt", "ltz", "lx", "ex", "exl", "se", "sel", "sr", "sl", "sv", "sense",
        "advance", "exclusive", "platinum", "comfortline", "trendline", "highline", "style",
        "ptas", "puertas", "2p", "3p", "4p", "5p", "hb", "hatchback", "coupe", "doble", "sencilla",
        "cabina", "chasis", "motor", "cil", "cilindros", "litros", "l",
    }
)  # fmt: skip
_FILLER = frozenset(
    {"para", "modelo", "modelos", "mod", "ano", "anos", "aplica", "vehiculo", "todos", "todas",
     "todo", "los", "las"}
)  # fmt: skip
_RANGE_SEPS = frozenset({"-", "–", "—", "a", "al", "hasta", "to"})
_LIST_SEPS = frozenset({",", "y", "e", "&"})
_FROM_WORDS = (("a", "partir", "de"), ("a", "partir", "del"), ("desde",), ("del",), ("de",))
_UNTIL_WORDS = (("hasta",), ("antes", "de"), ("antes", "del"))
_PREFIXES = sorted(
    [(p, "from") for p in _FROM_WORDS] + [(p, "until") for p in _UNTIL_WORDS],
    key=lambda item: -len(item[0]),
)
# "...en adelante": the span is open at its end
_OPEN_ENDS = (
    ("a", "la", "fecha"), ("a", "la", "actualidad"), ("y", "posteriores"), ("o", "posterior"),
    ("en", "adelante"), ("y", "mas"), ("la", "fecha"), ("en", "delante"), ("actual",),
    ("presente",), ("hoy",), ("adelante",), ("posteriores",), ("vigente",), ("+",),
)  # fmt: skip


@dataclass(frozen=True)
class Fitment:
    brand: str
    model: str
    brand_key: str
    model_key: str
    year_from: int | None
    year_to: int | None
    raw: str


@dataclass(frozen=True)
class CompatEntry:
    """One entry read: its fitments (several for "2008, 2010"), or why it was not."""

    raw: str
    fitments: tuple[Fitment, ...] = ()
    problem: str | None = None

    @property
    def understood(self) -> bool:
        return bool(self.fitments)


def _latest() -> int:
    return date.today().year + 2


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and 1900 <= int(word) <= _latest()


def _is_number(word: str) -> bool:
    return word.isdigit() and len(word) in (2, 4)


def _starts(words: list[str], i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the first phrase found at words[i:], 0 when none."""
    for phrase in phrases:
        if tuple(words[i : i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _second_year(first: int, text: str) -> int:
    """ "2012-19": a two-digit end year belongs to the first year's century (or the next)."""
    if len(text) == 4:
        return int(text)
    year = first - first % 100 + int(text)
    return year + 100 if year < first else year


@dataclass
class _Span:
    start: int  # first token (prefix words included)
    end: int  # one past the last token
    years: list[tuple[int | None, int | None]]  # one or more ranges
    impossible: bool = False


def _span_at(words: list[str], i: int) -> _Span | None:
    """The year expression whose first number is words[i] (None: it is not one)."""
    start, kind = i, "plain"
    for phrase, name in _PREFIXES:  # longest first: "antes de" is not "de"
        size = len(phrase)
        if i >= size and tuple(words[i - size : i]) == phrase:
            start, kind = i - size, name
            break
    first = words[i]
    two_digit = len(first) == 2
    following = words[i + 1] if i + 1 < len(words) else None
    after = words[i + 2] if i + 2 < len(words) else None
    if two_digit and kind == "plain":
        # "92-17", "12 a 18": a lone two-digit number is a model ("Peugeot 206 16")
        if not (following in _RANGE_SEPS | _LIST_SEPS and after and _is_number(after)):
            return None
    elif not two_digit and not _is_year(first):
        if following in _RANGE_SEPS and after and _is_number(after):
            return _Span(start, i + 3, [], impossible=True)  # "1850-1890"
        return None
    low = expand_year(first)
    j = i + 1
    if kind == "until":
        return _Span(start, j, [(None, low - 1 if words[start] == "antes" else low)])
    if following in _RANGE_SEPS and after and _is_number(after):
        high = _second_year(low, after) if not two_digit else expand_year(after)
        return _Span(start, i + 3, [(low, high)], impossible=not low <= high <= _latest())
    size = _starts(words, j, _OPEN_ENDS)
    if not size and following in _RANGE_SEPS and (inner := _starts(words, j + 1, _OPEN_ENDS)):
        size = 1 + inner  # "2018 - actual"
    if size:
        return _Span(start, j + size, [(low, None)])
    if following in ("-", "–", "—") and (after is None or not after[:1].isdigit()):
        return _Span(start, j + 1, [(low, None)])  # "2015-" (from 2015 on)
    listed = [low]
    while j < len(words):
        step = 2 if words[j] in _LIST_SEPS and j + 1 < len(words) else 1
        candidate = words[j + step - 1]
        if (step == 2 or candidate.isdigit()) and _is_number(candidate):
            year = expand_year(candidate) if len(candidate) == 2 else int(candidate)
            if len(candidate) == 4 and not _is_year(candidate):
                break
            listed.append(year)
            j += step
            continue
        break
    if kind == "from" and len(listed) == 1:
        return _Span(start, j, [(low, None)])
    return _Span(start, j, _runs(sorted(set(listed))))


def _runs(years: list[int]) -> list[tuple[int | None, int | None]]:
    """Consecutive years as ranges: [2008, 2009, 2010, 2014] -> 2008-2010, 2014."""
    runs: list[tuple[int | None, int | None]] = []
    first = last = years[0]
    for year in years[1:]:
        if year == last + 1:
            last = year
            continue
        runs.append((first, last))
        first = last = year
    runs.append((first, last))
    return runs


def _vehicle_tokens(tokens: list[str]) -> list[str]:
    """The tokens that may name the vehicle: engine notes, fillers, punctuation dropped."""
    kept: list[str] = []
    for token in tokens:
        word = normalize(token)
        if not word or token in ("+", ",", "&", "-", "–", "—") or word in _FILLER:
            continue
        if _ENGINE.fullmatch(strip_accents(token.lower())):
            continue
        kept.append(token)
    return kept


def _brand_and_model(tokens: list[str]) -> tuple[str, list[str]] | None:
    words = [normalize(t) for t in tokens]
    for size in (3, 2, 1):
        if len(tokens) >= size and (found := canonical_brand(" ".join(words[:size]))):
            rest = tokens[size:]
            if not rest and model_key(" ".join(words)) in MODEL_BRANDS:
                return MODEL_BRANDS[model_key(" ".join(words))], tokens  # "Chevy" is a model
            return found, rest
    if tokens:
        glued = _GLUED.fullmatch(words[0])  # "Mazda3", "MG5"
        if glued and (found := canonical_brand(glued.group(1))):
            return found, [glued.group(2), *tokens[1:]]
        whole = model_key(" ".join(words))
        brand = MODEL_BRANDS.get(whole) or MODEL_BRANDS.get(model_key(words[0]))
        if brand:
            return brand, tokens
    return None


@lru_cache(maxsize=16384)
def read_compat(raw: str) -> CompatEntry:
    """One `compatibilidad` entry, read (see the module docstring)."""
    text = _DIGITS_DASH.sub(" - ", " ".join(raw.split()))
    tokens = _TOKEN.findall(text)
    words = [normalize(t) or t for t in tokens]
    span: _Span | None = None
    for i, word in enumerate(words):
        if word.isdigit() and (span := _span_at(words, i)) is not None:
            break
    before, after = (tokens[: span.start], tokens[span.end :]) if span else (tokens, [])
    if span and span.impossible:
        return CompatEntry(raw, problem=IMPOSSIBLE_YEARS)
    vehicle, notes = _vehicle_tokens(before), after  # "Nissan Versa 2012-2019 1.6L"
    if not vehicle:
        vehicle, notes = _vehicle_tokens(after), before  # "2015 Nissan Versa"
    if any(_is_year(normalize(t)) for t in [*vehicle, *notes]):
        return CompatEntry(raw, problem=YEAR_LEFT_OVER)
    if not vehicle:
        return CompatEntry(raw, problem=NO_VEHICLE if span else UNKNOWN_VEHICLE)
    found = _brand_and_model(vehicle)
    if found is None:
        return CompatEntry(raw, problem=UNKNOWN_VEHICLE)
    brand, model_tokens = found
    model_tokens = model_tokens[:1] + [
        t for t in model_tokens[1:] if normalize(t) not in _NOTE_WORDS
    ]
    model = " ".join(model_tokens).strip(" ,;:-")
    key = model_key(model)
    shown = display_model(model, key)
    years = span.years if span else [(None, None)]
    fitments = tuple(
        Fitment(
            brand=brand[:40],
            model=shown[:60],
            brand_key=normalize(brand)[:40],
            model_key=key[:60],
            year_from=low,
            year_to=high,
            raw=raw.strip()[:160],
        )
        for low, high in years
    )
    return CompatEntry(raw, fitments)


def parse_compat(raw: str) -> list[Fitment]:
    """The fitments of one entry; empty when it is not understood."""
    return list(read_compat(raw).fitments)


def _starts_a_vehicle(segment: str) -> bool:
    words = normalize(segment).split()
    if not words or words[0].isdigit():
        return False
    first_two = " ".join(words[:2])
    return (
        words[0] in BRAND_ALIASES
        or first_two in BRAND_ALIASES
        or model_key(words[0]) in MODEL_BRANDS
        or bool(
            (glued := _GLUED.fullmatch(words[0]))
            and glued.group(2).isdigit()
            and canonical_brand(glued.group(1))
        )
    )


_SLASH = re.compile(r"(?<!\d)\s*/\s*|\s*/\s*(?!\d)")
_YEARS_AT_END = re.compile(r"(?:\b(?:19|20)\d{2}|\b\d{2}(?=\s*[-–—/]\s*\d{2}\b)).*$")


def _slash_list(text: str) -> list[str]:
    """ "Tsuru 1992-2017 / Sentra 2000-2006" -> two entries; "Tsuru / Sentra 2000-2006" ->
    both with the years written last. A slash between numbers ("92/17") or after a bare
    brand ("Nissan/Tsuru/1992-2017") is not a list."""
    pieces = [p.strip() for p in _SLASH.split(text)]
    if len(pieces) < 2:
        return [text]
    groups: list[str] = [pieces[0]]
    for piece in pieces[1:]:
        left = normalize(groups[-1])
        if piece and left and left not in BRAND_ALIASES and _starts_a_vehicle(piece):
            groups.append(piece)
        else:
            groups[-1] = f"{groups[-1]}/{piece}"
    entries: list[str] = []
    for i, group in enumerate(groups):
        if not _YEARS_AT_END.search(group):
            later = next((g for g in groups[i + 1 :] if _YEARS_AT_END.search(g)), None)
            if later is not None and (years := _YEARS_AT_END.search(later)):
                group = f"{group} {years.group(0)}"
        entries.append(group)
    return entries


def split_compat_text(value: str) -> list[str]:
    """Entries of one `compatibilidad` string: separated by ; | or new lines, by commas
    that start another vehicle ("Nissan Tsuru 1992-2017, Sentra 1995-1999"; the comma in
    "Aveo 2008, 2009" separates years and stays) and by slashes between vehicles
    ("Tsuru / Sentra 2000-2006", see `_slash_list`)."""
    entries: list[str] = []
    for part in re.split(r"[;|\n]", value):
        pieces = [p.strip() for p in part.split(",")]
        current: list[str] = []
        for piece in pieces:
            if current and _starts_a_vehicle(piece):
                entries.append(", ".join(current))
                current = []
            if piece:
                current.append(piece)
        if current:
            entries.append(", ".join(current))
    return [item for entry in entries if entry for item in _slash_list(entry) if item]


_KNOWN_KEYS = frozenset(m.key for m in KNOWN_MODELS) | frozenset(MODEL_KEY_ALIASES.values())
_TITLE_FOR = re.compile(r"\bpara(?:\s+(?:el|la|tu|su|mi))?\s+(.+)$", re.IGNORECASE)
_CONNECTORS = frozenset({"y", "e", "o", "con", "sin"})


def _known_model(fitment: Fitment) -> bool:
    """A model from the table of Mexican models (or a generation of one: "jetta a4"),
    not a phrase that happened to follow a brand ("tsuru y sentra")."""
    words = fitment.model_key.split()
    if not words or _CONNECTORS & set(words):
        return False
    return any(" ".join(words[:n]) in _KNOWN_KEYS for n in range(1, len(words) + 1))


def vehicle_in_title(title: str) -> list[Fitment]:
    """The cars a title says a part is for, when the catalog gives no `compatibilidad`:
    "Balatas delanteras para Tsuru 92-17" -> Nissan Tsuru 1992-2017. Only what follows
    "para" and reads as known models; anything else gives nothing (fitment unknown)."""
    found = _TITLE_FOR.search(title)
    if not found:
        return []
    text = re.sub(r"\s+(?:y|e)\s+", ", ", found.group(1))
    fitments: list[Fitment] = []
    for entry in split_compat_text(text):
        read = read_compat(entry)
        if not read.understood or not all(_known_model(f) for f in read.fitments):
            return []
        fitments.extend(read.fitments)
    return fitments
