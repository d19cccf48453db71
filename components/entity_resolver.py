"""One entity per span: resolve overlapping entities from several extractors.

Several extractors may claim the same words: the CRF tagger says `city` for "León", the
gazetteer says `city` and `model`; the quantity parser says `time` where the CRF says
something else. Each entity gets a support score: the sum, over the entities that overlap
it with the same label, of extractor weight × confidence. Entities are kept greedily by
support (then longer span, then weight), dropping any that overlap a kept one. A kept
entity takes its value from the agreeing entity with the highest `value_priority`
(normalised values such as "Volkswagen" or 300000 beat raw text) and the first role any
agreeing entity has. Entities of any name pass through (`vin` included); an entity no one
disputes is returned unchanged.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

DEFAULT_WEIGHTS = {
    "VinExtractor": 2.0,
    "GazetteerEntityExtractor": 1.0,
    "CRFEntityTagger": 1.0,
    "SpanishQuantityExtractor": 0.3,
}
DEFAULT_VALUE_PRIORITY = {
    "VinExtractor": 3,
    "SpanishQuantityExtractor": 2,
    "GazetteerEntityExtractor": 2,
}
SYNONYM_MAPPER = "EntitySynonymMapper"


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _confidence(entity: dict[str, Any]) -> float:
    value = entity.get("confidence_entity", entity.get("confidence"))
    return float(value) if isinstance(value, int | float) else 1.0


def resolve_entities(
    entities: list[dict[str, Any]],
    weights: dict[str, float] | None = None,
    value_priority: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """The entities with overlaps resolved (see module doc), sorted by position."""
    if len(entities) < 2:
        return list(entities)
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    value_priority = {**DEFAULT_VALUE_PRIORITY, **(value_priority or {})}

    def weight(entity: dict[str, Any]) -> float:
        return float(weights.get(str(entity.get("extractor")), 1.0))

    def priority(entity: dict[str, Any]) -> int:
        if SYNONYM_MAPPER in (entity.get("processors") or []):
            return 2
        return int(value_priority.get(str(entity.get("extractor")), 1))

    support = [
        sum(
            weight(other) * _confidence(other)
            for other in entities
            if other["entity"] == entity["entity"] and _overlap(entity, other)
        )
        for entity in entities
    ]
    order = sorted(
        range(len(entities)),
        key=lambda i: (
            -support[i],
            -(entities[i]["end"] - entities[i]["start"]),
            -weight(entities[i]),
            i,
        ),
    )
    kept: list[dict[str, Any]] = []
    for i in order:
        entity = entities[i]
        if any(_overlap(entity, other) for other in kept):
            continue
        agreeing = [
            other
            for other in entities
            if other["entity"] == entity["entity"] and _overlap(entity, other)
        ]
        if len(agreeing) > 1:
            entity = dict(entity)
            best_value = max(agreeing, key=lambda e: (priority(e), weight(e)))
            entity["value"] = best_value["value"]
            if not entity.get("role"):
                role = next((e["role"] for e in agreeing if e.get("role")), None)
                if role:
                    entity["role"] = role
        kept.append(entity)
    return sorted(kept, key=lambda e: (e["start"], e["end"]))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EntityResolver(GraphComponent):
    """Keeps one entity per span of text; put it after every extractor and mapper."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # vote weight per extractor name (unlisted: 1.0)
            "extractor_weights": {},
            # whose value wins when extractors agree on the label (unlisted: 1)
            "value_priority": {},
        }

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EntityResolver:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            if len(entities) > 1:
                resolved = resolve_entities(
                    entities,
                    self.component_config.get("extractor_weights"),
                    self.component_config.get("value_priority"),
                )
                message.set(ENTITIES, resolved, add_to_output=True)
        return messages
