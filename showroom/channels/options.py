"""A customer's answer to numbered options → the option's payload.

The gateway remembers the options of the bot's last turn per conversation. "2", "2️⃣",
"la 2", "opción 2", "#2", "la segunda", "la dos" or the option's title pick option 2;
anything else goes to Rasa as typed (the NLU still understands "la 2 de la lista" when no
options are open).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_KEYCAP = re.compile(r"([0-9])\ufe0f?\u20e3")
_WORDS = {
    "uno": 1, "una": 1, "primera": 1, "primero": 1, "primer": 1,
    "dos": 2, "segunda": 2, "segundo": 2,
    "tres": 3, "tercera": 3, "tercero": 3, "tercer": 3,
    "cuatro": 4, "cuarta": 4, "cuarto": 4,
    "cinco": 5, "quinta": 5, "quinto": 5,
    "seis": 6, "sexta": 6, "sexto": 6,
    "siete": 7, "septima": 7, "septimo": 7,
    "ocho": 8, "octava": 8, "octavo": 8,
    "nueve": 9, "novena": 9, "noveno": 9,
    "diez": 10, "decima": 10, "decimo": 10,
}  # fmt: skip
_LEAD = r"(?:(?:la|el|los|las)\s+)?(?:(?:opcion|opc|op|numero|num|no|nro|#)\.?\s*)?"
_ANSWER = re.compile(rf"^{_LEAD}(\d{{1,2}}|[a-z]+)(?:\s*(?:porfa|por favor|plis|pls))?[\s.!)]*$")


def _plain(text: str) -> str:
    text = text.replace("🔟", "10")
    text = _KEYCAP.sub(r"\1", text)
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def chosen_index(text: str, options: Sequence[dict[str, str]]) -> int | None:
    """0-based index of the option the customer picked, or None."""
    if not options or not text or len(text) > 40:
        return None
    plain = _plain(text)
    for index, option in enumerate(options):
        if plain == _plain(option.get("title", "")):
            return index
    match = _ANSWER.match(plain)
    if not match:
        return None
    token = match.group(1)
    number = int(token) if token.isdigit() else _WORDS.get(token)
    if number is None or not 1 <= number <= len(options):
        return None
    return number - 1


def payload_for(text: str, options: Sequence[dict[str, str]]) -> str | None:
    """The payload to send to Rasa instead of `text`, when it picks an option."""
    index = chosen_index(text, options)
    if index is None:
        return None
    option = options[index]
    return option.get("payload") or option.get("title")
