"""The VIN in the chat: typed or photographed, "¿Es tu vehículo?", then the parts search.

Decoded vehicles are compared with `showroom.vin.decode`, parts with `search_parts`, and
photos are real JPEGs (the OCR test generator) read by Tesseract through the action.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest
from actions_kit import action_event, entity, run, texts, tracker
from PIL import Image
from rasa_sdk.events import FollowupAction, SlotSet

from actions.parts import ASK_VEHICLE, ActionSearchParts
from actions.refine import ActionRefine
from actions.vin import (
    BAD_IMAGE,
    NO_VIN_IN_PHOTO,
    NOT_A_PHOTO,
    PHOTO_BUDGET_S,
    SEND_IT,
    SHARPER_PHOTO,
    ActionReadVin,
    scan_photos,
)
from actions.vin_confirm import ActionAskVinConfirmed, ActionUseVin, ValidateVinConfirmForm
from showroom.db.session import session_scope
from showroom.inventory.parts import part_card_es, part_fits_es, search_parts
from showroom.settings import get_settings
from showroom.vin.decode import decode, describe_es
from showroom.vin.synthetic import make_sample, random_vin

VW_2004 = "3VWFE21C04M000001"  # valid check digit: Volkswagen, model year 2004
BAD_CHECK = "3N1AB7AP5KY123456"  # North American, wrong check digit
JEEP_DODGE_CHRYSLER = "1C4RJFAG8FC000001"  # the WMI does not say which of the three
FORGET = [SlotSet("pending_vin", None), SlotSet("vin_confirmed", None)]


def vin_said(text: str, vin: str | None = None) -> Any:
    return tracker(text=text, intent="provide_vin", entities=[entity("vin", vin)] if vin else [])


# ------------------------------------------------------------------ typed
async def test_a_valid_typed_vin_waits_for_confirmation() -> None:
    messages, events = await run(ActionReadVin(), vin_said(f"mi vin es {VW_2004}", VW_2004))
    assert texts(messages) == [f"Leí el VIN {VW_2004} ✅"]
    assert events == [SlotSet("pending_vin", VW_2004), SlotSet("vin_confirmed", None)]


async def test_a_vin_without_the_nlu_entity_is_read_from_the_text() -> None:
    _messages, events = await run(ActionReadVin(), vin_said(f"vin: {VW_2004.lower()}"))
    assert events[0] == SlotSet("pending_vin", VW_2004)


async def test_a_wrong_check_digit_asks_to_verify() -> None:
    messages, events = await run(ActionReadVin(), vin_said(f"mi vin es {BAD_CHECK}", BAD_CHECK))
    assert len(messages) == 1
    assert messages[0]["text"].startswith(f"Revisé el VIN {BAD_CHECK} y no me cuadra")
    assert "¿Lo revisas?" in messages[0]["text"]
    assert events == FORGET


async def test_a_vin_with_a_wrong_length_says_how_long() -> None:
    short = VW_2004[:-1]
    messages, events = await run(ActionReadVin(), vin_said(f"mi vin es {short}"))
    assert texts(messages) == [
        f"Ese VIN tiene {len(short)} caracteres y debe tener 17 🤔. ¿Me lo revisas?"
    ]
    assert events == FORGET


async def test_asking_to_send_the_vin_without_one() -> None:
    messages, events = await run(ActionReadVin(), vin_said("te paso el vin"))
    assert texts(messages) == [SEND_IT]
    assert events == FORGET


# ------------------------------------------------------------------ photos
def media(path: Path, content_type: str = "image/jpeg") -> dict[str, Any]:
    """The gateway's metadata for a WhatsApp photo (path relative to MEDIA_DIR)."""
    root = get_settings().media_dir
    return {
        "channel": "whatsapp",
        "media": [
            {
                "url": "https://api.twilio.com/media/ME1",
                "content_type": content_type,
                "path": str(path.relative_to(root)),
            }
        ],
    }


def in_media_dir(name: str) -> Path:
    root = Path(get_settings().media_dir)
    root.mkdir(parents=True, exist_ok=True)
    return root / name


@pytest.fixture
def vin_photo() -> tuple[Path, str]:
    rng = random.Random(21)
    vin = random_vin(rng, wmi="3VW", year=2019)
    sample = make_sample(vin, "easy", rng, layout="sticker", font="DejaVuSansMono.ttf", size=40)
    return sample.save(in_media_dir("whatsapp-vin.jpg")), vin


