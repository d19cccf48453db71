"""Short Spanish texts about vehicles and searches, for WhatsApp and voice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from showroom.formatting import join_es, km, money
from showroom.inventory.branches import branch_label_es
from showroom.inventory.vocabulary import repeats_brand

if TYPE_CHECKING:
    from showroom.db.models.inventory import Vehicle
    from showroom.inventory.search import VehicleQuery

BODY_TYPE_ES = {
    "sedan": "sedán",
    "hatchback": "hatchback",
    "suv": "SUV",
    "pickup": "pickup",
    "van": "van",
    "coupe": "coupé",
}
TRANSMISSION_ES = {"automatica": "automática", "manual": "manual"}
FUEL_ES = {
    "gasolina": "gasolina",
    "diesel": "diésel",
    "hibrido": "híbrido",
    "electrico": "eléctrico",
}
CONDITION_ES = {"nuevo": "nuevo", "seminuevo": "seminuevo"}
STATUS_ES = {"reserved": "Apartado", "sold": "Vendido"}

RELAXED_ES = {
    "transmission": "cualquier transmisión",
    "fuel": "cualquier combustible",
    "year_min": "cualquier año",
    "condition": "nuevos y seminuevos",
    "body_type": "otros tipos de vehículo",
    "model": "otros modelos",
    "max_price": "un presupuesto hasta 15% mayor",
    "brand": "otras marcas",
}


def _name(brand: str | None, model: str | None) -> str:
    if brand and model:
        return model if repeats_brand(brand, model) else f"{brand} {model}"
    return brand or model or ""


def describe_filters_es(query: VehicleQuery) -> str:
    """`"Toyota Hilux, pickup, diésel, hasta $600,000 MXN"`; empty for an open query."""
    parts = [_name(query.brand, query.model)]
    if query.body_type:
        parts.append(BODY_TYPE_ES.get(query.body_type, query.body_type))
    if query.transmission:
        parts.append(TRANSMISSION_ES.get(query.transmission, query.transmission))
    if query.fuel:
        parts.append(FUEL_ES.get(query.fuel, query.fuel))
    if query.condition:
        parts.append(CONDITION_ES.get(query.condition, query.condition))
    if query.year_min:
        parts.append(f"{query.year_min} o más reciente")
    if query.max_price:
        parts.append(f"hasta {money(query.max_price)}")
    return ", ".join(p for p in parts if p)


# Plural nouns for "No encontré …" and whether they are feminine (la SUV, la pickup, la
# van; el sedán). Without a body type the noun is "autos".
BODY_TYPE_PLURAL_ES: dict[str, tuple[str, bool]] = {
    "sedan": ("sedanes", False),
    "hatchback": ("hatchbacks", False),
    "suv": ("SUVs", True),
    "pickup": ("pickups", True),
    "van": ("vans", True),
    "coupe": ("coupés", False),
}
# (masculine plural, feminine plural); diésel does not change.
TRANSMISSION_PLURAL_ES = {
    "automatica": ("automáticos", "automáticas"),
    "manual": ("manuales", "manuales"),
}
FUEL_PLURAL_ES = {
    "gasolina": ("de gasolina", "de gasolina"),
    "diesel": ("diésel", "diésel"),
    "hibrido": ("híbridos", "híbridas"),
    "electrico": ("eléctricos", "eléctricas"),
}
CONDITION_PLURAL_ES = {
    "nuevo": ("nuevos", "nuevas"),
    "seminuevo": ("seminuevos", "seminuevas"),
}


def describe_wanted_es(query: VehicleQuery) -> str:
    """What the customer asked for as a Spanish noun phrase, for "No encontré …":
    `"sedanes de hasta $200,000 MXN"`, `"pickups Toyota diésel de hasta $600,000 MXN"`,
    `"SUVs automáticas seminuevas del 2022 en adelante"`, `"Mazda 3 automáticos"`;
    empty for an open query. A model's name is its own noun; adjectives then agree with
    "autos" (masculine plural)."""
    name = _name(query.brand, query.model)
    feminine = False
    if query.model:
        words = [name]
    elif query.body_type in BODY_TYPE_PLURAL_ES:
        noun, feminine = BODY_TYPE_PLURAL_ES[query.body_type]
        words = [noun, name]
    elif query.body_type:
        words = [query.body_type, name]
    else:
        words = ["autos", name]
    for value, forms in (
        (query.condition, CONDITION_PLURAL_ES),
        (query.transmission, TRANSMISSION_PLURAL_ES),
        (query.fuel, FUEL_PLURAL_ES),
    ):
        if value:
            pair = forms.get(value)
            words.append(pair[int(feminine)] if pair else value)
    if query.year_min:
        words.append(f"del {query.year_min} en adelante")
    if query.max_price:
        words.append(f"de hasta {money(query.max_price)}")
    phrase = " ".join(word for word in words if word)
    return "" if phrase == "autos" else phrase


def describe_relaxed_es(names: list[str]) -> str:
    """`["fuel", "max_price"]` -> `"cualquier combustible y un presupuesto hasta 15% mayor"`."""
    return join_es([RELAXED_ES.get(name, name) for name in names])


def vehicle_card_es(vehicle: Vehicle) -> str:
    """One WhatsApp-sized card:

    Toyota Hilux 2024 · SR Diésel 4x4
    0 km · Automática · Diésel
    $689,900 MXN · Sucursal Monterrey Valle
    """
    first = vehicle.title + (f" · {vehicle.version}" if vehicle.version else "")
    second = " · ".join(
        [
            km(vehicle.mileage_km),
            TRANSMISSION_ES.get(vehicle.transmission, vehicle.transmission).capitalize(),
            FUEL_ES.get(vehicle.fuel, vehicle.fuel).capitalize(),
        ]
    )
    third = money(vehicle.price_mxn)
    branch = vehicle.branch
    if branch is not None:
        third += f" · {branch_label_es(branch)}"
    if vehicle.status in STATUS_ES:
        third += f" · {STATUS_ES[vehicle.status]}"
    return f"{first}\n{second}\n{third}"
