"""Which amount is it: the customer's budget, the down payment, or a car's price?

Decided from the words around the amount in the same clause (pure Python):
- budget: "hasta", "menos de", "no más de", "máximo", "presupuesto", "de contado",
  "300 mil de presupuesto";
- down_payment: "enganche", "de entrada", "de pie", "dar de inicial", "anticipo", "doy",
  "puedo dar", "50 mil de enganche", "80 mil pa'l enganche";
- price: "cuesta", "precio de", "vale", "sale en", "financiar 350 mil".
Money the customer has ("tengo 80 mil", "cuento con", "junté") and "un carro de 350 mil"
depend on the conversation: in a financing question (intent ask_financing, or financing
words in a message of another intent) they are the down payment and the price; in a
vehicle search (search_vehicle) or without financing words, the budget and the budget.
Otherwise no role: the form that asked for the amount knows what it is (actions/common/
answers.py), whatever role the words gave it.
"""

from __future__ import annotations

import re

BUDGET, DOWN_PAYMENT, PRICE = "budget", "down_payment", "price"

# Cues before the amount; the one nearest to the amount wins.
HAVE = "have"  # money the customer has: budget or down payment, by context
_BEFORE = [
    (
        DOWN_PAYMENT,
        r"enganches?|de entrada|inicial|anticipo|enganchar(?:lo)? con|de pie|doy|daria|"
        r"(?:puedo|podria|le puedo|quiero) dar|le doy|le daria",
    ),
    (
        BUDGET,
        r"hasta|menos de|no mas de|no pasar de|que no pase de|maximo|max|tope|limite|"
        r"presupuesto|de contado|al contado|gastar|invertir|por debajo de",
    ),
    (HAVE, r"tengo|traigo|junte|juntado|ahorrado|ahorre|cuento con|dispongo de"),
    (PRICE, r"cuestan?|precio|valen?|sale|salen|valor|costo|cotizado en|financiar|credito"),
]
_VEHICLE_OF = re.compile(
    r"\b(?:carro|auto|coche|camioneta|troca|nave|vehiculo|unidad|camion|modelo|seminuevo)s?"
    r"\s+(?:nuevo\s+|usado\s+|seminuevo\s+)?de$"
)
# Cues right after the amount ("50 mil de enganche").
_AFTER = [
    (
        DOWN_PAYMENT,
        r"(?:de|del|como|pal|p/|para|pa)(?:\s+(?:el|mi))?\s+(?:enganche|entrada|inicial|anticipo|pie)",
    ),
    (BUDGET, r"(?:de|como)\s+presupuesto|(?:de|al)\s+contado|cash|como maximo|maximo|max\b"),
    (PRICE, r"(?:de|el)\s+precio|de valor"),
]
_FILLER_TAIL = re.compile(
    r"(?:\s+|\b(?:de|el|la|los|unos|unas|como|alrededor|aprox|aproximadamente|mas o menos|"
    r"es|seria|sera|son|serian|con|a|en|mi|mis|lo|ya|solo|nomas|pesos)\b|\$)*$"
)
_CLAUSE_BREAK = re.compile(r"[,.;!?\n]|\b(?:y|pero|o|aunque|ademas)\b")
_FINANCING_WORDS = re.compile(
    r"financ|mensualidad|credito|plazo|\bmeses\b|enganche|pagos?\b|a pagos|mensual|al mes|"
    r"pagaria|quedaria|abonos?\b"
)
_CURRENCY_TAIL = re.compile(r"^\s*(?:pesos|peso|mxn|mn|varos|de pesos|m\.?n\.?)?")

_BEFORE_RE = [(role, re.compile(rf"\b(?:{pattern})\b")) for role, pattern in _BEFORE]
_AFTER_RE = [(role, re.compile(rf"^\s*(?:{pattern})\b")) for role, pattern in _AFTER]

INTENT_VEHICLE_ROLE = {"ask_financing": PRICE, "search_vehicle": BUDGET}


def amount_role(
    folded: str, start: int, end: int, previous_end: int = 0, intent: str | None = None
) -> str | None:
    """The role of the amount at folded[start:end], or None when the words don't say.

    `previous_end` is where the previous quantity ended: cues are not read across it.
    """
    after = folded[end:]
    after = after[_CURRENCY_TAIL.match(after).end() :]  # type: ignore[union-attr]
    for role, pattern in _AFTER_RE:
        if pattern.match(after):
            return role

    before = folded[previous_end:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    before = before[-60:]
    trimmed = before[: _FILLER_TAIL.search(before).start()]  # type: ignore[union-attr]
    if _VEHICLE_OF.search(trimmed + " de"):
        return vehicle_amount_role(folded, intent)

    best: tuple[int, str] | None = None
    for role, pattern in _BEFORE_RE:
        for match in pattern.finditer(before):
            if best is None or match.end() > best[0]:
                best = (match.end(), role)
    if best is not None and best[1] == HAVE:
        return DOWN_PAYMENT if financing_discussed(folded, intent) else BUDGET
    return best[1] if best else None


def financing_discussed(folded: str, intent: str | None) -> bool:
    """The message is about financing: its intent, else its words (a search is not)."""
    if intent in INTENT_VEHICLE_ROLE:
        return intent == "ask_financing"
    return bool(_FINANCING_WORDS.search(folded))


def vehicle_amount_role(folded: str, intent: str | None) -> str | None:
    """ "un carro de 350 mil": a price when financing is discussed, a budget in a search."""
    if intent in INTENT_VEHICLE_ROLE:
        return INTENT_VEHICLE_ROLE[intent]
    return PRICE if _FINANCING_WORDS.search(folded) else None
