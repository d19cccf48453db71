"""domain.yml's slot mappings on customers' answers, with Rasa's own slot extraction.

For every case of tests/actions/data/form_answers.yml: the NLU's quantity component reads
the text, Rasa's `action_extract_slots` applies domain.yml's mappings with the form active
and its question asked, and the slots it sets must be the case's `extracted`. The action
tests (tests/actions/test_form_answers.py) start from those same slots, so the validators
are tested on what Rasa really hands them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.spanish_quantities import extract_quantities

ROOT = Path(__file__).resolve().parents[2]
CASES: list[dict[str, Any]] = yaml.safe_load(
    (ROOT / "tests" / "actions" / "data" / "form_answers.yml").read_text(encoding="utf-8")
)
NOW = dt.datetime(2026, 11, 25, 10, 0)  # the same as tests/actions/actions_kit.NLU_NOW


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def extract_slots(domain: Domain, case: dict[str, Any], intent: str) -> dict[str, Any]:
    entities = extract_quantities(case["text"], NOW, intent=intent)
    events = [
        ActionExecuted("action_listen"),
        ActiveLoop(case["form"]),
        SlotSet("requested_slot", case["asked"]),
        *[SlotSet(name, value) for name, value in case["slots"].items()],
        ActionExecuted("action_listen"),
        UserUttered(
            case["text"],
            intent={"name": intent, "confidence": 0.9},
            entities=entities,
        ),
    ]
    tracker = DialogueStateTracker.from_events("answers", events, slots=domain.slots)
    found = asyncio.run(
        ActionExtractSlots(None).run(
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator(domain.responses),
            tracker,
            domain,
        )
    )
    return {event.key: event.value for event in found if isinstance(event, SlotSet)}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['asked']}: {c['text']}" for c in CASES])
def test_the_domain_mappings_fill_what_the_form_is_given(
    domain: Domain, case: dict[str, Any]
) -> None:
    assert extract_slots(domain, case, case.get("intent", "inform")) == case["extracted"]


def test_a_budget_said_during_the_financing_form_is_not_a_new_search_budget(
    domain: Domain,
) -> None:
    """ "tengo 80 mil" reads as a budget; during the financing form it must not replace the
    search budget (the budget mapping applies only outside forms or in the search form)."""
    case = {
        "text": "tengo 80 mil",
        "form": "financing_form",
        "asked": "term_months",
        "slots": {"budget": 400000.0},
    }
    assert extract_slots(domain, case, "inform") == {}
    case["form"], case["asked"] = "vehicle_search_form", "body_type"
    assert extract_slots(domain, case, "inform") == {"budget": 80000}
