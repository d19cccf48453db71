"""LinearIntentClassifier on Rasa's own tokenizer and count-vector featurizers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.linear_intent_classifier import LinearIntentClassifier, sentence_blocks

EXAMPLES = {
    "greet": ["hola", "buenas tardes", "buenos dias", "que tal", "hola buenas", "saludos"],
    "search_vehicle": [
        "busco un carro",
        "quiero una camioneta",
        "tienen jetta disponible",
        "busco un sedan automatico",
        "que autos tienen",
        "me interesa una troca",
    ],
    "ask_financing": [
        "cuanto quedan las mensualidades",
        "manejan credito",
        "quiero financiarlo",
        "cuanto de enganche",
        "a cuantos meses",
        "me lo dan a credito",
    ],
}


class Pipeline:
    """Tokenizer + word and char count vectors, trained, ready to featurize messages."""

    def __init__(self, directory: Path, examples: dict[str, list[str]]) -> None:
        self.storage = LocalModelStorage(directory)
        self.context = ExecutionContext(GraphSchema({}), "test")
        self.tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
        self.featurizers = []
        for alias, extra in (
            ("word_counts", {}),
            ("char_counts", {"analyzer": "char_wb", "max_ngram": 4}),
        ):
            config = {**CountVectorsFeaturizer.get_default_config(), "alias": alias, **extra}
            self.featurizers.append(
                CountVectorsFeaturizer.create(config, self.storage, Resource(alias), self.context)
            )
        self.data = TrainingData(
            [
                Message(data={"text": text, "intent": intent})
                for intent, texts in examples.items()
                for text in texts
            ]
        )
        self.tokenizer.process_training_data(self.data)
        for featurizer in self.featurizers:
            featurizer.train(self.data)
            featurizer.process_training_data(self.data)

    def message(self, text: str) -> Message:
        message = Message(data={"text": text})
        self.tokenizer.process([message])
        for featurizer in self.featurizers:
            featurizer.process([message])
        return message

    def classifier(self, name: str = "intent", **config: object) -> LinearIntentClassifier:
        full = {**LinearIntentClassifier.get_default_config(), **config}
        return LinearIntentClassifier.create(full, self.storage, Resource(name), self.context)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    return Pipeline(tmp_path_factory.mktemp("storage"), EXAMPLES)


def test_predicts_intents_with_a_ranking(pipeline: Pipeline) -> None:
    classifier = pipeline.classifier()
    classifier.train(pipeline.data)
    message = pipeline.message("busco una camioneta automatica")
    classifier.process([message])
    assert message.get("intent")["name"] == "search_vehicle"
    ranking = message.get("intent_ranking")
    assert ranking[0]["name"] == "search_vehicle"
    assert len(ranking) == 3
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def test_fast_path_equals_the_matrix_computation(pipeline: Pipeline) -> None:
    classifier = pipeline.classifier(block_weights={"char_counts": 2.0})
    classifier.train(pipeline.data)
    assert classifier.model is not None
    for text in ["hola que tal", "credito a 48 meses", "tienen jetta", "zzz"]:
        blocks = sentence_blocks(pipeline.message(text), None)
        x = classifier.model["tfidf"].transform(blocks, 1)
        scores = np.asarray(x @ classifier.model["dense_coef"].T).ravel()
        scores = scores + classifier.model["intercept"]
        expected = np.exp(scores - scores.max())
        expected /= expected.sum()
        np.testing.assert_allclose(classifier.predict_proba(blocks), expected, rtol=1e-9)


def test_persisted_model_gives_the_same_probabilities(pipeline: Pipeline) -> None:
    classifier = pipeline.classifier("persisted")
    classifier.train(pipeline.data)
    loaded = LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config()},
        pipeline.storage,
        Resource("persisted"),
        pipeline.context,
    )
    blocks = sentence_blocks(pipeline.message("quiero financiar un carro"), None)
    np.testing.assert_allclose(loaded.predict_proba(blocks), classifier.predict_proba(blocks))


def test_two_intents(tmp_path: Path) -> None:
    two = {key: EXAMPLES[key] for key in ("greet", "ask_financing")}
    pipeline = Pipeline(tmp_path, two)
    classifier = pipeline.classifier()
    classifier.train(pipeline.data)
    message = pipeline.message("manejan credito?")
    classifier.process([message])
    assert message.get("intent")["name"] == "ask_financing"
    assert message.get("intent")["confidence"] > 0.5


def test_untrained_or_featureless_message_has_no_intent(pipeline: Pipeline) -> None:
    classifier = pipeline.classifier("untrained")
    message = pipeline.message("hola")
    classifier.process([message])
    assert message.get("intent") == {"name": None, "confidence": 0.0}


def test_single_intent_is_not_trained(tmp_path: Path) -> None:
    pipeline = Pipeline(tmp_path, {"greet": EXAMPLES["greet"]})
    classifier = pipeline.classifier()
    classifier.train(pipeline.data)
    assert classifier.model is None


def test_config_settings_on_the_assistants_data_send_keyboard_mashes_to_the_fallback(
    tmp_path: Path,
) -> None:
    """config.yml's featurizers, classifier and FallbackClassifier thresholds, trained on
    data/nlu: random letters fall back, ordinary requests do not."""
    import yaml
    from rasa.shared.nlu.training_data.loading import load_data

    from bench.nlu.intent_part import train_intent_part

    root = Path(__file__).resolve().parents[2]
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    fallback = next(s for s in config["pipeline"] if s["name"] == "FallbackClassifier")
    examples = [
        (m.get("text"), m.get("intent"))
        for m in load_data(str(root / "data" / "nlu")).intent_examples
    ]
    process = train_intent_part(config, examples, tmp_path)

    def falls_back(text: str) -> bool:
        message = Message(data={"text": text})
        process([message])
        first, second = message.get("intent_ranking")[:2]
        return bool(
            first["confidence"] < fallback["threshold"]
            or first["confidence"] - second["confidence"] < fallback["ambiguity_threshold"]
        )

    for mash in ["zzkq wpxv", "jjjj", "xxxx yyy", "qwerty uiop"]:
        assert falls_back(mash), mash
    for request in ["busco una camioneta automatica", "me lo financian a 48 meses?", "hola"]:
        assert not falls_back(request), request
