"""Parts in the chat: search, "¿para qué auto?", more results, "la 2, dame 4".

Every figure and card is compared with what the parts service itself returns for the same
query (`search_parts`, `part_card_es`, `get_part`, `money_mxn`), never with typed numbers.
"""

from __future__ import annotations

from typing import Any

import pytest
from actions_kit import action_event, entity, run, texts, tracker
from rasa_sdk.events import SlotSet

from actions.parts import ASK_VEHICLE, HUMAN_BUTTON, MORE_BUTTON, ActionSearchParts
from actions.refine import ActionRefine
from actions.search import ActionMoreResults, ActionSelectVehicle
from showroom.db.models.inventory import Branch
from showroom.db.session import session_scope
from showroom.inventory.parts import (
    first_image,
    get_part,
    money_mxn,
    part_card_es,
    part_fits_es,
    search_parts,
)
from showroom.inventory.parts.cards import part_title_es

PAGE = 3  # Settings.search_page_size
TSURU_2015 = {"brand": "Nissan", "model": "Tsuru", "year": 2015}


def service_page(
    db_url: str, words: str, offset: int = 0, **car: Any
) -> list[tuple[str, str, Any]]:
    """(sku, card, photo) of one page, as the parts service returns it."""
    with session_scope(db_url) as session:
        result = search_parts(session, words, limit=PAGE, offset=offset, **car)
        return [(p.sku, part_card_es(p), first_image(p)) for p in result.parts]


def service_total(db_url: str, words: str, **car: Any) -> int:
    with session_scope(db_url) as session:
        return search_parts(session, words, limit=PAGE, **car).total


def cards(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if m.get("text", "")[:1].isdigit()]


def after_parts_list(skus: list[str], query: str, car: dict[str, Any]) -> list[dict[str, Any]]:
    """Events of a turn that showed a parts list (what last_list / last_flow read)."""
    return [
        action_event("action_search_parts"),
        SlotSet("part_query", query),
        SlotSet("part_vehicle", car),
        SlotSet("shown_parts", skus),
        SlotSet("parts_offset", len(skus)),
    ]


# ------------------------------------------------------------------ searching
async def test_brake_pads_without_a_car_ask_for_it(parts_catalog: str) -> None:
    state = tracker(
        text="tienen balatas?", intent="search_part", entities=[entity("part", "balatas")]
    )
    messages, events = await run(ActionSearchParts(), state)
    assert messages == [{"text": ASK_VEHICLE}]
    assert events == [
        SlotSet("part_query", "tienen balatas?"),
        SlotSet("shown_parts", None),
        SlotSet("parts_offset", 0),
    ]


async def test_the_car_given_afterwards_searches_the_pending_words(parts_catalog: str) -> None:
    state = tracker(
        {"part_query": "tienen balatas?"},
        text="para un tsuru 2015",
        intent="inform",
        entities=[entity("model", "Tsuru"), entity("year", 2015)],
        before=[action_event("action_search_parts"), SlotSet("part_query", "tienen balatas?")],
    )
    messages, events = await run(ActionRefine(), state)
    expected = service_page(parts_catalog, "tienen balatas?", model="Tsuru", year=2015)
    total = service_total(parts_catalog, "tienen balatas?", model="Tsuru", year=2015)
    assert len(expected) == PAGE and total > PAGE  # the fixture has more than one page
    assert messages[0] == {
        "text": f"Encontré {total} opciones para Nissan Tsuru 2015. Te muestro las {PAGE} mejores:"
    }
    # the car is known, so the cards do not repeat which cars each part fits
    assert cards(messages) == [
        {"text": f"{n}. {card}", "image": photo}
        for n, (_sku, card, photo) in enumerate(expected, start=1)
    ]
    assert messages[-1]["buttons"] == [MORE_BUTTON, HUMAN_BUTTON]
    skus = [sku for sku, _card, _photo in expected]
    assert events == [
        SlotSet("part_query", "tienen balatas?"),
        SlotSet("part_vehicle", TSURU_2015),
        SlotSet("shown_parts", skus),
        SlotSet("parts_offset", PAGE),
    ]


