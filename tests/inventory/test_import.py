"""Vehicles and branches importers: validation with line numbers, all-or-nothing, upserts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch, Vehicle
from showroom.inventory.branch_import import import_branches
from showroom.inventory.csv_import import ImportFailed
from showroom.inventory.vehicle_import import import_vehicles

CsvFile = Callable[..., Path]
BRANCH_HEADER = (
    "code,name,city,address,whatsapp_number,voice_number,timezone,opening_hours,"
    "annual_rate,iva_rate"
)
MTY_ROW = (
    'MTY,Monterrey Valle,Monterrey,"Av. Constitución 1500, Centro",81 0000 0101,'
    "+52 81 0000 0102,America/Monterrey,lun-vie 09:00-19:00; sab 10:00-15:00,13.9%,"
)
TIJ_ROW = (
    "TIJ,Tijuana,Tijuana,Blvd. Agua Caliente 10500,whatsapp:+5216640000301,,America/Tijuana,"
    "lun-vie 09:00-18:00,0.149,0.08"
)
BRANCHES = f"{BRANCH_HEADER}\n{MTY_ROW}\n{TIJ_ROW}\n"
VEHICLE_HEADER = (
    "stock_id,branch,brand,model,version,year,condition,body_type,transmission,fuel,color,"
    "mileage_km,price_mxn,photo_urls,description"
)
HILUX = (
    "A-1,MTY,Toyota,Hilux,SR Diésel 4x4,2025,nuevo,pickup,automatica,diesel,Blanco,0,689900,"
    "https://cdn.example.mx/a1/1.jpg|https://cdn.example.mx/a1/2.jpg,Lista para el trabajo"
)
JETTA = (
    'A-2,tij,VW,Jetta,Comfortline,2021,Seminuevo,Sedán,Automática,Gasolina,Gris,"45,000",'
    '"$389,900.50",,"Un solo dueño,\nfactura original"'
)


def count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def branches(session: Session, csv_file: CsvFile) -> Session:
    import_branches(session, csv_file("branches.csv", BRANCHES))
    return session


def test_branches_import_normalizes_numbers_rates_and_codes(
    session: Session, csv_file: CsvFile
) -> None:
    summary = import_branches(session, csv_file("branches.csv", BRANCHES))
    assert (summary.created, summary.updated, summary.unchanged, summary.skipped) == (2, 0, 0, 0)
    mty = session.scalars(select(Branch).where(Branch.code == "MTY")).one()
    assert mty.whatsapp_number == "+528100000101"
    assert mty.voice_number == "+528100000102"
    assert mty.annual_rate == Decimal("0.139")
    assert mty.iva_rate is None  # empty: the Settings default applies
    tij = session.scalars(select(Branch).where(Branch.code == "TIJ")).one()
    assert tij.whatsapp_number == "+526640000301"  # the old mobile "1" is gone
    assert tij.voice_number is None
    assert tij.iva_rate == Decimal("0.08")


def test_branches_reimport_updates_by_code(session: Session, csv_file: CsvFile) -> None:
    import_branches(session, csv_file("branches.csv", BRANCHES))
    again = import_branches(session, csv_file("branches.csv", BRANCHES))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = BRANCHES.replace("Monterrey Valle", "Monterrey Centro")
    summary = import_branches(session, csv_file("branches2.csv", changed))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert count(session, Branch) == 2
    assert session.scalars(select(Branch.name).where(Branch.code == "MTY")).one() == (
        "Monterrey Centro"
    )


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("X1,N,C,A,+528100000111,,America/Atlantis,lun-vie 09:00-19:00", "timezone: unknown"),
        ("X1,N,C,A,+528100000111,,America/Monterrey,lunes todo el dia", "opening_hours:"),
        ("X1,N,C,A,12345,,America/Monterrey,lun-vie 09:00-19:00", "whatsapp_number: not a valid"),
        ("X1,N,C,A,+528100000111,,America/Monterrey,lun-vie 09:00-19:00,abc", "annual_rate"),
        ("X1,N,C,A,+528100000111,,America/Monterrey,lun-vie 09:00-19:00,150%", "100 %"),
        ("X 1,N,C,A,+528100000111,,America/Monterrey,lun-vie 09:00-19:00", "code:"),
        (",N,C,A,+528100000111,,America/Monterrey,lun-vie 09:00-19:00", "code: empty"),
        ("X1,,C,A,+528100000111,,America/Monterrey,lun-vie 09:00-19:00", "name: empty"),
        ("MTY,N,C,A,+528100000111,,America/Monterrey,lun-vie 09:00-19:00", "code: MTY repeats"),
        (
            "X1,N,C,A,+528100000101,,America/Monterrey,lun-vie 09:00-19:00",
            "whatsapp_number: repeats",
        ),
    ],
)
def test_bad_branch_rows_import_nothing(
    session: Session, csv_file: CsvFile, bad_row: str, reason: str
) -> None:
    text = BRANCHES + bad_row + "\n"
    with pytest.raises(ImportFailed, match="1 bad row; nothing imported") as failure:
        import_branches(session, csv_file("branches.csv", text))
    assert [e.line for e in failure.value.errors] == [4]
    assert reason in failure.value.errors[0].message
    assert count(session, Branch) == 0


def test_branch_number_already_owned_by_another_branch(
    branches: Session, csv_file: CsvFile
) -> None:
    row = "NEW,N,C,A,+528100000101,,America/Monterrey,lun-vie 09:00-19:00\n"
    with pytest.raises(ImportFailed) as failure:
        import_branches(branches, csv_file("more.csv", BRANCH_HEADER + "\n" + row))
    assert "already used by branch MTY" in failure.value.errors[0].message


def test_vehicles_import_reads_real_world_values(branches: Session, csv_file: CsvFile) -> None:
    text = f"{VEHICLE_HEADER}\n{HILUX}\n{JETTA}\n"
    summary = import_vehicles(branches, csv_file("vehicles.csv", text))
    assert (summary.created, summary.skipped) == (2, 0)
    jetta = branches.scalars(select(Vehicle).where(Vehicle.stock_id == "A-2")).one()
    assert jetta.brand == "Volkswagen"
    assert jetta.branch.code == "TIJ"
    assert (jetta.condition, jetta.body_type, jetta.transmission, jetta.fuel) == (
        "seminuevo",
        "sedan",
        "automatica",
        "gasolina",
    )
    assert jetta.mileage_km == 45000
    assert jetta.price_mxn == Decimal("389900.50")
    assert jetta.photo_urls == []
    assert jetta.description == "Un solo dueño,\nfactura original"
    assert jetta.status == "available"
    hilux = branches.scalars(select(Vehicle).where(Vehicle.stock_id == "A-1")).one()
    assert hilux.photo_urls == [
        "https://cdn.example.mx/a1/1.jpg",
        "https://cdn.example.mx/a1/2.jpg",
    ]


def test_semicolons_windows_1252_and_a_bom(branches: Session, csv_file: CsvFile) -> None:
    text = f"{VEHICLE_HEADER}\n{HILUX}\n".replace(",", ";").upper().replace("HTTPS", "https")
    path = csv_file("excel.csv", text.replace("DIÉSEL", "Diésel"), encoding="cp1252")
    assert import_vehicles(branches, path).created == 1
    bom = csv_file("bom.csv", f"\ufeff{VEHICLE_HEADER}\n{HILUX}\n".replace("A-1", "B-1"))
    assert import_vehicles(branches, bom).created == 1
    version = branches.scalars(select(Vehicle.version).where(Vehicle.stock_id == "A-1")).one()
    assert version == "SR Diésel 4X4"


def test_vehicles_reimport_updates_by_stock_id_without_duplicates(
    branches: Session, csv_file: CsvFile
) -> None:
    path = csv_file("v.csv", f"{VEHICLE_HEADER}\n{HILUX}\n{JETTA}\n")
    import_vehicles(branches, path)
    again = import_vehicles(branches, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    cheaper = csv_file("v2.csv", f"{VEHICLE_HEADER}\n{HILUX.replace('689900', '669900')}\n")
    summary = import_vehicles(branches, cheaper)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    assert count(branches, Vehicle) == 2
    price = branches.scalars(select(Vehicle.price_mxn).where(Vehicle.stock_id == "A-1")).one()
    assert price == Decimal("669900")


def test_reimport_keeps_a_status_set_elsewhere_unless_the_file_has_one(
    branches: Session, csv_file: CsvFile
) -> None:
    import_vehicles(branches, csv_file("v.csv", f"{VEHICLE_HEADER}\n{HILUX}\n"))
    vehicle = branches.scalars(select(Vehicle)).one()
    vehicle.status = "reserved"
    branches.flush()
    import_vehicles(branches, csv_file("v.csv", f"{VEHICLE_HEADER}\n{HILUX}\n"))
    assert vehicle.status == "reserved"
    with_status = csv_file("s.csv", f"{VEHICLE_HEADER},status\n{HILUX},vendido\n")
    assert import_vehicles(branches, with_status).updated == 1
    assert vehicle.status == "sold"


BAD_VEHICLE_ROWS = [
    (HILUX.replace(",MTY,", ",XXX,"), "branch: unknown branch code 'XXX'"),
    (HILUX.replace("689900", "abc"), "price_mxn: not an amount"),
    (HILUX.replace("689900", "-5"), "is not a vehicle price"),
    (HILUX.replace("689900", "689.900"), "is not a vehicle price"),
    (HILUX.replace(",2025,", ",1925,"), "year: 1925 is outside"),
    (HILUX.replace(",2025,", ",dos mil,"), "year: not a whole number"),
    (HILUX.replace(",diesel,", ",carbón,"), "fuel: 'carbón' is not one of"),
    (HILUX.replace(",pickup,", ",,"), "body_type: empty"),
    (HILUX.replace("https://cdn.example.mx/a1/1.jpg", "ftp://x/1.jpg"), "photo_urls: not an http"),
    (HILUX.replace(",0,", ",-10,"), "mileage_km: -10 is outside"),
    (HILUX.replace("A-1,", ","), "stock_id: empty"),
    (HILUX + ",extra", "16 values for 15 columns"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_VEHICLE_ROWS)
def test_a_bad_vehicle_row_imports_nothing(
    branches: Session, csv_file: CsvFile, row: str, reason: str
) -> None:
    text = f"{VEHICLE_HEADER}\n{JETTA}\n{row}\n"  # JETTA spans lines 2-3
    with pytest.raises(ImportFailed, match="nothing imported") as failure:
        import_vehicles(branches, csv_file("v.csv", text))
    assert [(e.line, reason in e.message) for e in failure.value.errors] == [(4, True)]
    assert count(branches, Vehicle) == 0


def test_skip_bad_rows_imports_the_rest_and_reports_lines(
    branches: Session, csv_file: CsvFile
) -> None:
    rows = [HILUX, HILUX.replace("A-1", "A-3").replace("689900", "x"), JETTA, HILUX]
    text = VEHICLE_HEADER + "\n" + "\n".join(rows) + "\n"
    summary = import_vehicles(branches, csv_file("v.csv", text), skip_bad_rows=True)
    assert (summary.created, summary.skipped) == (2, 2)
    assert [(e.line, e.message.split(":")[0]) for e in summary.errors] == [
        (3, "price_mxn"),
        (6, "stock_id"),  # A-1 again, after the 2-line JETTA row
    ]
    assert "repeats line 2" in summary.errors[1].message


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "is empty"),
        ("stock_id,branch,brand\nA,MTY,Toyota\n", "missing column(s) model, version"),
        (VEHICLE_HEADER + ",brand\n", "repeated column(s) brand"),
    ],
)
def test_unusable_files(branches: Session, csv_file: CsvFile, content: str, reason: str) -> None:
    with pytest.raises(ImportFailed, match=reason.replace("(", r"\(").replace(")", r"\)")):
        import_vehicles(branches, csv_file("v.csv", content))


def test_missing_file(session: Session, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="file not found"):
        import_vehicles(session, tmp_path / "nope.csv")


def test_unknown_extra_columns_are_ignored(branches: Session, csv_file: CsvFile) -> None:
    text = f"{VEHICLE_HEADER},notas internas\n{HILUX},no mostrar\n"
    assert import_vehicles(branches, csv_file("v.csv", text)).created == 1


def test_progress_yields_every_row_with_or_without_a_bar() -> None:
    from showroom.inventory.csv_import import PROGRESS_MIN_ROWS, progress

    small, large = list(range(10)), list(range(PROGRESS_MIN_ROWS))
    assert list(progress(small, True, "x")) == small
    assert list(progress(large, True, "x")) == large
    assert list(progress(large, False, "x")) == large