async def test_a_photo_of_the_vin_is_read(vin_photo: tuple[Path, str]) -> None:
    path, vin = vin_photo
    state = tracker(text="/provide_vin", intent="provide_vin", metadata=media(path))
    messages, events = await run(ActionReadVin(), state)
    assert texts(messages) == [f"Leí el VIN {vin} en tu foto ✅"]
    assert events == [SlotSet("pending_vin", vin), SlotSet("vin_confirmed", None)]


async def test_a_photo_without_a_vin_asks_for_a_sharper_one() -> None:
    path = in_media_dir("pared.jpg")
    Image.new("RGB", (800, 600), (200, 200, 190)).save(path)
    state = tracker(text="/provide_vin", intent="provide_vin", metadata=media(path))
    messages, events = await run(ActionReadVin(), state)
    assert texts(messages) == [SHARPER_PHOTO]
    assert events == FORGET


async def test_a_broken_image_file() -> None:
    path = in_media_dir("cortada.jpg")
    path.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    state = tracker(text="/provide_vin", intent="provide_vin", metadata=media(path))
    messages, _events = await run(ActionReadVin(), state)
    assert texts(messages) == [BAD_IMAGE]


async def test_a_voice_note_is_not_a_photo() -> None:
    path = in_media_dir("nota.ogg")
    path.write_bytes(b"OggS")
    state = tracker(text="/provide_vin", intent="provide_vin", metadata=media(path, "audio/ogg"))
    messages, events = await run(ActionReadVin(), state)
    assert texts(messages) == [NOT_A_PHOTO]
    assert events == FORGET


async def test_a_path_outside_the_media_directory_is_never_read(
    vin_photo: tuple[Path, str], tmp_path: Path
) -> None:
    path, _vin = vin_photo
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes(path.read_bytes())
    metadata = {"media": [{"content_type": "image/jpeg", "path": str(outside)}]}
    state = tracker(text="/provide_vin", intent="provide_vin", metadata=metadata)
    messages, events = await run(ActionReadVin(), state)
    assert texts(messages) == [BAD_IMAGE]
    assert events == FORGET


# ------------------------------------------------------------------ "¿Es tu vehículo?"
async def test_the_question_describes_what_the_vin_says() -> None:
    messages, _events = await run(ActionAskVinConfirmed(), tracker({"pending_vin": VW_2004}))
    assert messages[0]["text"] == f"{describe_es(decode(VW_2004))}. ¿Es tu vehículo?"
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/affirm", "/deny"]


async def test_the_form_asks_only_while_a_vin_waits() -> None:
    form = ValidateVinConfirmForm()
    waiting = tracker({"pending_vin": VW_2004})
    nothing = tracker()
    assert await form.required_slots([], None, waiting, {}) == ["vin_confirmed"]  # type: ignore[arg-type]
    assert await form.required_slots([], None, nothing, {}) == []  # type: ignore[arg-type]


def test_naming_another_car_is_a_no() -> None:
    state = tracker(
        {"pending_vin": VW_2004, "requested_slot": "vin_confirmed"},
        text="no, es un versa 2016",
        intent="inform",
        entities=[entity("model", "Versa"), entity("year", 2016)],
    )
    form = ValidateVinConfirmForm()
    assert form.extract_vin_confirmed(None, state, {}) == {"vin_confirmed": False}  # type: ignore[arg-type]


# ------------------------------------------------------------------ using the VIN
async def test_confirmed_vin_searches_the_pending_part(parts_catalog: str) -> None:
    info = decode(VW_2004)
    state = tracker(
        {"pending_vin": VW_2004, "vin_confirmed": True, "part_query": "tienen balatas?"},
        text="si",
        intent="affirm",
        before=[action_event("action_search_parts"), SlotSet("part_query", "tienen balatas?")],
    )
    messages, events = await run(ActionUseVin(), state)
    with session_scope(parts_catalog) as session:
        result = search_parts(
            session, "tienen balatas?", brand=info.make, year=info.model_year, limit=3
        )
        # a VIN does not say the model: every card says which cars its part fits
        expected = [f"{part_card_es(p)}\n{part_fits_es(p)}" for p in result.parts]
        skus = [p.sku for p in result.parts]
        assert not result.needs_model  # the catalog's only Volkswagen pads are Jetta A4's
    assert expected and all("\nPara Volkswagen Jetta A4" in card for card in expected)
    assert [m["text"].split(". ", 1)[1] for m in messages[1 : 1 + len(expected)]] == expected
    car = {"brand": info.make, "model": None, "year": info.model_year}
    assert events[:4] == [
        SlotSet("pending_vin", None),
        SlotSet("vin_confirmed", None),
        SlotSet("vehicle_vin", VW_2004),
        SlotSet("part_vehicle", car),
    ]
    assert SlotSet("shown_parts", skus) in events


