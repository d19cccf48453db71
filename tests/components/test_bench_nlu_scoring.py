"""How `make bench-nlu` scores intents: the classifier's intent vs the one acted on."""

from __future__ import annotations

from typing import Any

from bench.nlu.dataset import Example
from bench.nlu.run import (
    RASA_DEFAULT_FALLBACK,
    RASA_DEFAULT_PIPELINE,
    answered_intents,
    fallback_settings,
    score,
    should_fall_back,
)

PROJECT_PIPELINE: list[dict[str, Any]] = [
    {"name": "WhitespaceTokenizer"},
    {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.05},
]


def ranking(*pairs: tuple[str, float]) -> list[dict[str, Any]]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def prediction(intent: str, classifier_intent: str, *pairs: tuple[str, float]) -> dict[str, Any]:
    return {
        "intent": intent,
        "classifier_intent": classifier_intent,
        "intent_ranking": ranking(*pairs),
        "entities": [],
        "latency_ms": 1.0,
    }


def test_fallback_settings_read_from_the_pipeline_or_absent() -> None:
    assert fallback_settings(PROJECT_PIPELINE) == {"threshold": 0.3, "ambiguity_threshold": 0.05}
    assert fallback_settings(RASA_DEFAULT_PIPELINE) is None


def test_should_fall_back_follows_rasas_rule() -> None:
    settings = {"threshold": 0.3, "ambiguity_threshold": 0.1}
    assert should_fall_back(ranking(("a", 0.29), ("b", 0.1)), settings)  # below threshold
    assert should_fall_back(ranking(("a", 0.45), ("b", 0.40)), settings)  # ambiguous
    assert not should_fall_back(ranking(("a", 0.55), ("b", 0.40)), settings)
    assert not should_fall_back(ranking(("a", 0.9)), settings)  # a single intent
    assert should_fall_back([], settings)


def test_pipeline_with_fallback_is_scored_as_parsed() -> None:
    predictions = [
        prediction("nlu_fallback", "a", ("nlu_fallback", 0.3), ("a", 0.28), ("b", 0.2)),
        prediction("b", "b", ("b", 0.9), ("a", 0.05)),
    ]
    answered, settings = answered_intents(predictions, PROJECT_PIPELINE)
    assert answered == ["nlu_fallback", "b"]
    assert settings["ambiguity_threshold"] == 0.05


def test_pipeline_without_fallback_gets_rasas_default_fallback_applied() -> None:
    predictions = [
        prediction("a", "a", ("a", 0.45), ("b", 0.40)),  # ambiguous at 0.1
        prediction("b", "b", ("b", 0.9), ("a", 0.05)),
    ]
    answered, settings = answered_intents(predictions, RASA_DEFAULT_PIPELINE)
    assert answered == ["nlu_fallback", "b"]
    assert settings == RASA_DEFAULT_FALLBACK


def test_score_separates_classifier_accuracy_from_fallback() -> None:
    examples = [Example(text="x", intent="a"), Example(text="y", intent="b")]
    predictions = [
        prediction("nlu_fallback", "a", ("nlu_fallback", 0.3), ("a", 0.28), ("b", 0.2)),
        prediction("a", "a", ("a", 0.9), ("b", 0.05)),
    ]
    run = {"predictions": predictions, "train_seconds": 1.0}
    run |= {"train_peak_rss_mb": 1.0, "parse_peak_rss_mb": 1.0}
    scores = score(examples, run, PROJECT_PIPELINE)
    assert scores["intent"]["accuracy"] == 0.5  # "a" right, "a" for "b" wrong
    assert scores["intent_answered"]["accuracy"] == 0.0  # the fallback counts as wrong
    assert scores["fallback"]["rate"] == 0.5
