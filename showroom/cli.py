"""The `showroom` command.

Each area contributes its commands from its own `cli.py` (a `register(main)` function), so
this module stays a table of contents: `showroom.inventory.cli`, `showroom.sales.cli`, ...
Bad input ends with a non-zero exit code and a one-line reason (click's `Error: ...`).
"""

from __future__ import annotations

import importlib
import pkgutil

import click

import showroom
from showroom.logging_setup import configure_logging


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Debug logging.")
def main(verbose: bool) -> None:
    """Showroom: the sales assistant's command line."""
    configure_logging("DEBUG" if verbose else None)


@main.group("import")
def import_group() -> None:
    """Import vehicles, parts, branches or contacts from files."""


@main.group()
def finance() -> None:
    """Financing simulations."""


@main.group()
def vin() -> None:
    """VIN reading and decoding."""


@main.group()
def db() -> None:
    """Database schema."""


@main.group()
def demo() -> None:
    """The project's demo data."""


@main.group()
def nlu() -> None:
    """Training-data helpers generated from the inventory."""


@main.group()
def report() -> None:
    """Reports (CSV or JSON)."""


def _register_area_commands() -> None:
    """Import every `cli` module under showroom/ (any depth) and let it add its commands."""
    names = sorted(
        info.name
        for info in pkgutil.walk_packages(showroom.__path__, prefix="showroom.")
        if info.name.rsplit(".", 1)[-1] == "cli" and info.name != "showroom.cli"
    )
    for name in names:
        importlib.import_module(name).register(main)


_register_area_commands()

if __name__ == "__main__":
    main()