async def test_a_part_for_any_car_needs_no_vehicle(parts_catalog: str) -> None:
    state = tracker(
        text="tienen aceite 5w-30?", intent="search_part", entities=[entity("part", "aceite")]
    )
    messages, events = await run(ActionSearchParts(), state)
    expected = service_page(parts_catalog, "tienen aceite 5w-30?")
    assert expected
    assert texts(cards(messages)) == [
        f"{n}. {card}" + (f"\n{fits}" if (fits := fits_of(parts_catalog, sku)) else "")
        for n, (sku, card, _photo) in enumerate(expected, start=1)
    ]
    assert SlotSet("shown_parts", [sku for sku, _c, _p in expected]) in events


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        # nothing in the words is in this catalog: not sold here
        ("tienen bujes de suspension para tsuru 2010?", "Por ahora no manejamos bujes de "
         "suspension 😕"),
        # discs are, clutch discs are not: no brake disc for it
        ("ocupo el disco de embrague del tsuru 2010", "No encontré disco de embrague para "
         "Nissan Tsuru 2010"),
    ],
)  # fmt: skip
async def test_a_part_we_do_not_have_is_said_in_the_customers_words(
    parts_catalog: str, text: str, reply: str
) -> None:
    """No bujías for "bujes", no brake discs for a clutch disc: say it plainly."""
    state = tracker(text=text, intent="search_part")
    messages, events = await run(ActionSearchParts(), state)
    assert service_page(parts_catalog, text) == []
    assert texts(messages)[0].startswith(reply)
    assert SlotSet("shown_parts", None) in events


def fits_of(db_url: str, sku: str) -> str:
    with session_scope(db_url) as session:
        part = get_part(session, sku)
        assert part is not None
        return part_fits_es(part)


async def test_nothing_for_that_car_offers_a_person(parts_catalog: str) -> None:
    state = tracker(
        text="bujias para jetta 2010",
        intent="search_part",
        entities=[entity("part", "bujías"), entity("model", "Jetta"), entity("year", 2010)],
    )
    messages, events = await run(ActionSearchParts(), state)
    assert service_page(parts_catalog, "bujias para jetta 2010", model="Jetta", year=2010) == []
    assert len(messages) == 1
    assert messages[0]["text"].startswith("No encontré bujias para Volkswagen Jetta 2010")
    assert messages[0]["buttons"] == [HUMAN_BUTTON]
    assert SlotSet("shown_parts", None) in events


async def test_a_part_we_do_not_sell_says_so(parts_catalog: str) -> None:
    state = tracker(
        text="tienen llantas para versa?", intent="search_part", entities=[entity("model", "Versa")]
    )
    messages, events = await run(ActionSearchParts(), state)
    assert texts(messages) == [
        "Por ahora no manejamos llantas 😕. ¿Te ayudo con otra pieza o te comunico con un asesor?"
    ]
    assert SlotSet("part_query", None) in events


# ------------------------------------------------------------------ more results
async def test_more_results_are_the_next_page_numbered_after(parts_catalog: str) -> None:
    first = service_page(parts_catalog, "tienen balatas?", model="Tsuru", year=2015)
    skus = [sku for sku, _c, _p in first]
    state = tracker(
        {
            "part_query": "tienen balatas?",
            "part_vehicle": TSURU_2015,
            "shown_parts": skus,
            "parts_offset": len(skus),
        },
        text="ver mas",
        intent="more_results",
        before=after_parts_list(skus, "tienen balatas?", TSURU_2015),
    )
    messages, events = await run(ActionMoreResults(), state)
    more = service_page(
        parts_catalog, "tienen balatas?", offset=PAGE, brand="Nissan", model="Tsuru", year=2015
    )
    assert more
    assert messages[0] == {"text": "Aquí van más opciones:"}
    assert cards(messages) == [
        {"text": f"{n}. {card}", "image": photo}
        for n, (_sku, card, photo) in enumerate(more, start=PAGE + 1)
    ]
    new = [sku for sku, _c, _p in more]
    assert events == [SlotSet("shown_parts", skus + new), SlotSet("parts_offset", PAGE + len(new))]


