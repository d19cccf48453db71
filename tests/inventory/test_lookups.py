"""Rasa lookup tables and brand synonyms generated from the inventory."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch, Vehicle
from showroom.inventory.lookups import (
    brand_alias_table,
    market_models,
    model_entries,
    model_synonyms,
    spellings,
    synonyms_yaml,
    write_lookups,
)
from showroom.inventory.vocabulary import text_key
from showroom.settings import PROJECT_ROOT


def examples(text: str) -> list[str]:
    """The `- ` items of a generated file's `examples: |` blocks (its format is fixed)."""
    return [line.removeprefix("    - ") for line in text.splitlines() if line.startswith("    - ")]


def lookup_examples(path: Path) -> list[str]:
    """The entries of the file's one lookup table (synonym blocks may follow it)."""
    text = path.read_text(encoding="utf-8")
    assert text.count("- lookup: ") == 1
    return examples(text.split("- synonym: ")[0])


def synonym_blocks(text: str) -> dict[str, list[str]]:
    blocks = {}
    for block in text.split("- synonym: ")[1:]:
        blocks[block.splitlines()[0].strip('"')] = examples(block)
    return blocks


def test_spelling_variants() -> None:
    assert spellings("CR-V") == {"CR-V", "cr-v", "CRV", "crv", "CR V", "cr v"}
    assert {"Citroën", "citroën", "Citroen", "citroen"} <= spellings("Citroën")
    assert spellings("Sentra") == {"Sentra", "sentra"}


def test_short_and_numeric_models_only_with_their_brand() -> None:
    entries = model_entries([("Mazda", "Mazda 3"), ("RAM", "700"), ("MG", "ZS"), ("Honda", "CR-V")])
    assert {"Mazda 3", "RAM 700", "MG ZS", "CR-V", "Peugeot 208", "Kia K3"} <= set(entries)
    assert not {"3", "700", "ZS", "208", "K3"} & set(entries)
    # a name the manufacturer writes without its brand comes back through a synonym
    synonyms = model_synonyms([("Foton", "G7")])
    assert {"peugeot 208", "pegeot 208"} <= set(synonyms["208"])
    assert synonyms["K3"] == ["kia k3"]
    assert synonyms["G7"] == ["foton g7"]  # inventory-only, unknown to the market list
    assert "Foton G7" in model_entries([("Foton", "G7")])
    # everyday words are only recognised after their brand ("la sierra", "clase a las 5")
    assert {"GMC Sierra", "Mercedes-Benz Clase A", "Fiat Uno"} <= set(entries)
    assert not {"Sierra", "Clase A", "Uno"} & set(entries)


def test_other_names_from_the_market_table_are_synonyms() -> None:
    synonyms = model_synonyms([("Nissan", "Frontier")])
    # VW's "Sedán" would read as the body type: it goes by its Mexican name
    assert {"bocho", "escarabajo"} <= set(synonyms["Vocho"])
    assert "Vocho" in model_entries([]) and "Sedán" not in model_entries([])
    assert "micra" in synonyms["March"]
    # an alias that is a model of its own, a brand or a body type is left out
    assert not any("frontier" in forms for forms in synonyms.values())
    assert not any({"pickup", "pick up", "chevy"} & set(forms) for forms in synonyms.values())
    assert "Chevy" not in {text for text in model_entries([])}


def test_one_entry_per_model_in_the_markets_spelling() -> None:
    entries = model_entries([("Honda", "crv"), ("RAM", "ram 700"), ("Nissan", "Sentra Clasico")])
    keys = [text_key(e) for e in entries]
    assert len(keys) == len(set(keys))  # no "CRV", "cr v", "cx30" variants
    assert "CR-V" in entries and "crv" not in entries
    assert "RAM 700" in entries and "ram 700" not in entries
    assert "Sentra Clasico" in entries  # the dealer's own name
    # the Mexican market is covered whatever the inventory holds
    assert {"Tiggo 4", "Sei4", "Ibiza", "Tsuru", "Golf", "S10", "Grand i10"} <= set(entries)
    assert len(market_models()) > 600


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
    models = lookup_examples(tmp_path / "a" / "model.yml")
    assert {"CR-V", "Hilux"} <= set(models)
    assert not {"CRV", "crv", "cr v", "hilux"} & set(models)
    brands = lookup_examples(tmp_path / "a" / "brand.yml")
    assert {"Honda", "Toyota", "Chirey", "JAC", "SEAT"} <= set(brands)
    synonyms = synonym_blocks((tmp_path / "a" / "model.yml").read_text(encoding="utf-8"))
    assert "peugeot 208" in synonyms["208"]


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
    assert {"Volkswagen", "Chevrolet", "Mazda", "RAM", "MG", "Chirey", "JAC"} <= set(brands)
    assert not {"VW", "vw", "chevy"} & set(brands)  # aliases are synonyms


def test_committed_synonyms_are_current_and_canonical() -> None:
    committed = PROJECT_ROOT / "data" / "nlu" / "vehicle_synonyms.yml"
    assert committed.read_text(encoding="utf-8") == synonyms_yaml()
    mapping: dict[str, str] = {}
    for block in synonyms_yaml().split("- synonym: ")[1:]:
        canonical = block.splitlines()[0]
        assert canonical in brand_alias_table()
        for text in examples(block):
            assert text == text.lower()
            assert mapping.setdefault(text, canonical) == canonical
    assert mapping["vw"] == mapping["volks"] == "Volkswagen"
    assert mapping["chevy"] == "Chevrolet"
    assert mapping["mercedes"] == "Mercedes-Benz"
