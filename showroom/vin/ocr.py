"""Find and read the VIN in a photo: locate candidate lines, then read each several ways.

1. Deskew the photo (projection profiles) and boost local contrast.
2. Locate: `locate.propose_lines` chains character-sized ink blobs into lines and
   proposes the ~17-character ones (milliseconds, robust to noise). When that yields
   nothing readable, whole-page Tesseract passes (sparse text, then block mode on
   other thresholds) propose the word groups that look like a VIN.
3. Read: each candidate line is cropped, scaled to ~44 px characters and read as one
   line with the VIN whitelist under several thresholds (CLAHE gray, Otsu, adaptive)
   and page-segmentation modes (7 line, 13 raw line, 8 word). Reads of one line vote;
   `repair.Votes` settles the VIN with confusion repair and the check digit.
It stops once two reads agree on a VIN with a valid check digit (three for VINs without
one), or when the time budget runs out: each Tesseract call only gets the time left.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from components.vin import NORTH_AMERICAN_FIRST, VIN_LENGTH, check_digit_ok
from showroom.vin import preprocess as pp
from showroom.vin import tesseract
from showroom.vin.locate import LineCandidate, propose_lines
from showroom.vin.repair import Resolution, Votes, clean_read, strip_label, windows
from showroom.vin.wmi import MANUFACTURERS, country_for

log = logging.getLogger(__name__)

LINE_HEIGHT = 44  # character height for line reads (Tesseract's LSTM likes 30-50 px)
LOCATE_SIDE = 1600  # the locator and page passes work on at most this size
MIN_CONFIDENCE = 0.5  # below, the reads disagree too much to report anything
MAX_LINE_WIDTH = 3000  # pixels of a scaled line crop (17 characters need ~700)
_LABELS = ("VIN", "NIV", "SERIE", "V1N", "N1V")

Box = tuple[int, int, int, int]  # left, top, width, height


@dataclass(frozen=True)
class OcrOutcome:
    vin: str | None
    check_digit_ok: bool
    confidence: float
    reads: int  # 17-character reads that voted for the chosen line
    calls: int  # Tesseract runs
    timed_out: bool  # the budget ran out before the plan finished


@dataclass
class _Line:
    box: Box  # in the upright image
    char_height: float
    light_text: bool
    hint: str = ""  # characters a page pass saw there
    votes: Votes | None = None


class _Budget:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.calls = 0

    def call_timeout(self, cap: float) -> float:
        self.calls += 1
        return min(cap, self.deadline - time.monotonic())


def _overlap(a: Box, b: Box) -> float:
    dx = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    dy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if dx <= 0 or dy <= 0:
        return 0.0
    return dx * dy / max(1, min(a[2] * a[3], b[2] * b[3]))


def _scaled_box(box: Box, factor: float) -> Box:
    return (
        round(box[0] * factor),
        round(box[1] * factor),
        round(box[2] * factor),
        round(box[3] * factor),
    )


# ---------------------------------------------------------------------------- page passes
def _segments(words: list[tesseract.Word]) -> list[list[tesseract.Word]]:
    """Words grouped into horizontal runs: same row, small gaps."""
    segments: list[list[tesseract.Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.left)):
        for segment in segments:
            last = segment[-1]
            height = max(last.height, word.height)
            same_row = abs(last.center_y - word.center_y) < 0.6 * height
            if same_row and -0.5 * height < word.left - last.right < 2.5 * height:
                segment.append(word)
                break
        else:
            segments.append([word])
    return segments


def word_regions(words: list[tesseract.Word]) -> list[tuple[Box, str, float]]:
    """(box, characters, score) of word groups that could be a VIN, best first."""
    found: list[tuple[Box, str, float]] = []
    for segment in _segments(words):
        cleaned = [clean_read(w.text) for w in segment]
        labelled = any(any(lbl in w.text.upper() for lbl in _LABELS) for w in segment)
        for i in range(len(segment)):
            text = ""
            for j in range(i, len(segment)):
                text += cleaned[j]
                digits = sum(c.isdigit() for c in text)
                if len(text) > VIN_LENGTH + 14:  # a label glued to the VIN ("serie:3N1...")
                    break
                if len(text) < VIN_LENGTH - 3 or digits < 4:
                    continue
                options = windows(text)
                score = 3.0 - abs(len(text) - VIN_LENGTH) * 0.3 + min(digits, 10) * 0.1
                score += 3 * any(
                    check_digit_ok(o) and o[0] in NORTH_AMERICAN_FIRST for o in options
                )
                score += any(o[:3] in MANUFACTURERS for o in options) + labelled
                group = segment[i : j + 1]
                left, top = min(w.left for w in group), min(w.top for w in group)
                right = max(w.right for w in group)
                bottom = max(w.top + w.height for w in group)
                found.append(((left, top, right - left, bottom - top), text, score))
    return sorted(found, key=lambda item: -item[2])


def _page_passes(small: np.ndarray) -> Iterator[tuple[np.ndarray, int]]:
    """Whole-page images for Tesseract's own layout analysis (denoised: noise makes
    Tesseract slow and finds letters in it)."""
    clean = pp.enhance(pp.denoise(small))
    yield clean, 11
    yield pp.otsu(clean), 6


# ---------------------------------------------------------------------------- line reads
def _line_image(upright: np.ndarray, line: _Line) -> np.ndarray | None:
    """The line cropped and scaled for reading; None when the box is degenerate."""
    # A character's width of margin: the locator may miss an end character, and extra
    # characters cost little (alignment).
    crop = pp.crop(upright, line.box, pad_x=1.2, pad_y=0.35)
    if crop.shape[0] < 6 or crop.shape[1] < 4 * crop.shape[0]:
        return None
    if line.light_text:
        crop = 255 - crop
    factor = min(6.0, LINE_HEIGHT / max(4.0, line.char_height), MAX_LINE_WIDTH / crop.shape[1])
    return pp.scale(crop, factor)


def _line_batches(line: np.ndarray) -> Iterator[tuple[list[np.ndarray], int, bool]]:
    """Batches of variants of one line, each batch one Tesseract run: (images, page
    segmentation mode, "O" allowed)."""
    enhanced = pp.enhance(line)
    border = LINE_HEIGHT // 3

    def framed(image: np.ndarray) -> np.ndarray:
        return pp.with_border(image, border)

    yield (
        [
            framed(pp.otsu(enhanced)),
            framed(enhanced),
            framed(line),
            framed(pp.adaptive(pp.denoise(enhanced), block=2 * LINE_HEIGHT + 1)),
            framed(pp.otsu(pp.scale(enhanced, 0.75))),
        ],
        7,
        False,
    )
    yield (
        [
            framed(line),
            framed(pp.otsu(pp.denoise(enhanced))),
            framed(pp.adaptive(pp.scale(enhanced, 1.3), block=3 * LINE_HEIGHT + 1)),
        ],
        13,
        True,
    )


def _add_read(votes: Votes, raw: str, weight: float) -> None:
    cleaned = clean_read(strip_label(raw))
    if 12 <= len(cleaned) <= 2 * VIN_LENGTH:
        votes.add(cleaned, weight)


def _settled(votes: Votes, *, final: bool) -> Resolution | None:
    """A result good enough to stop reading: two reads agreeing on a VIN with a valid
    check digit; after the last batch of a line, four agreeing reads also do (VINs from
    makers that leave position 9 as a filler). Three identical reads alone are not
    enough early on: Tesseract repeats the same mistake under similar thresholds."""
    if len(votes) < 2 or not votes.aligned():
        return None
    best = votes.resolve()
    agreeing = votes.agreeing(best.vin)
    if best.check_digit_ok and agreeing >= 2:
        return best
    if final and agreeing >= 4 and plausible(best, votes):
        return best
    return None


def _read_line(upright: np.ndarray, line: _Line, budget: _Budget) -> Resolution | None:
    """Read one candidate line; the VIN when it is settled, else None (read another)."""
    votes = line.votes = Votes()
    if line.hint:
        _add_read(votes, line.hint, 0.5)
    image = _line_image(upright, line)
    if image is None:
        return None
    batches = list(_line_batches(image))
    for number, (batch, psm, allow_o) in enumerate(batches, start=1):
        texts = tesseract.read_lines(
            batch, psm=psm, allow_o=allow_o, timeout=budget.call_timeout(4.0)
        )
        for text in texts:
            _add_read(votes, text, 1.0)
        settled = _settled(votes, final=number == len(batches))
        if settled:
            return settled
    return None


# ---------------------------------------------------------------------------- the plan
def _candidates(upright: np.ndarray, budget: _Budget) -> Iterator[_Line]:
    """Lines to read, best first: the ink locator's (as is, then denoised and enlarged
    for small noisy photos), then Tesseract page passes'."""
    small, factor = pp.resize_longest(upright, min(LOCATE_SIDE, max(upright.shape)))
    for found in propose_lines(pp.enhance(small), limit=3):
        yield _from_locator(found, 1 / factor)
    upscale = 2.0 if max(small.shape) < LOCATE_SIDE / 1.5 else 1.0
    smoothed = pp.enhance(pp.denoise(pp.scale(small, upscale)))
    for found in propose_lines(smoothed, limit=3, contrast=6):
        yield _from_locator(found, 1 / (factor * upscale))
    for image, psm in _page_passes(small):
        found_words = tesseract.words(
            image, psm=psm, whitelist=False, timeout=budget.call_timeout(4)
        )
        for box, text, _score in word_regions(found_words)[:2]:
            full = _scaled_box(box, 1 / factor)
            yield _Line(full, full[3] * 0.8, False, hint=text)


