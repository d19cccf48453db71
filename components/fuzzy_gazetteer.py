"""Find known names (brands, models, parts, cities...) in a message, typos included.

Pure Python. Matching is accent- and case-insensitive and ignores spaces and hyphens
inside a name ("CR-V" = "crv" = "cr v"). Names of at least `fuzzy_min_length` letters
also match with one typo (insertion, deletion, substitution or swap of two neighbours) when
the first letter is right and the word is not a known word: a common Spanish word ("venta"
is not the VW Vento) or a word the training examples use outside any entity ("luego te
marco" is not a Nissan March, "¿qué clima hace?" is not Colima). A name made only of
digits ("2008", "500") never matches by itself: alone it is a year, an amount or an
option, and after a brand it may still be a year ("chevy 2008"); the lookup tables list
such models with their brand ("Peugeot 2008", see showroom/inventory/lookups.py), and
that longer name matches. Longest match wins; a surface form that
belongs to several entities ("León": city and SEAT model) yields all of them with the
confidence shared, for the resolver to decide. A model name that starts with its brand
("Mazda 3", "RAM 700") also yields the brand (`nested`).

Common Spanish words are the ~24,000 most frequent words of at least four letters
(`spanish_common_words.txt`, from the `wordfreq` package's Spanish list, zipf frequency
>= 3.2, folded) plus WhatsApp words that list misses (`_COMMON_WORDS_TEXT`).

A name the training examples also use as a plain word ("gasolina" in "gasta poca
gasolina", "van" in "van a abrir") is `ambiguous`: the extractor marks such matches and the
resolver keeps them only when the CRF tagger, which sees the context, agrees.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from components.spanish_text import fold, within_one_edit

_WORD = re.compile(r"[^\W_]+")
FUZZY_CONFIDENCE = 0.8

# Frequent words in customers' messages that must never be read as a typo of a name.
_COMMON_WORDS_TEXT = """
    venta ventas vendo vende marcha avanza captura experto piloto cuenta cuentas quiero
    quisiera tiene tienen tengo busco buscar buscando puedo puede donde cuando cuanto
    cuanta cuantos precio precios credito modelo modelos carro carros coche coches auto
    autos camion camiones camioneta camionetas favor gracias hola buenas buenos tardes
    noches sobre entre hasta desde mejor nuevo nueva nuevos usado usada usados semana
    sabado domingo lunes martes jueves viernes manana meses pesos enganche contado
    financiamiento mensualidades mensualidad informacion gustaria ayuda ayudar necesito
    saber costo costos color colores blanco negro negra plata rojo gris azul tambien
    todavia alguna alguno algun otra otro otros otras ahora ahorita claro bueno perfecto
    gusta gustan prueba manejo cita agendar horario horarios sucursal sucursales direccion
    ubicacion llamar llamada mensaje whatsapp correo nombre numero opcion opciones primero
    segunda tercero ultimo fotos foto version versiones anual motor llantas puertas asientos
    familia trabajo grande chico chica pequeno economico barato barata caro cara seminuevo
    seminuevos kilometros kilometraje gasolina diesel hibrido electrico manual automatico
    automatica estandar transmision traccion equipado equipada interesa interesado
    interesada disponible disponibles cambio cambiar vender comprar compra pagar pago
    pagos plazo plazos tarjeta efectivo entrada inicial asesor persona humano agente
    para pero como esta este esto todo toda algo bien creo solo cual unos unas ella ellos
    dias hora horas mano casa aqui alla hace haya sera seria tipo cosa vale cada mismo
    misma pues osea nada nomas tampoco baratas baratos ocupo orita porfa troquita
    ranfla carrito carrucha"""
COMMON_WORDS_FILE = Path(__file__).with_name("spanish_common_words.txt")


def _load_common_words() -> frozenset[str]:
    words = set(_COMMON_WORDS_TEXT.split())
    if COMMON_WORDS_FILE.exists():
        with open(COMMON_WORDS_FILE, encoding="utf-8") as handle:
            words.update(w.strip() for w in handle if w.strip() and not w.startswith("#"))
    return frozenset(words)


COMMON_WORDS = _load_common_words()
# A model whose name starts with its brand also yields the brand ("mazda 3" -> Mazda).
DEFAULT_NESTED: dict[str, tuple[str, ...]] = {"model": ("brand",)}


@dataclass(frozen=True)
class Entry:
    entity: str
    value: str


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entity: str
    value: str
    confidence: float
    key: str = ""
    # the training examples also use this name as a plain word (see module doc)
    ambiguous: bool = False


def name_key(text: str) -> str:
    """ "CR-V" -> "crv", "Mazda 3" -> "mazda3", "Peñafiel" -> "penafiel"."""
    return "".join(_WORD.findall(fold(text)))


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def _value_rank(value: str, targets: set[str]) -> tuple[bool, int, int, int, str]:
    """Sort key: the most canonical-looking of a name's spellings first ("CX-30" before
    "cx 30"): a synonym target, then more capitals, hyphens and length."""
    capitals = sum(c.isupper() for c in value)
    return (value not in targets, -capitals, -value.count("-"), -len(value), value)


def _one_value_per_name(entries: set[Entry], targets: set[str]) -> set[Entry]:
    """Spellings of one name in one table ("CX-30", "CX 30", "cx30") -> one value."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[(entry.entity, name_key(entry.value))].append(entry)
    return {min(g, key=lambda e: _value_rank(e.value, targets)) for g in groups.values()}


