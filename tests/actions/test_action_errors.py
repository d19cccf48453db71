"""A database outage gets a short apology instead of silence."""

from __future__ import annotations

import pytest
from actions_kit import entity, run, tracker
from rasa_sdk.events import SlotSet

from actions.common.errors import TECHNICAL_PROBLEM
from actions.search import ActionSearchVehicles, ActionSelectVehicle
from actions.test_drive_form import ValidateTestDriveForm
from showroom.settings import get_settings

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    get_settings.cache_clear()


async def test_search_apologises_when_the_database_is_down(database_down: None) -> None:
    messages, events = await run(ActionSearchVehicles(), tracker({"body_type": "suv"}))
    assert messages == [{"text": TECHNICAL_PROBLEM}]
    assert events == []


async def test_choosing_apologises_when_the_database_is_down(database_down: None) -> None:
    state = tracker(
        {"shown_vehicles": ["MTY-001"]},
        text="el 1",
        intent="choose_option",
        entities=[entity("option", 1)],
    )
    messages, events = await run(ActionSelectVehicle(), state)
    assert messages == [{"text": TECHNICAL_PROBLEM}]
    assert events == []


async def test_a_form_keeps_its_question_when_the_database_is_down(database_down: None) -> None:
    state = tracker(
        {"selected_vehicle": "MTY-002", "requested_slot": "td_datetime"},
        text="el sabado a las 11",
        intent="inform",
        active_loop="test_drive_form",
        form_candidates={"td_datetime": "2030-01-12T11:00:00"},
    )
    messages, events = await run(ValidateTestDriveForm(), state)
    assert messages == [{"text": TECHNICAL_PROBLEM}]
    assert events == [SlotSet("td_datetime", None)]
