"""Questions about credit the simulation cannot answer (actions/financing_info.py)."""

from __future__ import annotations

import pytest
from actions_kit import run, tracker

from actions.financing_info import ActionFinancingInfo, topics_in

BUTTONS = [
    {"title": "Calcular mensualidades", "payload": "/ask_financing"},
    {"title": "Hablar con un asesor", "payload": "/request_human"},
]
CLOSING = "¿Te calculo las mensualidades o prefieres que te contacte un asesor?"
MTY = {"branch": "MTY", "channel": "whatsapp"}


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("aceptan buro?", ["requirements"]),
        ("que requisitos piden?", ["requirements"]),
        ("hay meses sin intereses?", ["promotions", "rate"]),
        ("cual es la tasa?", ["rate"]),
        ("puedo financiar un seminuevo?", ["used"]),
        ("la mensualidad incluye el seguro?", ["included"]),
        ("con que bancos trabajan?", ["lenders"]),
        ("y eso como funciona?", []),
    ],
)
def test_topics(text: str, topics: list[str]) -> None:
    assert topics_in(text) == topics


async def test_the_rate_of_the_branch_written_to(catalog: str) -> None:
    state = tracker(text="cual es la tasa de interes?", intent="financing_info", metadata=MTY)
    messages, events = await run(ActionFinancingInfo(), state)
    assert messages == [
        {
            "text": "La tasa anual con la que simulo es 12.9% (Sucursal Monterrey Valle). La "
            f"tasa final depende de la aprobación.\n{CLOSING}",
            "buttons": BUTTONS,
        }
    ]
    assert events == []


async def test_the_chosen_cars_branch_wins(catalog: str) -> None:
    state = tracker(
        {"selected_vehicle": "TIJ-002"},
        text="que tasa manejan?",
        intent="financing_info",
        metadata=MTY,
    )
    messages, _events = await run(ActionFinancingInfo(), state)
    assert messages[0]["text"].startswith(
        "La tasa anual con la que simulo es 14.9% (Sucursal Tijuana Río)."
    )


async def test_no_branch_known_lists_each_branchs_rate(catalog: str) -> None:
    state = tracker(text="que interes cobran?", intent="financing_info")
    messages, _events = await run(ActionFinancingInfo(), state)
    assert messages[0]["text"].startswith(
        "La tasa anual con la que simulo depende de la sucursal: "
        "Sucursal CDMX Insurgentes: 13.9%; Sucursal Monterrey Valle: 12.9%; "
        "Sucursal Tijuana Río: 14.9%."
    )


async def test_buro_and_requirements_are_for_a_salesperson(catalog: str) -> None:
    state = tracker(text="aceptan buro?", intent="financing_info", metadata=MTY)
    messages, _events = await run(ActionFinancingInfo(), state)
    assert messages == [
        {
            "text": "Los requisitos, el buró y la aprobación del crédito los revisa un asesor "
            f"de la sucursal; yo no puedo confirmarte si te lo aprueban.\n{CLOSING}",
            "buttons": BUTTONS,
        }
    ]


async def test_no_promotion_is_invented(catalog: str) -> None:
    state = tracker(text="hay meses sin intereses?", intent="financing_info", metadata=MTY)
    messages, _events = await run(ActionFinancingInfo(), state)
    assert messages[0]["text"] == (
        "No tengo información de promociones ni de meses sin intereses; un asesor te dice si "
        "hay alguna vigente.\nLa tasa anual con la que simulo es 12.9% (Sucursal Monterrey "
        f"Valle). La tasa final depende de la aprobación.\n{CLOSING}"
    )


async def test_what_the_simulation_leaves_out(catalog: str) -> None:
    state = tracker(text="cobran comision por apertura?", intent="financing_info")
    messages, _events = await run(ActionFinancingInfo(), state)
    assert messages[0]["text"] == (
        "No incluye seguro, comisión por apertura ni IVA de los intereses. Esos costos y las "
        f"condiciones del contrato te los da un asesor.\n{CLOSING}"
    )


async def test_a_general_question_gets_the_rate_and_who_approves(catalog: str) -> None:
    state = tracker(text="como funciona lo del credito?", intent="financing_info", metadata=MTY)
    messages, _events = await run(ActionFinancingInfo(), state)
    lines = messages[0]["text"].split("\n")
    assert lines[0].startswith("La tasa anual con la que simulo es 12.9%")
    assert lines[1].startswith("Los requisitos, el buró y la aprobación")
    assert lines[2] == CLOSING
