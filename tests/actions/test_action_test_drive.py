"""Test-drive booking: day/time against the branch's hours, the name, the stored appointment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from actions_kit import entity, run, tracker
from rasa_sdk.events import FollowupAction, SlotSet
from records_kit import whatsapp_conversation
from sqlalchemy import select

from actions.test_drive import ActionBookTestDrive
from actions.test_drive_form import ActionAskTdDatetime, ValidateTestDriveForm
from showroom.db.models.customers import Customer
from showroom.db.models.inventory import Vehicle
from showroom.db.models.leads import Appointment
from showroom.db.session import session_scope

MTY = ZoneInfo("America/Monterrey")
# Wednesday 9 January 2030, 10:00 in Monterrey
WEDNESDAY_10AM = datetime(2030, 1, 9, 10, 0, tzinfo=MTY)
HOURS_MTY = "lun a vie 9:00–19:00, sáb 10:00–15:00"
FORM = "test_drive_form"
CAR = {"selected_vehicle": "MTY-002"}

Clock = Callable[[datetime], None]


def answer(
    slots: dict, text: str, intent: str, candidates: dict, asked: str = "td_datetime", **kwargs
):
    return tracker(
        {**CAR, **slots, "requested_slot": asked},
        text=text,
        intent=intent,
        active_loop=FORM,
        form_candidates=candidates,
        **kwargs,
    )


async def test_a_time_inside_the_hours(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = answer({}, "el sabado a las 11", "inform", {"td_datetime": "2030-01-12T11:00:00"})
    messages, events = await run(ValidateTestDriveForm(), state)
    assert messages == []
    assert events == [
        SlotSet("td_datetime", "2030-01-12T11:00:00-06:00"),
        SlotSet("td_date", None),
        SlotSet("td_proposed", None),
    ]


async def test_a_closed_day_gets_the_hours_and_a_proposal(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = answer({}, "el domingo a las 11", "inform", {"td_datetime": "2030-01-13T11:00:00"})
    messages, events = await run(ValidateTestDriveForm(), state)
    assert messages == [
        {
            "text": "A esa hora la Sucursal Monterrey Valle está cerrada o ya no alcanza para la "
            f"prueba. Horario: {HOURS_MTY}."
        }
    ]
    assert events == [
        SlotSet("td_datetime", None),
        SlotSet("td_date", None),
        SlotSet("td_proposed", "2030-01-14T09:00:00-06:00"),
    ]


async def test_too_close_to_closing_time(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = answer({}, "el sabado 14:45", "inform", {"td_datetime": "2030-01-12T14:45:00"})
    _messages, events = await run(ValidateTestDriveForm(), state)
    assert events[2] == SlotSet("td_proposed", "2030-01-14T09:00:00-06:00")


async def test_a_past_time_proposes_one_an_hour_ahead(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = answer({}, "hoy a las 8", "inform", {"td_datetime": "2030-01-09T08:00:00"})
    messages, events = await run(ValidateTestDriveForm(), state)
    assert messages == [{"text": "Esa hora ya pasó 🙂."}]
    assert events[2] == SlotSet("td_proposed", "2030-01-09T11:00:00-06:00")


async def test_yes_to_the_proposal_books_it(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = answer({"td_proposed": "2030-01-14T09:00:00-06:00"}, "si", "affirm", {})
    messages, events = await run(ValidateTestDriveForm(), state)
    assert messages == []
    assert events == [
        SlotSet("td_datetime", "2030-01-14T09:00:00-06:00"),
        SlotSet("td_date", None),
        SlotSet("td_proposed", None),
    ]


async def test_no_to_the_proposal_forgets_it(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = answer({"td_proposed": "2030-01-14T09:00:00-06:00"}, "no", "deny", {})
    _messages, events = await run(ValidateTestDriveForm(), state)
    assert events == [SlotSet("td_datetime", None), SlotSet("td_proposed", None)]


async def test_a_day_without_time_asks_the_hour_of_that_day(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = answer({}, "el sabado", "inform", {"td_datetime": "2030-01-12"})
    messages, events = await run(ValidateTestDriveForm(), state)
    assert messages == []
    assert events == [
        SlotSet("td_datetime", None),
        SlotSet("td_date", "2030-01-12"),
        SlotSet("td_proposed", None),
    ]
    ask, _ = await run(ActionAskTdDatetime(), tracker({**CAR, "td_date": "2030-01-12"}))
    assert ask == [{"text": "¿A qué hora el sábado 12 de enero? Ese día abrimos 10:00–15:00."}]

    # "a las 11": the extractor dates it today; the day already given wins
    state = answer(
        {"td_date": "2030-01-12"}, "a las 11", "inform", {"td_datetime": "2030-01-09T11:00:00"}
    )
    _messages, events = await run(ValidateTestDriveForm(), state)
    assert events[0] == SlotSet("td_datetime", "2030-01-12T11:00:00-06:00")


async def test_a_closed_day_without_time(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = answer({}, "el domingo", "inform", {"td_datetime": "2030-01-13T00:00:00-06:00"})
    messages, events = await run(ValidateTestDriveForm(), state)
    assert messages == [
        {
            "text": "El domingo 13 de enero la Sucursal Monterrey Valle está cerrada. "
            f"Horario: {HOURS_MTY}."
        }
    ]
    assert events == [
        SlotSet("td_datetime", None),
        SlotSet("td_date", None),
        SlotSet("td_proposed", None),
    ]


async def test_today_after_closing_proposes_the_next_opening(
    catalog: str, fixed_now: Clock
) -> None:
    fixed_now(datetime(2030, 1, 12, 23, 30, tzinfo=MTY))  # Saturday night
    state = answer({}, "el sabado", "inform", {"td_datetime": "2030-01-12"})
    messages, events = await run(ValidateTestDriveForm(), state)
    assert messages == [
        {"text": f"Hoy la Sucursal Monterrey Valle ya cerró. Horario: {HOURS_MTY}."}
    ]
    assert events == [
        SlotSet("td_datetime", None),
        SlotSet("td_date", None),
        SlotSet("td_proposed", "2030-01-14T09:00:00-06:00"),
    ]


async def test_the_questions_for_day_and_time(catalog: str) -> None:
    plain, _ = await run(ActionAskTdDatetime(), tracker(CAR))
    assert plain == [
        {"text": '¿Qué día y a qué hora te queda bien? Por ejemplo: "el sábado a las 11".'}
    ]
    proposal, _ = await run(
        ActionAskTdDatetime(), tracker({**CAR, "td_proposed": "2030-01-14T09:00:00-06:00"})
    )
    assert proposal == [
        {"text": '¿Te queda bien el lunes 14 de enero, 9:00? Responde "sí" o dime otro día y hora.'}
    ]


async def test_an_unreadable_time_keeps_the_form(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    messages, events = await run(
        ValidateTestDriveForm(), answer({}, "cuando salga del trabajo", "nlu_fallback", {})
    )
    assert messages == [{"text": "Perdón, no identifiqué el día y la hora 🙏."}]
    assert events == [SlotSet("td_datetime", None)]


# ------------------------------------------------------------------ car and name
async def test_the_car_by_list_number_inside_the_form(catalog: str) -> None:
    state = tracker(
        {"shown_vehicles": ["CDMX-002", "MTY-003"], "requested_slot": "selected_vehicle"},
        text="el 2",
        intent="choose_option",
        entities=[entity("option", 2)],
        active_loop=FORM,
        form_candidates={},
    )
    _messages, events = await run(ValidateTestDriveForm(), state)
    assert events == [SlotSet("selected_vehicle", "MTY-003")]


async def test_naming_a_car_when_starting_the_booking_replaces_the_chosen_one(
    catalog: str,
) -> None:
    state = tracker(
        {"selected_vehicle": "MTY-002"},
        text="quiero manejar la hilux",
        intent="book_test_drive",
        entities=[entity("model", "Hilux")],
        active_loop=FORM,
        form_candidates={},
    )
    _messages, events = await run(ValidateTestDriveForm(), state)
    assert events == [SlotSet("selected_vehicle", "MTY-001")]


async def test_the_whatsapp_profile_name_is_not_asked_again(catalog: str) -> None:
    """The gateway stored the profile name on the customer (Rasa's metadata has none)."""
    with session_scope(catalog) as session:
        key = whatsapp_conversation(session, name="juan pérez").key
    state = tracker(
        CAR,
        text="quiero agendar una prueba",
        intent="book_test_drive",
        metadata={"channel": "whatsapp", "branch": "MTY"},
        active_loop=FORM,
        form_candidates={},
        sender_id=key,
    )
    _messages, events = await run(ValidateTestDriveForm(), state)
    assert events == [SlotSet("customer_name", "Juan Pérez")]


async def test_a_name_as_people_write_it(catalog: str) -> None:
    state = answer(
        {"td_datetime": "2030-01-12T11:00:00-06:00"},
        "ponla a nombre de mi esposo, Ricardo Salinas",
        "inform",
        {"customer_name": "ponla a nombre de mi esposo, Ricardo Salinas"},
        asked="customer_name",
    )
    _messages, events = await run(ValidateTestDriveForm(), state)
    assert events == [SlotSet("customer_name", "Ricardo Salinas")]


async def test_something_that_is_not_a_name(catalog: str) -> None:
    state = answer(
        {"td_datetime": "2030-01-12T11:00:00-06:00"},
        "12345",
        "inform",
        {"customer_name": "12345"},
        asked="customer_name",
    )
    messages, events = await run(ValidateTestDriveForm(), state)
    assert messages == [{"text": '¿Me dices tu nombre? Por ejemplo: "Ana López".'}]
    assert events == [SlotSet("customer_name", None)]


# ------------------------------------------------------------------ booking
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def next_monday_10am() -> datetime:
    today = datetime.now(UTC).astimezone(MTY).date() + timedelta(days=2)
    monday = today + timedelta(days=(7 - today.weekday()) % 7)
    return datetime.combine(monday, datetime.min.time(), tzinfo=MTY).replace(hour=10)


async def test_booking_stores_and_confirms(catalog: str) -> None:
    when = next_monday_10am()
    state = tracker(
        {**CAR, "td_datetime": when.isoformat(), "customer_name": "Ana López"},
        text="Ana López",
        intent="inform",
        sender_id="whatsapp:+528112345678",
    )
    messages, events = await run(ActionBookTestDrive(), state)
    day = f"{WEEKDAYS[when.weekday()]} {when.day} de {MONTHS[when.month - 1]}, 10:00"
    assert messages == [
        {
            "text": "¡Listo, Ana López! ✅ Tu prueba de manejo quedó agendada:\n"
            "🚗 Toyota Corolla 2024 · LE CVT\n"
            f"📅 {day}\n"
            "📍 Sucursal Monterrey Valle: Av. Constitución 1500 Pte., Centro\n"
            "https://www.google.com/maps/search/?api=1&query=Av.+Constituci%C3%B3n+1500+Pte.%2C"
            "+Centro%2C+Monterrey\n"
            "Si necesitas cambiarla, pídeme hablar con un asesor."
        }
    ]
    assert events == [
        SlotSet("td_datetime", None),
        SlotSet("td_date", None),
        SlotSet("td_proposed", None),
    ]
    with session_scope(catalog) as session:
        appointment = session.scalars(select(Appointment)).one()
        customer = session.get(Customer, appointment.customer_id)
        vehicle = session.get(Vehicle, appointment.vehicle_id)
        assert appointment.starts_at == when
        assert appointment.status == "booked"
        assert vehicle is not None and vehicle.stock_id == "MTY-002"
        assert customer is not None
        assert (customer.phone, customer.name) == ("+528112345678", "Ana López")


async def test_a_time_that_became_unavailable_restarts_the_question(catalog: str) -> None:
    state = tracker(
        {**CAR, "td_datetime": "2020-01-06T10:00:00-06:00", "customer_name": "Ana"},
        text="Ana",
        intent="inform",
    )
    messages, events = await run(ActionBookTestDrive(), state)
    assert messages == [
        {
            "text": "Ese horario ya no está disponible 😕. Horario de la Sucursal Monterrey "
            f"Valle: {HOURS_MTY}."
        }
    ]
    assert events[:2] == [SlotSet("td_datetime", None), SlotSet("td_date", None)]
    assert events[2]["name"] == "td_proposed"
    proposed = datetime.fromisoformat(events[2]["value"])
    assert proposed > datetime.now(UTC)
    assert events[3] == FollowupAction("test_drive_form")
    with session_scope(catalog) as session:
        assert session.scalars(select(Appointment)).all() == []


def test_monday_helper_is_a_monday() -> None:
    assert next_monday_10am().weekday() == 0
    assert next_monday_10am().date() > date.today()
