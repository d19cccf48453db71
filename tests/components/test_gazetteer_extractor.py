"""Names, canonical values and ambiguity learned from the training data
(components/gazetteer_extractor.py)."""

from __future__ import annotations

import textwrap

from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.fuzzy_gazetteer import Gazetteer
from components.gazetteer_extractor import (
    ambiguous_names,
    annotated_entities,
    gazetteer_names,
    training_vocabulary,
)

DATA = """
version: "3.1"
nlu:
- intent: inform
  examples: |
    - de [gasolina](fuel)
    - [diesel](fuel)
    - una [van](body_type)
    - un [cx-30]{"entity": "model", "value": "CX-30"}
- intent: search_vehicle
  examples: |
    - algo que gaste poca gasolina
    - cuanto esta la gasolina hoy
    - tienen [vans]{"entity": "body_type", "value": "van"}?
    - a que hora van a abrir?
    - busco [diesel](fuel) 4x4
- lookup: fuel
  examples: |
    - gasolina
    - diesel
- lookup: body_type
  examples: |
    - van
- lookup: model
  examples: |
    - CX 30
    - Peugeot 208
- synonym: "208"
  examples: |
    - peugeot 208
"""


def training_data() -> TrainingData:
    return RasaYAMLReader().reads(textwrap.dedent(DATA))


def test_names_come_from_lookups_synonyms_and_annotations() -> None:
    names = set(gazetteer_names(training_data()))
    assert ("fuel", "gasolina", "gasolina") in names
    assert ("model", "Peugeot 208", "208") in names  # the synonym gives the value
    assert ("body_type", "vans", "van") in names  # an annotated surface form
    # the lookup's "CX 30" and the annotation's "CX-30" are one name with one value
    gazetteer = Gazetteer(gazetteer_names(training_data()))
    assert [m.value for m in gazetteer.find("la cx 30")] == ["CX-30"]


def test_names_the_examples_also_use_as_plain_words_are_ambiguous() -> None:
    data = training_data()
    gazetteer = Gazetteer(gazetteer_names(data), known_words=training_vocabulary(data))
    # gasolina: 2 plain uses, 1 annotated; van: 1 plain ("van a abrir"), 1 annotated
    # ("vans" is another surface form)
    assert ambiguous_names(gazetteer, data) == {"gasolina", "van"}
    assert ambiguous_names(gazetteer, data, ratio=1.5) == {"gasolina"}
    # diesel is always annotated
    assert "diesel" not in ambiguous_names(gazetteer, data, ratio=0.01)


def test_a_synonym_belongs_to_the_table_of_its_exact_value() -> None:
    data = RasaYAMLReader().reads(
        textwrap.dedent(
            """
            version: "3.1"
            nlu:
            - intent: inform
              examples: |
                - un [sedan](body_type)
            - lookup: body_type
              examples: |
                - sedan
            - lookup: model
              examples: |
                - Vocho
            - synonym: Vocho
              examples: |
                - bocho
            - synonym: sedan
              examples: |
                - sedán
            """
        )
    )
    names = set(gazetteer_names(data))
    assert ("model", "bocho", "Vocho") in names
    assert ("body_type", "sedán", "sedan") in names
    assert not {n for n in names if n[1] == "bocho" and n[0] != "model"}


def test_only_annotated_entities_are_returned() -> None:
    assert annotated_entities(training_data()) == {"fuel", "body_type", "model"}
