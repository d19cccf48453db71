"""CRFEntityTagger trained through its Rasa component interface."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.crf_entity_tagger import CRFEntityTagger

CITIES = ["Monterrey", "Puebla", "Toluca", "Queretaro", "Leon", "Merida"]


def example(text: str, entities: list[tuple[str, str, str | None]], intent: str) -> Message:
    annotations = []
    for surface, name, role in entities:
        start = text.index(surface)
        annotation: dict[str, Any] = {
            "start": start,
            "end": start + len(surface),
            "value": surface,
            "entity": name,
        }
        if role:
            annotation["role"] = role
        annotations.append(annotation)
    return Message(data={"text": text, "intent": intent, "entities": annotations})


def training_data() -> TrainingData:
    messages = []
    for i, origin in enumerate(CITIES):
        destination = CITIES[(i + 1) % len(CITIES)]
        messages.append(
            example(
                f"me mudo de {origin} a {destination}",
                [(origin, "city", "from"), (destination, "city", "to")],
                "inform",
            )
        )
        messages.append(
            example(f"tienen sucursal en {origin}?", [(origin, "city", None)], "ask_branch_info")
        )
    return TrainingData(messages)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, ...]:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("crf")))
    context = ExecutionContext(GraphSchema({}), "test")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    data = training_data()
    tokenizer.process_training_data(data)
    config = {**CRFEntityTagger.get_default_config(), "c1": 0.01, "c2": 0.01}
    tagger = CRFEntityTagger.create(config, storage, Resource("crf"), context)
    tagger.train(data)
    return tagger, tokenizer, storage, context, config


def tag(
    tagger: CRFEntityTagger, tokenizer: WhitespaceTokenizer, text: str, intent: str
) -> list[Any]:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 1.0}})
    tokenizer.process([message])
    tagger.process([message])
    return [
        (e["value"], e["entity"], e.get("role"), e["extractor"])
        for e in message.get("entities", [])
    ]


def test_entities_and_roles(setup: tuple[Any, ...]) -> None:
    tagger, tokenizer, *_ = setup
    assert tag(tagger, tokenizer, "me mudo de Toluca a Merida", "inform") == [
        ("Toluca", "city", "from", "CRFEntityTagger"),
        ("Merida", "city", "to", "CRFEntityTagger"),
    ]
    assert tag(tagger, tokenizer, "tienen sucursal en Puebla?", "ask_branch_info") == [
        ("Puebla", "city", None, "CRFEntityTagger")
    ]


def test_confidence_and_reload(setup: tuple[Any, ...]) -> None:
    tagger, tokenizer, storage, context, config = setup
    loaded = CRFEntityTagger.load(config, storage, Resource("crf"), context)
    text = "me mudo de Leon a Puebla"
    assert tag(loaded, tokenizer, text, "inform") == tag(tagger, tokenizer, text, "inform")
    message = Message(data={"text": text, "intent": {"name": "inform", "confidence": 1.0}})
    tokenizer.process([message])
    loaded.process([message])
    assert all(0.0 < e["confidence_entity"] <= 1.0 for e in message.get("entities"))


def test_min_confidence_drops_unsure_entities(setup: tuple[Any, ...]) -> None:
    _, tokenizer, storage, context, config = setup
    strict = CRFEntityTagger.load(
        {**config, "min_confidence": 1.01}, storage, Resource("crf"), context
    )
    assert tag(strict, tokenizer, "me mudo de Leon a Puebla", "inform") == []


def test_untrained_tagger_adds_nothing(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    config = CRFEntityTagger.get_default_config()
    tagger = CRFEntityTagger.create(config, storage, Resource("empty"), context)
    data = TrainingData([Message(data={"text": "hola", "intent": "greet"})])
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    tokenizer.process_training_data(data)
    tagger.train(data)
    assert tag(tagger, tokenizer, "hola", "greet") == []
