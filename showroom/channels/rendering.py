"""Rasa's REST replies → WhatsApp messages.

Rasa answers a turn with a list of `{"recipient_id", "text"?, "image"?, "buttons"?,
"attachment"?, "custom"?}`. WhatsApp (through Twilio) has no buttons without approved
templates, so buttons become numbered options the customer answers with the number
(`options.py` maps the answer back to the payload). Images travel as media, not links.
Texts over the limit are split at paragraph, then sentence, then word boundaries.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from showroom.channels import texts

log = logging.getLogger(__name__)

KEYCAPS = {n: f"{n}\ufe0f\u20e3" for n in range(10)}
KEYCAPS[10] = "🔟"
# WhatsApp shows at most 1024 characters of a caption under an image
CAPTION_LIMIT = 1024
_SENTENCE_END = re.compile(r"((?<=[.!?…:])\s+|\s*\n\s*)")


@dataclass
class OutgoingMessage:
    body: str = ""
    media_urls: list[str] = field(default_factory=list)
    options: list[dict[str, str]] = field(default_factory=list)


@dataclass
class RenderedTurn:
    messages: list[OutgoingMessage]
    # The options the customer can now answer by number ([] clears the previous ones)
    options: list[dict[str, str]]


def option_marker(number: int) -> str:
    return KEYCAPS.get(number, f"{number}.")


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut where a reader would pause.

    Paragraphs stay whole when they fit, then sentences, then words; line breaks between
    the units that end up in one piece are kept.
    """
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    current = ""
    for joiner, unit in _units(text, limit):
        candidate = f"{current}{joiner}{unit}" if current else unit
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                pieces.append(current)
            current = unit
    if current:
        pieces.append(current)
    return pieces


def _units(text: str, limit: int) -> Iterable[tuple[str, str]]:
    """(separator before it, unit) for sentence-sized units of at most `limit` characters."""
    parts = _SENTENCE_END.split(text)
    # re.split with one group: [unit, separator, unit, separator, ...]
    separator = ""
    for index, part in enumerate(parts):
        if index % 2:
            separator = "\n\n" if part.count("\n") > 1 else ("\n" if "\n" in part else " ")
            continue
        for chunk in _hard_split(part.strip(), limit):
            yield separator, chunk
            separator = " "


def _hard_split(sentence: str, limit: int) -> Iterable[str]:
    """A sentence longer than the limit, cut between words (mid-word only if it must)."""
    while len(sentence) > limit:
        cut = sentence.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        yield sentence[:cut].rstrip()
        sentence = sentence[cut:].lstrip()
    if sentence:
        yield sentence


def numbered_options(buttons: Iterable[Mapping[str, Any]]) -> tuple[str, list[dict[str, str]]]:
    """`1️⃣ Buscar auto` lines and the options they stand for."""
    options: list[dict[str, str]] = []
    for button in buttons:
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or title).strip()
        if title:
            options.append({"title": title, "payload": payload})
    lines = [f"{option_marker(i)} {o['title']}" for i, o in enumerate(options, start=1)]
    return "\n".join(lines), options


def render_turn(replies: Iterable[Mapping[str, Any]], *, max_chars: int) -> RenderedTurn:
    """The messages to send for one Rasa turn, in order, and the options now open."""
    messages: list[OutgoingMessage] = []
    open_options: list[dict[str, str]] = []
    for reply in replies:
        reply = _flatten_custom(reply)
        text = str(reply.get("text") or "").strip()
        media = _media_of(reply)
        block = ""
        options: list[dict[str, str]] = []
        if reply.get("buttons"):
            lines, options = numbered_options(reply["buttons"])
            if options:
                open_options = options
                block = f"{lines}\n\n{texts.OPTIONS_HINT}"
        if media:
            # a short text travels as the image's caption, as a person would send it
            caption = text if len(text) <= CAPTION_LIMIT and not block else ""
            messages.append(OutgoingMessage(body=caption, media_urls=media))
            if caption:
                text = ""
        pieces = split_text(text, max_chars)
        if block:
            if pieces and len(pieces[-1]) + 2 + len(block) <= max_chars:
                pieces[-1] = f"{pieces[-1]}\n\n{block}"
            else:
                pieces.extend(split_text(block, max_chars))
        messages.extend(OutgoingMessage(body=piece) for piece in pieces)
        if options and pieces:
            messages[-1].options = options
    return RenderedTurn(messages=messages, options=open_options)


def _media_of(reply: Mapping[str, Any]) -> list[str]:
    urls: list[str] = []
    for key in ("image", "attachment"):
        value = reply.get(key)
        if isinstance(value, str) and value.startswith(("https://", "http://")):
            urls.append(value)
        elif isinstance(value, Mapping):
            url = value.get("url") or (value.get("payload") or {}).get("src")
            if isinstance(url, str) and url.startswith(("https://", "http://")):
                urls.append(url)
    extra = reply.get("media")
    if isinstance(extra, list):
        urls.extend(
            u for u in extra if isinstance(u, str) and u.startswith(("https://", "http://"))
        )
    return urls


def _flatten_custom(reply: Mapping[str, Any]) -> Mapping[str, Any]:
    """`custom` payloads with text/image/media/buttons render like plain replies."""
    custom = reply.get("custom")
    if not isinstance(custom, Mapping):
        return reply
    known = {k: custom[k] for k in ("text", "image", "media", "buttons") if k in custom}
    if not known:
        log.warning(
            "custom reply without text/image/media/buttons ignored: keys=%s", sorted(custom)
        )
        return {k: v for k, v in reply.items() if k != "custom"}
    merged = {k: v for k, v in reply.items() if k != "custom"}
    merged.update(known)
    return merged
