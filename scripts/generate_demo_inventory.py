"""Write the demo data: demo/branches.csv and demo/vehicles.csv (deterministic).

    .venv/bin/python scripts/generate_demo_inventory.py            # rewrite the files
    .venv/bin/python scripts/generate_demo_inventory.py --check    # exit 1 if they differ

Vehicles come from the Mexican-market catalog in scripts/demo_catalog.py: new units (0 km,
model years 2025-2026) at list price, and seminuevos (2017-2024) priced from the list price
with inflation, age, mileage and resale-value adjustments typical of the Mexican market.
Phone numbers are fictitious (subscriber part 000 0xxx) but valid E.164; photo URLs point at
a demo CDN.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_catalog import CATALOG, NOW, Model, Version

from showroom.inventory import branch_import, vehicle_import

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"
SEED = 20261122
LAST_USED_YEAR = 2024
CDN = "https://cdn.showroom-demo.mx/vehicles"

BRANCH_COLUMNS = [*branch_import.COLUMNS, *branch_import.OPTIONAL_COLUMNS]
BRANCHES = [
    {
        "code": "MTY",
        "name": "Monterrey Valle",
        "city": "Monterrey",
        "address": "Av. Constitución 1500 Pte., Centro, 64000 Monterrey, N.L.",
        "whatsapp_number": "+528100000101",
        "voice_number": "+528100000102",
        "timezone": "America/Monterrey",
        "opening_hours": "lun-vie 09:00-19:00; sab 10:00-15:00",
        "annual_rate": "0.129",
        "iva_rate": "",
        "max_bot_discount": "0.03",
        "commission_rate": "0.01",
    },
    {
        "code": "CDMX",
        "name": "CDMX Insurgentes",
        "city": "Ciudad de México",
        "address": "Av. Insurgentes Sur 1800, Col. Florida, Álvaro Obregón, 01030 CDMX",
        "whatsapp_number": "+525500000201",
        "voice_number": "+525500000202",
        "timezone": "America/Mexico_City",
        "opening_hours": "lun-sab 10:00-20:00; dom 11:00-17:00",
        "annual_rate": "0.139",
        "iva_rate": "",
        "max_bot_discount": "0.05",
        "commission_rate": "0.012",
    },
    {
        "code": "TIJ",
        "name": "Tijuana Agua Caliente",
        "city": "Tijuana",
        "address": "Blvd. Agua Caliente 10500, Col. Aviación, 22014 Tijuana, B.C.",
        "whatsapp_number": "+526640000301",
        "voice_number": "+526640000302",
        "timezone": "America/Tijuana",
        "opening_hours": "lun-vie 09:00-18:00; sab 09:00-14:00",
        "annual_rate": "0.149",
        "iva_rate": "0.08",  # región fronteriza norte
        "max_bot_discount": "0.03",
        "commission_rate": "0.01",
    },
    {
        "code": "CUN",
        "name": "Cancún Bonampak",
        "city": "Cancún",
        "address": "Av. Bonampak 200, SM 4, 77500 Cancún, Q. Roo",
        "whatsapp_number": "+529980000401",
        "voice_number": "+529980000402",
        "timezone": "America/Cancun",
        "opening_hours": "lun-vie 09:00-14:00, 16:00-20:00; sab 10:00-14:00; dom cerrado",
        "annual_rate": "0.145",
        "iva_rate": "",
        "max_bot_discount": "0.02",
        "commission_rate": "",
    },
]
BRANCH_WEIGHTS = {"MTY": 30, "CDMX": 35, "TIJ": 15, "CUN": 20}
POPULAR = {
    "Versa", "Sentra", "March", "Aveo", "Onix", "Tracker", "Jetta", "Virtus", "Hilux",
    "NP300", "Corolla", "Kicks", "CR-V", "RAV4", "Ranger", "Mazda 3", "Seltos", "Tiguan",
}  # fmt: skip
COLORS = [
    ("Blanco", 26), ("Gris Oxford", 16), ("Plata", 16), ("Negro", 14), ("Rojo", 9),
    ("Azul Marino", 8), ("Gris Acero", 6), ("Arena", 3), ("Verde Militar", 2),
]  # fmt: skip
VEHICLE_COLUMNS = list(vehicle_import.COLUMNS)  # the optional `status` is left out
BODY_ES = {
    "sedan": "Sedán cómodo y económico para la ciudad.",
    "hatchback": "Hatchback ágil y fácil de estacionar.",
    "suv": "SUV con espacio para toda la familia.",
    "pickup": "Pickup lista para el trabajo y la carretera.",
    "van": "Espacio de sobra para la familia o tu negocio.",
    "coupe": "Deportivo para disfrutar cada curva.",
}
TRANSMISSION_ES = {"automatica": "automática", "manual": "manual"}
FUEL_ES = {
    "gasolina": "motor a gasolina",
    "diesel": "motor diésel",
    "hibrido": "motor híbrido de bajo consumo",
    "electrico": "100% eléctrico",
}
# Resale value: pickups and some brands hold their price better in Mexico.
RETENTION = {"pickup": 1.15}
BRAND_RETENTION = {"Toyota": 1.08, "Honda": 1.06, "Mazda": 1.05}


def brand_price(value: float, reference: int) -> int:
    """Round like the brand does: ...,900 / ...,990 / ...,800 (from the reference price)."""
    ending = reference % 1000 or 1000
    return max(1000, round(value / 1000) * 1000) - (1000 - ending)


def used_price(model: Model, version: Version, year: int, mileage: int) -> int:
    age = NOW - year
    when_new = version.price_2025 * 0.97 ** max(0, 2025 - year)  # it cost less back then
    value = when_new * 0.92 * 0.94 ** (age - 1)
    expected = 15_000 * age
    value *= 1 - max(-0.08, min(0.08, 0.1 * (mileage - expected) / expected))
    value *= RETENTION.get(model.body_type, 1.0) * BRAND_RETENTION.get(model.brand, 1.0)
    value = min(value, when_new * 0.9)  # a used unit never costs what a new one did
    return round(value / 1000) * 1000 - 100


def description(model: Model, version: Version, year: int, new: bool, color: str, km: int) -> str:
    name = model.model if model.model.startswith(model.brand) else f"{model.brand} {model.model}"
    drive = f"Transmisión {TRANSMISSION_ES[version.transmission]}, {FUEL_ES[version.fuel]}."
    if new:
        return (
            f"{name} {version.name} {year} nuevo, 0 km, color {color.lower()}. "
            f"{BODY_ES[model.body_type]} {drive} "
            "Pregunta por nuestros planes de financiamiento; recibimos tu auto a cuenta."
        )
    return (
        f"{name} {version.name} {year} seminuevo con {km:,} km, color {color.lower()}. "
        f"{BODY_ES[model.body_type]} {drive} "
        "Unidad revisada por nuestro taller; pregunta por su historial de servicio."
    )


def _units(rng: random.Random) -> list[tuple[Model, Version, int, bool]]:
    units = []
    for model in CATALOG:
        current = [v for v in model.versions if v.years[1] >= 2025]
        used = [v for v in model.versions if v.years[0] <= LAST_USED_YEAR]
        extra = 1 if model.model in POPULAR else 0
        for _ in range((1 + extra) if current else 0):
            version = rng.choice(current)
            year = NOW if version.years[1] >= NOW and rng.random() > 0.15 else 2025
            units.append((model, version, year, True))
        for _ in range((rng.choice((1, 1, 2)) + extra) if used else 0):
            version = rng.choice(used)
            first = max(version.years[0], 2017)
            last = min(version.years[1], LAST_USED_YEAR)
            units.append((model, version, rng.randint(first, last), False))
    return units


def vehicles_rows() -> list[dict[str, str]]:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    codes = list(BRANCH_WEIGHTS)
    sequence = dict.fromkeys(codes, 0)
    rows = []
    for model, version, year, new in _units(rng):
        branch = rng.choices(codes, weights=list(BRANCH_WEIGHTS.values()))[0]
        sequence[branch] += 1
        stock_id = f"{branch}-{sequence[branch]:04d}"
        color = rng.choices([c for c, _ in COLORS], weights=[w for _, w in COLORS])[0]
        if new:
            mileage = rng.choice((0, 0, 0, 5, 10))
            price = version.price_2025
            if year == NOW:
                price = brand_price(price * 1.04, version.price_2025)
        else:
            age = NOW - year
            mileage = round(rng.randint(9_000, 21_000) * age, -2)
            price = used_price(model, version, year, mileage)
        photos = [f"{CDN}/{stock_id}/{n}.jpg" for n in range(1, rng.randint(3, 6) + 1)]
        rows.append(
            {
                "stock_id": stock_id,
                "branch": branch,
                "brand": model.brand,
                "model": model.model,
                "version": version.name,
                "year": str(year),
                "condition": "nuevo" if new else "seminuevo",
                "body_type": model.body_type,
                "transmission": version.transmission,
                "fuel": version.fuel,
                "color": color,
                "mileage_km": str(mileage),
                "price_mxn": str(price),
                "photo_urls": "|".join(photos),
                "description": description(model, version, year, new, color, mileage),
            }
        )
    rows.sort(key=lambda r: (r["branch"], r["stock_id"]))
    return rows


def to_csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def outputs() -> dict[Path, str]:
    return {
        DEMO / "branches.csv": to_csv(BRANCH_COLUMNS, BRANCHES),
        DEMO / "vehicles.csv": to_csv(VEHICLE_COLUMNS, vehicles_rows()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    args = parser.parse_args()
    stale = []
    for path, text in outputs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("stale: " + ", ".join(str(p.relative_to(ROOT)) for p in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
