"""Building rasa_sdk trackers the way Rasa 3.6 sends them, and running actions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from ruamel.yaml import YAML

from components.spanish_quantities import extract_quantities

ROOT = Path(__file__).resolve().parents[2]
DOMAIN: dict[str, Any] = YAML(typ="safe").load((ROOT / "domain.yml").read_text(encoding="utf-8"))
SLOT_NAMES = [*DOMAIN["slots"], "requested_slot", "session_started_metadata"]
NLU_NOW = datetime(2026, 11, 25, 10, 0)  # a Wednesday morning (the NLU's local time)


def user_event(
    text: str, intent: str | None, entities: list[dict[str, Any]], metadata: dict[str, Any]
) -> dict[str, Any]:
    return {
        "event": "user",
        "timestamp": 1.0,
        "text": text,
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": 0.95},
            "entities": entities,
        },
        "metadata": metadata,
    }


def tracker(
    slots: dict[str, Any] | None = None,
    *,
    text: str = "",
    intent: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    before: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    form_candidates: dict[str, Any] | None = None,
    extracted: dict[str, Any] | None = None,
    after: list[dict[str, Any]] | None = None,
    sender_id: str = "web-7f3a",
) -> Tracker:
    """A tracker whose latest message is `text`/`intent`/`entities`.

    `before`: events of earlier turns. `extracted`: slots Rasa's action_extract_slots set
    right after the message; `after`: events after those (a form's activation).
    `form_candidates`: for a form validation action, the slot candidates Rasa appends after
    the form's ActionExecuted (`slots_to_validate`).
    """
    values: dict[str, Any] = dict.fromkeys(SLOT_NAMES)
    values["search_offset"] = 0
    values.update(slots or {})
    values.update(extracted or {})
    entities = entities or []
    metadata = metadata or {}
    events = [*list(before or []), user_event(text, intent, entities, metadata)]
    events += [SlotSet(name, value) for name, value in (extracted or {}).items()]
    events += list(after or [])
    if form_candidates is not None:
        events.append({"event": "action", "name": active_loop, "timestamp": 2.0})
        events += [SlotSet(name, value) for name, value in form_candidates.items()]
        values.update(form_candidates)
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.95},
        "intent_ranking": [{"name": intent, "confidence": 0.95}],
        "entities": entities,
        "metadata": metadata,
    }
    return Tracker(
        sender_id,
        values,
        latest,
        events,
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def nlu_entities(text: str, intent: str | None = None) -> list[dict[str, Any]]:
    """The quantity entities the NLU's offline component finds in `text` (amounts with
    their roles, percent, months, km, year, option, time), as Rasa sends them."""
    return [
        {**found, "extractor": "SpanishQuantityExtractor"}
        for found in extract_quantities(text, NLU_NOW, intent=intent)
    ]


def form_required_slots(form: str) -> list[str]:
    return list(DOMAIN["forms"][form]["required_slots"])


def entity(name: str, value: Any, role: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"entity": name, "value": value, "extractor": "test"}
    if role:
        found["role"] = role
    return found


def action_event(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name, "timestamp": 1.5}


def loop_event(name: str | None) -> dict[str, Any]:
    """Rasa's `active_loop` event (a form activated, or null: no form running)."""
    return {"event": "active_loop", "name": name, "timestamp": 1.5}


async def run(action: Action, state: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(messages, events): messages reduced to what the customer sees."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, state, DOMAIN)  # type: ignore[arg-type]
    return [said(m) for m in dispatcher.messages], events


def said(message: dict[str, Any]) -> dict[str, Any]:
    """text / image / buttons / response of one message, without empty keys."""
    kept = {key: message.get(key) for key in ("text", "image", "buttons", "response")}
    return {key: value for key, value in kept.items() if value}


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages if "text" in m]
