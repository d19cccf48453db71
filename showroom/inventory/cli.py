"""`showroom import vehicles|branches`, `showroom demo load`, `showroom nlu lookups|synonyms`."""

from __future__ import annotations

import csv
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch
from showroom.db.session import session_scope
from showroom.inventory.branch_import import import_branches
from showroom.inventory.csv_import import MAX_REPORTED_ERRORS, ImportFailed, ImportSummary
from showroom.inventory.demo_media import localize_parts, localize_vehicles
from showroom.inventory.lookups import synonyms_yaml, write_lookups
from showroom.inventory.parts.demo import load_demo_parts
from showroom.inventory.vehicle_import import import_vehicles
from showroom.settings import PROJECT_ROOT, get_settings

DEMO_DIR = PROJECT_ROOT / "demo"


def _report_errors(path: Path, summary_errors: list[object]) -> None:
    for error in summary_errors[:MAX_REPORTED_ERRORS]:
        click.echo(f"{path}: {error}", err=True)
    if len(summary_errors) > MAX_REPORTED_ERRORS:
        click.echo(f"{path}: ... and {len(summary_errors) - MAX_REPORTED_ERRORS} more", err=True)


def _run_import(path: Path, run: Callable[[Session], ImportSummary]) -> ImportSummary:
    """Run one importer in its own transaction; bad input ends the command with exit 1."""
    try:
        with session_scope() as session:
            summary = run(session)
    except ImportFailed as exc:
        _report_errors(path, list(exc.errors))
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise click.ClickException(_database_problem(exc)) from exc
    _report_errors(path, list(summary.errors))
    return summary


def _database_problem(exc: SQLAlchemyError) -> str:
    return (
        f"database error ({type(exc).__name__}: {str(exc).splitlines()[0][:120]}); "
        "is DATABASE_URL right and did `showroom db upgrade` run?"
    )


def demo_branch_codes(branches_file: Path) -> set[str]:
    """Branch codes of the demo's branches.csv (upper case, as the importer stores them)."""
    with branches_file.open(encoding="utf-8-sig", newline="") as handle:
        return {(row.get("code") or "").strip().upper() for row in csv.DictReader(handle)}


def own_branch_codes(session: Session, demo_codes: set[str]) -> list[str]:
    """Codes of branches in the database that are not the demo's."""
    codes = session.scalars(select(Branch.code).order_by(Branch.code))
    return [code for code in codes if code.upper() not in demo_codes]


def register(main: click.Group) -> None:
    import_group = main.commands["import"]
    demo_group = main.commands["demo"]
    nlu_group = main.commands["nlu"]
    assert isinstance(import_group, click.Group)
    assert isinstance(demo_group, click.Group)
    assert isinstance(nlu_group, click.Group)

    skip_option = click.option(
        "--skip-bad-rows", is_flag=True, help="Import the good rows even if some are bad."
    )
    file_argument = click.argument("file", type=click.Path(path_type=Path, dir_okay=False))

    @import_group.command("vehicles")
    @file_argument
    @skip_option
    def vehicles_command(file: Path, skip_bad_rows: bool) -> None:
        """Vehicles CSV (stock_id, branch, brand, model, ...): create or update by stock_id."""
        summary = _run_import(
            file,
            lambda s: import_vehicles(s, file, skip_bad_rows, show_progress=sys.stdout.isatty()),
        )
        click.echo(summary.line())

    @import_group.command("branches")
    @file_argument
    @skip_option
    def branches_command(file: Path, skip_bad_rows: bool) -> None:
        """Branches CSV (code, name, city, ...): create or update by code."""
        summary = _run_import(file, lambda s: import_branches(s, file, skip_bad_rows))
        click.echo(summary.line())

    @demo_group.command("load")
    @click.option(
        "--dir",
        "directory",
        type=click.Path(path_type=Path, file_okay=False),
        default=DEMO_DIR,
        show_default=True,
        help="Folder with branches.csv, vehicles.csv and parts.jsonl.",
    )
    @click.option(
        "--force",
        is_flag=True,
        help="Load even if the database already holds branches of your own.",
    )
    def demo_load(directory: Path, force: bool) -> None:
        """Import the demo branches, vehicles and parts (idempotent: a rerun changes nothing).

        A database that holds the dealer's own branches is left alone (the bot would offer
        demo cars to real customers); --force loads anyway.
        """
        branches_file = directory / "branches.csv"
        with session_scope() as session:
            own = own_branch_codes(session, demo_branch_codes(branches_file))
        if own and not force:
            click.echo(
                f"demo data not loaded: the database holds your own branches "
                f"({', '.join(own[:5])}{'...' if len(own) > 5 else ''}); --force loads it anyway"
            )
            return
        base_url = get_settings().public_base_url
        with tempfile.TemporaryDirectory(prefix="showroom-demo-") as tmp:
            vehicles_file, parts_file = Path(tmp) / "vehicles.csv", Path(tmp) / "parts.jsonl"
            localize_vehicles(directory / "vehicles.csv", vehicles_file, base_url)
            localize_parts(directory / "parts.jsonl", parts_file, base_url)
            branches = _run_import(branches_file, lambda s: import_branches(s, branches_file))
            vehicles = _run_import(
                vehicles_file,
                lambda s: import_vehicles(s, vehicles_file, show_progress=sys.stdout.isatty()),
            )
            with session_scope() as session:
                parts = load_demo_parts(session, parts_file)
        click.echo(f"demo data loaded: {branches.line()}; {vehicles.line()}; {parts.line()}")

    @nlu_group.command("lookups")
    @click.option(
        "--out",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("data/lookups"),
        show_default=True,
    )
    def lookups_command(out: Path) -> None:
        """Write brand.yml and model.yml lookup tables from the vehicles in the database."""
        try:
            with session_scope() as session:
                written = write_lookups(session, out)
        except LookupError as exc:
            raise click.ClickException(str(exc)) from exc
        except SQLAlchemyError as exc:
            raise click.ClickException(_database_problem(exc)) from exc
        parts = ", ".join(f"{name} ({count} entries)" for name, count in written.items())
        click.echo(f"wrote {parts} in {out}")

    @nlu_group.command("synonyms")
    @click.option(
        "--out",
        type=click.Path(path_type=Path, dir_okay=False),
        default=Path("data/nlu/vehicle_synonyms.yml"),
        show_default=True,
    )
    def synonyms_command(out: Path) -> None:
        """Write the brand-alias synonyms (VW -> Volkswagen) for Rasa."""
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(synonyms_yaml(), encoding="utf-8")
        click.echo(f"wrote {out}")
