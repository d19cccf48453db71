"""`showroom import parts` and `showroom parts search` as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from showroom.cli import main

Writer = Callable[..., Path]
Factory = Callable[..., dict[str, Any]]


@pytest.mark.usefixtures("db_url")
def test_import_prints_a_one_line_summary(write_jsonl: Writer, product: Factory) -> None:
    path = write_jsonl([product("BR-1"), product("BR-2")])
    result = CliRunner().invoke(main, ["import", "parts", str(path)])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 1
    assert result.stdout.startswith("parts: 2 created, 0 updated, 0 unchanged (2 rows in ")

    again = CliRunner().invoke(main, ["import", "parts", str(path)])
    assert again.stdout.startswith("parts: 0 created, 0 updated, 2 unchanged")


@pytest.mark.usefixtures("db_url")
def test_bad_rows_fail_with_lines_on_stderr(write_jsonl: Writer, product: Factory) -> None:
    path = write_jsonl([product("BR-1"), product("BR-2", precio=0)])
    result = CliRunner().invoke(main, ["import", "parts", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "line 2: precio must be greater than 0 (sku BR-2)"
    assert lines[-1] == ("Error: 1 bad row(s); nothing imported (--skip-bad-rows imports the rest)")

    skipped = CliRunner().invoke(main, ["import", "parts", str(path), "--skip-bad-rows"])
    assert skipped.exit_code == 0
    assert "1 created" in skipped.stdout and "1 bad rows skipped" in skipped.stdout


@pytest.mark.usefixtures("db_url")
@pytest.mark.parametrize(
    ("content", "reason"),
    [(None, "file not found"), ("hola", "not a JSON array or JSON Lines")],
)
def test_unusable_input_exits_non_zero_with_one_line(
    tmp_path: Path, content: str | None, reason: str
) -> None:
    path = tmp_path / "parts.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "parts", str(path)])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and reason in line


@pytest.mark.usefixtures("db_url")
def test_progress_bar_goes_to_stderr_only_when_asked(
    write_jsonl: Writer, product: Factory, tmp_path: Path
) -> None:
    path = write_jsonl([product(f"P-{n}") for n in range(50)])
    quiet = CliRunner().invoke(main, ["import", "parts", str(path)])
    assert quiet.stderr == ""  # not a terminal: no bar
    more = tmp_path / "more.jsonl"
    more.write_text(
        "".join(json.dumps(product(f"Q-{n}")) + "\n" for n in range(30)), encoding="utf-8"
    )
    shown = CliRunner().invoke(main, ["import", "parts", str(more), "--progress"])
    assert shown.exit_code == 0
    assert "parts reading: 100%" in shown.stderr
    # the database write is covered too: 30 parts and their 30 fitments, then the index
    assert "parts writing: 100%" in shown.stderr and "60/60" in shown.stderr
    assert "parts indexing: 100%" in shown.stderr
    assert shown.stdout.startswith("parts: 30 created")


@pytest.mark.usefixtures("db_url")
def test_parts_search_command(write_jsonl: Writer, product: Factory) -> None:
    CliRunner().invoke(main, ["import", "parts", str(write_jsonl([product("BR-1")]))])
    result = CliRunner().invoke(main, ["parts", "search", "pastillas de freno tsuru 2010"])
    assert result.exit_code == 0, result.output
    assert "1 found · vehicle: Nissan Tsuru 2010" in result.stdout
    assert "Balatas delanteras Brembo cerámicas · SKU BR-1\n$689 MXN · 12 en existencia" in (
        result.stdout
    )


def test_parts_search_branch_is_checked_and_case_insensitive(
    db_url: str, write_jsonl: Writer, product: Factory
) -> None:
    from showroom.db.models.inventory import Branch
    from showroom.db.session import session_scope

    with session_scope(db_url) as session:
        session.add(
            Branch(
                code="MTY",
                name="Sucursal Monterrey",
                city="Monterrey",
                address="-",
                timezone="America/Monterrey",
                opening_hours="lun-vie 09:00-19:00",
            )
        )
    path = write_jsonl([product("BR-1")])
    CliRunner().invoke(main, ["import", "parts", str(path), "--branch", "MTY"])
    unknown = CliRunner().invoke(main, ["parts", "search", "balatas", "--branch", "XYZ"])
    assert unknown.exit_code == 1
    assert "unknown branch code: XYZ" in unknown.output
    lower = CliRunner().invoke(main, ["parts", "search", "balatas tsuru 2010", "--branch", "mty"])
    assert lower.exit_code == 0, lower.output
    assert "1 found" in lower.stdout and "Sucursal Monterrey" in lower.stdout


@pytest.mark.usefixtures("db_url")
def test_warnings_go_to_stderr_and_the_import_goes_on(
    write_jsonl: Writer, product: Factory
) -> None:
    path = write_jsonl(
        [product("BR-1"), product("BR-2", compatibilidad=["Tsuru 1992-2017 Sentra 2000"])]
    )
    result = CliRunner().invoke(main, ["import", "parts", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: line 2: compatibilidad 'Tsuru 1992-2017 Sentra 2000' not understood: "
        "a year is left in the model (two vehicles in one entry?)"
    ]
    assert result.stdout.startswith("parts: 2 created")
    assert "1 compatibility entries not understood" in result.stdout
