"""Rasa's replies → WhatsApp messages."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from showroom.channels import texts
from showroom.channels.rendering import numbered_options, render_turn, split_text


def test_short_text_is_one_message() -> None:
    turn = render_turn([{"recipient_id": "x", "text": "¡Hola!"}], max_chars=1600)
    assert [m.body for m in turn.messages] == ["¡Hola!"]
    assert turn.options == []


def test_split_prefers_paragraphs_then_sentences_and_keeps_line_breaks() -> None:
    text = "Primera línea.\nSegunda línea.\n\n" + "Una oración bastante larga aquí. " * 4 + "Fin."
    pieces = split_text(text, 60)
    assert pieces[0] == "Primera línea.\nSegunda línea."
    assert all(len(p) <= 60 for p in pieces)
    assert pieces[-1].endswith("Fin.")
    assert all(re.search(r"[.]$", p) for p in pieces)


def test_a_sentence_longer_than_the_limit_is_cut_between_words() -> None:
    sentence = " ".join(["palabra"] * 50)
    pieces = split_text(sentence, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces) == sentence


@given(st.text(min_size=0, max_size=3000), st.integers(min_value=20, max_value=400))
def test_split_never_exceeds_the_limit_and_loses_no_words(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_buttons_become_keycap_numbered_options_with_a_hint() -> None:
    lines, options = numbered_options(
        [{"title": f"Opción {n}", "payload": f"/p{n}"} for n in range(1, 12)]
    )
    assert lines.splitlines()[0] == "1️⃣ Opción 1"
    assert lines.splitlines()[9] == "🔟 Opción 10"
    assert lines.splitlines()[10] == "11. Opción 11"
    assert options[10] == {"title": "Opción 11", "payload": "/p11"}

    turn = render_turn(
        [{"text": "¿Qué buscas?", "buttons": [{"title": "SUV", "payload": "/suv"}]}],
        max_chars=1600,
    )
    assert turn.messages[0].body == f"¿Qué buscas?\n\n1️⃣ SUV\n\n{texts.OPTIONS_HINT}"
    assert turn.options == [{"title": "SUV", "payload": "/suv"}]


def test_options_are_never_split_from_a_long_text() -> None:
    text = "Texto largo. " * 30
    turn = render_turn(
        [{"text": text, "buttons": [{"title": "Sí", "payload": "/affirm"}]}], max_chars=200
    )
    assert all(len(m.body) <= 200 for m in turn.messages)
    assert "1️⃣ Sí" in turn.messages[-1].body
    assert turn.messages[-1].options == [{"title": "Sí", "payload": "/affirm"}]


def test_images_are_media_with_a_short_caption() -> None:
    turn = render_turn(
        [
            {"text": "Jetta 2022", "image": "https://f.mx/a.jpg"},
            {"image": "https://f.mx/b.jpg"},
            {"attachment": {"type": "image", "payload": {"src": "https://f.mx/c.jpg"}}},
            {"custom": {"text": "Ficha", "media": ["https://f.mx/d.pdf"]}},
            {"image": "javascript:alert(1)"},
        ],
        max_chars=1600,
    )
    assert [(m.body, m.media_urls) for m in turn.messages] == [
        ("Jetta 2022", ["https://f.mx/a.jpg"]),
        ("", ["https://f.mx/b.jpg"]),
        ("", ["https://f.mx/c.jpg"]),
        ("Ficha", ["https://f.mx/d.pdf"]),
    ]


def test_a_custom_payload_without_known_keys_is_ignored() -> None:
    turn = render_turn([{"custom": {"handoff": True}}], max_chars=1600)
    assert turn.messages == []
