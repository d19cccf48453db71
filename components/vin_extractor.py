"""`VinExtractor`: a Rasa NLU entity extractor for VINs typed in chat messages.

Finds 17-character VINs however customers type them ("vin: 3n1 ab7ap5-ky123456",
*bold*, zero-width characters from copy-paste) with `components.vin.find_vins`, and
emits the entity `vin` with the canonical value (17 characters, upper case, I/O/Q
repaired). Validation travels in `additional_info`:
`{"valid": bool, "check_digit_ok": bool, "north_american": bool, "error": str | None,
"warnings": [...]}`. A North-American VIN whose check digit fails is still emitted
(`valid: false`, `error: "check_digit"`) so the assistant can ask the customer to check
it; set `emit_invalid: false` to drop those instead.

`vin` entities from other extractors (DIET) are removed by default: their values are
spans of raw text, not canonical VINs (`keep_other_extractors: true` keeps them).

    pipeline:
      - name: WhitespaceTokenizer
      ...
      - name: DIETClassifier
      - name: components.vin_extractor.VinExtractor
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.vin import find_vins

ENTITY = "vin"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class VinExtractor(GraphComponent, EntityExtractorMixin):
    """Rule-based VIN entity extractor (no training)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"emit_invalid": True, "keep_other_extractors": False}

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VinExtractor:
        return cls(config)

    @staticmethod
    def required_packages() -> list[str]:
        return []

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            found = self.extract(message.get(TEXT) or "")
            entities = [
                entity
                for entity in message.get(ENTITIES, [])
                if self._config["keep_other_extractors"]
                or entity.get(ENTITY_ATTRIBUTE_TYPE) != ENTITY
            ]
            message.set(ENTITIES, entities + self.add_extractor_name(found), add_to_output=True)
        return messages

    def extract(self, text: str) -> list[dict[str, Any]]:
        """The `vin` entities in `text` (without the extractor name)."""
        entities = []
        for match in find_vins(text):
            check = match.validation
            if not check.valid and not self._config["emit_invalid"]:
                continue
            entities.append(
                {
                    ENTITY_ATTRIBUTE_TYPE: ENTITY,
                    ENTITY_ATTRIBUTE_VALUE: match.vin,
                    ENTITY_ATTRIBUTE_START: match.start,
                    ENTITY_ATTRIBUTE_END: match.end,
                    ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                    "additional_info": {
                        "valid": check.valid,
                        "check_digit_ok": check.check_digit_ok,
                        "north_american": check.north_american,
                        "error": check.error,
                        "warnings": list(check.warnings),
                    },
                }
            )
        return entities


__all__ = ["ENTITY", "VinExtractor"]
