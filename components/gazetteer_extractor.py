"""Rasa entity extractor over the training data's lookup tables and synonyms.

Every lookup table whose name is an entity (brand, model, part, city, body_type...) is a
list of names; synonyms give each name its canonical value ("VW" -> "Volkswagen"), and
annotated examples of those entities add the surface forms designers wrote. So after
`showroom nlu lookups` and a retrain, the assistant knows the dealer's own inventory
names, with typos (components/fuzzy_gazetteer.py).

Matches go to the message's entities (canonical value, extractor name) and, as spans, to
the `gazetteer_matches` attribute that the CRF tagger reads as features, also on the
training examples, whose own annotations are left untouched.

A name that the training examples use as a plain word about as often as they annotate it
("gasolina" in "gasta poca gasolina", "van" in "van a abrir") is ambiguous: its matches
carry `additional_info: {"ambiguous": true}` and the EntityResolver keeps them only when
another extractor (the CRF, which sees the context) finds the same entity there.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.fuzzy_gazetteer import Gazetteer, name_key, plain_words

logger = logging.getLogger(__name__)

MATCHES_ATTRIBUTE = "gazetteer_matches"
MODEL_FILE = "gazetteer.json"
AMBIGUOUS = "ambiguous"


def gazetteer_names(
    training_data: TrainingData, entities: list[str] | None = None
) -> list[tuple[str, str, str]]:
    """(entity, surface, canonical value) from lookup tables, synonyms and annotations."""
    synonyms = {name_key(k): v for k, v in (training_data.entity_synonyms or {}).items()}
    names: list[tuple[str, str, str]] = []
    tables: set[str] = set()
    for table in training_data.lookup_tables or []:
        entity = table.get("name")
        elements = table.get("elements")
        if not entity or not isinstance(elements, list):
            continue
        if entities is not None and entity not in entities:
            continue
        tables.add(entity)
        for element in elements:
            surface = str(element).strip()
            if surface:
                names.append((entity, surface, synonyms.get(name_key(surface), surface)))
    # a synonym belongs to the table whose canonical value it gives: the exact value first
    # ("Vocho" is a model, "sedan" a body type), else the same name written differently
    exact = {value: entity for entity, _, value in names}
    by_key: dict[str, set[str]] = {}
    for entity, _, value in names:
        by_key.setdefault(name_key(value), set()).add(entity)
    for surface, value in (training_data.entity_synonyms or {}).items():
        entity = exact.get(value)
        if entity is None and len(by_key.get(name_key(value), ())) == 1:
            (entity,) = by_key[name_key(value)]
        if entity:
            names.append((entity, surface, value))
    for message in training_data.nlu_examples:
        for annotation in message.get(ENTITIES) or []:
            entity = annotation.get("entity")
            if entity in tables and not annotation.get("role"):
                text = message.get(TEXT)[annotation["start"] : annotation["end"]]
                value = annotation.get("value") or text
                names.append((entity, text, synonyms.get(name_key(str(value)), str(value))))
    return names


def training_vocabulary(training_data: TrainingData) -> set[str]:
    """Words the examples use outside any annotated entity: customers' ordinary words.

    They are never taken for a typo of a name; an exact name still matches.
    """
    words: set[str] = set()
    for message in training_data.nlu_examples:
        text = message.get(TEXT)
        if not text:
            continue
        spans = [(a["start"], a["end"]) for a in message.get(ENTITIES) or [] if "start" in a]
        words |= plain_words(text, spans)
    return words


def annotated_entities(training_data: TrainingData) -> set[str]:
    """Entity names the examples annotate (roles aside)."""
    return {
        str(a["entity"])
        for message in training_data.nlu_examples
        for a in message.get(ENTITIES) or []
        if a.get("entity")
    }


def ambiguous_names(
    gazetteer: Gazetteer, training_data: TrainingData, ratio: float = 0.5
) -> set[str]:
    """Name keys the examples leave unannotated at least `ratio` times as often as they
    annotate them (and at least once): "gasolina" in "gasta poca gasolina"."""
    plain: Counter[str] = Counter()
    annotated: Counter[str] = Counter()
    for message in training_data.nlu_examples:
        text = message.get(TEXT)
        if not text:
            continue
        spans = [(a["start"], a["end"]) for a in message.get(ENTITIES) or [] if "start" in a]
        seen = set()
        for match in gazetteer.find(text):
            if (match.start, match.key) in seen:
                continue  # one surface, several entities: count the words once
            seen.add((match.start, match.key))
            covered = any(s < match.end and match.start < e for s, e in spans)
            (annotated if covered else plain)[match.key] += 1
    return {key for key, n in plain.items() if n >= ratio * annotated[key]}


# Also a MESSAGE_FEATURIZER: only those run on the training data in Rasa's training graph,
# and the CRF tagger learns from the spans this component marks on training examples.
@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=True,
)
class GazetteerEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Lookup-table names (fuzzy, canonical values) as entities; see the module doc."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # lookup tables to use (None = every table)
            "entities": None,
            # names this long or longer match with one typo
            "fuzzy_min_length": 5,
            # a name is ambiguous when the examples leave it unannotated at least this
            # many times per annotated occurrence (None: never)
            "ambiguity_ratio": 0.5,
            # also return entities of tables no example annotates (`state` only keeps
            # "Nuevo León" from reading as "nuevo" + "León"; it is not an entity)
            "output_unannotated": False,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        gazetteer: Gazetteer | None = None,
        output_entities: set[str] | None = None,
    ) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.gazetteer = gazetteer or Gazetteer()
        # entities returned to the message (None: every table's)
        self.output_entities = output_entities

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GazetteerEntityExtractor:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        names = gazetteer_names(training_data, self.component_config.get("entities"))
        fuzzy_min_length = int(self.component_config["fuzzy_min_length"])
        known_words = training_vocabulary(training_data)
        self.gazetteer = Gazetteer(names, fuzzy_min_length, known_words=known_words)
        ratio = self.component_config.get("ambiguity_ratio")
        if ratio is not None:
            ambiguous = ambiguous_names(self.gazetteer, training_data, float(ratio))
            self.gazetteer = Gazetteer(
                names, fuzzy_min_length, known_words=known_words, ambiguous=ambiguous
            )
        logger.debug(
            "Gazetteer: %d names, %d ambiguous", len(self.gazetteer), len(self.gazetteer.ambiguous)
        )
        if not self.component_config.get("output_unannotated"):
            self.output_entities = annotated_entities(training_data)
        data = self.gazetteer.to_dict()
        if self.output_entities is not None:
            data["output_entities"] = sorted(self.output_entities)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_text(
                json.dumps(data, ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._annotate(message, add_entities=False)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._annotate(message, add_entities=True)
        return messages

    def _annotate(self, message: Message, add_entities: bool) -> None:
        text = message.get(TEXT)
        if not text or not len(self.gazetteer):
            return
        matches = self.gazetteer.find(text)
        message.set(MATCHES_ATTRIBUTE, [(m.start, m.end, m.entity) for m in matches])
        if self.output_entities is not None:
            matches = [m for m in matches if m.entity in self.output_entities]
        if not add_entities or not matches:
            return
        entities = []
        for m in matches:
            entity: dict[str, Any] = {
                "entity": m.entity,
                "start": m.start,
                "end": m.end,
                "value": m.value,
                "confidence_entity": m.confidence,
            }
            if m.ambiguous:
                entity["additional_info"] = {AMBIGUOUS: True}
            entities.append(entity)
        message.set(
            ENTITIES,
            message.get(ENTITIES, []) + self.add_extractor_name(entities),
            add_to_output=True,
        )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> GazetteerEntityExtractor:
        try:
            with model_storage.read_from(resource) as directory:
                data = json.loads((directory / MODEL_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)
        output = data.get("output_entities")
        output_entities = set(output) if isinstance(output, list) else None
        return cls(config, model_storage, resource, Gazetteer.from_dict(data), output_entities)
