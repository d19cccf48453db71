"""Spanish text analysis shared by the importer (documents) and search (queries).

Everything linguistic happens here, in Python, so SQLite and PostgreSQL index and look up
exactly the same lexemes and a search returns the same parts on both. Steps:

1. `normalize`: lower case, accents removed (ñ -> n), "5W-30" -> "5w30", "CR-V" -> "crv",
   punctuation -> spaces.
2. stop words dropped (function words and chat filler: "hola", "tienen", "precio"...).
3. `stem`: a light, predictable Spanish stemmer for parts vocabulary: plural and gender
   folded together ("balatas" / "balata" -> "balat", "sensores" -> "sensor",
   "luces" -> "luz", "delanteras" / "delantero" -> "delanter").
4. synonyms (`synonyms.py`): "pastillas de freno" -> balata, "embrague" -> clutch...
   Documents keep their own words and gain the canonical term; queries are rewritten to it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from showroom.inventory.parts.synonyms import PART_WORDS, SYNONYM_GROUPS

_SHORT_JOIN = re.compile(r"([a-z0-9]+)[-/.]([a-z0-9]+)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

_STOPWORDS_TEXT = """
    a al algo alguna alguno algunos ando anda ante asi ay bien buen buena buenas buenos busco
    buscando checar como con conmigo cotizar cotizacion cual cuales cuando cuanto cuanta
    cuantos cuesta cuestan da dame de del desde disponible disponibles donde e el ella en entre
    es esa ese eso esta estan este esto favor gracias hay hola igual la las le les lo los mas
    me mi mis muy necesito necesita ni no nos o ocupo otra otro para pero pieza piezas pls
    plis poco por porfa porfavor precio precios pues que quiero quisiera refaccion
    refacciones se si sin sobre son su sus tal tambien te tendra tendran tendras tenga tengan
    tengo tiene tienen tienes tu tus un una unas uno unos vende venden vendes y ya marca
    modelo ano anos carro coche auto automovil vehiculo lado manejan manejas hey oye saludos
    venta ventas vendo cita q k ke onda pa pal xfa xf porfas camioneta troca nave carrito
    carcacha camion
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Title words that are not the part itself: "Kit de clutch" is about the clutch.
LEADING_FILLER = frozenset({"kit", "jueg", "set", "par", "paquete"})


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _join_short(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    if left.isdigit() and right.isdigit():
        return f"{left} {right}"  # "1.6", "92-17": numbers stay apart
    if min(len(left), len(right)) <= 2:
        return left + right  # "5w-30" -> "5w30", "cr-v" -> "crv", "a/c" -> "ac"
    return f"{left} {right}"


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Lower case, no accents, only [a-z0-9] words separated by single spaces."""
    text = strip_accents(text.lower())
    for _ in range(3):  # "a-b-c" needs more than one pass; the regex does not overlap
        joined = _SHORT_JOIN.sub(_join_short, text)
        if joined == text:
            break
        text = joined
    return _NON_ALNUM.sub(" ", text).strip()


def words(text: str) -> list[str]:
    return normalize(text).split()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Fold plural and gender: the same stem for every form a customer may type."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ces") and len(word) > 4:
        word = word[:-3] + "z"  # luces -> luz
    elif word.endswith("es") and len(word) > 4 and word[-3] in "rlndz":
        word = word[:-2]  # sensores -> sensor, terminales -> terminal
    elif word.endswith("s"):
        word = word[:-1]  # balatas -> balata, bujes -> buje
    if len(word) > 3 and word[-1] in "ao":
        word = word[:-1]  # balata -> balat, delantero -> delanter
    return word


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


class _SynonymTable:
    """Synonym phrases as stem tuples, matched longest first."""

    def __init__(self, groups: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in groups:
            target = tuple(content_stems(canonical))
            for phrase in (canonical, *variants):
                key = tuple(content_stems(phrase))
                if key and key not in self.phrases:
                    self.phrases[key] = target
        self.longest = max((len(k) for k in self.phrases), default=1)
        self.vocabulary = frozenset(s for key in self.phrases for s in key) | frozenset(
            s for target in self.phrases.values() for s in target
        )

    def find(self, stems: Sequence[str], start: int) -> tuple[int, tuple[str, ...]] | None:
        """(length, canonical stems) of the longest phrase starting at `start`."""
        for size in range(min(self.longest, len(stems) - start), 0, -1):
            target = self.phrases.get(tuple(stems[start : start + size]))
            if target is not None:
                return size, target
        return None


SYNONYMS = _SynonymTable(SYNONYM_GROUPS)
# Stems of part names, sold here or not ("buje", "cremallera"): never typo-corrected.
PART_STEMS = frozenset(stem(w) for w in PART_WORDS)
# Where a part sits: a modifier that may be given up when nothing matches it.
_POSITIONS = ("delantero", "trasero", "izquierdo", "derecho", "superior", "inferior",
              "interior", "exterior", "lateral")  # fmt: skip
POSITION_STEMS = frozenset(stem(w) for w in _POSITIONS)


def canonical_groups(stems: Sequence[str]) -> list[tuple[list[str], tuple[str, ...]]]:
    """Split stems into (original stems, canonical stems) groups, synonyms resolved."""
    groups: list[tuple[list[str], tuple[str, ...]]] = []
    i = 0
    while i < len(stems):
        found = SYNONYMS.find(stems, i)
        if found is None:
            groups.append(([stems[i]], (stems[i],)))
            i += 1
        else:
            size, target = found
            groups.append((list(stems[i : i + size]), target))
            i += size
    return groups


def expand_document(stems: Sequence[str]) -> list[str]:
    """A document's own stems plus the canonical term of every synonym phrase it contains."""
    out: list[str] = []
    for original, canonical in canonical_groups(stems):
        out.extend(original)
        out.extend(c for c in canonical if c not in original)
    return out


def document_terms(
    *,
    title: str,
    category: str,
    brand: str,
    sku: str,
    vehicle_words: Iterable[str] = (),
) -> tuple[str, str]:
    """(`search_terms`, `title_terms`) of a part, space-separated and de-duplicated.

    `vehicle_words` (the part's own fitment brands, models and years, normalized) are left
    out: vehicles are matched through fitments, and "March" in a title must not make every
    Nissan March part a "marcha" (starter motor).
    """
    skip = set(vehicle_words)
    title_words = [w for w in words(title) if w not in skip and w not in STOPWORDS]
    title_stems = expand_document([stem(w) for w in title_words])
    other = expand_document(content_stems(category)) + expand_document(content_stems(brand))
    sku_words = [*words(sku), re.sub(r"[^a-z0-9]", "", strip_accents(sku.lower()))]
    title_unique = list(dict.fromkeys(t for t in title_stems if t))
    search_unique = list(dict.fromkeys([*title_unique, *other, *sku_words]))
    return " ".join(t for t in search_unique if t), " ".join(title_unique)


def head_term(title_terms: Sequence[str]) -> str | None:
    """The word a title is about ("balat" in "balat delanter brembo"), filler skipped."""
    for term in title_terms:
        if term not in LEADING_FILLER:
            return term
    return None
