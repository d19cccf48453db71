"""Whole-page Tesseract passes: where the ink locator finds nothing readable, Tesseract's
own layout analysis proposes word groups that look like a VIN (with their characters,
which then vote as a hint when the group is read as a line)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from components.vin import NORTH_AMERICAN_FIRST, VIN_LENGTH, check_digit_ok
from showroom.vin import preprocess as pp
from showroom.vin import tesseract
from showroom.vin.repair import clean_read, windows
from showroom.vin.wmi import MANUFACTURERS

LABELS = ("VIN", "NIV", "SERIE", "V1N", "N1V")

Box = tuple[int, int, int, int]  # left, top, width, height


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
        labelled = any(any(lbl in w.text.upper() for lbl in LABELS) for w in segment)
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


def page_images(small: np.ndarray) -> Iterator[tuple[np.ndarray, int]]:
    """Whole-page images for Tesseract's layout analysis, with their page segmentation
    mode (denoised: noise makes Tesseract slow and finds letters in it)."""
    clean = pp.enhance(pp.denoise(small))
    yield clean, 11
    yield pp.otsu(clean), 6
