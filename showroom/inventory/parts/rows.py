"""Validate one imported item against the parts contract (DESIGN.md "Import files").

Required: `sku`, `titulo`, `precio` (MXN, > 0, the customer's price including IVA),
`stock` (integer >= 0). Optional: `categoria`, `marca`, `compatibilidad` (list of strings,
or one string separated by ; | / or new lines), `imagen_1` ... `imagen_10` (http(s) URLs).
Unknown keys are ignored.

- `compatibilidad` missing or empty: the fitment is *unknown* (offered "por confirmar"),
  unless the title names the car ("Balatas delanteras para Tsuru 92-17"). Only explicit
  words make a part universal: "Universal", "Todos", "Todas las marcas", "Aplica para
  todos los modelos"... An entry that cannot be parsed is kept in `compat_raw` and
  reported (with its line and why) as a warning.
- `precio`: a JSON number, or text with plain digits, US thousands separators and a
  decimal point ("1250", "1,250.00", "$1,250", "1250.5 MXN"); a decimal comma only where
  it cannot be anything else ("1250,00", "1.250,00"). Ambiguous text ("1.250": 1250 or
  1.25?) is a bad row with the reason, never a guess.
- An `imagen_N` that is not an http(s) URL is dropped with a warning; the product stays.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from showroom.inventory.parts.compat import (
    PARSER_VERSION,
    Fitment,
    read_compat,
    split_compat_text,
    vehicle_in_title,
)
from showroom.inventory.parts.text import document_terms, normalize

MAX_IMAGES = 10
# An entry is "universal" when, fillers aside, it only says "all" or "universal".
UNIVERSAL_WORDS = frozenset({"universal", "todos", "todas", "todo", "multimarca", "cualquier"})
_UNIVERSAL_FILLER = frozenset(
    {
        "aplica", "aplicacion", "para", "a", "de", "en", "los", "las", "el", "la", "uso", "tipo",
        "y", "modelo", "modelos", "marca", "marcas", "vehiculo", "vehiculos", "auto", "autos",
        "carro", "carros", "coche", "coches", "automovil", "automoviles"
    }
)  # fmt: skip
_MAX_PRICE = Decimal("10000000")
_CENT = Decimal("0.01")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*\Z", re.IGNORECASE)
# Prices written as text. Accepted: plain digits with an optional decimal point, US
# thousands separators ("1,250.00"), and a decimal comma where nothing else fits
# ("1250,00", "1.250,00"). Ambiguous: one dot and three digits ("1.250").
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_US_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"(?:\d+|\d{1,3}(?:\.\d{3})+),\d{1,2}")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")
_AMBIGUOUS = re.compile(r"\d{1,3}\.\d{3}")
_CURRENCY = re.compile(r"^\$|\$$|\b(?:mxn|m\.?n\.?|pesos?)$", re.IGNORECASE)


class RowError(ValueError):
    """Why a row is rejected (English, shown with its line number)."""


@dataclass
class PartRow:
    sku: str
    title: str
    category: str
    brand: str
    price_mxn: Decimal
    stock: int
    image_urls: list[str]
    compat_raw: list[str]
    fitments: list[Fitment]
    universal: bool
    not_understood: list[tuple[str, str]] = field(default_factory=list)  # (entry, why)
    warnings: list[str] = field(default_factory=list)  # dropped images...
    where: str = ""  # "line 12": set by the importer, for warnings
    search_terms: str = ""
    title_terms: str = ""
    content_hash: str = ""


def _text(item: dict[str, Any], key: str, *, required: bool, limit: int) -> str:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RowError(f"missing {key}")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RowError(f"{key} must be text")
    text = " ".join(str(value).split())
    if len(text) > limit:
        raise RowError(f"{key} is longer than {limit} characters")
    return text


def _price(value: Any) -> Decimal:
    if value is None or value == "":
        raise RowError("missing precio")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RowError("precio must be a number")
    text = str(value) if not isinstance(value, str) else price_text(value)
    try:
        price = Decimal(text)
    except InvalidOperation as exc:
        raise RowError(f"precio is not a number: {str(value)[:20]!r}") from exc
    if not price.is_finite() or price <= 0:
        raise RowError("precio must be greater than 0")
    if price >= _MAX_PRICE:
        raise RowError("precio is too large")
    return price.quantize(_CENT, rounding=ROUND_HALF_UP)


def price_text(raw: str) -> str:
    """A price written as text, as a plain decimal string ("$1,250.00" -> "1250.00"), or
    `RowError` saying why it cannot be read without guessing."""
    text = raw.strip()
    for _ in range(2):  # "$1,250 MXN"
        text = _CURRENCY.sub("", text).strip()
    shown = raw.strip()[:20]
    if not any(ch.isdigit() for ch in text):
        raise RowError(f"precio is not a number: {shown!r}")
    if _PLAIN.fullmatch(text):
        if _AMBIGUOUS.fullmatch(text):
            raise RowError(
                f"precio {shown!r} is ambiguous (1250 or 1.25?): write it without a thousands "
                "separator (1250) or with two decimals (1.25)"
            )
        return text
    if _US_THOUSANDS.fullmatch(text):
        return text.replace(",", "")
    if _DECIMAL_COMMA.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    if _DOT_THOUSANDS.fullmatch(text):
        return text.replace(".", "")
    raise RowError(
        f"precio {shown!r} is not a price this importer can read without guessing "
        "(use 1250, 1250.50 or 1,250.50)"
    )


def _stock(value: Any) -> int:
    if value is None or value == "":
        raise RowError("missing stock")
    if isinstance(value, bool):
        raise RowError("stock must be a whole number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise RowError(f"stock is not a number: {str(value)[:20]!r}") from exc
    if not number.is_finite() or number != number.to_integral_value():
        raise RowError("stock must be a whole number")
    if number < 0:
        raise RowError("stock cannot be negative")
    if number > 1_000_000_000:
        raise RowError("stock is too large")
    return int(number)


def _images(item: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The usable image URLs, and a warning for each one dropped (the product stays)."""
    urls: list[str] = []
    dropped: list[str] = []
    for n in range(1, MAX_IMAGES + 1):
        value = item.get(f"imagen_{n}")
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            dropped.append(f"imagen_{n} dropped: not a URL")
            continue
        url = value.strip()
        if not _URL.match(url):
            dropped.append(f"imagen_{n} dropped: not an http(s) URL ({url[:40]!r})")
        elif len(url) > 1000:
            dropped.append(f"imagen_{n} dropped: longer than 1000 characters")
        else:
            urls.append(url)
    return urls, dropped