async def test_more_results_after_the_last_page(parts_catalog: str) -> None:
    car = {"brand": "Nissan", "model": "Versa", "year": 2016}
    shown = [sku for sku, _c, _p in service_page(parts_catalog, "balatas", **car)]
    total = service_total(parts_catalog, "balatas", **car)
    assert len(shown) == total  # one page only
    state = tracker(
        {"part_query": "balatas", "part_vehicle": car, "shown_parts": shown},
        text="hay mas?",
        intent="more_results",
        before=after_parts_list(shown, "balatas", car),
    )
    messages, events = await run(ActionMoreResults(), state)
    assert texts(messages) == [
        f"Ya te mostré todas las opciones que tengo ({total}). ¿Busco otra pieza?"
    ]
    assert events == []


# ------------------------------------------------------------------ choosing
def priced(db_url: str, sku: str) -> tuple[str, Any, int]:
    with session_scope(db_url) as session:
        part = get_part(session, sku)
        assert part is not None
        return part_title_es(part), part.price_mxn, part.stock


async def test_pick_a_part_with_a_quantity(parts_catalog: str) -> None:
    skus = [sku for sku, _c, _p in service_page(parts_catalog, "balatas", model="Tsuru", year=2015)]
    state = tracker(
        {"shown_parts": skus, "part_query": "balatas", "part_vehicle": TSURU_2015},
        text="la 2, dame 2",
        intent="choose_option",
        entities=[entity("option", 2)],
        before=after_parts_list(skus, "balatas", TSURU_2015),
    )
    messages, events = await run(ActionSelectVehicle(), state)
    title, price, stock = priced(parts_catalog, skus[1])
    assert stock >= 2
    assert messages[0]["text"] == (
        f"Anotado ✅ 2 × {title} ({money_mxn(price)} c/u) · {money_mxn(price * 2)}.\n"
        "¿Te la cotizo? También puedes elegir otra de la lista o buscar otra pieza."
    )
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/request_quote", "/request_human"]
    assert events == [SlotSet("chosen_parts", [{"sku": skus[1], "qty": 2}])]


async def test_more_than_the_stock_is_cut_to_the_stock(parts_catalog: str) -> None:
    skus = ["BAL-T4"]
    state = tracker(
        {"shown_parts": skus},
        text="dame 10",
        intent="inform",
        before=after_parts_list(skus, "balatas akebono", TSURU_2015),
    )
    messages, events = await run(ActionRefine(), state)
    title, price, stock = priced(parts_catalog, "BAL-T4")
    assert stock < 10
    assert f"Solo hay {stock} en existencia, así que te anoté {stock}." in messages[0]["text"]
    assert f"{stock} × {title} ({money_mxn(price)} c/u)" in messages[0]["text"]
    assert events == [SlotSet("chosen_parts", [{"sku": "BAL-T4", "qty": stock}])]


async def test_a_part_out_of_stock_cannot_be_chosen(parts_catalog: str) -> None:
    skus = ["BAL-T1", "BAL-T3"]
    state = tracker(
        {"shown_parts": skus},
        text="la 2",
        intent="choose_option",
        entities=[entity("option", 2)],
        before=after_parts_list(skus, "balatas", TSURU_2015),
    )
    messages, events = await run(ActionSelectVehicle(), state)
    title, _price, stock = priced(parts_catalog, "BAL-T3")
    assert stock == 0
    assert messages[0]["text"].startswith(f"{title} está sin existencia por ahora")
    assert events == []


async def test_a_number_outside_the_list(parts_catalog: str) -> None:
    skus = ["BAL-T1", "BAL-T2"]
    state = tracker(
        {"shown_parts": skus},
        text="la 5",
        intent="choose_option",
        entities=[entity("option", 5)],
        before=after_parts_list(skus, "balatas", TSURU_2015),
    )
    messages, events = await run(ActionSelectVehicle(), state)
    assert texts(messages) == ["Solo te mostré 2; dime un número del 1 al 2."]
    assert events == []


