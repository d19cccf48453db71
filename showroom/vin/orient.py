"""Which way up is the photo? Customers send VIN photos sideways or upside down, and
WhatsApp often drops the EXIF tag that would say so.

The reader tries the photo as it comes first (deskewed up to ±30°: most photos). Only when
that reads nothing plausible are the quarter turns tried, in the order the ink suggests:
the locator (milliseconds) counts VIN-like lines in the photo and in the photo turned 90°;
text running vertically makes 90° and 270° come before 180°. Upside-down text has the
same lines as upright text, so for it only reading tells, and 180° comes first.
"""

from __future__ import annotations

import numpy as np

from showroom.vin import preprocess as pp
from showroom.vin.locate import propose_lines

EVIDENCE_SIDE = 800  # the ink comparison works on a small copy


def turned(gray: np.ndarray, degrees: int) -> np.ndarray:
    """The image turned counter-clockwise by a multiple of 90 degrees (no resampling)."""
    return np.ascontiguousarray(np.rot90(gray, k=(degrees // 90) % 4))


def _line_evidence(gray: np.ndarray) -> float:
    found = propose_lines(pp.enhance(gray), limit=2)
    return max((c.score for c in found), default=float("-inf"))


def retry_turns(gray: np.ndarray) -> list[int]:
    """The quarter turns to try after the photo as it came, most likely first."""
    small, _ = pp.resize_longest(gray, min(EVIDENCE_SIDE, max(gray.shape)))
    upright = _line_evidence(small)
    sideways = _line_evidence(turned(small, 90))
    if sideways > upright:
        return [90, 270, 180]
    return [180, 90, 270]
