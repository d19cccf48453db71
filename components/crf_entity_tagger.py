"""A linear-chain CRF entity tagger (python-crfsuite) with richer features than Rasa's.

Compared to Rasa's CRFEntityExtractor: a ±2 word window with bigrams, folded (accent-free)
words, word shape, the message's intent as a feature (gold intent in training, the
classifier's prediction at run time), and the spans found by earlier components as
features: gazetteer matches (`gazetteer_matches`), Spanish quantities
(`quantity_matches`) and RegexFeaturizer patterns. Roles are learned as part of the label
("amount#budget"). Trains in seconds; tags a message in well under a millisecond.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import ENTITIES, EXTRACTOR, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.crf_features import (
    Span,
    bilou_tags,
    bio_to_bilou,
    decode,
    span_positions,
    to_bio,
    token_features,
)

logger = logging.getLogger(__name__)

MODEL_FILE = "crf_entity_tagger.crfsuite"
ROLE_SEPARATOR = "#"
# Message attributes in which other components leave spans for the CRF to use as features.
SPAN_FLAG_ATTRIBUTES = {"gz": "gazetteer_matches", "qt": "quantity_matches"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class CRFEntityTagger(GraphComponent, EntityExtractorMixin):
    """Linear-chain CRF over hand-made token features (see module doc)."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "window": 2,
            "use_intent": True,
            "use_span_flags": True,
            # "bio" or "bilou" tags
            "tagging": "bio",
            "c1": 0.3,  # L1 regularisation
            "c2": 0.1,  # L2 regularisation
            "max_iterations": 150,
            # entities below this confidence (lowest tag marginal) are dropped
            "min_confidence": 0.0,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: bytes | None = None,
    ) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model
        self._tagger: Any = None
        self._bio = config.get("tagging", "bio") == "bio"
        if model is not None:
            import pycrfsuite

            self._tagger = pycrfsuite.Tagger()
            self._tagger.open_inmemory(model)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CRFEntityTagger:
        return cls(config, model_storage, resource)

    def _items(self, message: Message) -> tuple[list[tuple[int, int]], list[dict[str, Any]]]:
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        offsets = [(token.start, token.end) for token in tokens]
        flags = {}
        if self.component_config["use_span_flags"]:
            for name, attribute in SPAN_FLAG_ATTRIBUTES.items():
                spans = [Span(s, e, label) for s, e, label in message.get(attribute) or []]
                if spans:
                    flags[name] = span_positions(offsets, spans)
        # RegexFeaturizer leaves {pattern name: matched} on each token
        patterns = [
            [name for name, hit in (token.get("pattern") or {}).items() if hit] for token in tokens
        ]
        intent = _intent_name(message) if self.component_config["use_intent"] else None
        items = token_features(
            [token.text for token in tokens],
            intent=intent,
            flags=flags,
            patterns=patterns,
            window=int(self.component_config["window"]),
        )
        return offsets, items

    def train(self, training_data: TrainingData) -> Resource:
        import pycrfsuite

        examples = [m for m in training_data.nlu_examples if m.get(TOKENS_NAMES[TEXT])]
        if not any(m.get(ENTITIES) for m in examples):
            logger.debug("CRFEntityTagger: no entity annotations, nothing to train")
            return self._resource
        trainer = pycrfsuite.Trainer(verbose=False)
        for message in examples:
            offsets, items = self._items(message)
            gold = [
                Span(e["start"], e["end"], _label(e))
                for e in message.get(ENTITIES) or []
                if not e.get(EXTRACTOR)
            ]
            tags = bilou_tags(offsets, gold)
            trainer.append(items, to_bio(tags) if self._bio else tags)
        trainer.set_params(
            {
                "c1": float(self.component_config["c1"]),
                "c2": float(self.component_config["c2"]),
                "max_iterations": int(self.component_config["max_iterations"]),
                "feature.possible_transitions": True,
            }
        )
        with self._model_storage.write_to(self._resource) as directory:
            path = directory / MODEL_FILE
            trainer.train(str(path))
            self._model = path.read_bytes()
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open_inmemory(self._model)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        if self._tagger is None:
            return messages
        threshold = float(self.component_config["min_confidence"])
        for message in messages:
            offsets, items = self._items(message)
            if not items:
                continue
            tags = self._tagger.tag(items)
            probabilities = [self._tagger.marginal(tag, i) for i, tag in enumerate(tags)]
            if self._bio:
                tags = bio_to_bilou(tags)
            text = message.get(TEXT)
            found = []
            for span, confidence in decode(offsets, tags, probabilities):
                if confidence < threshold:
                    continue
                entity, _, role = span.label.partition(ROLE_SEPARATOR)
                item = {
                    "entity": entity,
                    "start": span.start,
                    "end": span.end,
                    "value": text[span.start : span.end],
                    "confidence_entity": round(confidence, 4),
                }
                if role:
                    item["role"] = role
                found.append(item)
            if found:
                message.set(
                    ENTITIES,
                    message.get(ENTITIES, []) + self.add_extractor_name(found),
                    add_to_output=True,
                )
        return messages

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CRFEntityTagger:
        try:
            with model_storage.read_from(resource) as directory:
                model = (directory / MODEL_FILE).read_bytes()
        except (ValueError, FileNotFoundError):
            logger.debug("CRFEntityTagger: no trained model in %s", resource.name)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model)


def _label(entity: dict[str, Any]) -> str:
    role = entity.get("role")
    return f"{entity['entity']}{ROLE_SEPARATOR}{role}" if role else str(entity["entity"])


def _intent_name(message: Message) -> str | None:
    intent = message.get(INTENT)
    if isinstance(intent, dict):
        return intent.get("name")
    return intent if isinstance(intent, str) else None