async def test_a_second_pick_adds_to_the_chosen_parts(parts_catalog: str) -> None:
    skus = ["BAL-T1", "DIS-T1"]
    state = tracker(
        {"shown_parts": skus, "chosen_parts": [{"sku": "BAL-T1", "qty": 1}]},
        text="y 2 de la segunda",
        intent="choose_option",
        before=after_parts_list(skus, "balatas y discos", TSURU_2015),
    )
    _messages, events = await run(ActionSelectVehicle(), state)
    assert events == [
        SlotSet("chosen_parts", [{"sku": "BAL-T1", "qty": 1}, {"sku": "DIS-T1", "qty": 2}])
    ]


# ------------------------------------------------------------------ the whole flow
async def test_the_story_balatas_car_more_pick_quote(parts_catalog: str) -> None:
    """tests/stories/test_parts.yml's first story, turn by turn, with the real actions."""
    from actions.quote import ActionRequestQuote

    slots: dict[str, Any] = {}
    history: list[dict[str, Any]] = []

    async def turn(action: Any, text: str, intent: str, found: list[Any] | None = None) -> Any:
        state = tracker(dict(slots), text=text, intent=intent, entities=found, before=history)
        messages, events = await run(action, state)
        history.extend([*state.events[-1:], action_event(action.name()), *events])
        slots.update({e["name"]: e["value"] for e in events if e["event"] == "slot"})
        return messages

    asked = await turn(
        ActionSearchParts(), "tienen balatas?", "search_part", [entity("part", "balatas")]
    )
    assert texts(asked) == [ASK_VEHICLE]
    await turn(
        ActionRefine(),
        "para un tsuru 2015",
        "inform",
        [entity("model", "Tsuru"), entity("year", 2015)],
    )
    await turn(ActionMoreResults(), "ver mas", "more_results")
    assert len(slots["shown_parts"]) >= 4
    picked = await turn(ActionSelectVehicle(), "la 2, dame 2", "choose_option")
    second = slots["shown_parts"][1]
    assert texts(picked)[0].startswith("Anotado ✅ 2 × ")
    assert slots["chosen_parts"] == [{"sku": second, "qty": 2}]
    quoted = await turn(ActionRequestQuote(), "cotizamela", "request_quote")
    assert texts(quoted)[0].startswith("Cotización ")
    assert slots["quote_folio"] == texts(quoted)[0].split()[1]


# ------------------------------------------------------------------ which car, which branch
async def test_a_car_without_its_year_gets_the_fitment_on_every_card(parts_catalog: str) -> None:
    """ "balatas para tsuru": the year is unknown, so each card says which years it fits."""
    state = tracker(
        text="balatas para tsuru", intent="search_part", entities=[entity("model", "Tsuru")]
    )
    messages, _events = await run(ActionSearchParts(), state)
    expected = service_page(parts_catalog, "balatas para tsuru", model="Tsuru")
    assert expected
    assert texts(cards(messages)) == [
        f"{n}. {card}\n{fits_of(parts_catalog, sku)}"
        for n, (sku, card, _photo) in enumerate(expected, start=1)
    ]
    assert all("\nPara Nissan Tsuru 1992-2017" in text for text in texts(cards(messages)))


async def test_cards_name_the_branch_the_customer_wrote_to(parts_catalog: str) -> None:
    """Shared-catalog parts show the routed branch; a branch's own part shows its own."""
    state = tracker(
        text="tienen aceite 5w-30?",
        intent="search_part",
        entities=[entity("part", "aceite")],
        metadata={"channel": "whatsapp", "branch": "CDMX"},
    )
    messages, _events = await run(ActionSearchParts(), state)
    with session_scope(parts_catalog) as session:
        branch = session.query(Branch).filter_by(code="CDMX").one()
        result = search_parts(session, "tienen aceite 5w-30?", branch_code="CDMX", limit=PAGE)
        expected = [part_card_es(p, branch) for p in result.parts]
        shared = [p.branch is None for p in result.parts]
    assert expected and any(shared)
    # each message: the card (two lines), then which cars the part fits
    shown = ["\n".join(text.split(". ", 1)[1].split("\n")[:2]) for text in texts(cards(messages))]
    assert shown == expected
    for text, is_shared in zip(shown, shared, strict=True):
        if is_shared:
            assert text.endswith("· Sucursal CDMX Insurgentes")
