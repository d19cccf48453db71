"""The intent part of config.yml's pipeline, trained alone in seconds.

Tokenizer, count-vector featurizers and `LinearIntentClassifier` with config.yml's own
settings, without Rasa's graph machinery: what the fallback-threshold cross-validation and
the classifier's tests need. Runs in Rasa's environment.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.linear_intent_classifier import LinearIntentClassifier


def intent_steps(config: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(the CountVectorsFeaturizer steps, the LinearIntentClassifier step) of a config."""
    featurizers, classifier = [], None
    for step in config["pipeline"]:
        if step["name"] == "CountVectorsFeaturizer":
            featurizers.append(step)
        elif step["name"].endswith("LinearIntentClassifier"):
            classifier = step
    if classifier is None:
        raise SystemExit("the config has no LinearIntentClassifier")
    return featurizers, classifier


def _settings(step: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in step.items() if k != "name"}


def fit_features(
    steps: list[dict[str, Any]],
    data: TrainingData,
    storage: LocalModelStorage,
    context: ExecutionContext,
) -> Callable[[list[Message]], None]:
    """Tokenize `data` and fit one CountVectorsFeaturizer per step on it (its sentence
    features are set); return a function that featurizes new messages the same way."""
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    tokenizer.process_training_data(data)
    featurizers = []
    for index, step in enumerate(steps):
        featurizer = CountVectorsFeaturizer.create(
            {**CountVectorsFeaturizer.get_default_config(), **_settings(step)},
            storage,
            Resource(str(step.get("alias") or f"featurizer{index}")),
            context,
        )
        featurizer.train(data)
        featurizer.process_training_data(data)
        featurizers.append(featurizer)

    def featurize(messages: list[Message]) -> None:
        tokenizer.process(messages)
        for featurizer in featurizers:
            featurizer.process(messages)

    return featurize


def train_intent_part(
    config: dict[str, Any], examples: list[tuple[str, str]], directory: Path
) -> Callable[[list[Message]], None]:
    """Train on (text, intent) pairs; return a function that sets `intent_ranking` on
    messages (model files go to `directory`)."""
    featurizer_steps, classifier_step = intent_steps(config)
    data = TrainingData([Message(data={"text": t, "intent": i}) for t, i in examples])
    storage = LocalModelStorage(directory)
    context = ExecutionContext(GraphSchema({}), "intent-part")
    featurize = fit_features(featurizer_steps, data, storage, context)
    classifier = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), **_settings(classifier_step)},
        storage,
        Resource("classifier"),
        context,
    )
    classifier.train(data)

    def process(messages: list[Message]) -> None:
        featurize(messages)
        classifier.process(messages)

    return process
