"""VinExtractor: the `vin` entity from chat messages, inside Rasa (Python 3.10)."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from components.vin import check_digit_ok, validate
from components.vin_extractor import VinExtractor

VIN = "1HGCM82633A004352"


def extract(
    text: str, entities: list[dict[str, Any]] | None = None, **config: Any
) -> list[dict[str, Any]]:
    component = VinExtractor.create(
        {**VinExtractor.get_default_config(), **config}, None, None, None
    )
    message = Message(data={"text": text, "entities": entities or []})
    component.process([message])
    return message.get("entities")


@pytest.mark.parametrize(
    "text",
    [f"mi vin es {VIN}", "VIN: 1hg cm826 33a-004352", f"*{VIN}*", f"NIV{VIN} gracias 🙏",
     "1HG\u200bCM82633A004352"],
)  # fmt: skip
def test_vin_entity_is_canonical(text: str) -> None:
    (entity,) = extract(text)
    assert entity["entity"] == "vin"
    assert entity["value"] == VIN
    assert entity["extractor"] == "VinExtractor"
    assert entity["additional_info"]["valid"] is True
    assert entity["additional_info"]["check_digit_ok"] is True
    assert (
        text[entity["start"] : entity["end"]]
        .replace(" ", "")
        .replace("-", "")
        .upper()
        .endswith(VIN[-6:])
    )


def test_invalid_north_american_vin_is_flagged_or_dropped() -> None:
    (entity,) = extract("mi vin 1HGCM82633A004353")
    assert entity["additional_info"]["valid"] is False
    assert entity["additional_info"]["error"] == "check_digit"
    assert extract("mi vin 1HGCM82633A004353", emit_invalid=False) == []


def test_european_vin_without_check_digit_is_valid_with_a_warning() -> None:
    (entity,) = extract("vin WP0ZZZ99ZTS392124")
    info = entity["additional_info"]
    assert info["valid"] is True and info["check_digit_ok"] is False
    assert info["warnings"] == ["check_digit_mismatch"]


def test_other_extractors_vin_entities_are_replaced_but_other_entities_kept() -> None:
    diet_vin = {
        "entity": "vin",
        "value": "1hg cm826",
        "start": 10,
        "end": 19,
        "extractor": "DIETClassifier",
    }
    brand = {
        "entity": "brand",
        "value": "Honda",
        "start": 0,
        "end": 5,
        "extractor": "DIETClassifier",
    }
    entities = extract("honda mi 1hg cm826 33a004352", [diet_vin, brand])
    assert [(e["entity"], e["value"]) for e in entities] == [("brand", "Honda"), ("vin", VIN)]
    kept = extract(f"honda {VIN}", [diet_vin], keep_other_extractors=True)
    assert [e["value"] for e in kept] == ["1hg cm826", VIN]


def test_no_vin_no_entity() -> None:
    assert extract("quiero balatas para mi tsuru 2015, mi cel es 81 1234 5678") == []


def test_rules_run_on_rasas_python() -> None:
    assert check_digit_ok(VIN)
    assert validate("1hgcm82633a0o4352").vin == VIN


NLU = """
version: "3.1"
nlu:
- intent: provide_vin
  examples: |
    - mi vin es 1HGCM82633A004352
    - el vin 3N1CN7AP5KL812345
    - vin
- intent: greet
  examples: |
    - hola
    - buenas tardes
"""


@pytest.mark.slow
def test_trained_pipeline_emits_the_entity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registered with Rasa's recipe: usable by name in config.yml, trained and served."""
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    config = {
        "recipe": "default.v1",
        "language": "es",
        "pipeline": [
            {"name": "WhitespaceTokenizer"},
            {"name": "KeywordIntentClassifier"},
            {"name": "components.vin_extractor.VinExtractor"},
        ],
    }
    (tmp_path / "config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "nlu.yml").write_text(textwrap.dedent(NLU), encoding="utf-8")
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
    model = train_nlu(
        str(tmp_path / "config.yml"), str(tmp_path / "nlu.yml"), str(tmp_path / "models"),
        fixed_model_name="vin",
    )  # fmt: skip
    assert model is not None
    parsed = asyncio.run(Agent.load(model).parse_message("oye mi vin: 1hg-cm8-2633a-004352"))
    (entity,) = parsed["entities"]
    assert (entity["entity"], entity["value"]) == ("vin", VIN)
    assert entity["additional_info"]["valid"] is True
