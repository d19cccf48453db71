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

Two exceptions to "one entity per span": a brand inside the model name that carries it
("Mazda" in "Mazda 3", `nested_entities`) is not a conflict; and an entity marked
`additional_info: {"ambiguous": true}` (a gazetteer name the training examples also use as
a plain word) is kept only when another extractor finds the same entity on those words.

Rasa's EntitySynonymMapper compares `str(value)` of every entity with the synonyms, and
every synonym target maps to itself: once a model is called "2008" (Peugeot) or "300"
(Chrysler), the year 2008 or the amount 300 comes out of the mapper as a string. Numeric
entities (`numeric_entities`) get their number back here.
"""

from __future__ import annotations

from collections.abc import Iterable
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
# (inner, outer): an inner entity inside an outer one is not a conflict ("mazda" / "mazda 3")
DEFAULT_NESTED = (("brand", "model"),)
# entities whose values are numbers (components/quantity_extractor.py)
NUMERIC_ENTITIES = ("amount", "percent", "months", "km", "year", "option")


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _within(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
    return outer["start"] <= inner["start"] and inner["end"] <= outer["end"]


def _conflict(a: dict[str, Any], b: dict[str, Any], nested: set[tuple[str, str]]) -> bool:
    if not _overlap(a, b):
        return False
    if (a["entity"], b["entity"]) in nested and _within(a, b):
        return False
    return not ((b["entity"], a["entity"]) in nested and _within(b, a))


def _as_number(value: str) -> int | float | None:
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError:
        return None


def restore_numbers(
    entities: list[dict[str, Any]], numeric: Iterable[str] = NUMERIC_ENTITIES
) -> list[dict[str, Any]]:
    """Numbers the synonym mapper turned into strings ("2008") become numbers again."""
    names = set(numeric)
    restored = []
    for entity in entities:
        value = entity.get("value")
        if entity.get("entity") in names and isinstance(value, str):
            number = _as_number(value)
            if number is not None:
                entity = {**entity, "value": number}
        restored.append(entity)
    return restored


def _ambiguous(entity: dict[str, Any]) -> bool:
    info = entity.get("additional_info")
    return isinstance(info, dict) and bool(info.get("ambiguous"))


def _supported(entity: dict[str, Any], entities: list[dict[str, Any]]) -> bool:
    """Another extractor found the same entity on (some of) the same words."""
    return any(
        other.get("extractor") != entity.get("extractor")
        and other["entity"] == entity["entity"]
        and _overlap(entity, other)
        for other in entities
    )


def _confidence(entity: dict[str, Any]) -> float:
    value = entity.get("confidence_entity", entity.get("confidence"))
    return float(value) if isinstance(value, int | float) else 1.0


def resolve_entities(
    entities: list[dict[str, Any]],
    weights: dict[str, float] | None = None,
    value_priority: dict[str, int] | None = None,
    nested: Iterable[tuple[str, str]] | Iterable[list[str]] = DEFAULT_NESTED,
) -> list[dict[str, Any]]:
    """The entities with overlaps resolved (see module doc), sorted by position."""
    entities = [e for e in entities if not _ambiguous(e) or _supported(e, entities)]
    if len(entities) < 2:
        return list(entities)
    nested_pairs = {(str(inner), str(outer)) for inner, outer in nested}
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
        if any(_conflict(entity, other, nested_pairs) for other in kept):
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
            # [inner, outer] entity pairs that may nest ("mazda" inside "mazda 3")
            "nested_entities": [list(pair) for pair in DEFAULT_NESTED],
            # entities whose values are numbers, even after the synonym mapper
            "numeric_entities": list(NUMERIC_ENTITIES),
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
            if entities:
                numeric = self.component_config.get("numeric_entities") or ()
                resolved = resolve_entities(
                    restore_numbers(entities, numeric),
                    self.component_config.get("extractor_weights"),
                    self.component_config.get("value_priority"),
                    self.component_config.get("nested_entities") or (),
                )
                message.set(ENTITIES, resolved, add_to_output=True)
        return messages