async def test_confirmed_vin_without_a_part_asks_which(parts_catalog: str) -> None:
    info = decode(VW_2004)
    state = tracker({"pending_vin": VW_2004, "vin_confirmed": True}, text="si", intent="affirm")
    messages, events = await run(ActionUseVin(), state)
    assert texts(messages) == [
        f"¡Listo! Ya tengo tu {info.make} {info.model_year} ✅. ¿Qué pieza buscas?"
    ]
    assert (
        SlotSet("part_vehicle", {"brand": info.make, "model": None, "year": info.model_year})
        in events
    )


async def test_a_vin_that_does_not_say_the_brand_asks_for_it(parts_catalog: str) -> None:
    info = decode(JEEP_DODGE_CHRYSLER)
    assert info.make is None and len(info.possible_makes) == 3
    state = tracker(
        {"pending_vin": JEEP_DODGE_CHRYSLER, "vin_confirmed": True}, text="si", intent="affirm"
    )
    messages, _events = await run(ActionUseVin(), state)
    makes = info.possible_makes
    assert texts(messages) == [
        "¡Gracias! Con el VIN no alcanzo a distinguir la marca "
        f"({makes[0]}, {makes[1]} o {makes[2]}). ¿Me dices la marca y el modelo?"
    ]


async def test_not_my_car_forgets_the_vin(parts_catalog: str) -> None:
    state = tracker({"pending_vin": VW_2004, "vin_confirmed": False}, text="no", intent="deny")
    messages, events = await run(ActionUseVin(), state)
    assert texts(messages)[0].startswith("Va, entonces no lo uso 👍.")
    assert events == FORGET


async def test_not_my_car_with_the_right_one_searches_for_it(parts_catalog: str) -> None:
    state = tracker(
        {"pending_vin": VW_2004, "vin_confirmed": False, "part_query": "tienen balatas?"},
        text="no, es un versa 2016",
        intent="inform",
        entities=[entity("model", "Versa"), entity("year", 2016)],
    )
    messages, events = await run(ActionUseVin(), state)
    with session_scope(parts_catalog) as session:
        result = search_parts(session, "tienen balatas?", model="Versa", year=2016, limit=3)
        skus = [p.sku for p in result.parts]
    assert skus and messages[0]["text"] != ASK_VEHICLE
    assert events[:2] == FORGET
    assert SlotSet("shown_parts", skus) in events


def nissan_vin(year: int) -> str:
    return random_vin(random.Random(year), wmi="3N1", year=year)


async def test_a_vin_whose_brand_has_several_models_asks_for_the_model(
    parts_catalog: str,
) -> None:
    """A Nissan 2015 may be a Tsuru or a Versa: their pads differ, so no list yet."""
    vin = nissan_vin(2015)
    info = decode(vin)
    assert (info.make, info.model_year) == ("Nissan", 2015)
    state = tracker(
        {"pending_vin": vin, "vin_confirmed": True, "part_query": "tienen balatas?"},
        text="si",
        intent="affirm",
    )
    messages, events = await run(ActionUseVin(), state)
    with session_scope(parts_catalog) as session:
        result = search_parts(session, "tienen balatas?", brand="Nissan", year=2015)
        assert result.needs_model and result.models == ["Tsuru", "Versa"]  # most pads first
    assert texts(messages) == ["¿Qué modelo es tu Nissan 2015? Tengo balatas para Tsuru y Versa."]
    car = {"brand": "Nissan", "model": None, "year": 2015}
    assert SlotSet("part_vehicle", car) in events
    assert SlotSet("part_query", "tienen balatas?") in events
    assert SlotSet("shown_parts", None) in events


