"""The `showroom` commands of the inventory and sales areas (imports, financing, the staff's
handoff and lead lists), run as a user would."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from showroom.cli import main
from showroom.console.app import STATIC_DIR
from showroom.conversations.customers import get_or_create_customer
from showroom.db.models.inventory import Vehicle
from showroom.db.models.parts import Part
from showroom.db.session import session_scope
from showroom.inventory.branches import get_branch
from showroom.sales.leads import record_callback, record_handoff, record_trade_in
from showroom.settings import PROJECT_ROOT, get_settings

DEMO = PROJECT_ROOT / "demo"
VEHICLE_HEADER = (
    "stock_id,branch,brand,model,version,year,condition,body_type,transmission,fuel,color,"
    "mileage_km,price_mxn,photo_urls,description"
)
GOOD = "A-1,MTY,Toyota,Hilux,SR,2025,nuevo,pickup,automatica,diesel,Blanco,0,689900,,"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result: Result) -> str:
    assert result.exit_code != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: ")
    return last


@pytest.fixture
def branches(db_url: str) -> None:
    result = run("import", "branches", DEMO / "branches.csv")
    assert result.exit_code == 0, result.output


def test_import_branches_and_vehicles_then_again(db_url: str) -> None:
    first = run("import", "branches", DEMO / "branches.csv")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "branches: 4 created, 0 updated, 0 unchanged, 0 skipped"
    vehicles = run("import", "vehicles", DEMO / "vehicles.csv")
    assert vehicles.exit_code == 0, vehicles.output
    assert vehicles.stdout.strip().startswith("vehicles: 242 created, 0 updated")
    again = run("import", "vehicles", DEMO / "vehicles.csv")
    assert again.stdout.strip() == "vehicles: 0 created, 0 updated, 242 unchanged, 0 skipped"


def test_bad_rows_are_listed_and_nothing_is_imported(branches: None, tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    bad = GOOD.replace("A-1", "A-2").replace(",MTY,", ",GDL,")
    path.write_text(f"{VEHICLE_HEADER}\n{GOOD}\n{bad}\n")
    result = run("import", "vehicles", path)
    assert f"{path}: line 3: branch: unknown branch code 'GDL'" in result.stderr
    assert "1 bad row; nothing imported" in one_line_error(result)
    skipped = run("import", "vehicles", path, "--skip-bad-rows")
    assert skipped.exit_code == 0
    assert skipped.stdout.strip() == "vehicles: 1 created, 0 updated, 0 unchanged, 1 skipped"
    assert "line 3" in skipped.stderr


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "file not found"),
        ("code,name\nX,Y\n", "missing column(s)"),
        (
            "code,name,city,address,whatsapp_number,voice_number,timezone,opening_hours\n"
            "X,N,C,A,,,Mars/Olympus,lun-vie 09:00-19:00\n",
            "1 bad row",
        ),
    ],
)
def test_bad_branch_files_exit_non_zero(
    db_url: str, tmp_path: Path, content: str | None, reason: str
) -> None:
    path = tmp_path / "b.csv"
    if content is not None:
        path.write_text(content)
    assert reason in one_line_error(run("import", "branches", path))


def test_finance_simulate_json() -> None:
    result = run("finance", "simulate", "--price", "389900", "--down", "20%", "--months", "48")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan == {
        "price": "389900.00",
        "down_payment": "77980.00",
        "financed": "311920.00",
        "months": 48,
        "annual_rate": "0.139",
        "monthly_payment": "8508.04",
        "total_paid": "486365.92",
        "total_interest": "96465.92",
    }


@pytest.mark.parametrize("rate", ["0.149", "14.9%", "14.9"])
def test_finance_rate_spellings(rate: str) -> None:
    result = run("finance", "simulate", "--price", "$389,900", "--down", "77,980", "--months",
                 "48", "--rate", rate)  # fmt: skip
    assert json.loads(result.stdout)["annual_rate"] == "0.149"
    assert Decimal(json.loads(result.stdout)["monthly_payment"]) > Decimal("8508.04")


def test_finance_uses_the_branch_rate(branches: None) -> None:
    base = ["finance", "simulate", "--price", "389900", "--down", "0", "--months", "36"]
    tij = json.loads(run(*base, "--branch", "tij").stdout)
    assert tij["annual_rate"] == "0.149"  # demo/branches.csv
    assert "unknown branch code 'GDL'" in one_line_error(run(*base, "--branch", "GDL"))


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--price", "389900", "--down", "20%", "--months", "6"], "between 12 and 72"),
        (["--price", "389900", "--down", "400000", "--months", "48"], "less than the price"),
        (["--price", "abc", "--down", "0", "--months", "48"], "not an amount"),
        (["--price", "389900", "--down", "120%", "--months", "48"], "percent"),
        (["--price", "389900", "--down", "0", "--months", "48", "--rate", "x"], "not an amount"),
        (["--price", "389900", "--down", "0"], "Missing option '--months'"),
    ],
)
def test_finance_bad_input(args: list[str], reason: str) -> None:
    assert reason in one_line_error(run("finance", "simulate", *args))


def test_demo_load_is_idempotent(db_url: str) -> None:
    first = run("demo", "load")
    assert first.exit_code == 0, first.output
    assert "branches: 4 created" in first.stdout and "vehicles: 242 created" in first.stdout
    second = run("demo", "load")
    assert second.stdout.strip().split(" (")[0] == (
        "demo data loaded: branches: 0 created, 0 updated, 4 unchanged, 0 skipped; "
        "vehicles: 0 created, 0 updated, 242 unchanged, 0 skipped; "
        "parts: 0 created, 0 updated, 10474 unchanged"
    )


def test_demo_load_points_photos_at_pictures_the_web_app_serves(db_url: str) -> None:
    assert run("demo", "load").exit_code == 0
    with session_scope() as session:
        vehicle = session.scalars(select(Vehicle).where(Vehicle.body_type == "pickup")).first()
        part = session.scalars(select(Part).where(Part.category == "Frenos")).first()
        assert vehicle is not None and part is not None
        urls = [*vehicle.photo_urls, *part.image_urls]
    base = get_settings().public_base_url.rstrip("/")
    assert urls == [f"{base}/static/demo/vehicle-pickup.png", f"{base}/static/demo/part-frenos.png"]
    for url in urls:  # the committed pictures the web app serves under /static
        assert (STATIC_DIR / url.removeprefix(f"{base}/static/")).is_file(), url


def test_demo_load_leaves_a_dealers_own_database_alone(db_url: str, tmp_path: Path) -> None:
    own = tmp_path / "branches.csv"
    rows = (DEMO / "branches.csv").read_text(encoding="utf-8").splitlines()
    own.write_text(
        "\n".join(
            [rows[0], rows[1].replace("MTY,", "GDL1,", 1).replace("+528100000101", "+523300000101")]
        )
        + "\n"
    )
    assert run("import", "branches", own).exit_code == 0
    skipped = run("demo", "load")
    assert skipped.exit_code == 0, skipped.output
    assert skipped.stdout.startswith(
        "demo data not loaded: the database holds your own branches (GDL1)"
    )
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Vehicle)) == 0
    forced = run("demo", "load", "--force")
    assert forced.exit_code == 0, forced.output
    assert "vehicles: 242 created" in forced.stdout


def test_nlu_lookups_and_synonyms(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "lookups"
    assert "no vehicles in the database" in one_line_error(run("nlu", "lookups", "--out", out))
    assert not out.exists() or not any(out.iterdir())
    run("demo", "load")
    result = run("nlu", "lookups", "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / "brand.yml").read_text() == (PROJECT_ROOT / "data/lookups/brand.yml").read_text()
    assert (out / "model.yml").read_text() == (PROJECT_ROOT / "data/lookups/model.yml").read_text()
    synonyms = tmp_path / "nlu" / "vehicle_synonyms.yml"
    assert run("nlu", "synonyms", "--out", synonyms).exit_code == 0
    assert "- synonym: Volkswagen" in synonyms.read_text()


def test_the_installed_command_runs() -> None:
    command = Path(sys.executable).parent / "showroom"  # the console script of this venv
    done = subprocess.run(
        [str(command), "finance", "simulate", "--price", "300000",
         "--down", "0", "--months", "12", "--rate", "0"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["monthly_payment"] == "25000.00"


def test_a_database_without_tables_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from showroom.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    reason = one_line_error(run("import", "branches", DEMO / "branches.csv"))
    assert "showroom db upgrade" in reason
    assert "showroom db upgrade" in one_line_error(run("nlu", "lookups", "--out", tmp_path))
    assert "showroom db upgrade" in one_line_error(run("handoffs", "list"))
    assert "showroom db upgrade" in one_line_error(run("leads", "list", "--since", "2030-01-09"))


# ------------------------------------------------------------------ handoffs and leads
PHONE = "+528112345678"
MASKED = "+52******5678"


@pytest.fixture
def requests_and_leads(branches: None, db_url: str) -> dict[str, int]:
    """Two handoff requests and three leads with known creation times (UTC)."""

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2030, 1, day, hour, minute, tzinfo=UTC)

    with session_scope(db_url) as session:
        ana = get_or_create_customer(session, phone="81 1234 5678", name="Ana López")
        web = get_or_create_customer(session, external_id="web-1f2e")
        mty, cun = get_branch(session, "MTY"), get_branch(session, "CUN")
        made = {
            "ana": record_handoff(session, ana, mty, f"whatsapp:{PHONE}"),
            "web": record_handoff(session, web, cun, "web-1f2e", reason="parts"),
            "late": record_trade_in(session, ana, mty, "Chevrolet", "Aveo", 2016, 95000),
            "early": record_callback(session, ana, mty, note="después de las 6"),
            "cun": record_callback(session, web, cun, note="mañana"),
        }
        times = {"ana": at(9, 16), "web": at(9, 17), "late": at(9, 6, 30)}
        times |= {"early": at(9, 5, 30), "cun": at(10, 15)}
        for key, moment in times.items():
            made[key].created_at = moment
        session.flush()
        return {key: value.id for key, value in made.items()}


def test_handoffs_list_masks_phones_unless_asked(requests_and_leads: dict[str, int]) -> None:
    ana, web = requests_and_leads["ana"], requests_and_leads["web"]
    table = run("handoffs", "list")
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines() == [
        "ID  CREATED           BRANCH  STATUS   REASON            CUSTOMER   PHONE          "
        "CONVERSATION            NOTE",
        f"{ana:<2}  2030-01-09 10:00  MTY     pending  customer_request  Ana López  {MASKED}  "
        f"whatsapp:{MASKED}  ",
        f"{web:<2}  2030-01-09 12:00  CUN     pending  parts                                  "
        "     web-1f2e                ",
    ]
    as_json = json.loads(run("handoffs", "list", "--format", "json").stdout)
    assert as_json[0] == {
        "id": ana,
        "created": "2030-01-09T10:00:00-06:00",  # Monterrey time
        "branch": "MTY",
        "status": "pending",
        "reason": "customer_request",
        "customer": "Ana López",
        "phone": MASKED,
        "conversation": f"whatsapp:{MASKED}",
        "note": "",
    }
    assert as_json[1]["created"] == "2030-01-09T12:00:00-05:00"  # Cancún time
    full = run("handoffs", "list", "--format", "csv", "--full-phone")
    rows = list(csv.DictReader(io.StringIO(full.stdout)))
    assert [(r["id"], r["phone"], r["conversation"]) for r in rows] == [
        (str(ana), PHONE, f"whatsapp:{PHONE}"),
        (str(web), "", "web-1f2e"),
    ]
    assert PHONE not in table.stdout + json.dumps(as_json)


def test_closing_a_handoff_takes_it_off_the_open_list(requests_and_leads: dict[str, int]) -> None:
    ana, web = requests_and_leads["ana"], requests_and_leads["web"]
    closed = run("handoffs", "close", str(ana), "--note", "Le llamé")
    assert (closed.exit_code, closed.stdout.strip()) == (0, f"handoff {ana} closed")
    assert run("handoffs", "close", str(ana)).stdout.strip() == f"handoff {ana} was already closed"
    again = run("handoffs", "close", str(ana), "--note", "Otra vez")
    assert again.stdout.strip() == f"handoff {ana} was already closed (note not saved)"
    still_open = json.loads(run("handoffs", "list", "--open", "--format", "json").stdout)
    assert [r["id"] for r in still_open] == [web]
    mty = json.loads(run("handoffs", "list", "--branch", "mty", "--format", "json").stdout)
    assert [(r["id"], r["status"], r["note"]) for r in mty] == [(ana, "closed", "Le llamé")]
    assert run("handoffs", "list", "--open", "--branch", "MTY").stdout.strip() == "(none)"
    assert "no handoff request with id 999" in one_line_error(run("handoffs", "close", "999"))


def test_leads_list_filters_by_kind_branch_and_local_day(
    requests_and_leads: dict[str, int],
) -> None:
    ids = requests_and_leads
    table = run("leads", "list", "--kind", "trade_in")
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines() == [
        "ID  CREATED           BRANCH  KIND      STATUS  CUSTOMER   PHONE          DETAILS",
        f"{ids['late']:<2}  2030-01-09 00:30  MTY     trade_in  new     Ana López  {MASKED}  "
        "Chevrolet Aveo 2016, 95,000 km",
    ]
    # 05:30 UTC is still January 8 in Monterrey: not "since January 9" there
    since = run("leads", "list", "--branch", "MTY", "--since", "2030-01-09", "--format", "json")
    assert [r["id"] for r in json.loads(since.stdout)] == [ids["late"]]
    every = list(csv.DictReader(io.StringIO(run("leads", "list", "--format", "csv").stdout)))
    assert [(int(r["id"]), r["kind"], r["branch"]) for r in every] == [
        (ids["early"], "callback", "MTY"),
        (ids["late"], "trade_in", "MTY"),
        (ids["cun"], "callback", "CUN"),
    ]
    assert json.loads(every[1]["details"]) == {
        "brand": "Chevrolet", "model": "Aveo", "year": 2016, "km": 95000
    }  # fmt: skip
    assert {r["phone"] for r in every} == {MASKED, ""}
    callbacks = json.loads(run("leads", "list", "--kind", "callback", "--full-phone",
                               "--format", "json").stdout)  # fmt: skip
    assert [(r["phone"], r["details"]) for r in callbacks] == [
        (PHONE, {"note": "después de las 6"}),
        ("", {"note": "mañana"}),
    ]


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["leads", "list", "--since", "9/1/2030"], "not a date (YYYY-MM-DD)"),
        (["leads", "list", "--kind", "sale"], "'sale' is not one of"),
        (["leads", "list", "--branch", "GDL"], "unknown branch code 'GDL'"),
        (["handoffs", "list", "--branch", "GDL"], "unknown branch code 'GDL'"),
        (["handoffs", "list", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_staff_commands_bad_input(branches: None, args: list[str], reason: str) -> None:
    assert reason in one_line_error(run(*args))
