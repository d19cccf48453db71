"""WhatsApp-sized Spanish texts: the quote summary and the text sales ticket.

Only facts stored on the quote (its lines, prices, discounts, validity, branch, salesperson);
prices are said to include IVA, as they do, with the desglose (see pricing.py).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from showroom.db.models.sales import Quote, QuoteLine, SalesTicket
from showroom.formatting import date_es, money
from showroom.inventory.branches import branch_label_es
from showroom.sales.quotes.validity import effective_status, last_valid_day, local

MAX_LINES_SHOWN = 5


def percent_es(value: Decimal | str) -> str:
    """`Decimal("5.0000")` -> `"5%"`, `"2.5"` -> `"2.5%"` (the value is already a percent)."""
    number = Decimal(value)
    text = format(number.normalize(), "f")
    return f"{text}%"


def rate_es(fraction: Decimal | str) -> str:
    """`0.16` -> `"16%"`, `0.129` -> `"12.9%"`."""
    return percent_es(Decimal(fraction) * 100)


def day_es(day: date) -> str:
    return date_es(datetime.combine(day, time(12)))


def short_description(line: QuoteLine, limit: int = 90) -> str:
    """The line's name without the details after the first " · " (color, km), cut to
    `limit` characters so the summary fits a WhatsApp caption (1,024)."""
    text = line.description.split(" · ")[0] if line.item_type == "vehicle" else line.description
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def discount_note(kind: str | None, value: Decimal | None, amount: Decimal) -> str:
    if not kind or value is None or not amount:
        return ""
    if kind == "percent":
        return f"{percent_es(value)} de descuento"
    return f"descuento de {money(amount)}"


def line_es(line: QuoteLine) -> str:
    quantity = f"{line.quantity} × " if line.quantity > 1 else ""
    text = f"• {quantity}{short_description(line)}: {money(line.total)}"
    note = discount_note(line.discount_kind, line.discount_value, line.discount_amount)
    return f"{text} ({note})" if note else text


def quote_discount_label(quote: Quote) -> str:
    """`"Descuento (3%)"`; "adicional" when lines have their own discounts too."""
    label = "Descuento adicional" if any(ln.discount_amount for ln in quote.lines) else "Descuento"
    if quote.discount_kind == "percent" and quote.discount_value is not None:
        label += f" ({percent_es(quote.discount_value)})"
    return label


def financing_es(plan: dict[str, Any]) -> str:
    """`Financiamiento: enganche $77,980 MXN y 48 pagos mensuales de $8,508.04 MXN (tasa
    13.9% anual)`."""
    return (
        f"Financiamiento: enganche {money(Decimal(plan['down_payment']))} y "
        f"{plan['months']} pagos mensuales de {money(Decimal(plan['monthly_payment']))} "
        f"(tasa {rate_es(plan['annual_rate'])} anual)"
    )


def iva_breakdown_es(quote: Quote) -> str:
    """`Precio con IVA incluido: subtotal $594,741.38 MXN + IVA 16% $95,158.62 MXN.`"""
    return (
        f"Precio con IVA incluido: subtotal {money(quote.subtotal)} + "
        f"IVA {rate_es(quote.iva_rate)} {money(quote.iva)}."
    )


def quote_summary_es(quote: Quote, now: datetime | None = None) -> str:
    """The short text sent with the PDF: folio, items, total, its IVA desglose, validity."""
    lines = [f"Cotización {quote.folio} · {branch_label_es(quote.branch)}"]
    shown = (
        quote.lines if len(quote.lines) <= MAX_LINES_SHOWN + 1 else quote.lines[:MAX_LINES_SHOWN]
    )
    lines.extend(line_es(line) for line in shown)
    if len(shown) < len(quote.lines):
        lines.append(f"… y {len(quote.lines) - len(shown)} artículos más (ver PDF)")
    if quote.discount_amount:
        lines.append(f"{quote_discount_label(quote)}: -{money(quote.discount_amount)}")
    lines.append(f"Total: {money(quote.total)}")
    lines.append(iva_breakdown_es(quote))
    if quote.financing:
        lines.append(financing_es(quote.financing) + ".")
    status = effective_status(quote, now)
    if status == "expired":
        lines.append("Esta cotización ya venció; pídeme una nueva cuando quieras.")
    elif status == "cancelled":
        lines.append("Esta cotización fue cancelada.")
    elif status == "confirmed":
        number = quote.ticket.number if quote.ticket else ""
        lines.append(f"Venta confirmada{f' (nota {number})' if number else ''}.")
    else:
        lines.append(f"Vigente hasta el {day_es(last_valid_day(quote))}. Sujeta a disponibilidad.")
    if quote.salesperson is not None:
        lines.append(f"Asesor: {quote.salesperson.name}")
    return "\n".join(lines)


def ticket_text_es(ticket: SalesTicket) -> str:
    """The text sales ticket (nota de venta) for the chat or a printer."""
    quote = ticket.quote
    sold = local(quote.branch, ticket.sold_at)
    lines = [
        f"Nota de venta {ticket.number}",
        f"Cotización {quote.folio} · {day_es(sold.date())}, {sold:%H:%M}",
    ]
    lines.extend(line_es(line) for line in quote.lines)
    if quote.discount_amount:
        lines.append(f"{quote_discount_label(quote)}: -{money(quote.discount_amount)}")
    lines.append(f"Subtotal sin IVA: {money(ticket.subtotal)}")
    lines.append(f"IVA {rate_es(quote.iva_rate)}: {money(ticket.iva)}")
    lines.append(f"Total: {money(ticket.total)}")
    if quote.financing:
        lines.append(financing_es(quote.financing) + ".")
    lines.append(f"{branch_label_es(quote.branch)} · Asesor: {ticket.salesperson.name}")
    lines.append("¡Gracias por tu compra!")
    return "\n".join(lines)
