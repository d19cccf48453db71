"""Brand/model names in free text, matched against the inventory (the demo data)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy.orm import Session

from showroom.db.models.inventory import Branch, Vehicle
from showroom.inventory.text_match import match_vehicle_names

CASES = [
    ("Busco una Hilux diésel", ("Toyota", "Hilux")),
    ("tienen crv?", ("Honda", "CR-V")),
    ("me interesa la CR V touring", ("Honda", "CR-V")),
    ("una virtus automática", ("Volkswagen", "Virtus")),
    ("algo de VW", ("Volkswagen", None)),
    ("quiero un vochito... no, un volks jetta", ("Volkswagen", "Jetta")),
    ("mazda 3 o cx30", ("Mazda", "Mazda 3")),
    ("un mazda tres", ("Mazda", "Mazda 3")),
    ("RAM 700 de trabajo", ("RAM", "700")),
    ("precio de la sentr", ("Nissan", "Sentra")),  # one letter missing
    ("precio del sent", (None, None)),  # 4 letters: too short for a typo
    ("precio del centra", ("Nissan", "Sentra")),  # one typo
    ("cuánto cuesta la Tigüan", ("Volkswagen", "Tiguan")),
    ("una chevy tracker", ("Chevrolet", "Tracker")),
    ("hola buenas tardes", (None, None)),
    ("que marca me recomiendas", (None, None)),  # "marca" is not "March"
    ("que onda, busco camioneta", (None, None)),  # "onda" is not "Honda"
    ("tengo 700 mil y quiero algo del 2020", (None, None)),  # numbers are not models
    ("", (None, None)),
]


def test_demo_inventory_names(demo_inventory: Session) -> None:
    """All cases against one import of the demo data (the diff names any wrong one)."""
    found = {text: match_vehicle_names(demo_inventory, text) for text, _ in CASES}
    assert found == dict(CASES)


def test_any_dealers_inventory_without_retraining(
    session: Session,
    add_branch: Callable[..., Branch],
    add_vehicle: Callable[..., Vehicle],
) -> None:
    branch = add_branch("GDL")
    add_vehicle(branch, "Cupra", "Formentor", price_mxn=Decimal(899_900))
    add_vehicle(branch, "Chevrolet", "Chevy", year=2012, price_mxn=Decimal(89_900))
    assert match_vehicle_names(session, "tienen un formentr?") == ("Cupra", "Formentor")
    # a dealer that stocks the old "Chevy" model gets it as a model
    assert match_vehicle_names(session, "busco un chevy") == ("Chevrolet", "Chevy")
    assert match_vehicle_names(session, "busco una hilux") == (None, None)


def test_brand_named_with_another_brands_model(
    session: Session,
    add_branch: Callable[..., Branch],
    add_vehicle: Callable[..., Vehicle],
) -> None:
    branch = add_branch("GDL")
    add_vehicle(branch, "Kia", "Rio")
    add_vehicle(branch, "Nissan", "Rio")  # fictitious clash: the named brand wins
    assert match_vehicle_names(session, "nissan rio") == ("Nissan", "Rio")
    assert match_vehicle_names(session, "un rio de kia") == ("Kia", "Rio")
