"""Find text lines that could hold a VIN, from the ink alone (no OCR, a few ms).

Characters are connected components of a local threshold (both polarities: dark ink on
stickers and cards, light characters on dark plates). Neighbours of similar height on
the same baseline are chained into lines; a chain of ~17 characters is a VIN candidate.
VINs printed in groups with wide gaps ("3N1 CN7AD7 KL123456") give several short chains:
collinear chains of the same height are joined across gaps of up to `GROUP_GAP` character
heights when together they make a VIN-sized line.
This finds the VIN line on noisy photos where a whole-page Tesseract pass drowns in
blobs, and costs milliseconds instead of seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from components.vin import VIN_LENGTH

CHAR_GAP = 1.2  # gap between letters of one word, in character heights
GROUP_GAP = 4.0  # gap between the groups of a VIN printed in groups


@dataclass(frozen=True)
class LineCandidate:
    box: tuple[int, int, int, int]  # left, top, width, height
    chars: int  # estimated number of characters
    char_height: float
    light_text: bool
    score: float


@dataclass(frozen=True)
class _Blob:
    x: int
    y: int
    w: int
    h: int

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def _blobs(ink: np.ndarray) -> list[_Blob]:
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height = ink.shape[0]
    blobs = []
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i, :5])
        if h < 8 or h > height / 2.5 or w < 0.08 * h or w > 6 * h:
            continue
        if area < 0.12 * w * h:  # frames, outlines
            continue
        blobs.append(_Blob(x, y, w, h))
    return blobs


def _chains(blobs: list[_Blob]) -> list[list[_Blob]]:
    """Greedy left-to-right chaining of blobs on one baseline with similar heights."""
    blobs = sorted(blobs, key=lambda b: b.x)
    successor: dict[int, int] = {}
    taken: set[int] = set()
    for i, a in enumerate(blobs):
        best, best_gap = None, None
        for j in range(i + 1, len(blobs)):
            b = blobs[j]
            gap = b.x - (a.x + a.w)
            if gap > CHAR_GAP * a.h:
                break
            if gap < -0.25 * min(a.h, b.h) or j in taken:
                continue
            ratio = b.h / a.h
            if not 0.7 <= ratio <= 1.45 or abs(a.cy - b.cy) > 0.35 * max(a.h, b.h):
                continue
            if best_gap is None or gap < best_gap:
                best, best_gap = j, gap
        if best is not None:
            successor[i] = best
            taken.add(best)
    chains = []
    for i in range(len(blobs)):
        if i in taken:
            continue
        chain = [blobs[i]]
        while i in successor:
            i = successor[i]
            chain.append(blobs[i])
        chains.append(chain)
    return chains


@dataclass(frozen=True)
class _Piece:
    """A short chain, with what joining needs computed once."""

    blobs: list[_Blob]
    height: float
    cy: float

    @property
    def left(self) -> int:
        return self.blobs[0].x

    @property
    def right(self) -> int:
        return self.blobs[-1].x + self.blobs[-1].w


def _middle(values: list[float]) -> float:
    """The median (numpy's costs more than the chaining itself on a few values)."""
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def _piece(chain: list[_Blob]) -> _Piece:
    return _Piece(chain, _middle([b.h for b in chain]), _middle([b.cy for b in chain]))


def _joinable(a: _Piece, b: _Piece) -> bool:
    """`b` continues `a` on the same baseline after a wide gap (a group break)."""
    if not 0.8 <= b.height / a.height <= 1.25:
        return False
    gap = b.left - a.right
    height = max(a.height, b.height)
    if not CHAR_GAP * min(a.height, b.height) < gap <= GROUP_GAP * height:
        return False
    return abs(a.cy - b.cy) <= 0.3 * height


def _grouped(chains: list[list[_Blob]]) -> list[list[_Blob]]:
    """Chains joined across group gaps, when the result is VIN-sized (the single chains
    stay candidates too). Only short pieces join: a group has 2 to 11 characters."""
    pieces = sorted((_piece(c) for c in chains if 2 <= len(c) <= 11), key=lambda p: p.left)
    joined: list[list[_Blob]] = []
    for start, first in enumerate(pieces):
        line = list(first.blobs)
        last = first
        for other in pieces[start + 1 :]:
            if other.left > last.right + GROUP_GAP * 1.25 * last.height:
                break  # sorted by left edge: nothing further can join
            if other.left <= last.right or not _joinable(last, other):
                continue
            line += other.blobs
            last = other
            chars = _estimate_chars(line, _middle([b.h for b in line]))
            if chars >= VIN_LENGTH - 2:
                if chars <= VIN_LENGTH + 8:
                    joined.append(list(line))
                break
    return joined


def _estimate_chars(chain: list[_Blob], height: float) -> int:
    """Blobs wider than a character (touching letters under blur) count as several."""
    return sum(max(1, round(b.w / (0.68 * height))) for b in chain)


def propose_lines(gray: np.ndarray, limit: int = 4, contrast: int = 10) -> list[LineCandidate]:
    """Up to `limit` VIN-like lines, most VIN-like first.

    `contrast`: how many gray levels ink must differ from its neighbourhood (lower finds
    faint text, and more noise).
    """
    block = int(np.clip(min(gray.shape) // 6, 15, 151)) | 1
    candidates: list[LineCandidate] = []
    for light_text in (False, True):
        # Ink: at least 10 levels darker (or lighter) than its neighbourhood.
        mode = cv2.THRESH_BINARY if light_text else cv2.THRESH_BINARY_INV
        offset = -contrast if light_text else contrast
        ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, mode, block, offset)
        chains = _chains(_blobs(ink))
        for chain in chains + _grouped(chains):
            if len(chain) < 6:
                continue
            heights = np.array([b.h for b in chain], dtype=np.float64)
            height = float(np.median(heights))
            chars = _estimate_chars(chain, height)
            if not VIN_LENGTH - 5 <= chars <= VIN_LENGTH + 14:  # + a label on the line
                continue
            left = min(b.x for b in chain)
            top = min(b.y for b in chain)
            right = max(b.x + b.w for b in chain)
            bottom = max(b.y + b.h for b in chain)
            regularity = float(heights.std() / height)
            score = (
                -abs(chars - VIN_LENGTH) * (0.6 if chars > VIN_LENGTH else 1.0)
                - 4 * regularity
                + 2.0 * height / max(1, gray.shape[0]) * 10
            )
            candidates.append(
                LineCandidate(
                    (left, top, right - left, bottom - top), chars, height, light_text, score
                )
            )
    candidates.sort(key=lambda c: -c.score)
    chosen: list[LineCandidate] = []
    for candidate in candidates:
        if not any(_same_line(candidate, other) for other in chosen):
            chosen.append(candidate)
        if len(chosen) == limit:
            break
    return chosen


def _same_line(a: LineCandidate, b: LineCandidate) -> bool:
    ax, ay, aw, ah = a.box
    bx, by, bw, bh = b.box
    dx = min(ax + aw, bx + bw) - max(ax, bx)
    dy = min(ay + ah, by + bh) - max(ay, by)
    return dx > 0 and dy > 0.5 * min(ah, bh)
