"""Customer-facing text for parts (es-MX, WhatsApp-short). Only catalog facts."""

from __future__ import annotations

from decimal import Decimal

from showroom.db.models.parts import Part


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


def part_card_es(part: Part) -> str:
    """`Balatas delanteras Brembo · SKU BR-1234` / `$689 MXN · 12 en existencia`.

    The branch is added when the part belongs to one (catalog-wide parts have none).
    """
    second = f"{money_mxn(part.price_mxn)} · {stock_es(part.stock)}"
    if part.branch is not None:
        name = part.branch.name
        second += f" · {name if name.lower().startswith('sucursal') else 'Sucursal ' + name}"
    return f"{part_title_es(part)} · SKU {part.sku}\n{second}"


def part_fits_es(part: Part, limit: int = 3) -> str:
    """`Para Nissan Tsuru 1992-2017, Nissan Sentra 1995-1999 y 2 más` (empty if unknown)."""
    if part.universal and not part.fitments:
        return "Universal"
    labels = [f.label for f in part.fitments]
    if not labels:
        return ""
    text = ", ".join(labels[:limit])
    if len(labels) > limit:
        text += f" y {len(labels) - limit} más"
    return f"Para {text}"


def first_image(part: Part) -> str | None:
    return part.first_image
