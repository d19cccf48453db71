"""Find and read the VIN in a photo: locate candidate lines, then read each several ways.

1. Deskew the photo (projection profiles) and boost local contrast.
2. Locate: `locate.propose_lines` chains character-sized ink blobs into lines (and joins
   the groups of a VIN printed with wide gaps) and proposes the ~17-character ones
   (milliseconds, robust to noise); then the same on blurred copies, where the dots of
   dot-peen characters merge into strokes. When that yields nothing readable, whole-page
   Tesseract passes (`pages.py`) propose the word groups that look like a VIN.
3. Read: each candidate line is cropped, scaled to ~44 px characters and read as one
   line with the VIN whitelist under several thresholds (CLAHE gray, Otsu, adaptive)
   and page-segmentation modes (7 line, 13 raw line); a line made of dots is first read
   with its dots merged (blur, gray opening). Reads of one line vote; `repair.Votes`
   settles the VIN with confusion repair and the check digit.
4. Turn: when the photo as it came gives nothing plausible, it is turned by quarter turns
   (`orient.py` picks the order) and read again, within the same time budget.
It stops once two reads agree on a VIN with a valid check digit (four for VINs without
one), or when the time budget runs out: each Tesseract call only gets the time left. A VIN
the check digit cannot vouch for (European makers often compute none) is reported with
confidence only when the reads agree on it (`UNVERIFIED_AGREEING`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from components.vin import VIN_LENGTH
from showroom.vin import orient, pages, tesseract
from showroom.vin import preprocess as pp
from showroom.vin.locate import LineCandidate, propose_lines
from showroom.vin.plausible import UNVERIFIED_CAP, plausible, reads_agree
from showroom.vin.repair import Resolution, Votes, clean_read, strip_label
from showroom.vin.wmi import MANUFACTURERS

log = logging.getLogger(__name__)

LINE_HEIGHT = 44  # character height for line reads (Tesseract's LSTM likes 30-50 px)
LOCATE_SIDE = 1600  # the locator and page passes work on at most this size
MAX_LINE_WIDTH = 3000  # pixels of a scaled line crop (17 characters need ~700)
DOT_SIGMAS = (1.5, 3.0)  # locator blurs (at LOCATE_SIDE) that merge dot-peen dots
DOT_RETRY_LINES = 3  # lines read again with merged dots when nothing else was found
RETRY_LINES = 3  # lines read per quarter turn tried after the first orientation
MIN_TURN_S = 0.8  # time left worth turning the photo for
# An unsettled read below this confidence does not stop the search: the photo may be
# upside down, and its lines read as something VIN-like.
WEAK_CONFIDENCE = 0.65
# A turned photo read without two agreeing check-valid reads needs this confidence: text
# read sideways sometimes bends into a known manufacturer code.
TURNED_CONFIDENCE = 0.8
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
    dotted: bool = False  # read with its dots merged (dot-peen fallback)
    votes: Votes | None = None
    settled: bool = False  # the reads agreed well enough to stop


class _Budget:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds
        self.calls = 0

    def call_timeout(self, cap: float) -> float:
        self.calls += 1
        return min(cap, self.deadline - time.monotonic())

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        """Image work between Tesseract calls counts too: stop when the time is up."""
        if self.remaining() <= 0:
            raise tesseract.OcrTimeoutError("time limit reached")


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


def _framed(image: np.ndarray) -> np.ndarray:
    return pp.with_border(image, LINE_HEIGHT // 3)


def _dot_batches(line: np.ndarray) -> list[tuple[list[np.ndarray], int, bool]]:
    """Variants of a dot-peen line with its dots merged into strokes (the dot pitch is
    about an eighth of the character height): blurs and a gray-level opening."""
    enhanced = pp.enhance(line)
    pitch = LINE_HEIGHT / 8
    merged = [pp.merge_dots(enhanced, f * pitch) for f in (0.35, 0.45, 0.6)]
    opened = pp.merge_dots(pp.open_dots(enhanced, round(0.8 * pitch) | 1), 0.3 * pitch)
    return [
        ([_framed(pp.otsu(m)) for m in merged] + [_framed(pp.otsu(opened))], 7, False),
        ([_framed(merged[1]), _framed(pp.otsu(merged[0])), _framed(opened)], 13, True),
    ]


def _line_batches(line: np.ndarray) -> Iterator[tuple[list[np.ndarray], int, bool]]:
    """Batches of variants of one line, each batch one Tesseract run: (images, page
    segmentation mode, "O" allowed)."""
    enhanced = pp.enhance(line)
    yield (
        [
            _framed(pp.otsu(enhanced)),
            _framed(enhanced),
            _framed(line),
            _framed(pp.adaptive(pp.denoise(enhanced), block=2 * LINE_HEIGHT + 1)),
            _framed(pp.otsu(pp.scale(enhanced, 0.75))),
        ],
        7,
        False,
    )
    yield (
        [
            _framed(line),
            _framed(pp.otsu(pp.denoise(enhanced))),
            _framed(pp.adaptive(pp.scale(enhanced, 1.3), block=3 * LINE_HEIGHT + 1)),
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
    batches = _dot_batches(image) if line.dotted else list(_line_batches(image))
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
def _candidates(view: _View, budget: _Budget, *, pages_too: bool) -> Iterator[_Line]:
    """Lines to read, best first: the ink locator's (as is, then denoised and enlarged
    for small noisy photos), then Tesseract page passes' (`pages_too`: they cost
    seconds)."""
    small, factor = view.small
    for found in propose_lines(pp.enhance(small), limit=3):
        yield _from_locator(found, 1 / factor)
    budget.check()
    upscale = 2.0 if max(small.shape) < LOCATE_SIDE / 1.5 else 1.0
    smoothed = pp.enhance(pp.denoise(pp.scale(small, upscale)))
    for found in propose_lines(smoothed, limit=3, contrast=6):
        yield _from_locator(found, 1 / (factor * upscale))
    if not pages_too:
        return
    for image, psm in pages.page_images(small):
        found_words = tesseract.words(
            image, psm=psm, whitelist=False, timeout=budget.call_timeout(4)
        )
        for box, text, _score in pages.word_regions(found_words)[:2]:
            full = _scaled_box(box, 1 / factor)
            yield _Line(full, full[3] * 0.8, False, hint=text)


def _from_locator(found: LineCandidate, factor: float, *, dotted: bool = False) -> _Line:
    """The line in full-resolution coordinates, widened to 17 characters when the chain
    came out short (glare or a smudge interrupts it; the missing side is unknown)."""
    left, top, width, height = _scaled_box(found.box, factor)
    if found.chars < VIN_LENGTH:
        extra = int(width * (VIN_LENGTH - found.chars) / max(1, found.chars))
        left, width = max(0, left - extra), width + 2 * extra
    return _Line(
        (left, top, width, height), found.char_height * factor, found.light_text, dotted=dotted
    )


@dataclass
class _View:
    """The photo turned one way, deskewed, and the lines read in it."""

    turn: int  # degrees counter-clockwise
    angle: float  # deskew
    upright: np.ndarray
    read: list[_Line]

    @cached_property
    def small(self) -> tuple[np.ndarray, float]:
        """The copy the locator and page passes work on, and its scale factor."""
        return pp.resize_longest(self.upright, min(LOCATE_SIDE, max(self.upright.shape)))


def _read_view(view: _View, budget: _Budget, max_lines: int, *, pages_too: bool) -> None:
    for line in _candidates(view, budget, pages_too=pages_too):
        if any(_overlap(line.box, done.box) > 0.6 for done in view.read):
            continue
        view.read.append(line)
        line.settled = _read_line(view.upright, line, budget) is not None
        if line.settled or len(view.read) >= max_lines:
            return


def _dot_lines(view: _View, budget: _Budget) -> Iterator[_Line]:
    """Dot-peen fallback: the lines already tried, then the locator's on copies blurred so
    that the dots merge, all read again with the dots merged."""
    for line in view.read[:DOT_RETRY_LINES]:
        if line.hint == "":
            yield replace(line, dotted=True, votes=None, settled=False)
    small, factor = view.small
    for sigma in DOT_SIGMAS:
        budget.check()
        for found in propose_lines(pp.merge_dots(small, sigma), limit=2, contrast=6):
            yield _from_locator(found, 1 / factor, dotted=True)


def _read_dots(view: _View, budget: _Budget) -> None:
    tried: list[_Line] = []
    for line in _dot_lines(view, budget):
        if any(_overlap(line.box, done.box) > 0.6 for done in tried):
            continue
        tried.append(line)
        view.read.append(line)
        line.settled = _read_line(view.upright, line, budget) is not None
        if line.settled or len(tried) >= DOT_RETRY_LINES or budget.remaining() < MIN_TURN_S:
            return


def _view(gray: np.ndarray, turn: int) -> _View:
    image = orient.turned(gray, turn) if turn else gray
    angle = pp.estimate_skew(image)
    return _View(turn, angle, pp.rotate(image, angle), [])


def _results(view: _View) -> list[tuple[Resolution, Votes, _Line]]:
    found = [
        (resolution, line.votes, line)
        for line in view.read
        if line.votes and line.votes.aligned()
        for resolution in [line.votes.resolve()]
        if plausible(resolution, line.votes)
    ]
    if view.turn:
        found = [f for f in found if f[2].settled or f[0].confidence >= TURNED_CONFIDENCE]
    # a fallback read of merged dots must be convincing: on a photo without dots, blurring
    # the ink until it merges also invents characters
    return [f for f in found if not f[2].dotted or _confidence(f[0], f[2]) >= WEAK_CONFIDENCE]


def _confidence(resolution: Resolution, line: _Line) -> float:
    """Reads that never settled (the time ran out, or they kept disagreeing) are less sure,
    and so are reads of merged dots (the glyphs are guesses to begin with: such a read is
    never reported as sure, even with a passing check digit, since a few guessed glyphs can
    cancel out in it); a read the check digit cannot vouch for needs the reads' agreement
    (`plausible.reads_agree`)."""
    factor = (1.0 if line.settled else 0.8) * (0.9 if line.dotted else 1.0)
    confidence = resolution.confidence * factor
    if line.dotted or not (resolution.verified or reads_agree(resolution, line.votes)):
        confidence = min(confidence, UNVERIFIED_CAP)
    return round(confidence, 3)


def _strong(view: _View) -> bool:
    """A result that ends the search (no need to merge dots or turn the photo)."""
    return any(line.settled or r.confidence >= WEAK_CONFIDENCE for r, _, line in _results(view))


def read_vin(gray: np.ndarray, *, timeout_s: float, max_lines: int = 6) -> OcrOutcome:
    """The VIN in a grayscale photo, or `vin=None`.

    Runs at most `timeout_s` seconds of Tesseract (plus milliseconds of image work per
    orientation tried).
    """
    budget = _Budget(timeout_s)
    views: list[_View] = []
    timed_out = False
    try:
        views.append(_view(gray, 0))
        _read_view(views[0], budget, max_lines, pages_too=True)
        strong = _strong(views[0])
        if not strong and budget.remaining() >= MIN_TURN_S:
            _read_dots(views[0], budget)
            strong = _strong(views[0])
        if not strong:
            for turn in orient.retry_turns(gray):
                if budget.remaining() < MIN_TURN_S:
                    break
                views.append(_view(gray, turn))
                _read_view(views[-1], budget, RETRY_LINES, pages_too=False)
                if _strong(views[-1]):
                    break
    except tesseract.OcrTimeoutError:
        timed_out = True
    results = [(r, v, line, view) for view in views for r, v, line in _results(view)]
    if not results:
        return OcrOutcome(None, False, 0.0, 0, budget.calls, timed_out)
    best, votes, line, view = max(results, key=lambda item: _rank(item[0], item[1], item[2]))
    log.debug(
        "turn %d, skew %.1f, %d lines read, %d calls",
        view.turn,
        view.angle,
        len(view.read),
        budget.calls,
    )
    confidence = _confidence(best, line)
    return OcrOutcome(
        best.vin, best.check_digit_ok, confidence, len(votes), budget.calls, timed_out
    )


def _rank(resolution: Resolution, votes: Votes, line: _Line) -> tuple[float, ...]:
    return (
        line.settled,
        resolution.verified,
        resolution.vin[:3] in MANUFACTURERS,
        votes.agreeing(resolution.vin),
        resolution.confidence,
    )