class Gazetteer:
    """An index of names -> (entity, canonical value) entries."""

    def __init__(
        self,
        names: Iterable[tuple[str, str, str]] = (),
        fuzzy_min_length: int = 5,
        max_words: int | None = None,
        known_words: Iterable[str] = (),
        ambiguous: Iterable[str] = (),
        nested: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """`names`: (entity, surface form, canonical value) triples; `known_words`: folded
        words that are never read as a typo of a name (see `plain_words`); `ambiguous`:
        name keys that are also plain words; `nested`: entity -> entities a name of it may
        start with (default: a model may start with its brand)."""
        self.fuzzy_min_length = fuzzy_min_length
        self.entries: dict[str, set[Entry]] = defaultdict(set)
        targets: set[str] = set()
        longest = 1
        for entity, surface, value in names:
            key = name_key(surface)
            if key:
                self.entries[key].add(Entry(entity, value))
                longest = max(longest, len(_WORD.findall(fold(surface))))
                if surface != value:
                    targets.add(value)
        for key, entries in self.entries.items():
            if len(entries) > 1:
                self.entries[key] = _one_value_per_name(entries, targets)
        self.ambiguous = frozenset(k for k in ambiguous if k in self.entries)
        nested = DEFAULT_NESTED if nested is None else nested
        self.nested = {entity: tuple(inner) for entity, inner in nested.items()}
        # a name may be typed with one space more than in the table ("cr v")
        self.max_words = max_words or min(longest + 1, 6)
        self.known_words = frozenset(w for w in known_words if w not in self.entries)
        self._deleted: dict[str, set[str]] = defaultdict(set)
        for key in self.entries:
            if len(key) >= fuzzy_min_length and not key.isdigit():
                for deleted in _deletes(key):
                    self._deleted[deleted].add(key)

    def __len__(self) -> int:
        return len(self.entries)

    def _fuzzy_key(self, candidate: str) -> str | None:
        if len(candidate) < self.fuzzy_min_length - 1 or candidate.isdigit():
            return None
        if candidate in COMMON_WORDS or candidate in self.known_words:
            return None
        keys: set[str] = set(self._deleted.get(candidate, ()))  # one letter too many
        for deleted in _deletes(candidate):
            if deleted in self.entries:  # one letter missing
                keys.add(deleted)
            keys.update(self._deleted.get(deleted, ()))  # substitution / swap
        matches = sorted(
            k
            for k in keys
            if k[0] == candidate[0]
            and len(k) >= self.fuzzy_min_length
            and within_one_edit(candidate, k)
        )
        return matches[0] if len(matches) == 1 else None

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches, longest first, left to right (see module doc)."""
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(fold(text))]
        matches: list[Match] = []
        i = 0
        while i < len(words):
            found = None
            lengths = range(min(self.max_words, len(words) - i), 0, -1)
            for length in lengths:  # exact names first, the longest
                key = "".join(w for w, _, _ in words[i : i + length])
                if key in self.entries and not key.isdigit():
                    found = (length, key, 1.0)
                    break
            for length in lengths if found is None else ():
                group = [w for w, _, _ in words[i : i + length]]
                if length > 2 or (length == 2 and min(len(w) for w in group) < 3):
                    continue  # "balatas y" is not a typo of "balatas"
                fuzzy = self._fuzzy_key("".join(group))
                if fuzzy is not None:
                    found = (length, fuzzy, FUZZY_CONFIDENCE)
                    break
            if found is None:
                i += 1
                continue
            length, key, confidence = found
            start, end = words[i][1], words[i + length - 1][2]
            entries = sorted(self.entries[key], key=lambda e: (e.entity, e.value))
            ambiguous = confidence == 1.0 and key in self.ambiguous
            for entry in entries:
                share = confidence / len(entries)
                matches.append(Match(start, end, entry.entity, entry.value, share, key, ambiguous))
            if confidence == 1.0 and length > 1:
                matches.extend(self._nested(words[i : i + length], entries))
            i += length
        return matches

    def _nested(self, words: list[tuple[str, int, int]], outer: list[Entry]) -> list[Match]:
        """The leading name inside a longer one ("mazda" in "mazda 3"), if `nested` says so."""
        inner_entities = {e for entry in outer for e in self.nested.get(entry.entity, ())}
        for length in range(len(words) - 1, 0, -1) if inner_entities else ():
            key = "".join(w for w, _, _ in words[:length])
            inner = sorted(
                (e for e in self.entries.get(key, ()) if e.entity in inner_entities),
                key=lambda e: (e.entity, e.value),
            )
            if inner:
                start, end = words[0][1], words[length - 1][2]
                return [Match(start, end, e.entity, e.value, 1.0 / len(inner), key) for e in inner]
        return []

    def to_dict(self) -> dict[str, Any]:
        return {
            "fuzzy_min_length": self.fuzzy_min_length,
            "max_words": self.max_words,
            "known_words": sorted(self.known_words),
            "ambiguous": sorted(self.ambiguous),
            "nested": {entity: list(inner) for entity, inner in sorted(self.nested.items())},
            "names": sorted(
                [entry.entity, key, entry.value]
                for key, entries in self.entries.items()
                for entry in entries
            ),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Gazetteer:
        names = [(entity, key, value) for entity, key, value in data.get("names", [])]
        return cls(
            names,
            fuzzy_min_length=int(data.get("fuzzy_min_length", 5)),
            max_words=int(data.get("max_words", 3)),
            known_words=data.get("known_words", ()),
            ambiguous=data.get("ambiguous", ()),
            nested=data.get("nested"),
        )


def plain_words(text: str, entity_spans: Iterable[tuple[int, int]]) -> set[str]:
    """The folded words of `text` outside the given (start, end) character spans."""
    spans = list(entity_spans)
    return {
        m.group()
        for m in _WORD.finditer(fold(text))
        if not any(start < m.end() and m.start() < end for start, end in spans)
    }
