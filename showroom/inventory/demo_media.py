"""The demo's photos: placeholder pictures the web app serves itself.

The committed demo files carry made-up CDN addresses (the shape a dealer's export has).
Nothing answers there, so `showroom demo load` imports rewritten copies whose photos point
at the web app's own /static/demo/ pictures (scripts/demo_images.py draws them): one per
body type, one per parts category, each marked "Imagen ilustrativa".
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from showroom.inventory.parts.rows import MAX_IMAGES
from showroom.inventory.vocabulary import fold

VEHICLE_BODY_TYPES = ("sedan", "hatchback", "suv", "pickup", "van", "coupe")
PART_CATEGORIES = (
    "Accesorios",
    "Carrocería",
    "Clutch",
    "Combustible",
    "Dirección",
    "Eléctrico",
    "Encendido",
    "Enfriamiento",
    "Escape",
    "Filtros",
    "Frenos",
    "Iluminación",
    "Lubricantes",
    "Motor",
    "Sensores",
    "Suspensión",
    "Transmisión",
)
STATIC_PREFIX = "/static/demo"
_IMAGE_FIELDS = tuple(f"imagen_{n}" for n in range(1, MAX_IMAGES + 1))


def slug(text: str) -> str:
    """'Suspensión' -> 'suspension' (file names without accents or spaces)."""
    return fold(text).replace(" ", "-")


_KNOWN_PART_SLUGS = frozenset(slug(c) for c in PART_CATEGORIES)


def vehicle_photo_url(base_url: str, body_type: str) -> str:
    kind = body_type if body_type in VEHICLE_BODY_TYPES else "sedan"
    return f"{base_url.rstrip('/')}{STATIC_PREFIX}/vehicle-{kind}.png"


def part_photo_url(base_url: str, category: str) -> str:
    name = slug(category)
    name = name if name in _KNOWN_PART_SLUGS else "refaccion"
    return f"{base_url.rstrip('/')}{STATIC_PREFIX}/part-{name}.png"


def localize_vehicles(source: Path, target: Path, base_url: str) -> None:
    """Copy a vehicles CSV with each row's photos replaced by its body type's picture."""
    with source.open(encoding="utf-8-sig", newline="") as src:
        reader = csv.DictReader(src)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    for row in rows:
        row["photo_urls"] = vehicle_photo_url(base_url, (row.get("body_type") or "").strip())
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def localize_parts(source: Path, target: Path, base_url: str) -> None:
    """Copy a parts JSON Lines file with each product's images replaced by one picture."""
    with source.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as out:
        for line in src:
            if not line.strip():
                continue
            item = json.loads(line)
            for field in _IMAGE_FIELDS:
                item.pop(field, None)
            item["imagen_1"] = part_photo_url(base_url, str(item.get("categoria") or ""))
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
