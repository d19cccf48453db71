"""Vehicle names in parts data: canonical brands and `compatibilidad` parsing.

`parse_compat("VW Jetta A4 2000-2015")` -> Fitment(Volkswagen, Jetta A4, 2000, 2015).
Accepted year forms (documented in docs/parts.md):
  "1992-2017", "1992 - 2017", "1992 a 2017", "92-17" (two digits: <= next year's yy is
  20yy, else 19yy), "(2000-2015)", single "2004" (that year only), "2015+",
  "2015 en adelante" / "2015-" (from 2015 on), "hasta 2010" (up to 2010), no year (all).
Engine notes ("1.6L", "V6", "4 cil") are dropped from the model. Brands are canonical, as in
the vehicle inventory ("VW" -> "Volkswagen"); an entry whose brand is unknown and whose model
is not a well-known Mexican model is "not understood": kept raw, counted in the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from showroom.inventory.parts.text import normalize
from showroom.inventory.vocabulary import BRAND_ALIASES as INVENTORY_BRANDS

# Brands as the vehicle inventory spells them (showroom.inventory.vocabulary), plus makes
# that only old cars in parts catalogs carry.
_PARTS_ONLY_BRANDS: dict[str, tuple[str, ...]] = {
    "Pontiac": (),
    "Datsun": (),
    "Foton": (),
    "Smart": (),
    "Chevrolet": ("gm", "chev"),
}

BRAND_ALIASES: dict[str, str] = {}  # normalized spelling -> canonical brand
for _brand, _aliases in [*INVENTORY_BRANDS.items(), *_PARTS_ONLY_BRANDS.items()]:
    for _spelling in (_brand, *_aliases):
        BRAND_ALIASES.setdefault(normalize(_spelling), _brand)

# Same car, several names: the key on the right is what fitments and queries compare.
MODEL_KEY_ALIASES: dict[str, str] = {
    "vocho": "sedan",
    "bocho": "sedan",
    "escarabajo": "sedan",
    "beetle clasico": "sedan",
    "jetta clasico": "jetta a4",  # Mexico sold the A5 as "Bora": no alias, its own model
    "jetta mk4": "jetta a4",
    "jetta mk5": "jetta a5",
    "jetta mk6": "jetta a6",
    "jetta mk7": "jetta a7",
    "golf mk4": "golf a4",
    "np 300": "np300",
    "np300 frontier": "np300 frontier",
    "pick up": "pickup",
}

# Well-known models written without a brand ("Tsuru 1992-2017").
MODEL_BRANDS: dict[str, str] = {
    "tsuru": "Nissan", "sentra": "Nissan", "versa": "Nissan", "march": "Nissan",
    "tiida": "Nissan", "np300": "Nissan", "platina": "Nissan", "xtrail": "Nissan",
    "kicks": "Nissan", "frontier": "Nissan", "altima": "Nissan", "sedan": "Volkswagen",
    "jetta": "Volkswagen", "bora": "Volkswagen", "pointer": "Volkswagen", "golf": "Volkswagen",
    "vento": "Volkswagen",
    "gol": "Volkswagen", "polo": "Volkswagen", "tiguan": "Volkswagen", "saveiro": "Volkswagen",
    "chevy": "Chevrolet", "aveo": "Chevrolet", "spark": "Chevrolet", "sonic": "Chevrolet",
    "cruze": "Chevrolet", "silverado": "Chevrolet", "tornado": "Chevrolet", "beat": "Chevrolet",
    "corolla": "Toyota", "yaris": "Toyota", "hilux": "Toyota", "civic": "Honda", "crv": "Honda",
    "ikon": "Ford", "fiesta": "Ford", "focus": "Ford", "ranger": "Ford", "figo": "Ford",
}  # fmt: skip

_ENGINE = re.compile(
    r"\b\d[.,]\d\s*(l|lts?|litros?)?\b|\b[vl]\d{1,2}\b|\b\d\s*cil(indros)?\b|\bturbo\b",
    re.IGNORECASE,
)
_SEP = r"\s*(?:-|–|—|/|\ba\b|\bal\b|\bhasta\b)\s*"
_RANGE = re.compile(rf"(?<!\d)(\d{{4}}|\d{{2}}){_SEP}(\d{{4}}|\d{{2}})$", re.IGNORECASE)
_FROM = re.compile(
    r"(?<!\d)(\d{4}|\d{2})\s*(?:\+|-|–|en adelante|y posteriores|o posterior|y mas|>)$",
    re.IGNORECASE,
)
_UNTIL = re.compile(r"(?:\bhasta\b|\bantes de\b|-|<)\s*(\d{4})$", re.IGNORECASE)
_SINGLE = re.compile(r"(?<![\d.,])(\d{4})$")


@dataclass(frozen=True)
class Fitment:
    brand: str
    model: str
    brand_key: str
    model_key: str
    year_from: int | None
    year_to: int | None
    raw: str


def canonical_brand(name: str) -> str | None:
    """ "VW" -> "Volkswagen"; None when the brand is unknown."""
    return BRAND_ALIASES.get(normalize(name))


def model_key(model: str) -> str:
    """The comparable form of a model name: "Jetta Clásico" -> "jetta a4"."""
    key = normalize(model)
    key = re.sub(r"\b([a-z]{1,3}) (\d{1,4})\b", r"\1\2", key)  # "np 300" -> "np300"
    return MODEL_KEY_ALIASES.get(key, key)


def expand_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        pivot = (date.today().year + 1) % 100
        year += 2000 if year <= pivot else 1900
    return year


def _split_years(text: str) -> tuple[str, int | None, int | None] | None:
    """(rest, year_from, year_to); None when the years are impossible."""
    text = text.strip().strip("()[] ").strip()
    text = re.sub(r"\(([^)]*)\)\s*$", r"\1", text).strip()
    for pattern, kind in ((_RANGE, "range"), (_FROM, "from"), (_UNTIL, "until"), (_SINGLE, "one")):
        match = pattern.search(text)
        if not match:
            continue
        rest = text[: match.start()].strip(" ,;:-(")
        if kind == "range":
            low, high = expand_year(match.group(1)), expand_year(match.group(2))
        elif kind == "from":
            low, high = expand_year(match.group(1)), None
        elif kind == "until":
            low, high = None, expand_year(match.group(1))
        else:
            low = high = expand_year(match.group(1))
        latest = date.today().year + 2
        impossible = any(y is not None and not 1900 <= y <= latest for y in (low, high))
        if kind == "one" and impossible:
            break  # "Ram 1500": a model number, not a year
        if impossible or (low is not None and high is not None and low > high):
            return None
        return rest, low, high
    return text, None, None


@lru_cache(maxsize=16384)
def parse_compat(raw: str) -> Fitment | None:
    """One `compatibilidad` entry as structured data; None when it is not understood."""
    cleaned = " ".join(raw.split())
    if not cleaned:
        return None
    split = _split_years(cleaned)
    if split is None:
        return None
    rest, year_from, year_to = split
    rest = " ".join(_ENGINE.sub(" ", rest).split())
    tokens = rest.split()
    brand = None
    model_tokens: list[str] = []
    for size in (3, 2, 1):
        if len(tokens) >= size and (found := canonical_brand(" ".join(tokens[:size]))):
            brand, model_tokens = found, tokens[size:]
            break
    if brand is None:
        brand = MODEL_BRANDS.get(model_key(rest)) or MODEL_BRANDS.get(
            model_key(tokens[0]) if tokens else ""
        )
        model_tokens = tokens
    if brand is None:
        return None
    if not model_tokens and model_key(rest) in MODEL_BRANDS:
        brand, model_tokens = MODEL_BRANDS[model_key(rest)], tokens  # "Chevy 2004" is a model
    model = " ".join(model_tokens).strip(" ,;:-")
    key = model_key(model)
    if key != normalize(model) and key in _DISPLAY:
        model = _DISPLAY[key]
    return Fitment(
        brand=brand[:40],
        model=model[:60],
        brand_key=normalize(brand)[:40],
        model_key=key[:60],
        year_from=year_from,
        year_to=year_to,
        raw=raw.strip()[:160],
    )


# How an aliased model is shown ("vocho" is stored as "Sedán").
_DISPLAY = {"sedan": "Sedán", "jetta a4": "Jetta A4", "jetta a5": "Jetta A5",
            "jetta a6": "Jetta A6", "jetta a7": "Jetta A7", "golf a4": "Golf A4",
            "np300": "NP300", "pickup": "Pick Up"}  # fmt: skip


def split_compat_text(value: str) -> list[str]:
    """A `compatibilidad` given as one string: entries separated by ; | or new lines."""
    return [part.strip() for part in re.split(r"[;|\n]", value) if part.strip()]
