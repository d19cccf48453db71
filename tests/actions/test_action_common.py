"""Shared helpers: conversation metadata, customer and branch, the customer's own words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from actions_kit import DOMAIN, tracker, user_event
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from records_kit import whatsapp_conversation

from actions import questions
from actions.common.context import (
    Metadata,
    conversation_branch,
    current_customer,
    rate_branch,
    routed_branch,
)
from actions.common.text import (
    is_indifferent,
    means_no_down_payment,
    number_in,
    person_name,
    term_preference,
    to_number,
    vehicle_words,
    year_in,
)
from actions.questions import AskAction
from showroom.db.session import session_scope


def test_metadata_of_the_latest_message_completed_by_earlier_ones() -> None:
    earlier = user_event(
        "hola", "greet", [], {"branch": "MTY", "phone": "+528112345678", "timezone": "x/y"}
    )
    state = tracker(
        text="busco carro",
        intent="search_vehicle",
        metadata={"channel": "whatsapp", "timezone": "America/Monterrey"},
        before=[earlier],
    )
    assert Metadata.from_tracker(state) == Metadata(
        channel="whatsapp", branch="MTY", phone="+528112345678", timezone="America/Monterrey"
    )


def test_no_metadata_at_all() -> None:
    assert Metadata.from_tracker(tracker(text="hola")) == Metadata()


def test_customer_by_metadata_phone_then_by_sender_id(db_url: str) -> None:
    with session_scope(db_url) as session:
        by_phone = current_customer(session, tracker(metadata={"phone": "81 1234 5678"}))
        by_sender = current_customer(session, tracker(sender_id="whatsapp:+5218112345678"))
        web = current_customer(session, tracker(sender_id="web-1234"))
        assert (by_phone.phone, by_phone.name) == ("+528112345678", None)
        assert by_sender.id == by_phone.id
        assert (web.phone, web.external_id) == (None, "web-1234")


def test_the_gateways_customer_is_found_by_the_conversation_key_with_their_name(
    db_url: str,
) -> None:
    """WhatsApp: no phone and no name in Rasa's metadata; the conversation whose key is
    the sender id leads to the customer the gateway stored, profile name included."""
    with session_scope(db_url) as session:
        conversation = whatsapp_conversation(session, name="Ana María")
        key, customer_id = conversation.key, conversation.customer_id
    with session_scope(db_url) as session:
        found = current_customer(
            session, tracker(sender_id=key, metadata={"channel": "whatsapp", "branch": "MTY"})
        )
        assert (found.id, found.name) == (customer_id, "Ana María")


def test_branch_from_metadata_then_city_then_default(
    catalog: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from showroom.settings import get_settings

    with session_scope(catalog) as session:
        meta = routed_branch(session, tracker(metadata={"branch": "tij"}))
        city = routed_branch(session, tracker({"city": "CDMX"}))
        assert (meta and meta.code, city and city.code) == ("TIJ", "CDMX")
        assert routed_branch(session, tracker()) is None
        assert rate_branch(session, tracker(), None) is None
        first = conversation_branch(session, tracker())
        assert first is not None and first.code == "CDMX"  # first by name
    monkeypatch.setenv("DEFAULT_BRANCH", "MTY")
    get_settings.cache_clear()
    with session_scope(catalog) as session:
        default = conversation_branch(session, tracker())
        assert default is not None and default.code == "MTY"
        rate = rate_branch(session, tracker(), None)
        assert rate is not None and rate.code == "MTY"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("me da igual", True),
        ("no importa", True),
        ("Sin límite", True),
        ("cualquiera", True),
        ("una suv", False),
        ("300 mil", False),
    ],
)
def test_indifference(text: str, expected: bool) -> None:
    assert is_indifferent(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sin enganche", True),
        ("no tengo enganche", True),
        ("enganche cero", True),
        ("con 50 mil de enganche", False),
    ],
)
def test_no_down_payment(text: str, expected: bool) -> None:
    assert means_no_down_payment(text) is expected


def test_term_preferences() -> None:
    assert term_preference("lo más largo posible") == "longest"
    assert term_preference("el plazo más corto") == "shortest"
    assert term_preference("48 meses") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Juan Perez", "Juan Perez"),
        ("soy mariana", "Mariana"),
        ("me llamo carlos", "Carlos"),
        ("a nombre de Luis Hernández", "Luis Hernández"),
        ("ponla a nombre de mi esposo, Ricardo Salinas", "Ricardo Salinas"),
        ("rosa maria de la garza", "Rosa Maria de la Garza"),
        ("cuando abren?", None),
        ("12345", None),
        ("juan@example.com", None),
    ],
)
def test_person_names(text: str, expected: str | None) -> None:
    assert person_name(text) == expected


def test_vehicle_words_and_numbers() -> None:
    assert vehicle_words("es un pontiac") == "Pontiac"
    assert vehicle_words("Grand Cherokee") == "Grand Cherokee"
    assert vehicle_words("que precio tiene?") is None
    assert vehicle_words("como 150 mil km") is None
    assert vehicle_words("2008") is None
    assert vehicle_words("g6") == "G6"
    assert year_in("es un 2015") == 2015
    assert year_in("modelo 08") == 2008
    assert year_in("del 99") == 1999
    assert number_in("como 80 mil") == 80000
    assert number_in("120,000 kilometros") == 120000
    assert number_in("95k") == 95000
    assert number_in("1.2 millones") == 1200000
    assert number_in("nada") is None
    assert to_number("$389,900") == Decimal("389900")
    assert to_number({"value": 48}) == Decimal(48)
    assert to_number(True) is None


def inform(title: str, payload: str) -> dict[str, str]:
    return {"title": title, "payload": "/inform" + payload}


# Every form question, written out: what the customer reads and the buttons they can tap.
QUESTIONS = {
    "action_ask_body_type": (
        "¿Qué tipo de vehículo buscas?",
        [
            inform("Sedán", '{"body_type": "sedan"}'),
            inform("SUV / camioneta", '{"body_type": "suv"}'),
            inform("Pickup", '{"body_type": "pickup"}'),
            inform("Hatchback", '{"body_type": "hatchback"}'),
            inform("Me da igual", '{"body_type": "any"}'),
        ],
    ),
    "action_ask_budget": (
        '¿Hasta cuánto quieres invertir? Por ejemplo: "300 mil". Si no tienes límite, dime '
        '"no importa".',
        [],
    ),
    "action_ask_fin_price": (
        "¿Qué auto quieres financiar? Dime el número de la lista o su precio (por ejemplo "
        '"350 mil").',
        [],
    ),
    "action_ask_down_payment": (
        '¿Cuánto darías de enganche? Puede ser una cantidad ("80 mil"), un porcentaje ("20%") '
        'o "sin enganche".',
        [],
    ),
    "action_ask_term_months": (
        "¿A cuántos meses? Manejamos plazos de 12 a 72 meses.",
        [
            inform("24 meses", '{"months": 24}'),
            inform("36 meses", '{"months": 36}'),
            inform("48 meses", '{"months": 48}'),
            inform("60 meses", '{"months": 60}'),
        ],
    ),
    "action_ask_selected_vehicle": (
        "¿Qué auto te gustaría manejar? Dime marca y modelo, o el número de la lista.",
        [],
    ),
    "action_ask_customer_name": ("¿A nombre de quién agendo la cita?", []),
    "action_ask_tradein_brand": ("¡Claro! Recibimos tu auto a cuenta. ¿De qué marca es?", []),
    "action_ask_tradein_model": ("¿Qué modelo es?", []),
    "action_ask_tradein_year": ("¿De qué año es?", []),
    "action_ask_tradein_km": ("¿Cuántos kilómetros tiene, más o menos?", []),
}


def question_actions() -> dict[str, AskAction]:
    """Every concrete question in actions/questions.py, by action name."""
    found = {}
    for value in vars(questions).values():
        if isinstance(value, type) and issubclass(value, AskAction) and value is not AskAction:
            action = value()
            found[action.name()] = action
    return found


def test_every_question_is_written_out_below() -> None:
    """A question added to questions.py without its expected text here fails."""
    assert set(question_actions()) == set(QUESTIONS)


@pytest.mark.parametrize("name", sorted(QUESTIONS))
async def test_form_questions(name: str) -> None:
    text, buttons = QUESTIONS[name]
    action = question_actions()[name]
    state = tracker({"requested_slot": name.removeprefix("action_ask_")}, active_loop="some_form")
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, state, DOMAIN)  # type: ignore[arg-type]
    assert [(m["text"], m["buttons"]) for m in dispatcher.messages] == [(text, buttons)]
    assert events == []
    assert name in DOMAIN["actions"]  # Rasa only calls actions the domain lists


def test_slotset_helper_is_rasa_sdks() -> None:
    assert SlotSet("a", 1) == {"event": "slot", "timestamp": None, "name": "a", "value": 1}


def test_the_action_server_registers_only_real_actions() -> None:
    """Base classes (questions, form validations) are not actions with a `None` name."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    names = list(executor.actions)
    assert all(isinstance(name, str) and name for name in names), names
    assert {"validate_quote_decision_form", "validate_vin_confirm_form"} <= set(names)
