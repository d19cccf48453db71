"""Per-branch quote settings in the branches CSV: max_bot_discount, commission_rate and
prices_include_iva (whether the branch's list prices already include IVA)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from quotes_kit import NOW, Store
from sqlalchemy.orm import Session

from showroom.inventory.branch_import import import_branches
from showroom.inventory.branches import get_branch
from showroom.inventory.csv_import import ImportFailed
from showroom.sales.quotes import (
    Actor,
    Discount,
    QuoteItem,
    apply_discount,
    create_quote,
    quote_pdf,
    quote_summary_es,
)
from showroom.sales.quotes.config import (
    commission_rate,
    max_bot_discount,
    prices_include_iva,
    quote_settings,
)
from showroom.sales.quotes.pricing import with_iva
from showroom.settings import PROJECT_ROOT

HEADER = "code,name,city,address,whatsapp_number,voice_number,timezone,opening_hours"
ROW = "MTY,Monterrey,Monterrey,Av. 1,+528100000101,,America/Monterrey,lun-vie 09:00-19:00"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "branches.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_columns_are_optional_and_parsed_like_rates(session: Session, tmp_path: Path) -> None:
    import_branches(session, write(tmp_path, f"{HEADER}\n{ROW}\n"))
    mty = get_branch(session, "MTY")
    assert mty is not None and mty.max_bot_discount is None and mty.commission_rate is None
    assert max_bot_discount(mty) == Decimal("0")  # QUOTE_MAX_BOT_DISCOUNT default
    assert commission_rate(mty) == Decimal("0.01")  # QUOTE_COMMISSION_RATE default

    summary = import_branches(
        session, write(tmp_path, f"{HEADER},max_bot_discount,commission_rate\n{ROW},5%,1.5\n")
    )
    assert summary.updated == 1
    assert (mty.max_bot_discount, mty.commission_rate) == (Decimal("0.05"), Decimal("0.015"))
    # a file without the columns leaves them alone
    again = import_branches(session, write(tmp_path, f"{HEADER}\n{ROW}\n"))
    assert again.unchanged == 1 and mty.max_bot_discount == Decimal("0.05")


def test_bad_values_name_the_column(session: Session, tmp_path: Path) -> None:
    text = f"{HEADER},max_bot_discount\n{ROW},mucho\n"
    with pytest.raises(ImportFailed) as failed:
        import_branches(session, write(tmp_path, text))
    assert [str(e) for e in failed.value.errors] == [
        "line 2: max_bot_discount: not a rate: 'mucho'"
    ]


def test_demo_branches_carry_quote_settings(session: Session) -> None:
    import_branches(session, PROJECT_ROOT / "demo" / "branches.csv")
    cdmx, cun = get_branch(session, "CDMX"), get_branch(session, "CUN")
    assert cdmx is not None and cun is not None
    assert (cdmx.max_bot_discount, cdmx.commission_rate) == (Decimal("0.05"), Decimal("0.012"))
    assert cun.commission_rate is None  # the default applies


# ------------------------------------------------------------------ prices before IVA
def test_prices_include_iva_is_an_optional_flag(session: Session, tmp_path: Path) -> None:
    import_branches(session, write(tmp_path, f"{HEADER}\n{ROW}\n"))
    mty = get_branch(session, "MTY")
    assert mty is not None and mty.prices_include_iva is None
    assert prices_include_iva(mty) is True  # QUOTE_PRICES_INCLUDE_IVA default
    for written, stored in (("false", False), ("Sí", True), ("NO", False), ("1", True), ("", None)):
        import_branches(session, write(tmp_path, f"{HEADER},prices_include_iva\n{ROW},{written}\n"))
        assert mty.prices_include_iva is stored, written
    import_branches(session, write(tmp_path, f"{HEADER},prices_include_iva\n{ROW},no\n"))
    again = import_branches(session, write(tmp_path, f"{HEADER}\n{ROW}\n"))
    assert again.unchanged == 1 and mty.prices_include_iva is False  # absent: left alone
    with pytest.raises(ImportFailed) as failed:
        import_branches(session, write(tmp_path, f"{HEADER},prices_include_iva\n{ROW},quizá\n"))
    assert [str(e) for e in failed.value.errors] == [
        "line 2: prices_include_iva: not true or false: 'quizá'"
    ]


def test_the_environment_default_and_a_branch_override(
    session: Session, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUOTE_PRICES_INCLUDE_IVA", "false")
    quote_settings.cache_clear()
    assert prices_include_iva(store.tij) is False  # no setting of its own: the default
    store.tij.prices_include_iva = True
    assert prices_include_iva(store.tij) is True


def test_a_branch_whose_prices_are_before_iva_adds_it(session: Session, store: Store) -> None:
    """A parts shop listing "$739 + IVA": the quote's unit price, total and desglose carry
    the IVA on top; a branch with IVA-included prices quotes the list price as it is."""
    included = create_quote(session, [QuoteItem.part("BAL-10014", 2)], branch="MTY", now=NOW)
    assert included.total == Decimal("1478.00")  # 2 × $739, IVA included
    store.mty.prices_include_iva = False
    before_iva = create_quote(session, [QuoteItem.part("BAL-10014", 2)], branch="MTY", now=NOW)
    line = before_iva.lines[0]
    assert line.unit_price == Decimal("857.24") == with_iva(Decimal("739"), Decimal("0.16"))
    assert before_iva.total == Decimal("1714.48")
    assert (before_iva.subtotal, before_iva.iva) == (Decimal("1478.00"), Decimal("236.48"))
    assert before_iva.events[0].details == {"list_prices": "before_iva"}
    assert "Total: $1,714.48 MXN" in quote_summary_es(before_iva, now=NOW)
    assert b"%PDF-" in quote_pdf(before_iva, now=NOW)[:8]
    # the border branch's 8 %: $415,000 + IVA
    store.tij.prices_include_iva = False
    car = create_quote(session, [QuoteItem.vehicle("TIJ-0001")], now=NOW)
    assert (car.total, car.subtotal, car.iva) == (
        Decimal("448200.00"),
        Decimal("415000.00"),
        Decimal("33200.00"),
    )
    # discounts then work on the price with IVA, as for any quote
    apply_discount(
        session, car, Discount.amount(8200), actor=Actor.salesperson(store.tere.id), now=NOW
    )
    assert car.total == Decimal("440000.00") and car.subtotal + car.iva == car.total
