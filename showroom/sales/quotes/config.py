"""Quote settings from the environment (defaults a branch may override).

Kept next to the quotes code so the area is self-contained; the variables follow the
project's convention (upper-case names, `.env` for local runs).

- `QUOTE_VALIDITY_DAYS` (7): a quote is valid through the Nth day after it is created, in
  the branch's timezone.
- `QUOTE_ACCEPTED_HOLD_DAYS` (3): once the customer accepts, the price holds through the
  Nth day after acceptance (branch-local) even if the quote's own validity ends sooner,
  so a salesperson has time to confirm; 0 turns it off. (One value for every branch: the
  branches table has no column for it.)
- `QUOTE_MAX_BOT_DISCOUNT` (0): the largest discount the assistant may give, as a fraction
  of the quote's list price, for branches without `max_bot_discount` (0: only salespeople).
- `QUOTE_COMMISSION_RATE` (0.01): salespeople's commission on a sale's amount before IVA,
  for branches without `commission_rate`.
- `QUOTE_PDF_URL_TTL_HOURS` (24): lifetime of a signed PDF link (longer than the gateway's
  retry window, so a delayed WhatsApp send still finds the file).
- `QUOTE_PRICES_INCLUDE_IVA` (true): the inventory's `price_mxn` and the catalog's `precio`
  already include IVA, for branches without `prices_include_iva`; false adds the branch's
  IVA to every unit price when quoting.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from showroom.db.models.inventory import Branch


class QuoteSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_prefix="QUOTE_"
    )

    validity_days: int = Field(7, ge=1, le=365)
    accepted_hold_days: int = Field(3, ge=0, le=90)
    # four decimals, like the branches' NUMERIC(6, 4) columns
    max_bot_discount: Decimal = Field(Decimal("0"), ge=0, lt=1, decimal_places=4)
    commission_rate: Decimal = Field(Decimal("0.01"), ge=0, lt=1, decimal_places=4)
    pdf_url_ttl_hours: float = Field(24.0, gt=0, le=24 * 90)
    prices_include_iva: bool = True


@lru_cache(maxsize=1)
def quote_settings() -> QuoteSettings:
    """Process-wide; tests call `quote_settings.cache_clear()` after changing the env."""
    return QuoteSettings()


def max_bot_discount(branch: Branch) -> Decimal:
    """The branch's limit for the assistant's discounts (a fraction of the list price)."""
    if branch.max_bot_discount is not None:
        return Decimal(branch.max_bot_discount)
    return quote_settings().max_bot_discount


def commission_rate(branch: Branch) -> Decimal:
    """The branch's commission rate on sales before IVA."""
    if branch.commission_rate is not None:
        return Decimal(branch.commission_rate)
    return quote_settings().commission_rate


def prices_include_iva(branch: Branch) -> bool:
    """Whether the branch's inventory and catalog prices already include IVA."""
    if branch.prices_include_iva is not None:
        return bool(branch.prices_include_iva)
    return quote_settings().prices_include_iva
