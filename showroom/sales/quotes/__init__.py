"""Quotes and sales: pricing with IVA, lifecycle, sales tickets, stock, commissions, reports.

Public API (docs/quotes.md); every database function takes the caller's Session first:

    create_quote(session, items, *, branch=None, customer=None, salesperson=None, actor=BOT,
                 conversation_key=None, validity_days=None, now=None) -> Quote
    apply_discount(session, quote, discount | None, *, actor, line=None, now=None) -> Quote
    attach_financing(session, quote, *, months, down_payment=None, down_percent=None,
                     annual_rate=None, actor=BOT, now=None) -> Quote
    assign_salesperson(session, quote, salesperson, *, actor, now=None) -> Quote
    mark_sent / accept_quote / confirm_quote / cancel_quote / expire_due_quotes
    check_quote_stock(session, quote)  (OutOfStock when something quoted is gone)
    quote_summary_es(quote) -> str, quote_pdf(quote) -> bytes, signed_pdf_url(quote, base_url)
    daily_sales(session, day, branch=None) -> list[BranchSales], sales_csv(report) -> str,
    sales_data(report) -> list[dict] (JSON-ready, for the console), sales_json(report) -> str
"""

from showroom.sales.quotes.actors import BOT, CUSTOMER, SYSTEM, Actor
from showroom.sales.quotes.errors import (
    DiscountNotAllowed,
    IllegalTransition,
    InvalidDiscount,
    ItemNotFound,
    NotAllowed,
    OutOfStock,
    QuoteError,
    QuoteExpired,
    QuoteNotFound,
)
from showroom.sales.quotes.items import QuoteItem
from showroom.sales.quotes.lifecycle import (
    accept_quote,
    allowed_actions,
    cancel_quote,
    check_quote_stock,
    confirm_quote,
    expire_due_quotes,
    mark_sent,
)
from showroom.sales.quotes.lookups import get_quote, latest_open_quote
from showroom.sales.quotes.pdf import quote_pdf, ticket_pdf
from showroom.sales.quotes.pricing import Discount
from showroom.sales.quotes.report import (
    BranchSales,
    SalespersonSales,
    daily_sales,
    sales_csv,
    sales_data,
    sales_json,
)
from showroom.sales.quotes.salespeople import add_salesperson, get_salesperson, list_salespeople
from showroom.sales.quotes.service import (
    apply_discount,
    assign_salesperson,
    attach_financing,
    create_quote,
    remove_financing,
)
from showroom.sales.quotes.signing import signed_pdf_url, signed_ticket_pdf_url
from showroom.sales.quotes.summary import quote_summary_es, ticket_text_es
from showroom.sales.quotes.validity import effective_status

__all__ = [
    "BOT",
    "CUSTOMER",
    "SYSTEM",
    "Actor",
    "BranchSales",
    "Discount",
    "DiscountNotAllowed",
    "IllegalTransition",
    "InvalidDiscount",
    "ItemNotFound",
    "NotAllowed",
    "OutOfStock",
    "QuoteError",
    "QuoteExpired",
    "QuoteItem",
    "QuoteNotFound",
    "SalespersonSales",
    "accept_quote",
    "add_salesperson",
    "allowed_actions",
    "apply_discount",
    "assign_salesperson",
    "attach_financing",
    "cancel_quote",
    "check_quote_stock",
    "confirm_quote",
    "create_quote",
    "daily_sales",
    "effective_status",
    "expire_due_quotes",
    "get_quote",
    "get_salesperson",
    "latest_open_quote",
    "list_salespeople",
    "mark_sent",
    "quote_pdf",
    "quote_summary_es",
    "remove_financing",
    "sales_csv",
    "sales_data",
    "sales_json",
    "signed_pdf_url",
    "signed_ticket_pdf_url",
    "ticket_pdf",
    "ticket_text_es",
]