def _from_locator(found: LineCandidate, factor: float) -> _Line:
    """The line in full-resolution coordinates, widened to 17 characters when the chain
    came out short (glare or a smudge interrupts it; the missing side is unknown)."""
    left, top, width, height = _scaled_box(found.box, factor)
    if found.chars < VIN_LENGTH:
        extra = int(width * (VIN_LENGTH - found.chars) / max(1, found.chars))
        left, width = max(0, left - extra), width + 2 * extra
    return _Line((left, top, width, height), found.char_height * factor, found.light_text)


def read_vin(gray: np.ndarray, *, timeout_s: float, max_lines: int = 6) -> OcrOutcome:
    """The VIN in a grayscale photo, or `vin=None`.

    Runs at most `timeout_s` seconds of Tesseract (plus milliseconds of image work).
    """
    budget = _Budget(timeout_s)
    angle = pp.estimate_skew(gray)
    upright = pp.rotate(gray, angle)
    read: list[_Line] = []
    timed_out = settled = False
    try:
        for line in _candidates(upright, budget):
            if any(_overlap(line.box, done.box) > 0.6 for done in read):
                continue
            read.append(line)
            settled = _read_line(upright, line, budget) is not None
            if settled or len(read) >= max_lines:
                break
    except tesseract.OcrTimeoutError:
        timed_out = True
    results = [
        (resolution, line.votes)
        for line in read
        if line.votes and line.votes.aligned()
        for resolution in [line.votes.resolve()]
        if plausible(resolution, line.votes)
    ]
    if not results:
        return OcrOutcome(None, False, 0.0, 0, budget.calls, timed_out)
    best, votes = max(results, key=lambda item: _rank(*item))
    log.debug("skew %.1f, %d lines read, %d calls", angle, len(read), budget.calls)
    # Reads that never settled (the time ran out, or they kept disagreeing) are less sure.
    confidence = best.confidence if settled else round(best.confidence * 0.8, 3)
    return OcrOutcome(
        best.vin, best.check_digit_ok, confidence, len(votes), budget.calls, timed_out
    )


def plausible(resolution: Resolution, votes: Votes) -> bool:
    """Is this a VIN at all, or some other line the repair bent into shape?

    What Tesseract actually read must already look like a VIN (at least five digits: a
    VIN ends in four, position 9 and the year are often digits), need at most three
    repairs, and the reads must mostly agree. Then a known manufacturer, or a valid
    check digit on a VIN from a known region, vouches for it; anything else (1 string
    in 11 passes the check digit by chance) is not reported.
    """
    majority = votes.majority()
    if sum(c.isdigit() for c in majority) < 5 or resolution.repaired > 3:
        return False
    if resolution.confidence < MIN_CONFIDENCE:
        return False
    if resolution.vin[:3] in MANUFACTURERS:
        return True
    return resolution.check_digit_ok and country_for(resolution.vin[:2]) is not None


def _rank(resolution: Resolution, votes: Votes) -> tuple[float, ...]:
    return (
        resolution.check_digit_ok,
        resolution.vin[:3] in MANUFACTURERS,
        votes.agreeing(resolution.vin),
        resolution.confidence,
    )
