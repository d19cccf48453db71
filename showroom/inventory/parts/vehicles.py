"""Vehicle names in parts data: canonical brands, comparable model keys, model display.

Brands are canonical as in the vehicle inventory ("VW" -> "Volkswagen"). Models sold in
Mexico are a data table (`models_mx.csv`, about 480 models of 60 brands): a model written
without its brand ("Attitude 15-20", "Urvan", "Lobo") gets its brand from there, and its
other names ("vocho", "frontier", "estaquitas") compare as the same model. `compat.py`
reads whole `compatibilidad` entries with these; the search recognises the same names in
a customer's words (`QUERY_MODELS`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources

from showroom.inventory.parts.text import normalize
from showroom.inventory.vocabulary import BRAND_ALIASES as INVENTORY_BRANDS

# Spellings of brands beyond the vehicle inventory's own.
_MORE_SPELLINGS: dict[str, tuple[str, ...]] = {"Chevrolet": ("gm", "chev")}


@dataclass(frozen=True)
class KnownModel:
    brand: str  # canonical ("Volkswagen")
    model: str  # as Mexico calls it ("Sedán")
    key: str  # comparable form ("sedan")


def _glue(text: str) -> str:
    return _SPACED_NUMBER.sub(r"\1\2", text)


_SPACED_NUMBER = re.compile(r"\b([a-z]{1,3}) (\d{1,4})\b")


def _load_models() -> tuple[list[KnownModel], dict[str, str]]:
    """models_mx.csv: `brand,model,aliases` ("#" lines are comments). Returns the models
    and alias key -> model key."""
    text = (
        resources.files("showroom.inventory.parts")
        .joinpath("models_mx.csv")
        .read_text(encoding="utf-8")
    )
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    models: list[KnownModel] = []
    aliases: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        brand, model = row["brand"].strip(), row["model"].strip()
        key = _glue(normalize(model))
        models.append(KnownModel(brand, model, key))
        for alias in (row.get("aliases") or "").split("|"):
            alias_key = _glue(normalize(alias))
            if alias_key and alias_key != key:
                aliases.setdefault(alias_key, key)
    return models, aliases


KNOWN_MODELS, _TABLE_ALIASES = _load_models()

BRAND_ALIASES: dict[str, str] = {}  # normalized spelling -> canonical brand
for _brand, _aliases in [
    *INVENTORY_BRANDS.items(),
    *((m.brand, ()) for m in KNOWN_MODELS),
    *_MORE_SPELLINGS.items(),
]:
    for _spelling in (_brand, *_aliases):
        BRAND_ALIASES.setdefault(normalize(_spelling), _brand)
BRAND_ALIASES.setdefault("datsun", "Datsun")  # old cars in parts catalogs

# Same car, several names: the key on the right is what fitments and queries compare.
MODEL_KEY_ALIASES: dict[str, str] = {
    **_TABLE_ALIASES,
    "jetta clasico": "jetta a4",  # Mexico sold the A5 as "Bora": no alias, its own model
    "jetta mk4": "jetta a4",
    "jetta mk5": "jetta a5",
    "jetta mk6": "jetta a6",
    "jetta mk7": "jetta a7",
    "golf mk4": "golf a4",
    "pick up": "pickup",
}


def _needs_brand(key: str) -> bool:
    """ "A4", "X3", "i10", "GS3", "300": too short or too generic to name a car alone
    ("NP300", "L200", "Sei2" are not)."""
    return len(key) < 3 or key.isdigit() or bool(re.fullmatch(r"[a-z]{1,2}\d{1,2}", key))


# Models written without a brand ("Tsuru 1992-2017", "Attitude 15-20"): key -> brand. A key
# listed under several brands (one car, two badges) takes the first.
MODEL_BRANDS: dict[str, str] = {}
for _model in KNOWN_MODELS:
    if not _needs_brand(_model.key):
        MODEL_BRANDS.setdefault(_model.key, _model.brand)
for _alias, _key in MODEL_KEY_ALIASES.items():
    if _key in MODEL_BRANDS and not _needs_brand(_alias):
        MODEL_BRANDS.setdefault(_alias, MODEL_BRANDS[_key])

# Model names that are also everyday words: in a customer's message they name a car only
# when the catalog has parts for it (or after its brand), never from this table alone.
_EVERYDAY_WORDS = frozenset(
    {
        "one", "up", "ka", "city", "express", "view", "king", "song", "seal", "born", "idea", "uno",
        "rush", "edge", "vision", "spirit", "shadow", "century", "element", "hunter", "manager",
        "expert", "master", "partner", "soul", "fit", "nitro", "dart", "golf", "polo", "note",
        "beat", "spark", "escape", "leaf", "han", "tang", "shark", "yuan", "dolphin", "insight"
    }
)  # fmt: skip
# key -> (brand, model as shown) for recognising a car in a customer's words
QUERY_MODELS: dict[str, tuple[str, str]] = {}
for _model in KNOWN_MODELS:
    if _model.key in MODEL_BRANDS and _model.key not in _EVERYDAY_WORDS:
        QUERY_MODELS.setdefault(_model.key, (_model.brand, _model.model))


def canonical_brand(name: str) -> str | None:
    """ "VW" -> "Volkswagen"; None when the brand is unknown."""
    return BRAND_ALIASES.get(normalize(name))


def glue_numbers(text: str) -> str:
    """A short name and its number written together, as model keys have them: "np 300" ->
    "np300" (`text` normalized)."""
    return _glue(text)


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
