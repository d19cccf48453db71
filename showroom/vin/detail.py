"""A big photo with a small document in it: find the text block, read it in more detail.

The working copy of a photo has at most `loader.WORKING_SIDE` pixels on its longest side.
A 40 MP phone photo of a registration card filling a third of the frame then has
characters about 10 px tall, too small to read (the locator works on a copy smaller
still). The text block is easy to find at that size, though: character-sized ink blobs
packed together. `text_block` finds it in milliseconds; `loader.load_region` decodes
just that part again at the most detail the pixel limit allows (a 40 MP JPEG at 1/2
scale), where the characters are twice as tall.
"""

from __future__ import annotations

import cv2
import numpy as np

from showroom.vin import preprocess as pp
from showroom.vin.loader import Fractions, LoadedImage

MIN_DETAIL_LOST = 1.5  # the working copy must be at least this much smaller than the photo
SMALL_CHARS = 16.0  # median character height (working copy) below which detail helps
MAX_BLOCK_SHARE = 0.35  # a text block filling more of the photo is read as it is
MIN_BLOBS = 12  # fewer character-like blobs: no text block to speak of
MARGIN = 2.5  # around the block, in character heights (a VIN at its edge stays whole)


def text_block(gray: np.ndarray) -> tuple[tuple[int, int, int, int], float] | None:
    """The box (left, top, width, height) of the densest cluster of character-sized ink
    blobs, and their median height; None when there is no such cluster."""
    ink = pp.ink_mask(gray)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count - 1 < MIN_BLOBS:
        return None
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    char = float(np.median(heights))
    # blobs a few character widths apart merge into one block (words, lines of a card)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (int(3 * char) | 1, int(2 * char) | 1))
    blocks = cv2.dilate(ink, kernel)
    found, labels, block_stats, _ = cv2.connectedComponentsWithStats(blocks, connectivity=8)
    centers = stats[1:, :2] + stats[1:, 2:4] // 2
    members = np.bincount(labels[centers[:, 1], centers[:, 0]], minlength=found)
    members[0] = 0
    best = int(np.argmax(members))
    if members[best] < MIN_BLOBS:
        return None
    left, top, width, height = (int(v) for v in block_stats[best, :4])
    return (left, top, width, height), char


def detail_box(loaded: LoadedImage) -> Fractions | None:
    """Where to read a big photo in more detail (fractions of the upright photo), or None
    when the working copy is as good as it gets: the photo was not reduced much, its text
    is big enough, or the text fills most of it."""
    if loaded.detail_lost < MIN_DETAIL_LOST:
        return None
    found = text_block(loaded.gray)
    if found is None:
        return None
    (left, top, width, height), char = found
    rows, cols = loaded.gray.shape
    if char >= SMALL_CHARS or width * height > MAX_BLOCK_SHARE * rows * cols:
        return None
    margin = MARGIN * char
    x0, y0 = max(0.0, left - margin), max(0.0, top - margin)
    x1, y1 = min(float(cols), left + width + margin), min(float(rows), top + height + margin)
    return (x0 / cols, y0 / rows, (x1 - x0) / cols, (y1 - y0) / rows)
