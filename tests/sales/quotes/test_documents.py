"""What the customer receives: the WhatsApp summary, the PDF (text extracted with pypdf, its
first page rendered to results/artifacts/quote-page1.png and kept), the text and PDF sales
ticket."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta

from pypdf import PdfReader
from quotes_kit import ARTIFACTS, NOW, PAGE_IMAGE, Store, require_tool
from sqlalchemy.orm import Session

from showroom.formatting import money
from showroom.sales.quotes import (
    BOT,
    Actor,
    Discount,
    QuoteItem,
    accept_quote,
    apply_discount,
    attach_financing,
    cancel_quote,
    confirm_quote,
    create_quote,
    mark_sent,
    quote_pdf,
    quote_summary_es,
    ticket_pdf,
    ticket_text_es,
)
from showroom.sales.quotes.pdf import amount


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"[ \t]+", " ", text)


def vehicle_quote(session: Session, store: Store):  # type: ignore[no-untyped-def]
    quote = create_quote(
        session,
        [QuoteItem.vehicle("MTY-0042"), QuoteItem.part("BAL-10014", 2)],
        customer=store.customer,
        salesperson=store.ana,
        now=NOW,
    )
    apply_discount(session, quote, Discount.percent(10), actor=BOT, line=2, now=NOW)
    apply_discount(session, quote, Discount.amount(20000), actor=Actor.salesperson(store.ana.id),
                   now=NOW)  # fmt: skip
    attach_financing(session, quote, months=48, down_percent=20, now=NOW)
    return quote


def test_whatsapp_summary(session: Session, store: Store) -> None:
    quote = vehicle_quote(session, store)
    text = quote_summary_es(quote, now=NOW)
    assert text.splitlines()[0] == f"Cotización {quote.folio} · Sucursal Monterrey Valle"
    assert "• Toyota Hilux 2024 SR Diésel 4x4: $689,900 MXN" in text
    pads = "• 2 × Balatas delanteras cerámicas Brembo · SKU BAL-10014: $1,330.20 MXN"
    assert f"{pads} (10% de descuento)" in text
    assert "Descuento adicional: -$20,000 MXN" in text
    assert "Total: $671,230.20 MXN" in text
    # the price includes IVA, and the desglose adds up to it
    assert quote.subtotal + quote.iva == quote.total
    desglose = (
        f"Precio con IVA incluido: subtotal {money(quote.subtotal)} + IVA 16% {money(quote.iva)}."
    )
    assert desglose in text
    assert "Financiamiento: enganche $134,246.04 MXN y 48 pagos mensuales de" in text
    assert "(tasa 12.9% anual)" in text
    assert "Vigente hasta el miércoles 2 de diciembre. Sujeta a disponibilidad." in text
    assert "Asesor: Ana López" in text
    assert len(text) < 700  # WhatsApp-sized
    # status shows once the quote is closed
    assert "ya venció" in quote_summary_es(quote, now=NOW + timedelta(days=30))
    cancel_quote(session, quote, actor=BOT, now=NOW)
    assert "fue cancelada" in quote_summary_es(quote, now=NOW)


def test_long_quotes_stay_short_in_chat(session: Session, store: Store) -> None:
    from showroom.db.models.parts import Part

    skus = []
    for i in range(9):
        title = f"Bujía iridio modelo {i} " + "para motores de alto rendimiento " * 6
        session.add(Part(sku=f"BUJ-{i}", title=title.strip(), price_mxn=99, stock=10))
        skus.append(f"BUJ-{i}")
    session.flush()
    quote = create_quote(session, [QuoteItem.part(s) for s in skus], branch="MTY", now=NOW)
    text = quote_summary_es(quote, now=NOW)
    assert text.count("• ") == 5 and "… y 4 artículos más (ver PDF)" in text
    assert "Total: $891 MXN" in text
    assert len(text) <= 1024  # fits a WhatsApp caption under the PDF
    assert "• Bujía iridio modelo 0 para motores" in text and "…: $99 MXN" in text


def test_quote_pdf_content_and_rendered_page(session: Session, store: Store) -> None:
    quote = vehicle_quote(session, store)
    data = quote_pdf(quote, now=NOW)
    text = pdf_text(data)
    # branch details
    for fact in ("Sucursal Monterrey Valle", "Av. Constitución 1500 Pte., Centro, Monterrey",
                 "Tel. 81 0000 0102", "WhatsApp 81 0000 0101",
                 "Horario: lun a vie 9:00–19:00, sáb 10:00–15:00"):  # fmt: skip
        assert fact in text, fact
    # the document
    assert f"COTIZACIÓN {quote.folio}" in text
    assert "miércoles 25 de noviembre de 2026" in text
    assert "Vigente hasta miércoles 2 de diciembre de 2026" in text
    assert "José Peña · +52******5678" in text  # accents and ñ; phone masked
    assert "Ana López · 81 1111 2222 · ana@example.mx" in text
    assert "Toyota Hilux 2024 SR Diésel 4x4 · Blanco · 0 km" in text
    assert "Balatas delanteras cerámicas Brembo" in text
    for figure in (quote.list_total, quote.total, quote.subtotal, quote.iva):
        assert amount(figure) in text, figure
    assert "Total, precio con IVA incluido $671,230.20" in text
    assert f"Subtotal sin IVA {amount(quote.subtotal)}" in text
    assert f"IVA 16% {amount(quote.iva)}" in text
    assert "Descuento adicional -$20,000.00" in text
    assert "Financiamiento (simulación)" in text and "48 meses" in text
    assert "Precios en pesos mexicanos (MXN) con IVA incluido." in text
    assert "Página 1 de 1" in text

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "quote.pdf").write_bytes(data)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        require_tool("pdftoppm", "Debian package poppler-utils")
    PAGE_IMAGE.parent.mkdir(parents=True, exist_ok=True)
    PAGE_IMAGE.unlink(missing_ok=True)  # never pass on a previous run's image
    subprocess.run(
        [str(pdftoppm), "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
         str(ARTIFACTS / "quote.pdf"), str(PAGE_IMAGE.with_suffix(""))],
        check=True, timeout=60,
    )  # fmt: skip
    assert PAGE_IMAGE.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert PAGE_IMAGE.stat().st_size > 20_000  # a real page, not a blank one
    from PIL import Image

    with Image.open(PAGE_IMAGE) as page:
        assert page.format == "PNG"
        assert page.size[0] > 600 and page.size[1] > 800  # Letter at 80 dpi: 680 × 880
        gray = page.convert("L")
        darkest, lightest = gray.getextrema()
        assert darkest < 60 and lightest > 240  # dark text on a white page
        histogram = gray.histogram()
        inked = sum(histogram[:128]) / (page.size[0] * page.size[1])
        assert 0.005 < inked < 0.5  # text and rules cover part of the page, not none or all
    print(f"rendered quote page: {PAGE_IMAGE}")


def test_ticket_text_and_pdf(session: Session, store: Store) -> None:
    quote = vehicle_quote(session, store)
    mark_sent(session, quote, now=NOW)
    accept_quote(session, quote, now=NOW)
    ticket = confirm_quote(session, quote, store.beto, now=NOW + timedelta(hours=3))
    text = ticket_text_es(ticket)
    assert text.startswith("Nota de venta MTY-V-2026-000001\n")
    assert f"Cotización {quote.folio} · miércoles 25 de noviembre, 13:00" in text
    assert "Total: $671,230.20 MXN" in text
    assert "Sucursal Monterrey Valle · Asesor: Ana López" in text
    summary = quote_summary_es(quote, now=NOW)
    assert "Venta confirmada (nota MTY-V-2026-000001)." in summary
    data = ticket_pdf(ticket)
    body = pdf_text(data)
    assert "NOTA DE VENTA MTY-V-2026-000001" in body
    assert f"Cotización {quote.folio}" in body
    assert "Total, precio con IVA incluido $671,230.20" in body
    assert f"Subtotal sin IVA {amount(ticket.subtotal)}" in body
    assert "la factura (CFDI) se emite por separado" in body
    (ARTIFACTS / "ticket.pdf").parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "ticket.pdf").write_bytes(data)


def test_pdf_of_a_border_branch_quote(session: Session, store: Store) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("TIJ-0001")], now=NOW)
    text = pdf_text(quote_pdf(quote, now=NOW))
    assert "Sucursal Tijuana Agua Caliente" in text
    assert "IVA 8% $30,740.74" in text and "Subtotal sin IVA $384,259.26" in text
    assert "Estado" not in text  # a draft is what the customer is about to receive
    assert "Tel." not in text  # TIJ has no voice number: nothing invented
    assert "Asesor" not in text and "Cliente" not in text


def test_a_whole_quote_discount_alone_is_just_descuento(session: Session, store: Store) -> None:
    quote = create_quote(session, [QuoteItem.vehicle("MTY-0042")], now=NOW)
    apply_discount(session, quote, Discount.percent(5), actor=BOT, now=NOW)
    text = quote_summary_es(quote, now=NOW)
    assert "Descuento (5%): -$34,495 MXN\nTotal: $655,405 MXN" in text
    assert "Descuento (5%) -$34,495.00" in pdf_text(quote_pdf(quote, now=NOW))
