"""Generate the demo parts catalog: ~10,000 products, deterministic (same seed, same file).

The records follow the import contract exactly (`sku`, `titulo`, `categoria`, `precio`,
`stock`, `marca`, `compatibilidad`, `imagen_1`...), so the demo goes through the real
importer. `scripts/generate_demo_parts.py` writes them to demo/parts.jsonl.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from showroom.inventory.parts.demo_data import (
    ECONOMY,
    PART_TYPES,
    PLATFORMS,
    PREMIUM,
    SHORT_NAMES,
    TRUCKS,
    UNIVERSAL_TYPES,
    PartType,
    Vehicle,
)

SEED = 20260422
IMAGE_BASE = "https://cdn.showroom-demo.mx/parts"
CURRENT_YEAR = 2024  # the demo's "today": fixed so the file never changes by itself


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.numbers: Counter[str] = Counter()

    def sku(self, prefix: str) -> str:
        self.numbers[prefix] += 1
        return f"{prefix}-{10000 + self.numbers[prefix] * 7:05d}"

    def price(self, low: int, high: int, brand: str, truck: bool) -> float:
        value = self.rng.uniform(low, high)
        if brand in PREMIUM:
            value *= 1.25
        elif brand in ECONOMY:
            value *= 0.8
        if truck:
            value *= 1.3
        if value < 200:
            return round(value) - 0.5 if self.rng.random() < 0.2 else float(round(value))
        return float(int(value / 10) * 10 + 9)  # $689, $1,249

    def stock(self) -> int:
        if self.rng.random() < 0.14:
            return 0
        return min(50, 1 + int(self.rng.expovariate(1 / 9)))

    def images(self, sku: str) -> dict[str, str]:
        roll = self.rng.random()
        count = 10 if roll < 0.02 else self.rng.choice([1, 1, 2, 2, 3, 3, 3, 4, 5])
        return {f"imagen_{n}": f"{IMAGE_BASE}/{sku}/{n}.jpg" for n in range(1, count + 1)}

    def compat(self, vehicle: Vehicle, years: tuple[int, int]) -> str:
        brand, model, _, _ = vehicle
        first, last = years
        roll = self.rng.random()
        if brand == "Volkswagen" and roll < 0.3:
            brand = "VW"
        if last >= CURRENT_YEAR and roll > 0.85:
            return f"{brand} {model} {first}+"
        if first == last:
            return f"{brand} {model} {first}"
        return f"{brand} {model} {first}-{last}"


def _year_spans(vehicle: Vehicle, rng: random.Random) -> list[tuple[int, int]]:
    """Usually the whole generation; sometimes split in two (a mid-cycle change)."""
    _, _, first, last = vehicle
    if last - first >= 6 and rng.random() < 0.5:
        middle = rng.randint(first + 2, last - 3)
        return [(first, middle), (middle + 1, last)]
    return [(first, last)]


def _title(
    kind: PartType,
    position: str,
    brand: str,
    line: str,
    main: Vehicle,
    span: tuple[int, int],
    rng: random.Random,
) -> str:
    words = [kind.name, position, brand, line]
    if rng.random() < 0.35:
        model = SHORT_NAMES.get(main[1], main[1])
        words.append(f"para {model} {str(span[0])[-2:]}-{str(span[1])[-2:]}")
    return " ".join(w for w in words if w)


def _vehicle_records(gen: _Generator) -> Iterator[dict[str, Any]]:
    rng = gen.rng
    for kind in PART_TYPES:
        for group in PLATFORMS:
            main = group[0]
            if main[3] < kind.min_year:
                continue
            for position in kind.positions:
                for span in _year_spans(main, rng):
                    low, high = kind.brands_per_vehicle
                    brands = rng.sample(
                        sorted(kind.brands), min(rng.randint(low, high + 1), len(kind.brands))
                    )
                    for brand in sorted(brands):
                        line = rng.choice(kind.brands[brand])
                        sku = gen.sku(kind.prefix)
                        fits = [gen.compat(main, span)]
                        fits += [
                            gen.compat(v, (v[2], v[3])) for v in group[1:] if rng.random() < 0.75
                        ]
                        truck = main[1] in TRUCKS
                        yield {
                            "sku": sku,
                            "titulo": _title(kind, position, brand, line, main, span, rng),
                            "categoria": kind.category,
                            "precio": gen.price(*kind.price, brand, truck),
                            "stock": gen.stock(),
                            "marca": brand,
                            "compatibilidad": fits,
                            **gen.images(sku),
                        }


def _universal_records(gen: _Generator) -> Iterator[dict[str, Any]]:
    rng = gen.rng
    for kind in UNIVERSAL_TYPES:
        for brand in sorted(kind.brands):
            for variant in kind.variants:
                for size, factor in kind.sizes:
                    line = rng.choice(kind.brands[brand])
                    sku = gen.sku(kind.prefix)
                    title = " ".join(w for w in (kind.name, brand, line, variant, size) if w)
                    yield {
                        "sku": sku,
                        "titulo": title,
                        "categoria": kind.category,
                        "precio": gen.price(
                            int(kind.price[0] * factor), int(kind.price[1] * factor), brand, False
                        ),
                        "stock": gen.stock(),
                        "marca": brand,
                        "compatibilidad": ["Universal"],
                        **gen.images(sku),
                    }


def generate(seed: int = SEED) -> list[dict[str, Any]]:
    """The demo catalog's records, in SKU-generation order."""
    gen = _Generator(seed)
    return [*_vehicle_records(gen), *_universal_records(gen)]


def dumps(records: list[dict[str, Any]]) -> str:
    """JSON Lines, UTF-8 text, one product per line."""
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)


def write(path: Path, seed: int = SEED) -> int:
    records = generate(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(records), encoding="utf-8")
    return len(records)
