"""What an action knows about the conversation: the gateway's metadata, the customer, the branch.

The gateway (and the web chat) send Rasa's REST channel `metadata` with every message:
`channel`, `branch` (code), `timezone`, `media`. All of it is optional: `rasa shell`
sends none, a retried message may lack some. The latest message wins; earlier messages
of the conversation fill what it lacks.

The WhatsApp gateway sends nothing personal (Rasa's tracker store keeps metadata for
good): no phone number and no profile name. The sender id is the gateway conversation's
opaque key; the customer — and their name, the WhatsApp profile name they came with — is
found through that conversation (`current_customer`). A `phone` in the metadata (other
channels) is still honoured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from showroom.conversations.conversations import conversation_by_key
from showroom.conversations.customers import get_or_create_customer, normalize_phone
from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Branch, Vehicle
from showroom.inventory.branches import get_branch, list_branches
from showroom.inventory.search import get_vehicle
from showroom.privacy import fingerprint
from showroom.settings import get_settings

METADATA_KEYS = ("channel", "branch", "phone", "timezone")
SESSION_METADATA_SLOT = "session_started_metadata"


@dataclass(frozen=True)
class Metadata:
    channel: str | None = None
    branch: str | None = None
    phone: str | None = None
    timezone: str | None = None

    @classmethod
    def from_tracker(cls, tracker: Tracker) -> Metadata:
        candidates: list[Any] = [(tracker.latest_message or {}).get("metadata")]
        candidates += [
            event.get("metadata")
            for event in reversed(tracker.events or [])
            if event.get("event") == "user"
        ]
        candidates.append(tracker.slots.get(SESSION_METADATA_SLOT))
        found: dict[str, str] = {}
        for metadata in candidates:
            if not isinstance(metadata, dict):
                continue
            for key in METADATA_KEYS:
                value = metadata.get(key)
                if key not in found and isinstance(value, str) and value.strip():
                    found[key] = value.strip()
        return cls(**found)


def conversation_key(tracker: Tracker) -> str:
    """The conversation's id as the gateway knows it (Rasa's sender id)."""
    return str(tracker.sender_id)


def log_id(tracker: Tracker) -> str:
    """A short stable hash of the conversation for logs (the sender id may be a phone)."""
    return fingerprint(conversation_key(tracker))


def customer_phone(tracker: Tracker) -> str | None:
    """E.164 phone of the customer: the gateway's metadata, else a sender id that is one."""
    metadata = Metadata.from_tracker(tracker)
    return normalize_phone(metadata.phone) or normalize_phone(conversation_key(tracker))


def current_customer(session: Session, tracker: Tracker) -> Customer:
    """The customer writing: the gateway conversation's (its key is the sender id), else
    by phone or sender id (created on first contact); web/shell visitors by sender id.
    Their `name` is what the gateway stored (the WhatsApp profile name) or was told."""
    conversation = conversation_by_key(session, conversation_key(tracker))
    if conversation is not None:
        customer = session.get(Customer, conversation.customer_id)
        if customer is not None:
            return customer
    return get_or_create_customer(
        session, phone=customer_phone(tracker), external_id=conversation_key(tracker)
    )


def routed_branch(session: Session, tracker: Tracker) -> Branch | None:
    """The branch the customer wrote to (gateway metadata), else the one in their city.

    None when neither is known: searches then favour no branch.
    """
    code = Metadata.from_tracker(tracker).branch
    if code:
        branch = get_branch(session, code)
        if branch is not None:
            return branch
    city = tracker.get_slot("city")
    if isinstance(city, str) and city.strip():
        in_city = list_branches(session, city)
        if in_city:
            return in_city[0]
    return None


def conversation_branch(session: Session, tracker: Tracker) -> Branch | None:
    """`routed_branch`, else Settings.default_branch, else the first branch (None: no branch)."""
    branch = routed_branch(session, tracker)
    if branch is not None:
        return branch
    default = get_settings().default_branch
    if default:
        branch = get_branch(session, default)
        if branch is not None:
            return branch
    branches = list_branches(session)
    return branches[0] if branches else None


def rate_branch(session: Session, tracker: Tracker, vehicle: Vehicle | None) -> Branch | None:
    """Whose financing rate applies: the car's branch, else the branch the customer wrote
    to (or their city's), else Settings.default_branch; None means the Settings rate."""
    if vehicle is not None and vehicle.branch is not None:
        return vehicle.branch
    branch = routed_branch(session, tracker)
    if branch is not None:
        return branch
    default = get_settings().default_branch
    return get_branch(session, default) if default else None


def selected_vehicle(session: Session, tracker: Tracker) -> Vehicle | None:
    """The car the customer chose (any status: a sold car is still named correctly)."""
    stock_id = tracker.get_slot("selected_vehicle")
    if not isinstance(stock_id, str) or not stock_id:
        return None
    return get_vehicle(session, stock_id)


def branch_for_vehicle(
    session: Session, tracker: Tracker, vehicle: Vehicle | None
) -> Branch | None:
    """Where the car is; without a car, the conversation's branch."""
    if vehicle is not None and vehicle.branch is not None:
        return vehicle.branch
    return conversation_branch(session, tracker)


def latest_intent(tracker: Tracker) -> str | None:
    intent = (tracker.latest_message or {}).get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    return name if isinstance(name, str) else None


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


def latest_entities(tracker: Tracker) -> list[dict[str, Any]]:
    entities = (tracker.latest_message or {}).get("entities") or []
    return [e for e in entities if isinstance(e, dict)]


def entity_value(tracker: Tracker, name: str, role: str | None = None) -> Any:
    """The first value of entity `name` in the latest message (with that role, if given)."""
    for entity in latest_entities(tracker):
        if entity.get("entity") != name:
            continue
        if role is not None and entity.get("role") != role:
            continue
        return entity.get("value")
    return None


def entity_names(tracker: Tracker) -> set[str]:
    return {str(e.get("entity")) for e in latest_entities(tracker)}
