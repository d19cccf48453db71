"""Small readings of the customer's own words that entities do not carry.

The NLU labels "me da igual" or "sin enganche" as `inform` without an entity (data/nlu/
inform.yml); these functions give such answers a value. They only ever run on the answer to
a question the bot just asked, so a short pattern list is enough and stays predictable.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from showroom.inventory.vocabulary import fold

_INDIFFERENT = re.compile(
    r"\b(?:no importa|da igual|me da lo mismo|lo que sea|la que sea|el que sea|"
    r"cualquier(?:a|o)?|lo que haya|sin limite|no tengo limite|no hay limite|sin tope|"
    r"no tengo tope|no tengo preferencia|ninguna en especial|indistinto|como sea|"
    r"todas?|todos|no se|ni idea)\b"
)
_NO_DOWN_PAYMENT = re.compile(
    r"\b(?:sin enganche|no tengo (?:para el )?enganche|enganche (?:de )?cero|cero (?:de )?enganche|"
    r"(?:\$\s*)?0 (?:de )?enganche|nada de enganche|no (?:quiero|puedo) dar enganche|"
    r"no dar(?:ia)? enganche|sin dar enganche)\b"
)
_LONGEST_TERM = re.compile(
    r"\b(?:lo mas largo|el mas largo|el maximo|lo maximo|lo mas que se pueda|"
    r"el plazo mas largo|mas meses posible)\b"
)
_SHORTEST_TERM = re.compile(
    r"\b(?:lo mas corto|el mas corto|el minimo de meses|el plazo mas corto)\b"
)

_NAME_LEADS = re.compile(
    r"^(?:(?:hola|buenas|buenos dias|buenas tardes|ok|va|si|claro)[\s,!.]+)?"
    r"(?:(?:yo\s+)?soy|me llamo|mi nombre es|a nombre de|pon(?:la|lo|le)? a nombre de|"
    r"agendala a nombre de|es para|para)\s+",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?$")
_NAME_PARTICLES = {"de", "del", "la", "las", "los", "y", "van", "von", "da", "di"}
_VEHICLE_LEADS = re.compile(
    r"^(?:(?:es|era|tengo)\s+)?(?:un|una|el|la|de la marca|marca|modelo)?\s*", re.IGNORECASE
)
# Words that make an answer a sentence, not a brand or model ("como 150 mil km").
_SENTENCE_WORDS = """
    que como cuanto cuanta donde cuando cual tienen tiene venden vendo quiero quisiera puedo
    necesito busco mil km kms kilometros kilometraje pesos ano anos meses precio por para con
    sin hola gracias no si ok modelo marca
"""
_NOT_A_NAME = frozenset(_SENTENCE_WORDS.split())
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_SHORT_YEAR = re.compile(r"\b(?:del|modelo|ano|año)\s+'?(\d{2})\b", re.IGNORECASE)
_NUMBER = re.compile(r"(\d[\d,.]*)\s*(mil|k|millon(?:es)?)?\b", re.IGNORECASE)
# Words that carry no content in a short answer to "¿cuánto…?" / "¿a cuántos meses?":
# "como unos 320", "hasta 450", "pues unos 48 porfa", "tengo como 80", "ya tiene 80 y pico".
_FILLER_WORDS = """
    como unos unas hasta maximo max mas menos o aprox aproximadamente alrededor cerca de del
    el la lo los las al a en por para pa pues pos este mmm eh ah bueno ok va si ya nomas solo
    tengo tiene traigo trae cuento con puedo podria dar doy daria seria serian sera son es
    creo que yo mi mis porfa plis favor gracias y pico tipo digamos entre pesos mxn varos
