"""Align an OCR read of the wrong length onto a 17-character reference.

Tesseract sometimes drops a character, invents one (a phantom "O" between two round
glyphs) or reads a label in front of the VIN. Instead of throwing those reads away,
each is aligned to the current best guess with a semi-global edit distance: the
reference must be covered end to end, the read's extra characters at either end are
cheap (0.6), and inside the read insertions, deletions and substitutions cost 1 (0.4
for a pair of look-alike characters). The aligned read then votes on the positions it
covers; a deleted position gets no vote from it.
"""

from __future__ import annotations

from collections.abc import Mapping

_GAP = 1.0
_END_GAP = 0.6  # an extra character before or after the VIN (border, label remains)
_MISMATCH = 1.0
_LOOKALIKE = 0.4


def align(
    read: str, reference: str, confusions: Mapping[str, Mapping[str, float]]
) -> tuple[list[str | None], float]:
    """(one character or None per reference position, alignment cost)."""
    n, m = len(reference), len(read)
    inf = float("inf")
    # cost[i][j]: reference[:i] aligned, read consumed up to j
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    move: list[list[str]] = [[""] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        cost[0][j] = _END_GAP * j
        move[0][j] = "start"
    for i in range(1, n + 1):
        for j in range(m + 1):
            best, step = cost[i - 1][j] + _GAP, "delete"  # reference char not in the read
            if j:
                a, b = reference[i - 1], read[j - 1]
                pay = 0.0 if a == b else (_LOOKALIKE if b in confusions.get(a, {}) else _MISMATCH)
                if cost[i - 1][j - 1] + pay < best:
                    best, step = cost[i - 1][j - 1] + pay, "match"
                if cost[i][j - 1] + _GAP < best:
                    best, step = cost[i][j - 1] + _GAP, "insert"  # extra char in the read
            cost[i][j], move[i][j] = best, step
    end = min(range(m + 1), key=lambda j: cost[n][j] + _END_GAP * (m - j))
    aligned: list[str | None] = [None] * n
    i, j = n, end
    while i > 0:
        step = move[i][j]
        if step == "match":
            aligned[i - 1] = read[j - 1]
            i, j = i - 1, j - 1
        elif step == "delete":
            i -= 1
        else:
            j -= 1
    return aligned, cost[n][end] + _END_GAP * (m - end)
