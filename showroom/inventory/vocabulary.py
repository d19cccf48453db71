"""Canonical vehicle vocabulary: text keys, brand spellings and attribute values.

Customers, NLU entities and dealers' import files spell the same thing many ways
("Automática", "CVT", "estándar"; "VW", "volks"; "CR-V", "crv"). Everything that compares
names goes through `text_key` or `canonical_value`, so the importer, the search and the
free-text matcher agree on what "the same" means.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, accents removed, whitespace collapsed: `" Cancún  "` -> `"cancun"`."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


@lru_cache(maxsize=8192)  # importers and searches ask for the same few values again and again
def text_key(text: str) -> str:
    """Comparison key: folded and without separators (`"CR-V"`, `"cr v"` -> `"crv"`)."""
    return _NON_ALNUM.sub("", fold(text))


def repeats_brand(brand: str, model: str) -> bool:
    """True when the model name starts with the brand as a word: "Mazda 3", "Mazda3", "MG5".

    "RAM" / "Rampage" is not a repetition: the brand must be followed by a separator, a digit
    or nothing else.
    """
    brand_f, model_f = fold(brand), fold(model)
    if not brand_f or not model_f.startswith(brand_f) or len(model_f) == len(brand_f):
        return False
    following = model_f[len(brand_f)]
    return not following.isalpha()


def model_key(brand: str, model: str) -> str:
    """Key of a model name without a leading brand (`"Mazda", "Mazda 3"` -> `"3"`).

    Dealers write both "Mazda 3" and "3"; with the brand stripped both end up equal.
    """
    if repeats_brand(brand, model):
        return text_key(fold(model)[len(fold(brand)) :])
    return text_key(model)


# ----------------------------------------------------------------------------- brands
# Canonical spelling of brands sold in Mexico, and the other ways people write them.
# "Chevy" is also the name of a Chevrolet model sold in Mexico until 2012; seminuevos of the
# 2017+ market never carry it, so it is read as the brand (a dealer that stocks a model called
# "Chevy" still gets it matched as a model by `text_match`, which checks models first).
BRAND_ALIASES: dict[str, tuple[str, ...]] = {
    "Acura": (),
    "Alfa Romeo": ("alfa",),
    "Audi": (),
    "BAIC": (),
    "BMW": ("bmv", "bemeuve"),
    "Buick": (),
    "BYD": (),
    "Cadillac": (),
    "Changan": (),
    "Chevrolet": ("chevy", "chevrolé", "chevrolet", "chebrolet"),
    "Chirey": ("chery",),
    "Chrysler": (),
    "Citroën": ("citroen",),
    "Cupra": (),
    "Dodge": (),
    "Fiat": (),
    "Ford": (),
    "GAC": (),
    "GMC": (),
    "Geely": (),
    "GWM": ("great wall",),
    "Honda": (),
    "Hyundai": ("hyunday", "hiunday", "hiundai"),
    "Infiniti": (),
    "Isuzu": (),
    "JAC": (),
    "Jaguar": (),
    "Jeep": (),
    "Jetour": (),
    "Kia": (),
    "Land Rover": (),
    "Lexus": (),
    "Lincoln": (),
    "Mazda": (),
    "Mercedes-Benz": ("mercedes", "mercedes benz", "benz"),
    "MG": (),
    "MINI": (),
    "Mitsubishi": (),
    "Nissan": (),
    "Omoda": (),
    "Peugeot": ("peugot", "pegeot"),
    "Porsche": (),
    "RAM": (),
    "Renault": (),
    "SEAT": (),
    "Subaru": (),
    "Suzuki": (),
    "Tesla": (),
    "Toyota": (),
    "Volkswagen": ("vw", "volks", "volkswagen", "wolkswagen", "volkwagen", "volskwagen"),
    "Volvo": (),
}

_BRAND_BY_KEY: dict[str, str] = {}
for _brand, _aliases in BRAND_ALIASES.items():
    for _spelling in (_brand, *_aliases):
        _BRAND_BY_KEY.setdefault(text_key(_spelling), _brand)


def canonical_brand(name: str) -> str:
    """Known brands get their canonical spelling (`"VW"` -> `"Volkswagen"`); others stay."""
    cleaned = " ".join(name.split())
    return _BRAND_BY_KEY.get(text_key(cleaned), cleaned)


def brand_aliases(brand: str) -> tuple[str, ...]:
    """Other spellings of a known brand (empty for brands this table does not know)."""
    return BRAND_ALIASES.get(canonical_brand(brand), ())


# ----------------------------------------------------------------------------- attributes
BODY_TYPES = ("sedan", "hatchback", "suv", "pickup", "van", "coupe")
TRANSMISSIONS = ("automatica", "manual")
FUELS = ("gasolina", "diesel", "hibrido", "electrico")
CONDITIONS = ("nuevo", "seminuevo")
STATUSES = ("available", "reserved", "sold")

_ALIASES: dict[str, dict[str, str]] = {
    "body_type": {
        "sedan": "sedan",
        "hatchback": "hatchback",
        "hatch": "hatchback",
        "hb": "hatchback",
        "suv": "suv",
        "crossover": "suv",
        "todoterreno": "suv",
        "camioneta": "suv",  # in Mexico (same decision as data/nlu/synonyms.yml)
        "pickup": "pickup",
        "pickups": "pickup",
        "troca": "pickup",
        "doblecabina": "pickup",
        "camionetadecarga": "pickup",
        "van": "van",
        "minivan": "van",
        "camionetadepasajeros": "van",
        "coupe": "coupe",
        "cupe": "coupe",
        "deportivo": "coupe",
    },
    "transmission": {
        "automatica": "automatica",
        "automatico": "automatica",
        "automatic": "automatica",
        "aut": "automatica",
        "auto": "automatica",
        "at": "automatica",
        "ta": "automatica",
        "cvt": "automatica",
        "dct": "automatica",
        "dsg": "automatica",
        "ivt": "automatica",
        "tiptronic": "automatica",
        "manual": "manual",
        "estandar": "manual",
        "std": "manual",
        "mt": "manual",
        "tm": "manual",
    },
    "fuel": {
        "gasolina": "gasolina",
        "gas": "gasolina",
        "nafta": "gasolina",
        "diesel": "diesel",
        "disel": "diesel",
        "hibrido": "hibrido",
        "hibrida": "hibrido",
        "hybrid": "hibrido",
        "hev": "hibrido",
        "phev": "hibrido",
        "hibridoenchufable": "hibrido",
        "electrico": "electrico",
        "electrica": "electrico",
        "electric": "electrico",
        "ev": "electrico",
    },
    "condition": {
        "nuevo": "nuevo",
        "nueva": "nuevo",
        "nuevos": "nuevo",
        "0km": "nuevo",
        "new": "nuevo",
        "seminuevo": "seminuevo",
        "seminueva": "seminuevo",
        "seminuevos": "seminuevo",
        "usado": "seminuevo",
        "usada": "seminuevo",
        "used": "seminuevo",
    },
    "status": {
        "available": "available",
        "disponible": "available",
        "reserved": "reserved",
        "apartado": "reserved",
        "reservado": "reserved",
        "sold": "sold",
        "vendido": "sold",
    },
}


def canonical_value(field: str, value: str | None) -> str | None:
    """`canonical_value("fuel", "Diésel")` -> `"diesel"`; None for unknown or empty values.

    `field` is one of body_type, transmission, fuel, condition, status.
    """
    if value is None:
        return None
    return _ALIASES[field].get(text_key(value))


def allowed_values(field: str) -> tuple[str, ...]:
    return {
        "body_type": BODY_TYPES,
        "transmission": TRANSMISSIONS,
        "fuel": FUELS,
        "condition": CONDITIONS,
        "status": STATUSES,
    }[field]
