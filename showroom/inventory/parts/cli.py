"""`showroom import parts FILE` and `showroom parts search TEXT`."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from showroom.db.session import session_scope
from showroom.inventory.branches import get_branch
from showroom.inventory.parts.cards import part_card_es, part_fits_es
from showroom.inventory.parts.importer import ImportFailed, RowProblem, import_parts
from showroom.inventory.parts.reader import UnusableFile
from showroom.inventory.parts.search import search_parts

MAX_PROBLEMS_SHOWN = 50


def register(main: click.Group) -> None:
    import_group = main.commands["import"]
    assert isinstance(import_group, click.Group)

    @import_group.command("parts")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--skip-bad-rows", is_flag=True, help="Import the good rows of a file with errors."
    )
    @click.option(
        "--branch",
        "branch_code",
        help="Branch code holding this file's stock (default: all branches).",
    )
    @click.option(
        "--delete-missing", is_flag=True, help="Delete parts whose SKU is not in the file."
    )
    @click.option(
        "--progress/--no-progress", default=None, help="Progress bar (default: on a terminal)."
    )
    def import_parts_command(
        file: Path,
        skip_bad_rows: bool,
        branch_code: str | None,
        delete_missing: bool,
        progress: bool | None,
    ) -> None:
        """Import a parts catalog (JSON array or JSON Lines), updating parts by SKU."""
        if not file.is_file():
            raise click.ClickException(f"file not found: {file}")
        show = sys.stderr.isatty() if progress is None else progress
        bars = _Bars(file.stat().st_size, enabled=show)
        try:
            with session_scope() as session:
                summary = import_parts(
                    session,
                    file,
                    skip_bad_rows=skip_bad_rows,
                    branch_code=branch_code,
                    delete_missing=delete_missing,
                    progress=bars,
                )
        except ImportFailed as exc:
            bars.close()
            _print_problems(exc.problems)
            raise click.ClickException(str(exc)) from exc
        except UnusableFile as exc:
            bars.close()
            raise click.ClickException(str(exc)) from exc
        bars.close()
        _print_problems(summary.problems)
        _print_problems(summary.warnings, prefix="warning: ")
        click.echo(summary.line())

    @main.group("parts")
    def parts_group() -> None:
        """The parts catalog."""

    @parts_group.command("search")
    @click.argument("text")
    @click.option("--brand")
    @click.option("--model")
    @click.option("--year", type=int)
    @click.option("--in-stock", is_flag=True)
    @click.option("--branch", "branch_code")
    @click.option("--limit", type=int, default=3, show_default=True)
    def search_command(
        text: str,
        brand: str | None,
        model: str | None,
        year: int | None,
        in_stock: bool,
        branch_code: str | None,
        limit: int,
    ) -> None:
        """Search the catalog as the assistant would (cards in Spanish)."""
        with session_scope() as session:
            branch = get_branch(session, branch_code) if branch_code else None
            if branch_code and branch is None:
                raise click.ClickException(f"unknown branch code: {branch_code}")
            result = search_parts(
                session,
                text,
                brand=brand,
                model=model,
                year=year,
                in_stock_only=in_stock,
                branch_code=branch.code if branch else None,
                limit=limit,
            )
            vehicle = result.vehicle.label() if result.vehicle else "-"
            click.echo(
                f"{result.total} found · vehicle: {vehicle} · needs vehicle: "
                f"{'yes' if result.needs_vehicle else 'no'}"
                + (f" · dropped: {', '.join(result.dropped)}" if result.dropped else "")
                + (f" · corrected: {result.corrections}" if result.corrections else "")
            )
            for part in result.parts:
                click.echo("")
                click.echo(part_card_es(part, branch))
                fits = part_fits_es(part)
                if fits:
                    click.echo(fits)


class _Bars:
    """Progress bars on stderr: bytes read, then rows written, then the search index."""

    def __init__(self, size: int, *, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = self._bar("reading", size, "B")

    def _bar(self, name: str, total: int, unit: str) -> tqdm[Any]:
        return tqdm(
            total=total,
            unit=unit,
            unit_scale=unit == "B",
            desc=f"parts {name}",
            disable=not self.enabled,
            file=sys.stderr,
        )

    def read(self, n_bytes: int) -> None:
        self.bar.update(n_bytes)

    def stage(self, name: str, total: int) -> None:
        self.bar.close()
        self.bar = self._bar(name, total, "rows" if name == "writing" else "step")

    def advance(self, steps: int) -> None:
        self.bar.update(steps)

    def close(self) -> None:
        self.bar.close()


def _print_problems(problems: Sequence[RowProblem], prefix: str = "") -> None:
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        click.echo(f"{prefix}{problem}", err=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        click.echo(f"{prefix}... and {len(problems) - MAX_PROBLEMS_SHOWN} more", err=True)
