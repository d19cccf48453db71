"""The quote and the sales ticket as PDF (fpdf2), in Spanish, with the branch's details.

A Unicode TrueType font (DejaVu Sans, Debian's fonts-dejavu-core) is embedded so accents,
"ñ", "¿" and "×" render. The customer's phone is masked: the file travels through URLs.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from showroom.db.models.inventory import Branch
from showroom.db.models.sales import Quote, SalesTicket
from showroom.formatting import hours_es, phone_es
from showroom.inventory.branches import branch_hours, branch_label_es
from showroom.privacy import mask_phone
from showroom.sales.quotes.summary import (
    day_es,
    discount_note,
    quote_discount_label,
    rate_es,
)
from showroom.sales.quotes.validity import effective_status, last_valid_day, local

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
FONT = "DejaVu"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (13, 71, 161)
STATUS_ES = {"expired": "VENCIDA", "cancelled": "CANCELADA"}


class FontMissing(RuntimeError):  # noqa: N818 - reads as what happened
    """DejaVu Sans is not installed (Debian: fonts-dejavu-core; see scripts/system-deps.sh)."""


@lru_cache(maxsize=4)
def font_file(name: str) -> Path:
    for folder in FONT_DIRS:
        path = folder / name
        if path.is_file():
            return path
    raise FontMissing(f"{name} not found in {', '.join(map(str, FONT_DIRS))}")


def amount(value: Decimal) -> str:
    """Document style: always centavos, `$389,900.00`."""
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(Decimal(value)):,.2f}"


@dataclass(frozen=True)
class Heading:
    title: str  # COTIZACIÓN | NOTA DE VENTA
    number: str
    facts: list[tuple[str, str]]  # (label, value) under the title


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_text} · Página {self.page_no()} de {{nb}}", align="C")


def _new_pdf(branch: Branch, heading: Heading, created: datetime) -> _Pdf:
    pdf = _Pdf(format="Letter", unit="mm")
    pdf.add_font(FONT, "", str(font_file("DejaVuSans.ttf")))
    pdf.add_font(FONT, "B", str(font_file("DejaVuSans-Bold.ttf")))
    pdf.set_creation_date(created)
    pdf.set_title(f"{heading.title.capitalize()} {heading.number}")
    pdf.set_author(branch.name)
    pdf.set_lang("es-MX")
    pdf.footer_text = f"{heading.title.capitalize()} {heading.number} · {branch.name}"
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    return pdf


def _write(pdf: FPDF, text: str, size: float = 9, bold: bool = False, color: Any = INK) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _branch_block(pdf: FPDF, branch: Branch) -> None:
    _write(pdf, branch_label_es(branch), 15, bold=True, color=ACCENT)
    _write(pdf, f"{branch.address}, {branch.city}", 8.5, color=MUTED)
    contact = []
    if branch.voice_number:
        contact.append(f"Tel. {phone_es(branch.voice_number)}")
    if branch.whatsapp_number:
        contact.append(f"WhatsApp {phone_es(branch.whatsapp_number)}")
    with contextlib.suppress(ValueError):  # hours were validated at import
        contact.append(f"Horario: {hours_es(branch_hours(branch))}")
    if contact:
        _write(pdf, " · ".join(contact), 8.5, color=MUTED)
    pdf.ln(3)


def _heading_block(pdf: FPDF, heading: Heading) -> None:
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2.5)
    _write(pdf, f"{heading.title} {heading.number}", 13, bold=True)
    for label, value in heading.facts:
        pdf.set_font(FONT, "B", 9)
        pdf.set_text_color(*INK)
        pdf.cell(34, 5, label)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _lines_table(pdf: FPDF, quote: Quote) -> None:
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.2)
    headings = ("#", "Descripción", "Cant.", "Precio unitario", "Descuento", "Importe")
    with pdf.table(
        col_widths=(7, 83, 12, 28, 26, 28),
        text_align=("RIGHT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=4.6,
        padding=1.2,
        headings_style=_heading_style(),
    ) as table:
        table.row(headings)
        for line in quote.lines:
            note = discount_note(line.discount_kind, line.discount_value, line.discount_amount)
            discount = f"-{amount(line.discount_amount)}" if line.discount_amount else "—"
            if note and line.discount_kind == "percent":
                discount += f"\n({note.split(' ')[0]})"
            table.row(
                (
                    str(line.position),
                    line.description,
                    str(line.quantity),
                    amount(line.unit_price),
                    discount,
                    amount(line.total),
                )
            )
    pdf.ln(3)


def _heading_style() -> FontFace:
    return FontFace(emphasis="BOLD", fill_color=(232, 238, 247), color=INK)


def _totals_block(pdf: FPDF, quote: Quote) -> None:
    rows: list[tuple[str, str, bool]] = [("Precio de lista", amount(quote.list_total), False)]
    line_discounts = Decimal(quote.discount_total) - Decimal(quote.discount_amount)
    if line_discounts:
        rows.append(("Descuentos por artículo", f"-{amount(line_discounts)}", False))
    if quote.discount_amount:
        rows.append((quote_discount_label(quote), f"-{amount(quote.discount_amount)}", False))
    rows.append(("Total, precio con IVA incluido", amount(quote.total), True))
    rows.append(("Subtotal sin IVA", amount(quote.subtotal), False))
    rows.append((f"IVA {rate_es(quote.iva_rate)}", amount(quote.iva), False))
    for label, value, bold in rows:
        pdf.set_font(FONT, "B" if bold else "", 10 if bold else 9)
        pdf.set_text_color(*INK)
        pdf.set_x(pdf.w - pdf.r_margin - 120)
        pdf.cell(85, 6, label, align="R")
        pdf.cell(35, 6, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _financing_block(pdf: FPDF, plan: dict[str, Any]) -> None:
    _write(pdf, "Financiamiento (simulación)", 10, bold=True, color=ACCENT)
    facts = [
        ("Precio", amount(Decimal(plan["price"]))),
        ("Enganche", amount(Decimal(plan["down_payment"]))),
        ("Monto a financiar", amount(Decimal(plan["financed"]))),
        ("Plazo", f"{plan['months']} meses"),
        ("Tasa anual", rate_es(plan["annual_rate"])),
        ("Pago mensual", amount(Decimal(plan["monthly_payment"]))),
        ("Total a pagar", amount(Decimal(plan["total_paid"]))),
    ]
    for label, value in facts:
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*INK)
        pdf.cell(40, 5, label)
        pdf.cell(40, 5, value, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _write(
        pdf,
        "Simulación informativa con pagos fijos mensuales; sujeta a aprobación de crédito.",
        7.5,
        color=MUTED,
    )
    pdf.ln(2)


def _notes(pdf: FPDF, texts: list[str]) -> None:
    for text in texts:
        _write(pdf, text, 8, color=MUTED)


def _customer_facts(quote: Quote) -> list[tuple[str, str]]:
    facts = []
    if quote.customer is not None:
        who = quote.customer.name or "Cliente"
        if quote.customer.phone:
            who += f" · {mask_phone(quote.customer.phone)}"
        facts.append(("Cliente", who))
    if quote.salesperson is not None:
        seller = [quote.salesperson.name]
        if quote.salesperson.phone:
            seller.append(phone_es(quote.salesperson.phone))
        if quote.salesperson.email:
            seller.append(quote.salesperson.email)
        facts.append(("Asesor", " · ".join(seller)))
    return facts


def _document(quote: Quote, heading: Heading, when: datetime, notes: list[str]) -> bytes:
    """A quote or ticket PDF: branch, heading, lines, totals, financing, notes."""
    pdf = _new_pdf(quote.branch, heading, when)
    _branch_block(pdf, quote.branch)
    _heading_block(pdf, heading)
    _lines_table(pdf, quote)
    _totals_block(pdf, quote)
    if quote.financing:
        _financing_block(pdf, quote.financing)
    _notes(pdf, notes)
    return bytes(pdf.output())


def quote_pdf(quote: Quote, now: datetime | None = None) -> bytes:
    """The quote as a PDF: branch, folio, dates, customer, lines, totals with the IVA
    desglose, financing when attached, and the conditions."""
    created = local(quote.branch, quote.created_at)
    status = effective_status(quote, now)
    facts = [
        ("Fecha", f"{day_es(created.date())} de {created.year}"),
        ("Vigente hasta", f"{day_es(last_valid_day(quote))} de {last_valid_day(quote).year}"),
    ]
    if status in STATUS_ES:
        facts.append(("Estado", STATUS_ES[status]))
    if status == "confirmed" and quote.ticket is not None:
        facts.append(("Nota de venta", quote.ticket.number))
    facts.extend(_customer_facts(quote))
    return _document(
        quote,
        Heading("COTIZACIÓN", quote.folio, facts),
        quote.created_at,
        [
            "Precios en pesos mexicanos (MXN) con IVA incluido.",
            f"Cotización válida hasta el {day_es(last_valid_day(quote))} "
            f"(hora de {quote.branch.city}), "
            "sujeta a disponibilidad de inventario al confirmar la compra.",
            "Este documento no es un comprobante fiscal.",
        ],
    )


def ticket_pdf(ticket: SalesTicket) -> bytes:
    """The sales ticket (nota de venta) as a PDF."""
    quote = ticket.quote
    sold = local(quote.branch, ticket.sold_at)
    facts = [
        ("Fecha", f"{day_es(sold.date())} de {sold.year}, {sold:%H:%M}"),
        ("Cotización", quote.folio),
        *_customer_facts(quote),
    ]
    if quote.salesperson is None or quote.salesperson.id != ticket.salesperson_id:
        facts.append(("Asesor", ticket.salesperson.name))
    return _document(
        quote,
        Heading("NOTA DE VENTA", ticket.number, facts),
        ticket.sold_at,
        [
            "Importes en pesos mexicanos (MXN) con IVA incluido.",
            "Este documento no es un comprobante fiscal; la factura (CFDI) se emite por separado.",
            "¡Gracias por tu compra!",
        ],
    )
