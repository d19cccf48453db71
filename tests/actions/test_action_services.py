"""Branch info, trade-in, a person, callbacks, opt-outs (quotes: test_action_quotes.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from actions_kit import entity, run, tracker
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from actions.branches import ActionBranchInfo
from actions.compliance import ActionOptOut, ActionWrongNumber
from actions.handoff import (
    ActionRegisterCallback,
    ActionRequestHuman,
    reach_the_branch_es,
    until_es,
    when_a_person_answers_es,
)
from actions.trade_in import ActionRegisterTradeIn, ValidateTradeInForm
from showroom.campaigns.compliance import is_opted_out
from showroom.db.models.customers import OptOut
from showroom.db.models.inventory import Branch
from showroom.db.models.leads import HandoffRequest, Lead
from showroom.db.session import session_scope

MTY = ZoneInfo("America/Monterrey")
CDMX_ZONE = ZoneInfo("America/Mexico_City")
WEDNESDAY_10AM = datetime(2030, 1, 9, 10, 0, tzinfo=MTY)
WEDNESDAY_11PM = datetime(2030, 1, 9, 23, 0, tzinfo=MTY)
HOURS_MTY = "lun a vie 9:00–19:00, sáb 10:00–15:00"
MAP_MTY = (
    "https://www.google.com/maps/search/?api=1&query=Av.+Constituci%C3%B3n+1500+Pte.%2C"
    "+Centro%2C+Monterrey"
)
PHONE = {"phone": "+528112345678", "branch": "MTY", "channel": "whatsapp"}
Clock = Callable[[datetime], None]


# ------------------------------------------------------------------ branches
async def test_branch_of_a_city(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = tracker(
        text="tienen en monterrey?",
        intent="ask_branch_info",
        entities=[entity("city", "Monterrey")],
    )
    messages, events = await run(ActionBranchInfo(), state)
    assert messages == [
        {
            "text": "📍 Monterrey Valle\nAv. Constitución 1500 Pte., Centro, Monterrey\n"
            f"Horario: {HOURS_MTY}\nAbierto ahora ✅\n{MAP_MTY}"
        }
    ]
    assert events == []


async def test_the_branch_written_to_when_closed(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_11PM)
    state = tracker(text="donde estan?", intent="ask_branch_info", metadata=PHONE)
    messages, _events = await run(ActionBranchInfo(), state)
    assert messages[0]["text"].split("\n")[3] == ("Cerrado ahora; abre el jueves 10 de enero, 9:00")


async def test_without_city_or_branch_all_are_listed(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    messages, _events = await run(
        ActionBranchInfo(), tracker(text="sucursales?", intent="ask_branch_info")
    )
    assert [m["text"].split("\n")[0] for m in messages] == [
        "Estas son nuestras sucursales:",
        "📍 CDMX Insurgentes",
        "📍 Monterrey Valle",
        "📍 Tijuana Río",
    ]


async def test_a_city_without_branch_says_so(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = tracker(
        text="tienen en merida?",
        intent="ask_branch_info",
        entities=[entity("city", "Mérida")],
        metadata=PHONE,
    )
    messages, _events = await run(ActionBranchInfo(), state)
    assert messages[0] == {"text": "No tenemos sucursal en Mérida 😕. Estas son las nuestras:"}
    assert len(messages) == 4


# ------------------------------------------------------------------ trade-in
TRADE_FORM = "trade_in_form"


def trade_turn(slots: dict, asked: str, text: str, candidates: dict, intent: str = "inform"):
    return tracker(
        {**slots, "requested_slot": asked},
        text=text,
        intent=intent,
        active_loop=TRADE_FORM,
        form_candidates=candidates,
    )


async def test_a_brand_we_do_not_sell_is_taken_from_the_text() -> None:
    state = trade_turn({}, "tradein_brand", "es un pontiac", {"tradein_brand": "es un pontiac"})
    _messages, events = await run(ValidateTradeInForm(), state)
    assert events == [SlotSet("tradein_brand", "Pontiac")]


async def test_known_brand_spellings_are_canonical() -> None:
    state = trade_turn({}, "tradein_brand", "vw", {"tradein_brand": "vw"})
    _messages, events = await run(ValidateTradeInForm(), state)
    assert events == [SlotSet("tradein_brand", "Volkswagen")]


async def test_a_two_digit_year() -> None:
    slots = {"tradein_brand": "Nissan", "tradein_model": "Tsuru"}
    _messages, events = await run(
        ValidateTradeInForm(), trade_turn(slots, "tradein_year", "es del 15", {})
    )
    assert events == [SlotSet("tradein_year", 2015.0)]


async def test_a_year_out_of_range() -> None:
    slots = {"tradein_brand": "Nissan", "tradein_model": "Tsuru"}
    messages, events = await run(
        ValidateTradeInForm(), trade_turn(slots, "tradein_year", "1950", {"tradein_year": 1950})
    )
    assert messages[0]["text"].startswith("El año debe estar entre 1980 y ")
    assert events == [SlotSet("tradein_year", None)]


async def test_kilometres_said_as_an_amount() -> None:
    slots = {"tradein_brand": "Nissan", "tradein_model": "Tsuru", "tradein_year": 2015.0}
    state = tracker(
        {**slots, "requested_slot": "tradein_km"},
        text="como 80 mil",
        intent="inform",
        entities=[entity("amount", 80000)],
        active_loop=TRADE_FORM,
        form_candidates={},
    )
    _messages, events = await run(ValidateTradeInForm(), state)
    assert events == [SlotSet("tradein_km", 80000.0)]


async def test_absurd_kilometres() -> None:
    slots = {"tradein_brand": "Nissan", "tradein_model": "Tsuru", "tradein_year": 2015.0}
    messages, events = await run(
        ValidateTradeInForm(), trade_turn(slots, "tradein_km", "9 millones", {"tradein_km": 9e6})
    )
    assert messages == [{"text": 'Ese kilometraje no me cuadra 🤔. Escríbelo así: "80 mil km".'}]
    assert events == [SlotSet("tradein_km", None)]


async def test_the_trade_in_becomes_a_lead_without_a_price(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    slots = {
        "tradein_brand": "Chevrolet",
        "tradein_model": "Aveo",
        "tradein_year": 2016.0,
        "tradein_km": 95000.0,
    }
    state = tracker(slots, text="95 mil", intent="inform", metadata=PHONE)
    messages, events = await run(ActionRegisterTradeIn(), state)
    assert messages == [
        {
            "text": "¡Gracias! Registré tu Chevrolet Aveo 2016 con 95,000 km ✅.\n"
            "Un valuador de la Sucursal Monterrey Valle te contactará a este número en horario "
            "de atención (hoy atienden hasta las 19:00) para agendar la revisión. La oferta "
            "depende de revisar el auto en persona, por eso no te doy una cifra por aquí."
        }
    ]
    assert events == [
        SlotSet(name, None)
        for name in ("tradein_brand", "tradein_model", "tradein_year", "tradein_km")
    ]
    with session_scope(catalog) as session:
        lead = session.scalars(select(Lead)).one()
        assert (lead.kind, lead.details) == (
            "trade_in",
            {"brand": "Chevrolet", "model": "Aveo", "year": 2016, "km": 95000},
        )


# ------------------------------------------------------------------ a person
# Nobody is notified and nobody can answer in this chat yet: the request is stored for the
# branch's staff (`showroom handoffs list`), who contact the customer's phone in opening hours.
SEE_YOU = "Mientras, aquí sigo por si necesitas algo más."


async def test_a_person_during_opening_hours(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = tracker(
        text="quiero hablar con alguien",
        intent="request_human",
        metadata=PHONE,
        sender_id="whatsapp:+528112345678",
    )
    messages, events = await run(ActionRequestHuman(), state)
    assert messages == [
        {
            "text": "Listo ✅, dejé registrada tu solicitud. Un asesor de la Sucursal Monterrey "
            "Valle te contactará a este número en horario de atención (hoy atienden hasta las "
            f"19:00). {SEE_YOU}"
        }
    ]
    assert events == []
    with session_scope(catalog) as session:
        request = session.scalars(select(HandoffRequest)).one()
        assert (request.conversation_key, request.reason, request.status) == (
            "whatsapp:+528112345678",
            "customer_request",
            "pending",
        )


async def test_a_person_at_night_is_promised_for_the_next_opening(
    catalog: str, fixed_now: Clock
) -> None:
    fixed_now(WEDNESDAY_11PM)
    state = tracker(text="un asesor", intent="request_human", metadata=PHONE)
    messages, _events = await run(ActionRequestHuman(), state)
    assert messages[0]["text"] == (
        "Listo ✅, dejé registrada tu solicitud. La Sucursal Monterrey Valle está cerrada ahora; "
        "un asesor te contactará a este número a partir del jueves 10 de enero a las 9:00. "
        f"{SEE_YOU}"
    )


async def test_before_opening_the_same_day(catalog: str, fixed_now: Clock) -> None:
    fixed_now(datetime(2030, 1, 9, 7, 30, tzinfo=MTY))
    state = tracker(text="un asesor", intent="request_human", metadata=PHONE)
    messages, _events = await run(ActionRequestHuman(), state)
    assert messages[0]["text"] == (
        "Listo ✅, dejé registrada tu solicitud. La Sucursal Monterrey Valle está cerrada ahora; "
        f"un asesor te contactará a este número a partir de hoy a las 9:00. {SEE_YOU}"
    )


async def test_a_web_visitor_without_phone_gets_the_branch_numbers(
    catalog: str, fixed_now: Clock
) -> None:
    """Staff cannot reach a visitor with no phone: no promise, the branch's numbers. 10:00 in
    Monterrey is 8:00 in Tijuana, before it opens."""
    fixed_now(WEDNESDAY_10AM)
    state = tracker(text="quiero un asesor", intent="request_human", metadata={"branch": "TIJ"})
    messages, _events = await run(ActionRequestHuman(), state)
    assert messages[0]["text"] == (
        "Listo ✅, dejé registrada tu solicitud. En este chat no tengo tu teléfono para que te "
        "contacten. Para hablar con la Sucursal Tijuana Río, escribe por WhatsApp al "
        "+52 664 000 0301 (abre hoy a las 9:00). " + SEE_YOU
    )
    with session_scope(catalog) as session:
        assert session.scalars(select(HandoffRequest.conversation_key)).one() == "web-7f3a"


async def test_asking_twice_keeps_one_request(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    for _ in range(2):
        await run(
            ActionRequestHuman(), tracker(text="asesor", intent="request_human", metadata=PHONE)
        )
    with session_scope(catalog) as session:
        assert len(session.scalars(select(HandoffRequest)).all()) == 1


async def test_a_part_goes_to_a_person_with_its_reason(catalog: str, fixed_now: Clock) -> None:
    fixed_now(WEDNESDAY_10AM)
    await run(
        ActionRequestHuman(),
        tracker(text="balatas para tsuru", intent="search_part", metadata=PHONE),
    )
    with session_scope(catalog) as session:
        assert session.scalars(select(HandoffRequest.reason)).one() == "parts"


def branch_with(hours: str, whatsapp: str | None = None, voice: str | None = None) -> Branch:
    return Branch(
        code="CUN",
        name="Cancún Bonampak",
        city="Cancún",
        address="Av. Bonampak 200, Cancún",
        whatsapp_number=whatsapp,
        voice_number=voice,
        timezone="America/Cancun",
        opening_hours=hours,
    )


CUN_ZONE = ZoneInfo("America/Cancun")
LUNCH_BREAK = "lun-vie 09:00-14:00, 16:00-20:00; sab 10:00-14:00"


@pytest.mark.parametrize(
    ("hour", "reachable", "expected"),
    [
        (
            13,
            None,
            "Un asesor de la Sucursal Cancún Bonampak te contactará en horario de atención "
            "(hoy atienden hasta las 20:00).",
        ),
        (
            15,
            True,
            "La Sucursal Cancún Bonampak está cerrada ahora; un asesor te contactará a este "
            "número a partir de hoy a las 16:00.",
        ),
        (
            10,
            False,
            "En este chat no tengo tu teléfono para que te contacten. Para hablar con la "
            "Sucursal Cancún Bonampak, visita la sucursal en Av. Bonampak 200, Cancún "
            "(hoy atiende hasta las 20:00).",
        ),
        (
            21,
            False,
            "En este chat no tengo tu teléfono para que te contacten. Para hablar con la "
            "Sucursal Cancún Bonampak, visita la sucursal en Av. Bonampak 200, Cancún "
            "(abre el jueves 10 de enero a las 9:00).",
        ),
    ],
)
def test_what_happens_next_follows_the_branch_hours(
    hour: int, reachable: bool | None, expected: str
) -> None:
    """A lunch break: open at 13:00 until the evening close; closed at 15:00 until 16:00."""
    branch = branch_with(LUNCH_BREAK)
    now = datetime(2030, 1, 9, hour, 0, tzinfo=CUN_ZONE)
    assert when_a_person_answers_es(branch, now, reachable=reachable) == expected


@pytest.mark.parametrize(
    ("whatsapp", "voice", "expected"),
    [
        ("+529980000401", "+529980000402", "escribe por WhatsApp al +52 998 000 0401 o llama al "
         "+52 998 000 0402"),
        ("+529980000401", "+529980000401", "escribe por WhatsApp o llama al +52 998 000 0401"),
        (None, "+529980000402", "llama al +52 998 000 0402"),
    ],
)  # fmt: skip
def test_how_a_customer_reaches_the_branch(
    whatsapp: str | None, voice: str | None, expected: str
) -> None:
    assert reach_the_branch_es(branch_with(LUNCH_BREAK, whatsapp, voice)) == expected


NOTED_CALLBACK = "Claro 👍, dejé registrado que prefieres que te contactemos más tarde."
WHO_CALLS = (
    "Un asesor de la Sucursal Monterrey Valle te contactará a este número en horario de "
    "atención (hoy atienden hasta las 19:00)."
)


@pytest.mark.parametrize(
    ("said", "when", "reply"),
    [
        pytest.param(
            "llamame mañana a las 5",
            "2030-01-10T17:00:00",
            f"{NOTED_CALLBACK} Anoté tu horario preferido: jueves 10 de enero, 17:00. {WHO_CALLS}",
            id="a_time",
        ),
        pytest.param(
            "mejor el domingo a las 11",
            "2030-01-13T11:00:00",
            f"{NOTED_CALLBACK} Anoté tu horario preferido (domingo 13 de enero, 11:00), aunque a "
            f"esa hora la sucursal está cerrada; su horario es {HOURS_MTY}. {WHO_CALLS}",
            id="the_branch_closed_then",
        ),
        # a time already past is not confirmed to the customer (it is still in the note)
        pytest.param("a las 8", "2030-01-09T08:00:00", f"{NOTED_CALLBACK} {WHO_CALLS}", id="past"),
    ],
)
async def test_call_me_back(
    catalog: str, fixed_now: Clock, said: str, when: str, reply: str
) -> None:
    fixed_now(WEDNESDAY_10AM)
    state = tracker(
        text=said,
        intent="call_back_later",
        metadata=PHONE,
        entities=[entity("time", when)],
    )
    messages, events = await run(ActionRegisterCallback(), state)
    assert messages == [{"text": reply}]
    assert events == []
    with session_scope(catalog) as session:
        lead = session.scalars(select(Lead)).one()
        assert lead.kind == "callback"
        assert lead.details == {
            "note": f"customer asked to be contacted later; preferred time {when}-06:00"
        }


# ------------------------------------------------------------------ do not contact
async def test_opt_out_is_recorded_and_confirmed(catalog: str) -> None:
    state = tracker(text="ya no me escriban", intent="opt_out", metadata=PHONE)
    messages, events = await run(ActionOptOut(), state)
    assert messages == [
        {
            "text": "Listo ✅. Ya no te enviaremos mensajes ni llamadas promocionales. Si algún "
            "día quieres información, escríbenos y con gusto te atendemos."
        }
    ]
    assert events == []
    with session_scope(catalog) as session:
        assert is_opted_out(session, "+528112345678")


async def test_wrong_number_apologises_and_opts_out(catalog: str) -> None:
    state = tracker(
        text="numero equivocado", intent="wrong_number", sender_id="whatsapp:+5218187654321"
    )
    messages, _events = await run(ActionWrongNumber(), state)
    assert messages == [
        {
            "text": "¡Perdón por la molestia! 🙏 Ya registramos que este número no es el "
            "correcto y no te volveremos a contactar."
        }
    ]
    with session_scope(catalog) as session:
        assert is_opted_out(session, "+528187654321")
        assert session.scalars(select(OptOut.source)).one() == "wrong_number"


def test_hours_read_with_the_right_article() -> None:
    assert until_es(time(19, 0)) == "hasta las 19:00"
    assert until_es(time(1, 0)) == "hasta la 1:00"
    assert until_es(time.max) == "hasta las 24:00"