"""
_ANSWER_FILLER = frozenset(_FILLER_WORDS.split())
_ANSWER_TOKEN = re.compile(r"\d[\d.,]*\d|\d|[a-z]+|[$%#]")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


def folded(text: str) -> str:
    return fold(text or "")


def is_indifferent(text: str) -> bool:
    """ "me da igual", "cualquiera", "sin límite", "no importa" …"""
    return bool(_INDIFFERENT.search(folded(text)))


def means_no_down_payment(text: str) -> bool:
    return bool(_NO_DOWN_PAYMENT.search(folded(text)))


def term_preference(text: str) -> str | None:
    """ "longest" / "shortest" for "lo más largo posible" / "lo más corto"."""
    value = folded(text)
    if _LONGEST_TERM.search(value):
        return "longest"
    if _SHORTEST_TERM.search(value):
        return "shortest"
    return None


def to_number(value: Any) -> Decimal | None:
    """An entity or slot value as a Decimal (numbers, numeric strings, Duckling dicts)."""
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("$", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def to_int(value: Any) -> int | None:
    number = to_number(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def person_name(text: str) -> str | None:
    """ "soy Mariana" -> "Mariana"; "ponla a nombre de mi esposo, Ricardo Salinas" ->
    "Ricardo Salinas". None when the text does not look like a name."""
    value = " ".join((text or "").split()).strip(" .,!¡¿?")
    if not value or "?" in (text or "") or "@" in value:
        return None
    value = _NAME_LEADS.sub("", value)
    if "," in value:
        value = value.rsplit(",", 1)[1]
    words = value.strip(" .,!¡").split()
    if not 1 <= len(words) <= 5 or not all(_NAME_WORD.match(w) for w in words):
        return None
    name = " ".join(
        w.lower() if i and w.lower() in _NAME_PARTICLES else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )
    return name if 2 <= len(name) <= 60 else None


def vehicle_words(text: str) -> str | None:
    """The customer's own brand or model name ("es un Pontiac" -> "Pontiac"); None for
    anything that is not a short name (a question, a sentence, a mileage)."""
    value = " ".join((text or "").split()).strip(" .,!¡¿?")
    if not value or "?" in (text or ""):
        return None
    value = _VEHICLE_LEADS.sub("", value).strip(" .,!")
    words = value.split()
    if not 1 <= len(words) <= 4 or len(value) > 40:
        return None
    if any(fold(word) in _NOT_A_NAME for word in words):
        return None
    if not any(ch.isalpha() for ch in value):
        return None
    return " ".join(w if any(c.isupper() for c in w) else w.capitalize() for w in words)


def year_in(text: str, today: date | None = None) -> int | None:
    """A model year written in the text: "2015", "es del 15", "modelo 08"."""
    match = _YEAR.search(text or "")
    if match:
        return int(match.group(1))
    short = _SHORT_YEAR.search(folded(text))
    if short:
        two = int(short.group(1))
        current = (today or date.today()).year % 100
        return 2000 + two if two <= current + 1 else 1900 + two
    return None


def number_in(text: str) -> int | None:
    """The first quantity in the text: "80 mil" -> 80000, "120,000" -> 120000, "95k",
    "1.2 millones" -> 1200000."""
    match = _NUMBER.search(folded(text))
    if not match:
        return None
    digits = match.group(1).rstrip(".,")
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):
        digits = re.sub(r"[.,]", "", digits)
    number = to_number(digits.replace(",", ""))
    if number is None:
        return None
    if match.group(2):
        number *= 1_000_000 if match.group(2).startswith("millon") else 1000
    return int(number)


def plain_number(digits: str) -> Decimal | None:
    """ "320" -> 320, "1.2" / "1,5" -> a decimal, "1,200" / "1.200.000" -> grouped thousands."""
    if _GROUPED.fullmatch(digits):
        return to_number(re.sub(r"[.,]", "", digits))
    if re.fullmatch(r"\d+(?:[.,]\d{1,2})?", digits):
        return to_number(digits.replace(",", "."))
    return None


def bare_number(text: str, topic_words: frozenset[str] = frozenset()) -> Decimal | None:
    """The number a short answer consists of, without its unit: "como unos 320" -> 320,
    "48" -> 48, "1.2" -> 1.2, "hasta 450" -> 450, "$320" -> 320.

    None when the message says more than that ("tengo 2 hijos", "20%", "80 mil km", two
    numbers): only the question the bot just asked gives a bare number its meaning
    (thousands of pesos, months, a percentage or pesos), so the form decides.
    `topic_words` may appear too: what the question was about ("50 de enganche").
    """
    tokens = _ANSWER_TOKEN.findall(folded(text))
    numbers = [t for t in tokens if t[0].isdigit()]
    if len(numbers) != 1:
        return None
    allowed = _ANSWER_FILLER | topic_words
    if any(not t[0].isdigit() and t != "$" and t not in allowed for t in tokens):
        return None
    return plain_number(numbers[0])
