"""The VIN, typed or photographed: read it, validate it, decode it, ask "¿Es tu vehículo?".

`action_read_vin` (provide_vin) reads the VIN from the message (the NLU's `vin` entity, or
`components.vin` on the text) or, when there is none, from the photo the gateway stored
(`metadata.media[].path`, OCR by `showroom.vin.scan`, time-limited, cached by the image's
hash). A valid VIN is kept in `pending_vin` and `vin_confirm_form` asks the customer to
confirm the decoded vehicle; `action_use_vin` then hands the brand and model year to the
parts search (and searches the part the customer had asked for, if any).

Rules: characters and length are checked; a North-American VIN (first character 1-5) with
a wrong check digit is refused ("¿lo revisas?"); elsewhere it is only a warning.

A parts request can carry the VIN too: "balatas para 3N1CN7AD7KL123456", or a photo with
the caption "balatas para este". `vin_for_parts` (called by action_search_parts) reads it,
keeps the part words for after the confirmation and starts `vin_confirm_form`.

Time: every photo of one message shares one OCR budget (`PHOTO_BUDGET_S`), well under the
gateway's wait for the whole turn (RASA_TIMEOUT_S, 10 s).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common.context import entity_value, latest_text, log_id
from actions.common.errors import apologise_on_failure
from actions.common.text import folded
from components.vin import (
    ALPHABET,
    ERR_CHARACTERS,
    ERR_CHECK_DIGIT,
    ERR_LENGTH,
    VIN_LENGTH,
    WARN_CHECK_DIGIT,
    VinValidation,
    find_vins,
    normalize,
    validate,
    vin_length_hint,
)
from showroom.inventory.parts.text import content_stems
from showroom.settings import get_settings
from showroom.vin.scan import LOW_CONFIDENCE, OCR_UNAVAILABLE, VinScan, scan_image_async

log = logging.getLogger(__name__)

# OCR time for all the photos of one message together. The gateway waits RASA_TIMEOUT_S
# (10 s) for the whole turn (Rasa, this action, the reply), so the OCR must end well before;
# a photo cut short is not cached and the customer is asked for a sharper one.
PHOTO_BUDGET_S = 6.0
MIN_PHOTO_S = 1.0  # less time left than this: the next photo is not started
MAX_PHOTOS = 2  # photos read per message (the first with a VIN wins)

ASK_AGAIN = "¿Me lo vuelves a escribir o me mandas una foto?"
SEND_IT = (
    "¡Claro! Mándame una foto del VIN (de cerca y sin reflejo) o escríbeme sus 17 caracteres 📷."
)
WHERE_IS_IT = (
    "El VIN (o NIV) tiene 17 caracteres. Lo encuentras en tu tarjeta de circulación, en la "
    "factura, en la esquina inferior del parabrisas del lado del conductor o en la etiqueta "
    "del marco de la puerta. Mándame una foto o escríbemelo 📷."
)
SHARPER_PHOTO = (
    "No alcancé a leer el VIN en la foto 😕. ¿Me mandas una más nítida, de cerca y sin "
    "reflejo, o me lo escribes?"
)
NOT_A_PHOTO = (
    "Por ahora solo puedo leer el VIN en fotos (JPG o PNG) 📷. ¿Me mandas una foto o me "
    "escribes sus 17 caracteres?"
)
BAD_IMAGE = "No pude abrir esa imagen 😕. ¿Me mandas otra foto (JPG o PNG) o me escribes el VIN?"
NO_OCR = "Ahorita no puedo leer fotos 🙏. ¿Me escribes el VIN (17 caracteres)?"
NO_VIN_IN_PHOTO = "En la foto no alcancé a leer un VIN 😕."
_WHERE = re.compile(r"\b(?:donde|como (?:encuentro|saco|veo|se cual)|cual es)\b")
_TOKEN = re.compile(r"[^\s,;:!?¿¡()\"']+")


# ------------------------------------------------------------------ typed VINs
def typed_vin(tracker: Tracker) -> VinValidation | None:
    """The VIN written in the latest message, validated (None: nothing VIN-like)."""
    value = entity_value(tracker, "vin")
    if isinstance(value, str) and value.strip():
        return validate(value)
    text = latest_text(tracker)
    found = find_vins(text)
    if found:
        return found[0].validation
    for token in _TOKEN.findall(text):
        cleaned = normalize(token.strip("*_~.-"))
        if (
            VIN_LENGTH - 2 <= len(cleaned) <= VIN_LENGTH + 2
            and any(c.isdigit() for c in cleaned)
            and any(c.isalpha() for c in cleaned)
        ):
            return validate(cleaned)  # a VIN with a wrong length or characters: say which
    return None


def problem_es(check: VinValidation) -> str:
    """What is wrong with a typed VIN, for the customer."""
    if check.error == ERR_CHARACTERS:
        wrong = sorted({c for c in check.vin if c not in ALPHABET})
        shown = ", ".join(wrong[:3])
        return (
            f"Ese VIN trae caracteres que un VIN no lleva ({shown}) 🤔: solo letras y números, "
            f"sin I, O, Q ni Ñ. {ASK_AGAIN}"
        )
    if check.error == ERR_LENGTH:
        return (
            f"Ese VIN tiene {len(check.vin)} caracteres y debe tener {VIN_LENGTH} 🤔. "
            "¿Me lo revisas?"
        )
    if check.error == ERR_CHECK_DIGIT:
        return (
            f"Revisé el VIN {check.vin} y no me cuadra: el dígito verificador (el 9.º carácter) "
            "no coincide 🤔. ¿Lo revisas? A veces se cambia una letra por un número, como S y 5 "
            "o B y 8."
        )
    return f"No pude validar ese VIN 🤔. {ASK_AGAIN}"


# ------------------------------------------------------------------ photos
def media_items(tracker: Tracker) -> list[dict[str, Any]]:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    media = metadata.get("media") if isinstance(metadata, dict) else None
    return [m for m in media or [] if isinstance(m, dict)]


def is_image(item: dict[str, Any]) -> bool:
    return str(item.get("content_type") or "").lower().startswith("image/")


def stored_path(item: dict[str, Any]) -> Path | None:
    """The media file, only inside MEDIA_DIR (metadata is data: never read other files)."""
    raw = item.get("path")
    if not isinstance(raw, str) or not raw:
        return None
    root = Path(get_settings().media_dir).resolve()
    path = Path(raw) if Path(raw).is_absolute() else root / raw
    try:
        resolved = path.resolve()
    except OSError:
        return None
    return resolved if resolved.is_relative_to(root) else None


async def scan_photos(
    images: list[dict[str, Any]], budget_s: float = PHOTO_BUDGET_S
) -> VinScan | None:
    """The first photo with a VIN, else the last scan (None: no usable file). All photos
    share `budget_s` seconds: each scan gets only the time the earlier ones left."""
    deadline = time.monotonic() + budget_s
    last: VinScan | None = None
    for item in images[:MAX_PHOTOS]:
        left = deadline - time.monotonic()
        if left < MIN_PHOTO_S:
            break
        path = stored_path(item)
        if path is None:
            log.warning("vin photo outside the media directory or without a path")
            continue
        sha = item.get("sha256")
        try:
            last = await scan_image_async(
                path, timeout_s=left, sha256=sha if isinstance(sha, str) else None
            )
        except Exception as exc:  # an OCR bug must cost the photo, not the reply
            log.error("vin photo scan failed error=%s", type(exc).__name__)
            continue
        if last.vin:
            break
    return last


def photo_images(tracker: Tracker) -> list[dict[str, Any]]:
    return [m for m in media_items(tracker) if is_image(m)]


def unsure_es(vin: str) -> str:
    return f"Creo que dice {vin}, pero no estoy seguro 🤔. ¿Me lo confirmas escribiéndolo?"


@dataclass(frozen=True)
class PhotoRead:
    """What a photo gave: a VIN to propose (`check`), or what to tell the customer."""

    check: VinValidation | None
    message: str = ""
    guessed: bool = False  # a VIN was read, but not well enough to propose it


def photo_vin(scan: VinScan | None) -> PhotoRead:
    if scan is None or not scan.vin:
        return PhotoRead(None, photo_problem_es(scan))
    check = validate(scan.vin)
    if not check.valid or scan.confidence < LOW_CONFIDENCE:
        return PhotoRead(None, unsure_es(scan.vin), guessed=True)
    return PhotoRead(check)


def photo_problem_es(scan: VinScan | None) -> str:
    if scan is None:
        return BAD_IMAGE
    if scan.error_code == OCR_UNAVAILABLE:
        return NO_OCR
    if scan.error_code in ("no_vin", "timeout", "too_small"):
        return SHARPER_PHOTO
    return BAD_IMAGE


# ------------------------------------------------------------------ the action
def accept(dispatcher: CollectingDispatcher, check: VinValidation, source: str) -> list[EventType]:
    """A valid VIN: say so; the confirmation form asks about the decoded vehicle."""
    note = ""
    if WARN_CHECK_DIGIT in check.warnings:
        note = (
            " (Su dígito verificador no coincide, pero en autos fabricados fuera de "
            "Norteamérica es normal.)"
        )
    dispatcher.utter_message(text=f"Leí el VIN {check.vin}{source} ✅{note}")
    return [SlotSet("pending_vin", check.vin), SlotSet("vin_confirmed", None)]


# ------------------------------------------------------------------ in a parts request
def vin_in_request(tracker: Tracker) -> tuple[VinValidation | None, str]:
    """The 17-character VIN in the latest message and the words around it ("balatas para
    3N1CN7AD7KL123456" -> the VIN, "balatas para")."""
    text = latest_text(tracker)
    found = find_vins(text)
    if found:
        match = found[0]
        return match.validation, " ".join((text[: match.start] + " " + text[match.end :]).split())
    value = entity_value(tracker, "vin")
    if isinstance(value, str) and len(normalize(value)) == VIN_LENGTH:
        check = validate(value)
        rest = [t for t in text.split() if normalize(t.strip("*_~.,;:")) != check.vin]
        return check, " ".join(rest)
    return None, text


def _keep_words(words: str) -> list[EventType]:
    """Remember the part words for after the confirmation (not when there are none)."""
    return [SlotSet("part_query", words)] if content_stems(words) else []


async def vin_for_parts(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, read_photo: bool
) -> tuple[list[EventType], bool]:
    """A VIN typed in a parts request, or in the photo sent with it (`read_photo`: the
    message names no vehicle). Returns (events, done): done when the VIN was dealt with;
    otherwise the search goes on as usual after what was said here (a photo without a
    readable VIN)."""
    check, words = vin_in_request(tracker)
    source = ""
    if check is None and read_photo and (images := photo_images(tracker)):
        read = photo_vin(await scan_photos(images))
        log.info(
            "vin photo in a parts request conversation=%s read=%s",
            log_id(tracker),
            bool(read.check),
        )
        if read.guessed:
            dispatcher.utter_message(text=read.message)
            return _keep_words(words), True
        if read.check is None:  # maybe a photo of the part: search as usual
            dispatcher.utter_message(text=NO_VIN_IN_PHOTO)
            return [], False
        check, source = read.check, " en tu foto"
    if check is None:
        return [], False
    if not check.valid:
        dispatcher.utter_message(text=problem_es(check))
        return [SlotSet("pending_vin", None), *_keep_words(words)], True
    events = accept(dispatcher, check, source)
    return [*events, *_keep_words(words), FollowupAction("vin_confirm_form")], True


class ActionReadVin(Action):
    """provide_vin: a typed VIN, or the VIN in a photo."""

    def name(self) -> str:
        return "action_read_vin"

    @apologise_on_failure
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        forget: list[EventType] = [SlotSet("pending_vin", None), SlotSet("vin_confirmed", None)]
        check = typed_vin(tracker)
        if check is not None:
            log.info(
                "typed vin conversation=%s valid=%s error=%s",
                log_id(tracker),
                check.valid,
                check.error or "-",
            )
            if not check.valid:
                dispatcher.utter_message(text=problem_es(check))
                return forget
            return accept(dispatcher, check, "")
        if media_items(tracker):
            images = photo_images(tracker)
            if not images:
                dispatcher.utter_message(text=NOT_A_PHOTO)
                return forget
            read = photo_vin(await scan_photos(images))
            if read.check is None:
                dispatcher.utter_message(text=read.message)
                return forget
            return accept(dispatcher, read.check, " en tu foto")
        text = latest_text(tracker)
        length = vin_length_hint(text)
        if length is not None:
            dispatcher.utter_message(
                text=f"Tu VIN tiene {length} caracteres y debe tener {VIN_LENGTH} 🤔. "
                "¿Me lo revisas?"
            )
        elif _WHERE.search(folded(text)):
            dispatcher.utter_message(text=WHERE_IS_IT)
        else:
            dispatcher.utter_message(text=SEND_IT)
        return forget
