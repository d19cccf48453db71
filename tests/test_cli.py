"""The `showroom` commands of the inventory and sales areas, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from showroom.cli import main
from showroom.settings import PROJECT_ROOT

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
        "parts: 0 created, 0 updated, 10046 unchanged"
    )


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
