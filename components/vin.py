"""VIN rules in pure Python (no Rasa import): runs in Rasa's 3.10 and the app's 3.11.

- the 33 allowed characters (ISO 3779: no I, O, Q),
- the check digit at position 9 (49 CFR 565.15; mandatory for North America: WMI first
  character 1-5, Mexico is 3; elsewhere a mismatch is only a warning, because many
  European and Asian makers leave position 9 as a filler),
- normalization of typed VINs (case, spaces, dashes, I/O/Q typed for 1/0/0),
- finding VINs in a chat message (`find_vins`).

The OCR side (showroom.vin) reuses these rules and adds confusion repair for photos.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

VIN_LENGTH = 17
ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
DIGITS = "0123456789"
# Letter values for the check digit (49 CFR 565.15, table IV); digits count as themselves.
TRANSLITERATION: dict[str, int] = {
    **{d: int(d) for d in DIGITS},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
CHECK_POSITION = 8  # 0-based index of position 9
# Position 10 codes, cycle starting 1980 (and again 2010): never I O Q U Z 0.
YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
# Typed or printed I, O, Q are always 1, 0, 0 in a VIN: those letters are not allowed.
TYPO_REPAIRS = {"I": "1", "O": "0", "Q": "0"}
NORTH_AMERICAN_FIRST = "12345"  # 1 4 5 United States, 2 Canada, 3 Mexico

# Warning codes (machine-readable; actions turn them into Spanish).
WARN_CHECK_DIGIT = "check_digit_mismatch"  # non-North-American VIN: informative only
WARN_REPAIRED = "repaired_ioq"
WARN_YEAR_CODE = "model_year_code_invalid"
ERR_LENGTH = "length"
ERR_CHARACTERS = "characters"
ERR_CHECK_DIGIT = "check_digit"  # North-American VIN whose position 9 does not match


def compute_check_digit(vin: str) -> str:
    """The position-9 character a VIN must carry: a digit or 'X' (for 10).

    `vin` must be 17 allowed characters; position 9 itself does not count (weight 0).
    """
    if len(vin) != VIN_LENGTH:
        raise ValueError(f"a VIN has {VIN_LENGTH} characters, got {len(vin)}")
    try:
        total = sum(TRANSLITERATION[c] * w for c, w in zip(vin, WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"character not allowed in a VIN: {exc.args[0]!r}") from None
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def check_digit_ok(vin: str) -> bool:
    """True when position 9 matches the computed check digit (False for malformed input)."""
    try:
        return vin[CHECK_POSITION] == compute_check_digit(vin)
    except ValueError:
        return False


def is_north_american(vin: str) -> bool:
    """WMI first character 1-5: USA, Canada, Mexico; the check digit is mandatory."""
    return bool(vin) and vin[0] in NORTH_AMERICAN_FIRST


def with_check_digit(vin: str) -> str:
    """`vin` with position 9 replaced by its correct check digit (for generated VINs)."""
    fixed = vin[:CHECK_POSITION] + "0" + vin[CHECK_POSITION + 1 :]
    return fixed[:CHECK_POSITION] + compute_check_digit(fixed) + fixed[CHECK_POSITION + 1 :]


_SEPARATORS_RE = re.compile(r"[\s\-._*~·\u200b-\u200f\u2060\ufeff]+")


def normalize(raw: str) -> str:
    """Upper case, separators removed, I/O/Q turned into 1/0/0. No validation."""
    text = _SEPARATORS_RE.sub("", raw.strip()).upper()
    return "".join(TYPO_REPAIRS.get(c, c) for c in text)


@dataclass(frozen=True)
class VinValidation:
    """The verdict on one VIN.

    `valid`: 17 allowed characters and, for North-American VINs, a matching check digit.
    A non-North-American VIN with a mismatching check digit is still valid, with the
    warning `check_digit_mismatch`.
    """

    vin: str
    valid: bool
    check_digit_ok: bool
    north_american: bool
    error: str | None = None
    warnings: tuple[str, ...] = field(default=())


def validate(raw: str) -> VinValidation:
    """Normalize and validate a typed or read VIN."""
    vin = normalize(raw)
    repaired = any(c in TYPO_REPAIRS for c in raw.upper())
    warnings: list[str] = [WARN_REPAIRED] if repaired else []
    north_american = is_north_american(vin)
    if len(vin) != VIN_LENGTH:
        return VinValidation(vin, False, False, north_american, ERR_LENGTH, tuple(warnings))
    if any(c not in ALPHABET for c in vin):
        return VinValidation(vin, False, False, north_american, ERR_CHARACTERS, tuple(warnings))
    digit_ok = check_digit_ok(vin)
    if vin[9] not in YEAR_CODES:
        warnings.append(WARN_YEAR_CODE)
    if not digit_ok and north_american:
        return VinValidation(vin, False, False, True, ERR_CHECK_DIGIT, tuple(warnings))
    if not digit_ok:
        warnings.append(WARN_CHECK_DIGIT)
    return VinValidation(vin, True, digit_ok, north_american, None, tuple(warnings))


# ---------------------------------------------------------------------------- in text
@dataclass(frozen=True)
class VinMatch:
    """A VIN found in a message: `text[start:end]` is what the customer typed."""

    vin: str
    start: int
    end: int
    validation: VinValidation


# Characters allowed *between* the pieces of one VIN in a message ("3N1 AB7-AP5...").
_JOINERS = " \t-._*~·\u00a0\u202f\u2009\u200b\u200c\u200d\u2060\ufeff"
_MAX_GAP = 3
_LABELS = ("VIN", "NIV", "SERIE")  # "NIV" and "número de serie" on Mexican documents
_RUN_RE = re.compile(r"[A-Za-z0-9]+")


def _plausible(chunks: list[str]) -> bool:
    """Reject sentences whose words happen to add up to 17 characters.

    A VIN ends in four digits (ISO 3779; North America: five), has digits elsewhere too,
    and is not made of lower-case words.
    """
    joined = "".join(chunks)
    repaired = "".join(TYPO_REPAIRS.get(c, c) for c in joined.upper())
    if not repaired[-4:].isdigit() or sum(c.isdigit() for c in joined) < 5:
        return False
    if sum(c in "IOQioq" for c in joined) > 3:
        return False
    return len(chunks) == 1 or not any(looks_like_word(chunk) for chunk in chunks)


def looks_like_word(piece: str) -> bool:
    """A lower-case piece that reads like a Spanish word, not like part of a VIN: it has
    an i, o or q (letters VINs never use: "mi", "carro"), or five or more letters, many
    of them vowels ("balatas")."""
    if len(piece) < 2 or not piece.isalpha() or not piece.islower():
        return False
    if any(c in "ioq" for c in piece):
        return True
    return len(piece) >= 5 and sum(c in "aeu" for c in piece) / len(piece) >= 0.4


def _candidates(text: str) -> list[tuple[int, int, str, int]]:
    """(start, end, joined characters, number of pieces) of every 17-character reading."""
    runs = [(m.start(), m.end()) for m in _RUN_RE.finditer(text)]
    found: list[tuple[int, int, str, int]] = []
    for i, (start, end) in enumerate(runs):
        word = text[start:end]
        if len(word) > VIN_LENGTH:
            upper = word.upper()
            for label in _LABELS:  # "VIN3N1AB7AP5KY123456", "NIV:..." without the colon
                if upper.startswith(label) and len(word) - len(label) == VIN_LENGTH:
                    found.append((start + len(label), end, word[len(label) :], 1))
            continue
        chunks = [word]
        length, last_end = len(word), end
        for next_start, next_end in runs[i + 1 :]:
            if length >= VIN_LENGTH:
                break
            gap = text[last_end:next_start]
            if len(gap) > _MAX_GAP or any(c not in _JOINERS for c in gap):
                break
            chunks.append(text[next_start:next_end])
            length += next_end - next_start
            last_end = next_end
        if length == VIN_LENGTH and _plausible(chunks):
            found.append((start, last_end, "".join(chunks), len(chunks)))
    return found


def find_vins(text: str) -> list[VinMatch]:
    """Every VIN in a message, in order of appearance, without overlaps or repeats.

    Accepts lower case, spaces/dashes/dots inside, labels ("vin:", "NIV", "serie"),
    WhatsApp formatting (*bold*, _italic_, zero-width characters). North-American VINs
    with a wrong check digit are returned too (`validation.valid` is False), so the
    assistant can ask the customer to check them.
    """
    scored = []
    for start, end, chunk, pieces in _candidates(text or ""):
        check = validate(chunk)
        if check.error in (ERR_LENGTH, ERR_CHARACTERS):
            continue
        label = chunk.upper().startswith(_LABELS)
        rank = (not check.valid, not check.check_digit_ok, label, pieces, start)
        scored.append((rank, VinMatch(check.vin, start, end, check)))
    chosen: list[VinMatch] = []
    for _rank, match in sorted(scored, key=lambda item: item[0]):
        overlaps = any(match.start < c.end and c.start < match.end for c in chosen)
        if not overlaps and all(match.vin != c.vin for c in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)


_HINT_STOPWORDS = {"vin", "niv", "serie", "no", "num", "numero", "es", "mi", "el", "de", "del"}


def vin_length_hint(text: str) -> int | None:
    """Length of a VIN-looking string that is *not* 17 characters, else None.

    None too when the text holds a 17-character VIN (`find_vins` finds it).

    For the assistant's "tu VIN tiene 16 caracteres, debe tener 17". Groups consecutive
    pieces that look like parts of a VIN (a digit inside, upper case, or at most 4
    letters), drops labels around them ("mi vin es ..."), and reports a group of 11-24
    characters with at least 5 digits.
    """
    if find_vins(text):
        return None
    best: int | None = None
    group: list[str] = []

    def flush() -> None:
        nonlocal best
        while group and group[0].lower() in _HINT_STOPWORDS:
            group.pop(0)
        while group and group[-1].lower() in _HINT_STOPWORDS:
            group.pop()
        compact = "".join(group)
        digits = sum(c.isdigit() for c in compact)
        if 11 <= len(compact) <= 24 and len(compact) != VIN_LENGTH and digits >= 5:
            best = len(compact)
        group.clear()

    for piece in re.split(r"[\s\-.,:;]+", text or ""):
        vinish = piece.isalnum() and piece.isascii()
        vinish = vinish and (any(c.isdigit() for c in piece) or piece.isupper() or len(piece) <= 4)
        if vinish:
            group.append(piece)
        else:
            flush()
    flush()
    return best
