"""Find the brand and model a customer mentions, against the dealer's own inventory.

NLU is trained on examples and misses names it has not seen ("busco una virtus", "tienen
crv?"). This matcher needs no training: it compares the words of the message with the
inventory's distinct brand/model names, accent/case/separator-insensitively:
- a model is matched by 1–3 consecutive words ("cr v", "cx 30", "grand i10");
- a model that is only digits or one/two characters ("3", "700", "i3") only counts right
  after its brand ("mazda 3", "ram 700"), so prices and years never look like models;
- words of 5+ letters (in the message and the name) tolerate one typo (Levenshtein ≤ 1),
  except common Spanish words one edit away from a name ("marca" ~ "March", "civil" ~
  "Civic", "entra" ~ "Sentra");
- brands also match their usual aliases ("vw", "chevy", "mercedes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from sqlalchemy import select
from sqlalchemy.orm import Session

from showroom.db.models.inventory import Vehicle
from showroom.inventory.vocabulary import brand_aliases, fold, model_key, text_key

MAX_WORDS = 3
FUZZY_MIN_LENGTH = 5
_WORD = re.compile(r"[0-9a-z]+")
_NUMBER_WORDS = {
    "uno": "1",
    "dos": "2",
    "tres": "3",
    "cuatro": "4",
    "cinco": "5",
    "seis": "6",
    "siete": "7",
    "ocho": "8",
    "nueve": "9",
    "diez": "10",
}
# Everyday Spanish (and chat) words one edit away from some car name. Never fuzzy-matched.
_COMMON_WORDS_TEXT = """
    marca marcas marco marcha manda mande
    mando civil verla versa verso corta corto virus entra entras volvi vuelvo crema cautiva
    ronda fondo donde honda hondo cuanto cuando canto santa santo sentar centro tanto llanta
    llantas carro carros coche coches nueva nuevo nuevas nuevos precio precios quiero quiere
    busco buscas tiene tienen tengo favor gracias hola buenas buenos tarde tardes noche
    noches meses credito enganche contado pagos mensual semana sabado domingo lunes martes
    jueves viernes modelo modelos version versiones color colores blanco negro plata rojo
    azul gris manual diesel gasolina hibrido electrico camioneta camionetas sedan pickup
    familiar grande grandes chico chica barato barata baratos economico cual cuales donde
    ciudad sucursal agencia prueba manejo cita mañana manana ahora luego bueno buena claro
"""
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())


@dataclass(frozen=True)
class _Name:
    brand: str
    model: str | None  # None: the brand itself
    key: str  # what a run of words must spell
    needs_brand: bool  # short/numeric model: only right after its brand


def _is_short(key: str) -> bool:
    return key.isdigit() or len(key) <= 2


def _catalog(session: Session) -> list[_Name]:
    pairs = session.execute(select(Vehicle.brand, Vehicle.model).distinct()).all()
    names: dict[tuple[str, str | None, str], _Name] = {}
    for brand, model in sorted(pairs):
        for spelling in (brand, *brand_aliases(brand)):
            key = text_key(spelling)
            if key:
                names.setdefault((brand, None, key), _Name(brand, None, key, False))
        short = model_key(brand, model)
        if not short:
            continue
        if _is_short(short):
            key = text_key(brand) + short
            names.setdefault((brand, model, key), _Name(brand, model, key, True))
        else:
            names.setdefault((brand, model, short), _Name(brand, model, short, False))
    return list(names.values())


def _words(text: str) -> list[str]:
    return [_NUMBER_WORDS.get(w, w) for w in _WORD.findall(fold(text))]


def _close(run_key: str, name_key: str, single_word: str | None) -> bool:
    if run_key == name_key:
        return True
    if min(len(name_key), len(run_key)) < FUZZY_MIN_LENGTH:
        return False
    if not (name_key.isalpha() and run_key.isalpha()):
        return False
    if single_word is not None and single_word in COMMON_WORDS:
        return False
    return Levenshtein.distance(run_key, name_key, score_cutoff=1) <= 1


def match_vehicle_names(session: Session, text: str) -> tuple[str | None, str | None]:
    """Canonical (brand, model) mentioned in `text`, each None when not found.

    A model found implies its brand. When a brand is also named, models of that brand win
    over same-named models of others; longer (more words) and exact matches win over
    shorter and fuzzy ones.
    """
    words = _words(text)
    if not words:
        return None, None
    catalog = _catalog(session)
    # (is model, exact, words used, -position): the best key wins
    best_model: tuple[tuple[int, int, int, int], _Name] | None = None
    brands_seen: list[str] = []
    for start in range(len(words)):
        for size in range(1, MAX_WORDS + 1):
            run = words[start : start + size]
            if len(run) < size:
                break
            run_key = "".join(run)
            single = run[0] if size == 1 else None
            for name in catalog:
                if not _close(run_key, name.key, single):
                    continue
                if name.model is None:
                    brands_seen.append(name.brand)
                    continue
                exact = int(run_key == name.key)
                score = (1, exact, size, -start)
                if best_model is None or score > best_model[0]:
                    best_model = (score, name)
    if best_model is not None:
        chosen = best_model[1]
        if brands_seen and chosen.brand not in brands_seen:
            same_brand = _model_of_brand(catalog, words, brands_seen[0])
            if same_brand is not None:
                return same_brand.brand, same_brand.model
        return chosen.brand, chosen.model
    return (brands_seen[0] if brands_seen else None), None


def _model_of_brand(catalog: list[_Name], words: list[str], brand: str) -> _Name | None:
    for start in range(len(words)):
        for size in range(MAX_WORDS, 0, -1):
            run = words[start : start + size]
            if len(run) == size:
                for name in catalog:
                    if name.brand == brand and name.model and "".join(run) == name.key:
                        return name
    return None
