"""Numbers a customer answers a form's question with.

The NLU leaves a bare number ("como unos 320", "48", "20") without an entity: out of
context it could be thousands of pesos, months, a percentage or a list position
(components/spanish_quantities.py). The form that asked knows which, so its `extract_<slot>`
reads the answer with these helpers. An amount the NLU did find counts whatever role its
words gave it: to "¿cuánto darías de enganche?", "tengo 80 mil" is the down payment.
"""

from __future__ import annotations

from decimal import Decimal

from rasa_sdk import Tracker

from actions.common.context import entity_names, entity_value, latest_text
from actions.common.text import bare_number, to_number

# Words naming what a question asked for, allowed around a bare number in the answer.
BUDGET_WORDS = frozenset({"presupuesto", "invertir", "gastar"})
PRICE_WORDS = frozenset({"precio", "cuesta", "vale", "sale"})
DOWN_PAYMENT_WORDS = frozenset({"enganche", "entrada", "pie", "inicial", "anticipo"})
TERM_WORDS = frozenset({"meses", "mes", "plazo", "mensualidades", "pagos"})
KM_WORDS = frozenset({"km", "kms", "kilometros", "kilometraje", "recorrido"})
MILLIONS_BELOW = Decimal(10)  # "1.2", "unos 2": millions of pesos
THOUSANDS_BELOW = Decimal(2000)  # "320", "como 80": thousands (no car costs $320)


def pesos_from_bare(number: Decimal) -> Decimal:
    """A bare number answering "how much money": 1.2 -> 1,200,000; 320 -> 320,000."""
    if 0 < number < MILLIONS_BELOW:
        return number * 1_000_000
    if 0 < number < THOUSANDS_BELOW:
        return number * 1000
    return number


def amount_answer(tracker: Tracker, topic_words: frozenset[str] = frozenset()) -> Decimal | None:
    """An amount in the latest message (any role), else the bare number it consists of,
    unscaled ("20" stays 20: the caller decides between 20 mil and 20%)."""
    amount = to_number(entity_value(tracker, "amount"))
    if amount is not None:
        return amount
    return bare_number(latest_text(tracker), topic_words)


def money_answer(tracker: Tracker, topic_words: frozenset[str] = frozenset()) -> Decimal | None:
    """Pesos answering "¿hasta cuánto?" / "¿qué precio?": an amount as said, or a bare
    number scaled (`pesos_from_bare`). A lone list position ("2", "la 3") is not money."""
    amount = to_number(entity_value(tracker, "amount"))
    if amount is not None:
        return amount
    if "option" in entity_names(tracker):
        return None
    number = bare_number(latest_text(tracker), topic_words)
    return pesos_from_bare(number) if number is not None else None


def whole_number_answer(tracker: Tracker, topic_words: frozenset[str] = frozenset()) -> int | None:
    """A bare whole number ("48", "unos 36"), e.g. months to "¿a cuántos meses?"."""
    number = bare_number(latest_text(tracker), topic_words)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)
