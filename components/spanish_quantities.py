"""Spanish quantities and dates in a customer's message, as Rasa-style entity dicts.

Pure Python (Python 3.10 and 3.11, no Rasa import): `extract_quantities(text, now)`.
Entity names (the domain relies on them):

- amount (MXN, int/float) with role budget / down_payment / price when the words say so
  (components/amount_roles.py): "300 mil", "trescientos mil", "$250,000", "250k",
  "1.2 millones", "un millón doscientos mil", "medio millon", "389,900";
- percent: "20%", "20 por ciento"; months: "48 meses", "a 4 años" (48), "año y medio"
  (18); km: "80 mil km", "45,000 kilometros"; year: 1980..next year, "modelo 18";
- option (1..20): "el 2", "la segunda", "opcion 3", "#1", or a message that is only "2";
- time (ISO local wall clock, components/spanish_dates.py).

A bare number under 1,000 with no context ("300") is not an amount: the form that asked
knows what it means.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from components.amount_roles import amount_role
from components.spanish_dates import find_times
from components.spanish_numbers import Numeral, read_number
from components.spanish_text import Token, fold, tokenize

ORDINALS = {
    "primero": 1, "primer": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3,
    "tercer": 3, "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5,
    "sexto": 6, "sexta": 6, "septimo": 7, "septima": 7, "octavo": 8, "octava": 8,
    "noveno": 9, "novena": 9, "decimo": 10, "decima": 10, "ultimo": -1, "ultima": -1,
}  # fmt: skip
ARTICLES = {"el", "la", "lo", "los", "las", "del", "al", "quiero", "me", "opcion", "numero"}
OPTION_WORDS = {"opcion", "numero", "num", "no", "#", "op"}
MONEY_AFTER = {"pesos", "peso", "mxn", "mn", "varos", "mdp"}
KM_WORDS = {"km", "kms", "kilometros", "kilometro", "kilometraje", "kilomentros", "kilometrs"}
MONTH_WORDS = {"meses", "mes", "mensualidades", "mensualidad", "pagos", "plazos"}
YEAR_WORDS = {"ano", "anos"}
TERM_LEAD_INS = {"a", "en", "plazo", "por"}
# "ok a 72", "mejor a 48": the usual credit terms, after "a", read as months
USUAL_TERMS = {12, 18, 24, 30, 36, 42, 48, 54, 60, 72, 84, 96}
MAX_OPTION = 20


@dataclass
class _Found:
    entity: str
    start: int  # token index
    end: int  # exclusive
    value: Any
    role: str | None = None


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def _word(tokens: list[Token], i: int) -> str:
    return tokens[i].text if 0 <= i < len(tokens) else ""


def _two_digit_year(value: int, now: dt.datetime) -> int | None:
    if value <= (now.year + 1) % 100:
        return 2000 + value
    return 1900 + value if value >= 80 else None


def classify_numeral(tokens: list[Token], n: Numeral, now: dt.datetime) -> _Found | None:
    """Decide what the numeral is from the words right around it."""
    after, after2 = _word(tokens, n.end), _word(tokens, n.end + 1)
    before, before2 = _word(tokens, n.start - 1), _word(tokens, n.start - 2)
    value = n.value
    single_digits = not n.in_words and n.digits_text is not None and n.end == n.start + 1
    if after == "%" or after in ("porciento", "pct") or (after == "por" and after2 == "ciento"):
        end = n.end + (2 if after == "por" else 1)
        return _Found("percent", n.start, end, _number(value)) if value <= 100 else None
    if after in KM_WORDS or (after == "de" and after2 == "kilometraje"):
        return _Found("km", n.start, n.end + (2 if after == "de" else 1), int(value))
    if before in ("kilometraje", "recorrido") or (before == "de" and before2 == "kilometraje"):
        return _Found("km", n.start, n.end, int(value))
    if after in MONTH_WORDS and 1 <= value <= 120 and (after != "pagos" or before == "a"):
        end = n.end + (2 if after2 in ("mensuales", "fijos") else 1)
        return _Found("months", n.start, end, int(value))
    if after in YEAR_WORDS and 1 <= value <= 10:
        lead_in = before in TERM_LEAD_INS or (before == "de" and before2 == "plazo")
        plazo_after = after2 == "de" and _word(tokens, n.end + 2) == "plazo"
        halves = after2 == "y" and _word(tokens, n.end + 2) == "medio"
        if lead_in or plazo_after:
            months = int(value * 12) + (6 if halves else 0)
            return _Found("months", n.start, n.end + (3 if halves else 1), months)
        return None
    money_before = before == "$"
    money_after = after in MONEY_AFTER
    if single_digits and not money_before and not money_after and not n.scaled:
        digits = n.digits_text or ""
        if len(digits) == 4 and 1980 <= value <= now.year + 1:
            return _Found("year", n.start, n.end, int(value))
        if len(digits) == 2 and before in ("modelo", "ano", "mod"):
            year = _two_digit_year(int(value), now)
            return _Found("year", n.start, n.end, year) if year else None
        if 1 <= value <= MAX_OPTION and value.is_integer() and _is_option_context(tokens, n):
            return _Found("option", n.start, n.end, int(value))
        if before == "a" and value in USUAL_TERMS and n.end == len(tokens):
            return _Found("months", n.start, n.end, int(value))
    if money_before or money_after or n.scaled or value >= 1000:
        start = n.start - 1 if money_before else n.start
        end = n.end + 1 if money_after else n.end
        if money_after and after == "de" and after2 == "pesos":
            end = n.end + 2
        return _Found("amount", start, end, _number(value))
    return None


def _is_option_context(tokens: list[Token], n: Numeral) -> bool:
    before, after = _word(tokens, n.start - 1), _word(tokens, n.end)
    if after in ("de", "a", "y", "o", "hrs", "horas", "am", "pm", "/", ":"):
        return False
    if before in OPTION_WORDS or before in ("el", "la"):
        return True
    return len(tokens) == 1 or (len(tokens) <= 3 and before in ARTICLES)


def _ordinal(tokens: list[Token], i: int) -> _Found | None:
    word = tokens[i].text
    if word not in ORDINALS or ORDINALS[word] < 0:
        return None
    before = _word(tokens, i - 1)
    if before in ("un", "unos", "una") or _word(tokens, i + 1) in ("de", "plano"):
        return None  # "un segundo" (a second), "cuarto de hora"
    if before in ARTICLES or before in OPTION_WORDS or len(tokens) <= 2:
        return _Found("option", i, i + 1, ORDINALS[word])
    return None


def _year_and_a_half(tokens: list[Token], i: int) -> _Found | None:
    """ "a año y medio" -> 18 months (no numeral in front)."""
    if (
        tokens[i].text == "ano"
        and _word(tokens, i + 1) == "y"
        and _word(tokens, i + 2) == "medio"
        and (i == 0 or _word(tokens, i - 1) in TERM_LEAD_INS | {"un", "de"})
    ):
        return _Found("months", i, i + 3, 18)
    return None


def _find(tokens: list[Token], now: dt.datetime) -> list[_Found]:
    found = [_Found("time", m.start, m.end, m.value) for m in find_times(tokens, now)]
    taken = {i for f in found for i in range(f.start, f.end)}
    i = 0
    while i < len(tokens):
        if i in taken or tokens[i].in_code:
            i += 1
            continue
        numeral = read_number(tokens, i)
        item: _Found | None = None
        if numeral is not None and not any(
            k in taken or tokens[k].in_code for k in range(i, numeral.end)
        ):
            item = classify_numeral(tokens, numeral, now)
        if item is None:
            item = _ordinal(tokens, i) or _year_and_a_half(tokens, i)
        if item is not None and not any(k in taken for k in range(item.start, item.end)):
            found.append(item)
            taken.update(range(item.start, item.end))
            i = item.end
        else:
            i = numeral.end if numeral is not None else i + 1
    return sorted(found, key=lambda f: f.start)


def extract_quantities(
    text: str,
    now: dt.datetime,
    intent: str | None = None,
    entities: set[str] | None = None,
) -> list[dict[str, Any]]:
    """Entities in `text` as dicts: entity, start, end, value, (role).

    `now` is the local wall-clock time (naive or aware; the timezone part is ignored);
    `intent` helps decide the role of "un carro de 350 mil"; `entities` restricts the
    names returned.
    """
    tokens = tokenize(text)
    if not tokens:
        return []
    folded = fold(text)
    results: list[dict[str, Any]] = []
    previous_end = 0
    for item in _find(tokens, now):
        start, end = tokens[item.start].start, tokens[item.end - 1].end
        if entities is None or item.entity in entities:
            entity: dict[str, Any] = {
                "entity": item.entity,
                "start": start,
                "end": end,
                "value": item.value,
                "text": text[start:end],
            }
            if item.entity == "amount":
                role = amount_role(folded, start, end, previous_end, intent)
                if role:
                    entity["role"] = role
            results.append(entity)
        previous_end = end
    return results