def versa_after_the_vin(car: dict[str, Any], text: str) -> Any:
    """ "es un versa" (`text`) once the VIN gave `car` (brand and year, no model) for a
    pads request."""
    return tracker(
        {"part_query": "tienen balatas?", "part_vehicle": car},
        text=text,
        intent="inform",
        entities=[entity("model", "Versa")],
        before=[action_event("action_use_vin"), SlotSet("part_vehicle", car)],
    )


async def test_the_model_given_then_keeps_the_vins_year(parts_catalog: str) -> None:
    """ "es un Versa" after the VIN said Nissan 2015: the Versa 2015's pads, nothing else."""
    car = {"brand": "Nissan", "model": None, "year": 2015}
    messages, events = await run(ActionRefine(), versa_after_the_vin(car, "es un versa"))
    with session_scope(parts_catalog) as session:
        result = search_parts(session, "tienen balatas?", model="Versa", year=2015)
        expected = [part_card_es(p) for p in result.parts]  # the very car: no fitment line
    assert expected
    assert messages[0]["text"].startswith("Encontré 1 opción para Nissan Versa 2015")
    assert [m["text"].split(". ", 1)[1] for m in messages[1 : 1 + len(expected)]] == expected
    assert SlotSet("part_vehicle", {"brand": "Nissan", "model": "Versa", "year": 2015}) in events


async def test_a_model_of_another_brand_does_not_take_the_vins_year(parts_catalog: str) -> None:
    car = {"brand": "Volkswagen", "model": None, "year": 2004}  # the VIN's car
    _messages, events = await run(ActionRefine(), versa_after_the_vin(car, "es para un versa"))
    assert SlotSet("part_vehicle", {"brand": "Nissan", "model": "Versa", "year": None}) in events


# ------------------------------------------------------------------ a VIN in a parts request
async def test_a_vin_typed_in_a_parts_request_is_read_first(parts_catalog: str) -> None:
    vin = nissan_vin(2019)
    state = tracker(
        text=f"balatas para {vin}",
        intent="search_part",
        entities=[entity("part", "balatas"), entity("vin", vin)],
    )
    messages, events = await run(ActionSearchParts(), state)
    assert texts(messages) == [f"Leí el VIN {vin} ✅"]
    assert events == [
        SlotSet("pending_vin", vin),
        SlotSet("vin_confirmed", None),
        SlotSet("part_query", "balatas para"),
        FollowupAction("vin_confirm_form"),
    ]


async def test_a_wrong_vin_in_a_parts_request_is_questioned(parts_catalog: str) -> None:
    state = tracker(text=f"balatas para {BAD_CHECK}", intent="search_part")
    messages, events = await run(ActionSearchParts(), state)
    assert texts(messages)[0].startswith(f"Revisé el VIN {BAD_CHECK} y no me cuadra")
    assert SlotSet("part_query", "balatas para") in events
    assert not any(e.get("event") == "followup" for e in events)


async def test_a_photo_with_a_caption_reads_the_vin_for_the_part(
    parts_catalog: str, vin_photo: tuple[Path, str]
) -> None:
    path, vin = vin_photo
    state = tracker(text="balatas para este", intent="search_part", metadata=media(path))
    messages, events = await run(ActionSearchParts(), state)
    assert texts(messages) == [f"Leí el VIN {vin} en tu foto ✅"]
    assert SlotSet("pending_vin", vin) in events
    assert SlotSet("part_query", "balatas para este") in events
    assert events[-1] == FollowupAction("vin_confirm_form")


async def test_a_photo_without_a_vin_then_asks_for_the_car(parts_catalog: str) -> None:
    """Maybe it was a photo of the worn part: say so, and ask for the car as usual."""
    path = in_media_dir("pieza.jpg")
    Image.new("RGB", (800, 600), (120, 110, 100)).save(path)
    state = tracker(text="tienen balatas como esta?", intent="search_part", metadata=media(path))
    messages, events = await run(ActionSearchParts(), state)
    assert texts(messages) == [NO_VIN_IN_PHOTO, ASK_VEHICLE]
    assert SlotSet("part_query", "tienen balatas como esta?") in events


# ------------------------------------------------------------------ time
async def test_the_photos_of_one_message_share_one_time_budget() -> None:
    """Two slow photos must not take two time limits: the gateway waits 10 s per turn."""
    rng = random.Random(11)
    items = []
    for n in range(2):
        sample = make_sample(random_vin(rng), "extreme", rng, layout="card", noise=18, blur=1.8)
        path = sample.save(in_media_dir(f"borrosa{n}.jpg"))
        items.append(media(path)["media"][0])
    started = time.monotonic()
    await scan_photos(items, budget_s=2.0)
    assert time.monotonic() - started < 2.0 + 1.5  # one budget, plus image preparation
    assert get_settings().rasa_timeout_s - 3 > PHOTO_BUDGET_S


