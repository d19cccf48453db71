"""From noisy OCR reads to one VIN: votes, confusion repair and the check digit.

Every OCR pass (another threshold, another page-segmentation mode) gives a read,
aligned to 17 characters when its length is off (`align.py`). Per position, the reads
vote; characters Tesseract often confuses with a voted one (S/5, B/8, Z/2, G/6, D/0,
I/1, O/0...) get a small share of the vote. Fixed rules
narrow the choice: no I/O/Q anywhere, the last four characters are digits (ISO 3779;
North America: the last five), position 10 is a model-year code.

Then the most probable string is searched *subject to the check digit* with an exact
dynamic program over the weighted sum modulo 11 (17 positions x 11 remainders), which
finds the best repair without trying combinations one by one. North-American VINs must
satisfy it; for the others it is used when it costs little (many makers outside North
America also compute it), otherwise the plain best read is kept with a warning.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from components.vin import (
    ALPHABET,
    CHECK_POSITION,
    NORTH_AMERICAN_FIRST,
    TRANSLITERATION,
    TYPO_REPAIRS,
    VIN_LENGTH,
    WEIGHTS,
    YEAR_CODES,
    check_digit_ok,
)
from showroom.vin.align import align
from showroom.vin.wmi import MANUFACTURERS

# Pairs Tesseract (and people) mix up in VIN-like text, used in both directions, with the
# share of a vote the other character receives: frequent confusions first.
_CONFUSABLE_PAIRS = {
    0.35: ("5S", "8B", "2Z", "6G", "0D", "1L", "7T", "0U", "1J"),
    0.15: ("38", "3B", "3S", "3J", "68", "8S", "08", "09", "0C", "1T", "17", "27", "7Z",
           "4A", "9P", "9G", "BR", "CG", "EF", "FP", "HN", "HM", "HK", "KX", "MN", "NW",
           "PR", "UV", "VY", "XY"),
}  # fmt: skip
CONFUSIONS: dict[str, dict[str, float]] = {c: {} for c in ALPHABET}
for _share, _pairs in _CONFUSABLE_PAIRS.items():
    for _pair in _pairs:
        CONFUSIONS[_pair[0]][_pair[1]] = _share
        CONFUSIONS[_pair[1]][_pair[0]] = _share
# What I, O, Q (never valid) were meant to be, plus common non-VIN glyphs.
_OCR_MAP = {**TYPO_REPAIRS, "|": "1", "!": "1", "$": "S", "§": "S", "&": "8", "@": "0"}

_FLOOR = 0.02  # any allowed character, however unlikely
_NA_REPAIR_BUDGET = 4.5  # log-probability a North-American repair may cost
# ... elsewhere, where the check digit is optional (Mexico's NIV rules and most makers
# exporting to the Americas compute it anyway, European VINs often carry a letter there).
_OTHER_REPAIR_BUDGET = 2.6
# ... and for VINs that look like they carry a filler at position 9 (WVWZZZ...): their
# maker computes no check digit, so it says little about them.
_FILLER_REPAIR_BUDGET = 0.6
_KNOWN_WMI_BONUS = 2.0
# European makers often compute no check digit (ISO 3779 leaves it optional), so there the
# digit can neither repair a read nor vouch for one; Asian and South American VINs sold in
# Mexico mostly carry it (China's GB 16735 requires it).
_CHECK_DIGIT_OPTIONAL_FIRST = "STUVWXYZ"
# Reads that say exactly the same VIN: this many keep it against a check-digit "repair"
# when the check digit is optional (the maker probably left position 9 as a filler).
_PLAIN_SUPPORT = 3


def clean_read(text: str) -> str:
    """Upper case, I/O/Q and look-alike symbols mapped, everything else removed."""
    mapped = (_OCR_MAP.get(c, c) for c in text.upper())
    return "".join(c for c in mapped if c in ALPHABET)


def _position_prior(index: int, char: str, north_american: bool) -> float:
    """Multiplicative plausibility of `char` at 0-based `index` (1 = no opinion)."""
    if index >= VIN_LENGTH - 4 and not char.isdigit():
        return 0.003
    if index == VIN_LENGTH - 5 and north_american and not char.isdigit():
        return 0.05
    if index == 9 and char not in YEAR_CODES:
        return 0.1
    if index == CHECK_POSITION and north_american and not (char.isdigit() or char == "X"):
        return 0.3
    return 1.0


@dataclass(frozen=True)
class Resolution:
    vin: str
    check_digit_ok: bool
    confidence: float  # 0..1
    repaired: int  # positions where the result differs from the plain majority
    agreeing: int = 0  # reads that say exactly `vin`
    # The check digit vouches for the read: it passes and either it is mandatory (North
    # America) or two reads said exactly this VIN (the repair did not just fit it).
    # Otherwise only the reads' agreement does.
    verified: bool = False


class Votes:
    """Reads of one VIN line, weighted. Reads of 17 characters vote directly; shorter or
    longer ones (a dropped or invented character, a label in front) are aligned onto the
    17-character consensus first (`align.align`)."""

    MAX_ALIGN_COST = 4.0  # worse than this, the read is about something else

    def __init__(self) -> None:
        self.reads: list[tuple[str, float]] = []
        self._cache: tuple[int, list[tuple[list[str | None], float]]] | None = None

    def add(self, read: str, weight: float = 1.0) -> None:
        """`read`: cleaned VIN characters (see `clean_read`), 12 to 34 of them."""
        if not 12 <= len(read) <= 2 * VIN_LENGTH or any(c not in ALPHABET for c in read):
            raise ValueError("a read must be 12-34 VIN characters (clean it first)")
        self.reads.append((read, weight))

    def __len__(self) -> int:
        return len(self.reads)

    def agreeing(self, vin: str) -> int:
        """Reads that say exactly `vin` once aligned (a label or border character around
        it does not count against them; a missing character does)."""
        return sum(
            1
            for vector, _ in self.aligned()
            if all(char == expected for char, expected in zip(vector, vin, strict=True))
        )

    def _reference(self) -> str | None:
        """The 17-character string closest to all reads (a medoid): every 17-character
        read, window of a longer read, and longer read minus one character competes."""
        candidates: set[str] = set()
        for read, _ in self.reads:
            candidates.update(windows(read))
            if len(read) in (VIN_LENGTH + 1, VIN_LENGTH + 2):
                for i in range(len(read)):
                    candidates.update(windows(read[:i] + read[i + 1 :]))
        if not candidates:
            return None

        weights: dict[str, float] = {}
        for read, weight in self.reads:
            weights[read] = weights.get(read, 0.0) + weight

        def spread(candidate: str) -> float:
            distance = sum(
                weight * min(self.MAX_ALIGN_COST + 1, _aligned(read, candidate)[1])
                for read, weight in weights.items()
            )
            # A passing check digit is strong evidence (1 in 11 by chance), anywhere:
            # most VINs sold in Mexico carry one.
            return distance - _wmi_bonus(candidate) - 2.5 * check_digit_ok(candidate)

        exact = [r for r, _ in self.reads if len(r) == VIN_LENGTH]
        shortlist = sorted(candidates, key=lambda c: (-exact.count(c), c))[:24]
        ranked = sorted(shortlist, key=lambda c: (spread(c), -exact.count(c), c))
        # No single read may be right everywhere: the position-by-position consensus of
        # the reads aligned on the best candidates competes too.
        consensus = {self._consensus(c, weights) for c in ranked[:3]}
        return min([*ranked[:3], *consensus], key=lambda c: (spread(c), -exact.count(c), c))

    @staticmethod
    def _consensus(reference: str, weights: dict[str, float]) -> str:
        columns: list[dict[str, float]] = [{} for _ in range(VIN_LENGTH)]
        for read, weight in weights.items():
            vector, cost = _aligned(read, reference)
            if cost > Votes.MAX_ALIGN_COST:
                continue
            for column, char in zip(columns, vector, strict=True):
                if char is not None:
                    column[char] = column.get(char, 0.0) + weight
        return "".join(
            max(column, key=column.__getitem__) if column else fallback
            for column, fallback in zip(columns, reference, strict=True)
        )

    def aligned(self) -> list[tuple[list[str | None], float]]:
        """Every usable read as one character (or None) per VIN position."""
        if self._cache is not None and self._cache[0] == len(self.reads):
            return self._cache[1]
        vectors = self._align_all()
        self._cache = (len(self.reads), vectors)
        return vectors

    def _align_all(self) -> list[tuple[list[str | None], float]]:
        reference = self._reference()
        if reference is None:
            return []
        vectors: list[tuple[list[str | None], float]] = []
        for read, weight in self.reads:
            aligned, cost = _aligned(read, reference)
            vector: list[str | None] = list(aligned)
            if len(read) == VIN_LENGTH and cost > 0 and cost >= _hamming(read, reference):
                vector = list(read)  # a plain substitution read: keep it as it is
            elif cost > self.MAX_ALIGN_COST:
                continue
            vectors.append((vector, weight if len(read) == VIN_LENGTH else 0.8 * weight))
        return vectors

    def _log_probs(self, north_american: bool) -> list[dict[str, float]]:
        vectors = self.aligned()
        table = []
        for i in range(VIN_LENGTH):
            counts = dict.fromkeys(ALPHABET, _FLOOR)
            for vector, weight in vectors:
                char = vector[i]
                if char is None:
                    continue
                counts[char] += weight
                for alternative, share in CONFUSIONS[char].items():
                    counts[alternative] += weight * share
            for c in counts:
                counts[c] *= _position_prior(i, c, north_american)
            total = sum(counts.values())
            table.append({c: math.log(v / total) for c, v in counts.items()})
        return table

    def majority(self) -> str:
        table = self._log_probs(north_american=False)
        return "".join(max(column, key=column.__getitem__) for column in table)

    def resolve(self) -> Resolution:
        """The most probable VIN, repaired with the check digit where that is plausible."""
        if not self.aligned():
            raise ValueError("no usable reads")
        plain = self.majority()
        north_american = plain[0] in NORTH_AMERICAN_FIRST
        table = self._log_probs(north_american)
        plain_score = sum(table[i][c] for i, c in enumerate(plain)) + _wmi_bonus(plain)
        constrained, score = _best_with_check_digit(table)
        optional = check_digit_optional(plain)
        if north_american:
            budget = _NA_REPAIR_BUDGET
        elif _filler_at_check_position(plain) or optional:
            budget = _FILLER_REPAIR_BUDGET
        else:
            budget = _OTHER_REPAIR_BUDGET
        vin = constrained if constrained and plain_score - score <= budget else plain
        if (
            vin != plain
            and (optional or _filler_at_check_position(plain))
            and self.agreeing(vin) == 0
            and self.agreeing(plain) >= _PLAIN_SUPPORT
        ):
            vin = plain  # the reads agree on a VIN whose maker may leave position 9 alone
        agreeing = self.agreeing(vin)
        repaired = sum(a != b for a, b in zip(vin, plain, strict=True))
        digit_ok = check_digit_ok(vin)
        # outside North America the maker may compute no check digit: a digit that only
        # passes once the repair made it pass proves nothing
        verified = digit_ok and (north_american or agreeing >= 2)
        return Resolution(
            vin=vin,
            check_digit_ok=digit_ok,
            confidence=self._confidence(vin),
            repaired=repaired,
            agreeing=agreeing,
            verified=verified,
        )

    def _shares(self, vin: str, counts: Callable[[str, str], bool]) -> list[float]:
        """Per position of `vin` that some read saw: the weighted share of the reads whose
        character there `counts(char, vin's char)`."""
        vectors = self.aligned()
        shares: list[float] = []
        for i, c in enumerate(vin):
            voting = [(char, w) for v, w in vectors if (char := v[i]) is not None]
            total = sum(w for _, w in voting)
            if total:
                shares.append(sum(w for char, w in voting if counts(char, c)) / total)
        return shares

    def weakest_agreement(self, vin: str) -> float:
        """The lowest share of reads agreeing with `vin` at any position (the most
        contested character)."""
        return min(self._shares(vin, lambda char, c: char == c), default=1.0)

    def look_alike_dissent(self, vin: str) -> float:
        """The largest share of reads that saw, at some position, a character easily
        confused with `vin`'s (a "G" where `vin` has a "6"): with no check digit to settle
        it, such a position is a guess."""
        return max(self._shares(vin, lambda char, c: char in CONFUSIONS[c]), default=0.0)

    def _confidence(self, vin: str) -> float:
        """Mean per-position agreement of the reads with `vin`, discounted for few reads
        and for a failing check digit on a North-American VIN."""
        vectors = self.aligned()
        if not vectors:
            return 0.0
        agreement = 0.0
        for i, c in enumerate(vin):
            voting = [(v[i], w) for v, w in vectors if v[i] is not None]
            total = sum(w for _, w in voting)
            agreement += sum(w for char, w in voting if char == c) / total if total else 0.0
        agreement /= VIN_LENGTH
        support = min(1.0, len(vectors) / 3)
        confidence = agreement * (0.6 + 0.4 * support)
        if not check_digit_ok(vin):
            if vin[0] in NORTH_AMERICAN_FIRST:
                confidence *= 0.5
            else:  # a digit there that does not check out suggests a misread
                confidence *= 0.9 if _filler_at_check_position(vin) else 0.7
        return round(confidence, 3)


@lru_cache(maxsize=4096)
def _aligned(read: str, reference: str) -> tuple[tuple[str | None, ...], float]:
    vector, cost = align(read, reference, CONFUSIONS)
    return tuple(vector), cost


def check_digit_optional(vin: str) -> bool:
    """A European VIN: its maker may compute no check digit at position 9."""
    return bool(vin) and vin[0] in _CHECK_DIGIT_OPTIONAL_FIRST


def _filler_at_check_position(vin: str) -> bool:
    """Does this VIN look like one without a check digit? It has the "ZZZ" filler of
    makers' rest-of-world VINs (WVWZZZ...), or position 9 holds a letter that no digit
    resembles (an "S" there is more likely a misread 5)."""
    if vin[3:6] == "ZZZ":
        return True
    char = vin[CHECK_POSITION]
    if char.isdigit() or char == "X":
        return False
    return not any(other.isdigit() for other in CONFUSIONS[char])


def _hamming(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b, strict=True))


def _wmi_bonus(vin: str) -> float:
    return _KNOWN_WMI_BONUS if vin[:3] in MANUFACTURERS else 0.0


def _shortlist(column: dict[str, float], limit: int) -> list[str]:
    return sorted(column, key=column.__getitem__, reverse=True)[:limit]


def _best_with_check_digit(table: list[dict[str, float]]) -> tuple[str | None, float]:
    """Most probable string whose position 9 equals its check digit (exact DP mod 11).

    The WMI (positions 1-3) is enumerated from each position's top candidates so a
    known manufacturer can earn its bonus; positions 4-17 go through the DP.
    """
    best: tuple[str | None, float] = (None, -math.inf)
    columns = [_shortlist(table[i], 5) for i in range(VIN_LENGTH)]
    wmi_options = [
        (a + b + c, table[0][a] + table[1][b] + table[2][c])
        for a, b, c in product(columns[0][:3], columns[1][:3], columns[2][:3])
    ]
    for wmi, wmi_score in wmi_options:
        start = sum(TRANSLITERATION[c] * WEIGHTS[i] for i, c in enumerate(wmi)) % 11
        # states: remainder -> (score, characters so far)
        states: dict[int, tuple[float, str]] = {start: (wmi_score + _wmi_bonus(wmi), wmi)}
        for i in range(3, VIN_LENGTH):
            if i == CHECK_POSITION:
                states = {r: (s, text + "?") for r, (s, text) in states.items()}
                continue
            following: dict[int, tuple[float, str]] = {}
            for remainder, (score, text) in states.items():
                for c in columns[i]:
                    r = (remainder + TRANSLITERATION[c] * WEIGHTS[i]) % 11
                    candidate = score + table[i][c]
                    if r not in following or candidate > following[r][0]:
                        following[r] = (candidate, text + c)
            states = following
        for remainder, (score, text) in states.items():
            check = "X" if remainder == 10 else str(remainder)
            total = score + table[CHECK_POSITION][check]
            if total > best[1]:
                best = (text[:CHECK_POSITION] + check + text[CHECK_POSITION + 1 :], total)
    return best


_LABEL_RE = re.compile(r"^.*?(?:V[I1]?N|N[I1]?V|SER[I1]?E)[^A-Z0-9]*", re.IGNORECASE)


def strip_label(raw: str) -> str:
    """Drop a "VIN:", "NIV", "SERIE" label (and what precedes it) in front of the VIN."""
    stripped = _LABEL_RE.sub("", raw.replace(" ", ""), count=1)
    return stripped if len(clean_read(stripped)) >= VIN_LENGTH else raw


def windows(text: str) -> list[str]:
    """17-character readings of a cleaned line: itself, or each 17-character window."""
    if len(text) < VIN_LENGTH or len(text) > 2 * VIN_LENGTH:
        return []
    return [text[i : i + VIN_LENGTH] for i in range(len(text) - VIN_LENGTH + 1)]


def pick_window(options: list[str], votes: Votes | None = None) -> str | None:
    """The most VIN-like of the windows of one read (labels usually come first, so the
    last window wins ties)."""
    if not options:
        return None

    def rank(item: tuple[int, str]) -> tuple[float, ...]:
        index, option = item
        agreement = 0.0
        if votes and len(votes):
            agreement = sum(
                sum(a == b for a, b in zip(option, read, strict=True)) for read, _ in votes.reads
            ) / len(votes)
        return (
            check_digit_ok(option) and option[0] in NORTH_AMERICAN_FIRST,
            option[:3] in MANUFACTURERS,
            option[-4:].isdigit(),
            agreement,
            check_digit_ok(option),
            index,
        )

    return max(enumerate(options), key=rank)[1]
