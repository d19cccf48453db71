"""Comparison keys and canonical values shared by importer, search and text matching."""

from __future__ import annotations

import pytest

from showroom.inventory.vocabulary import (
    canonical_brand,
    canonical_value,
    fold,
    model_key,
    repeats_brand,
    text_key,
)


def test_fold_and_text_key() -> None:
    assert fold("  Cancún   Q. Roo ") == "cancun q. roo"
    assert text_key("CR-V") == text_key("cr v") == text_key("CRV") == "crv"
    assert text_key("Citroën") == "citroen"


@pytest.mark.parametrize(
    ("brand", "model", "key"),
    [
        ("Mazda", "Mazda 3", "3"),
        ("Mazda", "MAZDA3", "3"),
        ("Mazda", "3", "3"),
        ("MG", "MG5", "5"),
        ("RAM", "Rampage", "rampage"),  # the brand is not a separate word there
        ("Honda", "CR-V", "crv"),
        ("Mazda", "Mazda", "mazda"),
    ],
)
def test_model_key(brand: str, model: str, key: str) -> None:
    assert model_key(brand, model) == key


def test_repeats_brand() -> None:
    assert repeats_brand("Mazda", "Mazda 3")
    assert not repeats_brand("RAM", "Rampage")
    assert not repeats_brand("Toyota", "Hilux")


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("VW", "Volkswagen"), ("volks", "Volkswagen"), ("NISSAN", "Nissan"), ("chevy", "Chevrolet"),
     ("Mercedes Benz", "Mercedes-Benz"), ("citroen", "Citroën"), ("Zeekr", "Zeekr")],
)  # fmt: skip
def test_canonical_brand(raw: str, canonical: str) -> None:
    assert canonical_brand(raw) == canonical


@pytest.mark.parametrize(
    ("field", "raw", "value"),
    [
        ("transmission", "Automática", "automatica"),
        ("transmission", "CVT", "automatica"),
        ("transmission", "estándar", "manual"),
        ("fuel", "Diésel", "diesel"),
        ("fuel", "PHEV", "hibrido"),
        ("body_type", "Pick-up", "pickup"),
        ("body_type", "SUV", "suv"),
        ("condition", "usado", "seminuevo"),
        ("status", "apartado", "reserved"),
        ("fuel", "carbón", None),
        ("fuel", None, None),
    ],
)
def test_canonical_value(field: str, raw: str | None, value: str | None) -> None:
    assert canonical_value(field, raw) == value
