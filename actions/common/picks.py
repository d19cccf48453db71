"""Which item of a list and how many: "el 2", "dame 4", "la 2, dame 4", "4 de la primera".

The NLU's `option` entity reads any bare number after "quiero" as a list position
("quiero 4"), which is wrong when the customer is ordering parts. After a parts list the
actions read the customer's own words with these patterns instead: a quantity is a number
after an ordering verb ("dame", "ocupo", "quiero") or before a unit ("4 piezas", "2
juegos", "4 de la 2"); a position is a number after an article or "opción" ("el 2", "la
2", "opción 2") or an ordinal ("la segunda").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from actions.common.text import folded, to_int

MAX_QUANTITY = 999

WORD_NUMBERS = {
    "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15,
    "veinte": 20, "par": 2,
}  # fmt: skip
ORDINALS = {
    "primer": 1, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercer": 3,
    "tercero": 3, "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5,
    "sexto": 6, "sexta": 6, "septimo": 7, "septima": 7, "octavo": 8, "octava": 8,
    "noveno": 9, "novena": 9, "decimo": 10, "decima": 10,
}  # fmt: skip

_NUMBER = r"(\d{1,3}|" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + r")"
_VERBS = (
    r"(?:dame|deme|denme|quiero|quisiera|ocupo|necesito|requiero|ponme|pon|ponle|mandame|"
    r"manda|mandeme|serian|seran|son|llevo|me llevo|agregame|agrega|cotizame|cotiza|"
    r"cotizeme|apartame|aparta)"
)
_UNITS = (
    r"(?:piezas?|pzas?|pz|juegos?|jgos?|unidades|unidad|pares|kits?|litros?|botes?|cajas?|"
    r"de esas?|de esos?|de la|de el|del|de los|de las)"
)
_QUANTITY_PATTERNS = (
    re.compile(rf"\b{_VERBS}\s+(?:(?:unas?|unos)\s+)?{_NUMBER}\b(?!\s*(?:%|mil|meses))"),
    re.compile(rf"\b{_NUMBER}\s+{_UNITS}\b"),
    re.compile(r"\bx\s?(\d{1,3})\b"),
    re.compile(r"\bcantidad\s*:?\s*(\d{1,3})\b"),
)
_OPTION_PATTERNS = (
    re.compile(r"\b(?:el|la|opcion|numero|num)\s*(\d{1,2})\b"),
    re.compile(r"(?:\bno\.|#)\s*(\d{1,2})\b"),
)
_ORDINAL = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b")
_LAST = re.compile(r"\b(?:el|la) ultim[oa]\b")


@dataclass(frozen=True)
class Pick:
    option: int | None  # 1-based position in the list, or -1 for "el último"
    quantity: int | None  # how many units

    @property
    def is_empty(self) -> bool:
        return self.option is None and self.quantity is None


def _number(text: str) -> int | None:
    return WORD_NUMBERS.get(text) if not text.isdigit() else int(text)


def read_quantity(text: str) -> tuple[int | None, tuple[int, int] | None]:
    """The quantity in `text` (already folded) and where it was written."""
    for pattern in _QUANTITY_PATTERNS:
        match = pattern.search(text)
        if match:
            value = _number(match.group(1))
            if value is not None and 1 <= value <= MAX_QUANTITY:
                return value, match.span(1)
    return None, None


def read_pick(text: str, option_entity: Any = None) -> Pick:
    """The position and quantity a customer's message names (each may be None)."""
    value = folded(text)
    quantity, span = read_quantity(value)
    option = None
    for pattern in _OPTION_PATTERNS:
        for match in pattern.finditer(value):
            if span is None or match.span(1) != span:
                option = int(match.group(1))
                break
        if option is not None:
            break
    if option is None:
        ordinal = _ORDINAL.search(value)
        if ordinal:
            option = ORDINALS[ordinal.group(1)]
        elif _LAST.search(value):
            option = -1
    if option is None and quantity is None:
        option = to_int(option_entity)  # the NLU's reading when the words say nothing else
    return Pick(option if option != 0 else None, quantity)
