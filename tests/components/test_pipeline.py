"""The NLU pipeline of config.yml, trained on a small Spanish data set and used end to end.

Trains with Rasa's own training code (in a temporary directory with its own cache), then
parses through Rasa's Agent, as the server does.
"""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

NLU = """
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hola
    - buenas tardes
    - buenos dias
    - que tal
    - hola buenas
    - buenas noches
    - qué onda
    - saludos
- intent: search_vehicle
  examples: |
    - busco un [Jetta](model)
    - quiero un [vw]{"entity": "brand", "value": "Volkswagen"} [jetta](model)
    - tienen [Versa](model) disponibles?
    - busco una [camioneta]{"entity": "body_type", "value": "suv"}
    - me interesa un [Nissan](brand) [Sentra](model)
    - quiero comprar un carro
    - que autos tienen
    - busco [sedan](body_type) [Toyota](brand)
    - ando buscando una [troca]{"entity": "body_type", "value": "pickup"}
    - tienen algun [Chevrolet](brand) [Aveo](model)?
- intent: ask_financing
  examples: |
    - cuanto quedarian las mensualidades
    - quiero financiarlo
    - manejan credito?
    - a cuantos meses me lo dejan
    - cuanto seria de enganche
    - como le hago para sacarlo a credito
    - quiero calcular mensualidades
    - me lo financian?
- intent: book_test_drive
  examples: |
    - quiero hacer una prueba de manejo
    - puedo ir a manejarlo
    - agendame una cita para manejarlo
    - quiero probar el carro
    - se puede dar una vuelta en el?
    - quiero agendar prueba de manejo
- intent: goodbye
  examples: |
    - adios
    - bye
    - hasta luego
    - nos vemos
    - gracias, es todo
    - me retiro
    - luego te marco
- lookup: brand
  examples: |
    - Chevrolet
    - Nissan
    - Toyota
    - Volkswagen
    - Mazda
    - Peugeot
- lookup: model
  examples: |
    - Aveo
    - Kicks
    - Sentra
    - Versa
    - Jetta
    - CX-5
    - March
    - Mazda 3
    - Peugeot 2008
- synonym: Volkswagen
  examples: |
    - vw
    - volkswagen
- synonym: "2008"
  examples: |
    - peugeot 2008
- lookup: state
  examples: |
    - Nuevo León
"""


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from rasa.model_training import train_nlu

    work = tmp_path_factory.mktemp("pipeline")
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config.pop("policies", None)
    (work / "config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (work / "nlu.yml").write_text(textwrap.dedent(NLU), encoding="utf-8")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(work / "cache"))
    monkeypatch.delenv("DUCKLING_URL", raising=False)
    monkeypatch.setenv("DEFAULT_TIMEZONE", "America/Mexico_City")
    try:
        model = train_nlu(
            str(work / "config.yml"),
            str(work / "nlu.yml"),
            str(work / "models"),
            fixed_model_name="nlu",
        )
        assert model is not None
        yield model
    finally:
        monkeypatch.undo()


@pytest.fixture(scope="module")
def agent(model_path: str) -> Any:
    from rasa.core.agent import Agent

    return Agent.load(model_path)


def parse(agent: Any, text: str) -> dict[str, Any]:
    return asyncio.run(agent.parse_message(text))


def entities(parsed: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(e["entity"], e["value"], e.get("role")) for e in parsed["entities"]]


def test_intent_and_entities_from_every_extractor(agent: Any) -> None:
    parsed = parse(agent, "busco un chevrolte aveo de hasta 250 mil")
    assert parsed["intent"]["name"] == "search_vehicle"
    assert entities(parsed) == [
        ("brand", "Chevrolet", None),
        ("model", "Aveo", None),
        ("amount", 250_000, "budget"),
    ]


def test_a_model_only_in_the_lookup_table_is_recognised(agent: Any) -> None:
    parsed = parse(agent, "tienen kicks?")
    assert ("model", "Kicks", None) in entities(parsed)


def test_a_word_the_examples_use_is_not_a_typo_of_a_name(agent: Any) -> None:
    # "marco" is one letter from the Nissan March, but the goodbye examples use it
    assert parse(agent, "bueno, luego te marco")["entities"] == []
    assert ("model", "March", None) in entities(parse(agent, "tienen march?"))
    assert ("model", "March", None) in entities(parse(agent, "tienen mrach?"))


def test_a_model_named_with_its_brand_gives_both(agent: Any) -> None:
    found = entities(parse(agent, "tienen el mazda 3?"))
    assert {("brand", "Mazda", None), ("model", "Mazda 3", None)} <= set(found)
    found = entities(parse(agent, "quiero un peugeot 2008"))
    assert {("brand", "Peugeot", None), ("model", "2008", None)} <= set(found)
    # after another brand, 2008 is a year
    found = entities(parse(agent, "es un chevrolet 2008"))
    assert ("model", "2008", None) not in found
    assert ("year", 2008, None) in found


def test_a_table_no_example_annotates_gives_no_entity(agent: Any) -> None:
    # the state table only keeps the words of "Nuevo León" together
    assert [e for e in entities(parse(agent, "soy de nuevo leon")) if e[0] == "state"] == []


def test_synonyms_give_canonical_values(agent: Any) -> None:
    parsed = parse(agent, "quiero un VW")
    assert ("brand", "Volkswagen", None) in entities(parsed)


def test_dates_and_terms(agent: Any) -> None:
    parsed = parse(agent, "quiero calcular mensualidades a 48 meses con 20% de enganche")
    assert parsed["intent"]["name"] == "ask_financing"
    assert entities(parsed) == [("months", 48, None), ("percent", 20, None)]
    parsed = parse(agent, "puedo ir a manejarlo el sabado a las 11?")
    assert parsed["intent"]["name"] == "book_test_drive"
    (time,) = [e for e in parsed["entities"] if e["entity"] == "time"]
    assert time["value"].endswith("T11:00:00")


def test_ranking_is_a_probability_distribution(agent: Any) -> None:
    ranking = parse(agent, "hola buenas tardes")["intent_ranking"]
    assert ranking[0]["name"] == "greet"
    assert 0.99 < sum(r["confidence"] for r in ranking) <= 1.0001
    assert ranking == sorted(ranking, key=lambda r: -r["confidence"])


def test_the_fallback_classifier_runs_last(agent: Any) -> None:
    # Which messages fall back is tested on the assistant's real data (keyboard mashes,
    # test_linear_intent_classifier.py): on these 46 examples a few shared letters already
    # make one of 5 intents stand out, which says nothing about the assistant.
    parsed = parse(agent, "hola buenas tardes")
    assert parsed["intent"]["name"] == "greet"
    assert parsed["intent"]["confidence"] >= 0.3
    assert [r for r in parsed["intent_ranking"] if r["name"] == "nlu_fallback"] == []
    schema = agent.processor.model_metadata.predict_schema
    names = [node.uses.__name__ for node in schema.nodes.values()]
    assert "FallbackClassifier" in names


def test_a_reloaded_model_predicts_the_same(agent: Any, model_path: str) -> None:
    from rasa.core.agent import Agent

    again = Agent.load(model_path)
    text = "me lo financian a 36 meses? es un jetta 2019"
    first, second = parse(agent, text), parse(again, text)
    assert first["intent"] == second["intent"]
    assert first["entities"] == second["entities"]