async def test_a_failing_ocr_costs_the_photo_not_the_reply(
    vin_photo: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import actions.vin

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("OpenCV exploded")

    monkeypatch.setattr(actions.vin, "scan_image_async", broken)
    path, _vin = vin_photo
    state = tracker(text="/provide_vin", intent="provide_vin", metadata=media(path))
    messages, events = await run(ActionReadVin(), state)
    assert texts(messages) == [BAD_IMAGE]
    assert events == FORGET


# ------------------------------------------------------------------ the model year
TSURU_2015 = "3N1EB31S3FK311461"  # a real Mexican VIN: a digit at position 7, "F" = 2015


async def test_a_mexican_vin_names_the_likelier_year_and_offers_the_other() -> None:
    info = decode(TSURU_2015)
    assert (info.model_year, info.model_year_alternatives) == (2015, (1985,))
    messages, _events = await run(ActionAskVinConfirmed(), tracker({"pending_vin": TSURU_2015}))
    assert messages[0]["text"] == (
        "Nissan, año modelo 2015, armado en México. ¿Es tu vehículo? Si es modelo 1985 u otro "
        "año, escríbeme el año."
    )
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "/affirm",
        '/inform{"year": 1985}',
        "/deny",
    ]
    assert [b["title"] for b in messages[0]["buttons"]] == [
        "Sí, es 2015",
        "Es 1985",
        "No es mi auto",
    ]


def year_answer(text: str, intent: str, entities: list[dict[str, Any]] | None = None) -> Any:
    return tracker(
        {"pending_vin": TSURU_2015, "requested_slot": "vin_confirmed"},
        text=text,
        intent=intent,
        entities=entities or [],
    )


@pytest.mark.parametrize(
    ("text", "intent", "entities", "year"),
    [
        ("1985", "inform", [entity("year", 1985)], 1985),  # the button, or typed
        ("es modelo 1985", "inform", [], 1985),
        ("no, es del 85", "deny", [], 1985),  # two digits: one of the VIN's years
        ("no, es 2016", "deny", [], 2016),  # the customer knows the car
    ],
)
async def test_typing_the_year_keeps_the_vin_and_corrects_the_year(
    parts_catalog: str, text: str, intent: str, entities: list[dict[str, Any]], year: int
) -> None:
    form = ValidateVinConfirmForm()
    state = year_answer(text, intent, entities)
    assert form.extract_vin_confirmed(None, state, {}) == {"vin_confirmed": True}  # type: ignore[arg-type]
    # the form's own mapping said "no" for a deny; the year still wins in action_use_vin
    answered = tracker(
        {"pending_vin": TSURU_2015, "vin_confirmed": intent != "deny"},
        text=text,
        intent=intent,
        entities=entities,
    )
    _messages, events = await run(ActionUseVin(), answered)
    assert SlotSet("vehicle_vin", TSURU_2015) in events
    assert SlotSet("part_vehicle", {"brand": "Nissan", "model": None, "year": year}) in events


async def test_yes_keeps_the_likelier_year_for_the_parts_search(parts_catalog: str) -> None:
    state = tracker(
        {"pending_vin": TSURU_2015, "vin_confirmed": True, "part_query": "balatas delanteras"},
        text="si",
        intent="affirm",
    )
    messages, events = await run(ActionUseVin(), state)
    assert SlotSet("part_vehicle", {"brand": "Nissan", "model": None, "year": 2015}) in events
    assert "1985" not in " ".join(texts(messages))
    with session_scope(parts_catalog) as session:  # 1985 would have found nothing
        assert search_parts(session, "balatas delanteras", brand="Nissan", year=2015).total
        assert not search_parts(session, "balatas delanteras", brand="Nissan", year=1985).total


def test_a_two_digit_number_that_is_not_one_of_the_vins_years_is_not_a_year() -> None:
    form = ValidateVinConfirmForm()
    assert form.extract_vin_confirmed(None, year_answer("no, es del 92", "deny"), {}) == {}  # type: ignore[arg-type]
