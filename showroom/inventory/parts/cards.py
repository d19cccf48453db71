"""Customer-facing text for parts (es-MX, WhatsApp-short). Only catalog facts."""

from __future__ import annotations

import re
from decimal import Decimal

from showroom.db.models.inventory import Branch
from showroom.db.models.parts import Part
from showroom.formatting import join_es
from showroom.inventory.branches import branch_label_es
from showroom.inventory.parts.query import VehicleFilter
from showroom.inventory.parts.text import normalize

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
UNKNOWN_FIT = "Compatibilidad por confirmar"


def money_mxn(amount: Decimal | int | float) -> str:
    """`$1,289 MXN`; centavos only when not zero (`$89.50 MXN`)."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    text = f"{value:,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"${text} MXN"


def stock_es(stock: int) -> str:
    if stock <= 0:
        return "sin existencia por ahora"
    return f"{stock} en existencia"


def part_title_es(part: Part) -> str:
    """The title, with the product brand added when the title does not name it."""
    if part.brand and part.brand.lower() not in part.title.lower():
        return f"{part.title} {part.brand}"
    return part.title


def part_card_es(part: Part, branch: Branch | None = None) -> str:
    """`Balatas delanteras Brembo · SKU BR-1234` / `$689 MXN · 12 en existencia · Sucursal X`.

    The branch is the part's own; a part of the shared catalog (stocked for every branch)
    shows `branch`, the one the conversation is routed to, or none when that is unknown.
    """
    second = f"{money_mxn(part.price_mxn)} · {stock_es(part.stock)}"
    shown = part.branch or branch
    if shown is not None:
        second += f" · {branch_label_es(shown)}"
    return f"{part_title_es(part)} · SKU {part.sku}\n{second}"


def part_fits_es(part: Part, limit: int = 3) -> str:
    """`Para Nissan Tsuru 1992-2017, Nissan Sentra 1995-1999 y 2 más`, `Universal`, the
    catalog's own words when none of them was understood (`Compatibilidad según el
    catálogo, por confirmar: Tsuru III std`), or `Compatibilidad por confirmar` when the
    catalog says nothing."""
    if part.universal and not part.fitments:
        return "Universal"
    labels = list(dict.fromkeys(f.label for f in part.fitments))
    if labels:
        return f"Para {_first(labels, limit, ', ')}"
    raw = [entry for entry in part.compat_raw if entry.strip()]
    if not raw:
        return UNKNOWN_FIT
    return f"Compatibilidad según el catálogo, por confirmar: {_first(raw, limit, '; ')}"


def _first(items: list[str], limit: int, separator: str) -> str:
    """The first `limit` items and how many more: "a, b, c y 2 más"."""
    more = f" y {len(items) - limit} más" if len(items) > limit else ""
    return separator.join(items[:limit]) + more


def fits_exactly(part: Part, vehicle: VehicleFilter | None) -> bool:
    """Does the part fit this very car: brand, model and year all known, and one of its
    fitments names that model (not just its family: "Jetta" is not "Jetta A4") for that
    year? Only then can the card leave out which cars the part is for."""
    if vehicle is None or not (vehicle.brand_key and vehicle.model_key and vehicle.year):
        return False
    year = vehicle.year
    return any(
        f.brand_key == vehicle.brand_key
        and f.model_key == vehicle.model_key
        and (f.year_from is None or f.year_from <= year)
        and (f.year_to is None or year <= f.year_to)
        for f in part.fitments
    )


def first_image(part: Part) -> str | None:
    return part.first_image


def own_words(text: str, normalized: list[str]) -> str:
    """The customer's own words for what the search normalized: "rines de aluminio" for
    ["rines", "aluminio"], "bujías" for ["bujias"], "faros de niebla" for the phrase
    ["faros niebla"]."""
    wanted = list(dict.fromkeys(word for item in normalized for word in item.split()))
    tokens = list(_WORD.finditer(text))
    hits = [i for i, token in enumerate(tokens) if normalize(token.group()) in wanted]
    if hits and hits[-1] - hits[0] <= len(wanted) + 1:
        return text[tokens[hits[0]].start() : tokens[hits[-1]].end()].lower()
    spelled = {normalize(token.group()): token.group().lower() for token in tokens}
    return join_es([spelled.get(word, word) for word in wanted])


def which_car_es(car: str, words: str, models: list[str]) -> str:
    """The question when the car known so far fits parts of several kinds: the model when
    `models` (the ones the parts fit) are given, else the year.

    `¿Qué modelo es tu Nissan 2019? Tengo balatas para Tsuru, Versa y Sentra, entre otros.`
    / `¿De qué año es tu Nissan Versa? Así te muestro solo lo que le queda.`
    """
    if models:
        shown = models[:3]
        others = ", entre otros" if len(models) > len(shown) else ""
        return f"¿Qué modelo es tu {car}? Tengo {words} para {join_es(shown)}{others}."
    return f"¿De qué año es tu {car}? Así te muestro solo lo que le queda."
