"""Rasa lookup tables and brand synonyms generated from the inventory."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch, Vehicle
from showroom.inventory.lookups import model_entries, spellings, synonyms_yaml, write_lookups
from showroom.inventory.vocabulary import BRAND_ALIASES
from showroom.settings import PROJECT_ROOT


def examples(text: str) -> list[str]:
    """The `- ` items of a generated file's `examples: |` blocks (its format is fixed)."""
    return [line.removeprefix("    - ") for line in text.splitlines() if line.startswith("    - ")]


def lookup_examples(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    assert text.count("- lookup: ") == 1
    return examples(text)


def test_spelling_variants() -> None:
    assert spellings("CR-V") == {"CR-V", "cr-v", "CRV", "crv", "CR V", "cr v"}
    assert {"Citroën", "citroën", "Citroen", "citroen"} <= spellings("Citroën")
    assert spellings("Sentra") == {"Sentra", "sentra"}


def test_short_and_numeric_models_only_with_their_brand() -> None:
    entries = model_entries([("Mazda", "Mazda 3"), ("RAM", "700"), ("MG", "ZS"), ("Honda", "CR-V")])
    assert {"Mazda 3", "mazda3", "RAM 700", "ram 700", "RAM700", "MG ZS", "CR-V"} <= set(entries)
    assert not {"3", "700", "ZS", "zs"} & set(entries)


def test_output_is_sorted_deduplicated_and_deterministic(
    session: Session,
    add_branch: Callable[..., Branch],
    add_vehicle: Callable[..., Vehicle],
    tmp_path: Path,
) -> None:
    branch = add_branch("GDL")
    for brand, model in [("Toyota", "Hilux"), ("Honda", "CR-V"), ("Toyota", "Hilux")]:
        add_vehicle(branch, brand, model, price_mxn=Decimal(500_000))
    counts = write_lookups(session, tmp_path / "a")
    add_vehicle(branch, "Honda", "CR-V", price_mxn=Decimal(1))  # more rows, same names
    write_lookups(session, tmp_path / "b")
    for name in ("brand.yml", "model.yml"):
        first = (tmp_path / "a" / name).read_bytes()
        assert first == (tmp_path / "b" / name).read_bytes()
        examples = lookup_examples(tmp_path / "a" / name)
        assert examples == sorted(set(examples), key=lambda s: (s.casefold(), s))
        assert counts[name] == len(examples)
    assert lookup_examples(tmp_path / "a" / "model.yml") == [
        "CR V", "cr v", "CR-V", "cr-v", "CRV", "crv", "Hilux", "hilux",
    ]  # fmt: skip


def test_committed_lookups_match_the_demo_inventory(
    demo_inventory: Session, tmp_path: Path
) -> None:
    write_lookups(demo_inventory, tmp_path)
    for name in ("brand.yml", "model.yml"):
        committed = PROJECT_ROOT / "data" / "lookups" / name
        assert committed.read_text() == (tmp_path / name).read_text(), (
            f"{committed} is stale: run `showroom demo load && showroom nlu lookups`"
        )
    brands = lookup_examples(PROJECT_ROOT / "data" / "lookups" / "brand.yml")
    assert {"Volkswagen", "VW", "vw", "Chevrolet", "chevy", "Mazda", "mazda"} <= set(brands)


def test_committed_synonyms_are_current_and_canonical() -> None:
    committed = PROJECT_ROOT / "data" / "nlu" / "vehicle_synonyms.yml"
    assert committed.read_text(encoding="utf-8") == synonyms_yaml()
    mapping: dict[str, str] = {}
    for block in synonyms_yaml().split("- synonym: ")[1:]:
        canonical = block.splitlines()[0]
        assert canonical in BRAND_ALIASES
        for text in examples(block):
            assert text == text.lower()
            assert mapping.setdefault(text, canonical) == canonical
    assert mapping["vw"] == mapping["volks"] == "Volkswagen"
    assert mapping["chevy"] == "Chevrolet"
    assert mapping["mercedes"] == "Mercedes-Benz"
