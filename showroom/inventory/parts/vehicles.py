"""Vehicle names in parts data: canonical brands, comparable model keys, model display.

Brands are canonical as in the vehicle inventory ("VW" -> "Volkswagen"); well-known Mexican
models are recognised without their brand ("Tsuru" -> Nissan). `compat.py` reads whole
`compatibilidad` entries with these.
"""

from __future__ import annotations

import re
from datetime import date

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


def canonical_brand(name: str) -> str | None:
    """ "VW" -> "Volkswagen"; None when the brand is unknown."""
    return BRAND_ALIASES.get(normalize(name))


_SPACED_NUMBER = re.compile(r"\b([a-z]{1,3}) (\d{1,4})\b")


def glue_numbers(text: str) -> str:
    """A short name and its number written together, as model keys have them: "np 300" ->
    "np300" (`text` normalized)."""
    return _SPACED_NUMBER.sub(r"\1\2", text)


def model_key(model: str) -> str:
    """The comparable form of a model name: "Jetta Clásico" -> "jetta a4"."""
    key = glue_numbers(normalize(model))
    return MODEL_KEY_ALIASES.get(key, key)


def expand_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        pivot = (date.today().year + 1) % 100
        year += 2000 if year <= pivot else 1900
    return year


# How an aliased model is shown ("vocho" is stored as "Sedán").
_DISPLAY = {"sedan": "Sedán", "jetta a4": "Jetta A4", "jetta a5": "Jetta A5",
            "jetta a6": "Jetta A6", "jetta a7": "Jetta A7", "golf a4": "Golf A4",
            "np300": "NP300", "pickup": "Pick Up"}  # fmt: skip


def display_model(model: str, key: str) -> str:
    """How a model is shown: as written, except aliases ("Vocho" is shown as "Sedán")."""
    if key != normalize(model) and key in _DISPLAY:
        return _DISPLAY[key]
    return model
