"""Find text lines that could hold a VIN, from the ink alone (no OCR, a few ms).

Characters are connected components of a local threshold (both polarities: dark ink on
stickers and cards, light characters on dark plates). Neighbours of similar height on
the same baseline are chained into lines; a chain of ~17 characters is a VIN candidate.
This finds the VIN line on noisy photos where a whole-page Tesseract pass drowns in
blobs, and costs milliseconds instead of seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from components.vin import VIN_LENGTH


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
            if gap > 1.2 * a.h:
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
        for chain in _chains(_blobs(ink)):
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