def is_universal(entry: str) -> bool:
    """ "Universal", "Todos", "Todas las marcas", "Aplica para todos los modelos"."""
    words = [w for w in normalize(entry).split() if w not in _UNIVERSAL_FILLER]
    return bool(words) and all(w in UNIVERSAL_WORDS for w in words)


def _compat(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_compat_text(value)
    if not isinstance(value, list):
        raise RowError("compatibilidad must be a list of text")
    entries: list[str] = []
    for entry in value:
        if not isinstance(entry, str):
            raise RowError("compatibilidad must be a list of text")
        entries.extend(split_compat_text(entry))
    return entries


def parse_row(item: Any) -> PartRow:
    """A validated row, or `RowError` with the reason."""
    if not isinstance(item, dict):
        raise RowError("not a JSON object")
    sku = _text(item, "sku", required=True, limit=64)
    title = _text(item, "titulo", required=True, limit=255)
    category = _text(item, "categoria", required=False, limit=80)
    brand = _text(item, "marca", required=False, limit=80)
    price = _price(item.get("precio"))
    stock = _stock(item.get("stock"))
    images, dropped = _images(item)
    compat = _compat(item.get("compatibilidad"))
    fitments: list[Fitment] = []
    not_understood: list[tuple[str, str]] = []
    universal = False
    for entry in compat:
        if is_universal(entry):
            universal = True
            continue
        read = read_compat(entry)
        if read.understood:
            fitments.extend(read.fitments)
        else:
            not_understood.append((entry, read.problem or "not understood"))
    if not compat:  # nothing said: maybe the title names the car, else "por confirmar"
        fitments = vehicle_in_title(title)
    row = PartRow(
        sku=sku,
        title=title,
        category=category,
        brand=brand,
        price_mxn=price,
        stock=stock,
        image_urls=images,
        compat_raw=compat,
        fitments=fitments,
        universal=universal,
        not_understood=not_understood,
        warnings=dropped,
    )
    vehicle_words: set[str] = set()
    for f in fitments:
        vehicle_words.update(f.brand_key.split() + normalize(f.model).split() + f.model_key.split())
        vehicle_words.update(str(y) for y in (f.year_from, f.year_to) if y)
        vehicle_words.update(str(y)[-2:] for y in (f.year_from, f.year_to) if y)
    row.search_terms, row.title_terms = document_terms(
        title=title, category=category, brand=brand, sku=sku, vehicle_words=vehicle_words
    )
    row.content_hash = _hash(row)
    return row


def _hash(row: PartRow) -> str:
    """What a re-import compares: the imported fields and what was made of them (the parsed
    fitments, the search terms, the parser's version), so an improved parser or analyzer
    refreshes every part on the next import of the same file."""
    fitments = [
        [f.brand, f.model, f.brand_key, f.model_key, f.year_from, f.year_to] for f in row.fitments
    ]
    payload = [
        PARSER_VERSION, row.sku, row.title, row.category, row.brand, str(row.price_mxn),
        row.stock, row.image_urls, row.compat_raw, row.universal, fitments, row.search_terms,
    ]  # fmt: skip
    return hashlib.md5(json.dumps(payload).encode(), usedforsecurity=False).hexdigest()
