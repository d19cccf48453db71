"""The forms' validators on customers' real answers (tests/actions/data/form_answers.yml).

The entities come from the NLU's own quantity component, and the extracted slots are the
ones Rasa's slot mappings give them (checked against Rasa itself by
tests/components/test_form_answer_mappings.py): no hand-made slot candidates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from actions_kit import form_required_slots, nlu_entities, run, tracker
from rasa_sdk.events import SlotSet
from ruamel.yaml import YAML

from actions.common.forms import ShowroomFormValidation
from actions.financing_form import ValidateFinancingForm
from actions.questions import AskTermMonths
from actions.search_form import ValidateVehicleSearchForm
from actions.trade_in import ValidateTradeInForm
from showroom.channels.options import chosen_index, payload_for

CASES: list[dict[str, Any]] = YAML(typ="safe").load(
    (Path(__file__).parent / "data" / "form_answers.yml").read_text(encoding="utf-8")
)
VALIDATORS: dict[str, type[ShowroomFormValidation]] = {
    "vehicle_search_form": ValidateVehicleSearchForm,
    "financing_form": ValidateFinancingForm,
    "trade_in_form": ValidateTradeInForm,
}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['asked']}: {c['text']}" for c in CASES])
async def test_an_answer_to_the_form_question(case: dict[str, Any], db_url: str) -> None:
    intent = case.get("intent", "inform")
    extracted = case["extracted"]
    candidates = {
        name: value
        for name, value in extracted.items()
        if name in form_required_slots(case["form"])
    }
    state = tracker(
        {**case["slots"], "requested_slot": case["asked"]},
        text=case["text"],
        intent=intent,
        entities=nlu_entities(case["text"], intent),
        active_loop=case["form"],
        extracted={k: v for k, v in extracted.items() if k not in candidates},
        form_candidates=candidates,
    )
    messages, events = await run(VALIDATORS[case["form"]](), state)
    assert events == [SlotSet(name, value) for name, value in case["events"]]
    assert [m.get("text") for m in messages] == case.get("says", [])


def test_the_term_buttons_leave_a_typed_term_alone() -> None:
    """On WhatsApp the gateway numbers the buttons (1-4): "48" is not one of them and
    reaches Rasa as typed; "48 meses" (a button's title) and "3" pick the button."""
    buttons = AskTermMonths.BUTTONS
    assert chosen_index("48", buttons) is None
    assert payload_for("48 meses", buttons) == '/inform{"months": 48}'
    assert payload_for("3", buttons) == '/inform{"months": 48}'
