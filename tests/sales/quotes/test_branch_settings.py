"""Per-branch quote settings in the branches CSV: max_bot_discount and commission_rate."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from showroom.inventory.branch_import import import_branches
from showroom.inventory.branches import get_branch
from showroom.inventory.csv_import import ImportFailed
from showroom.sales.quotes.config import commission_rate, max_bot_discount
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
