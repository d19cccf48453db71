"""Is a resolved read a VIN at all, or some other line the repair bent into shape?"""

from __future__ import annotations

from showroom.vin.repair import CONFUSIONS, Resolution, Votes
from showroom.vin.wmi import MANUFACTURERS, country_for

MIN_CONFIDENCE = 0.5  # below, the reads disagree too much to report anything
# A VIN whose manufacturer code is not in our table is only reported when the reads agree
# this well: a random line passes the check digit 1 time in 11 (an upside-down photo read
# as "9SVECTNZ6VZNT0007" at 0.555 once did).
UNKNOWN_WMI_CONFIDENCE = 0.9
# A read the check digit cannot vouch for (`Resolution.verified`: a European VIN, a filler
# at position 9) is only reported with confidence when the reads themselves agree: this
# many say exactly that VIN, they are at least half of the reads, and every character is
# backed by at least `UNVERIFIED_WEAKEST` of them, and at no position did a quarter of
# them see a look-alike character (G for 6, B for 8: a consistent misread). Otherwise its
# confidence stays under `UNVERIFIED_CAP`, below scan.LOW_CONFIDENCE: the customer is asked
# to type it. So does
# every read of merged dots (ocr.py: its glyphs are guesses).
UNVERIFIED_AGREEING = 4
UNVERIFIED_WEAKEST = 0.5
UNVERIFIED_LOOK_ALIKE = 0.25  # ... and fewer than this share saw a look-alike anywhere
UNVERIFIED_CAP = 0.7


def plausible(resolution: Resolution, votes: Votes) -> bool:
    """Is this a VIN at all, or some other line the repair bent into shape?

    What Tesseract actually read must already look like a VIN (at least five digits: a
    VIN ends in four, position 9 and the year are often digits), need at most three
    repairs, and the reads must mostly agree. Then a known manufacturer vouches for it;
    a manufacturer code we do not know needs a valid check digit, a known region, reads
    that agree almost everywhere (`UNKNOWN_WMI_CONFIDENCE`) and no known code one
    look-alike character away: 1 string in 11 passes the check digit by chance, and an
    upside-down or stray line must not become a VIN.
    """
    majority = votes.majority()
    if sum(c.isdigit() for c in majority) < 5 or resolution.repaired > 3:
        return False
    if resolution.confidence < MIN_CONFIDENCE:
        return False
    if resolution.vin[:3] in MANUFACTURERS:
        return True
    return (
        resolution.check_digit_ok
        and country_for(resolution.vin[:2]) is not None
        and resolution.confidence >= UNKNOWN_WMI_CONFIDENCE
        and not _misread_known_wmi(resolution.vin[:3])
    )


def _misread_known_wmi(wmi: str) -> bool:
    """One look-alike character away from a manufacturer we know ("473" for Toyota's
    "4T3"): more likely that maker's VIN misread than an unknown maker's."""
    return any(
        wmi[:i] + other + wmi[i + 1 :] in MANUFACTURERS
        for i, char in enumerate(wmi)
        for other in CONFUSIONS.get(char, {})
    )


def reads_agree(resolution: Resolution, votes: Votes | None) -> bool:
    """Do the reads themselves vouch for a VIN the check digit cannot (see above)?"""
    if votes is None:
        return False
    reads = len(votes.aligned())
    return (
        resolution.agreeing >= UNVERIFIED_AGREEING
        and 2 * resolution.agreeing >= reads
        and votes.weakest_agreement(resolution.vin) >= UNVERIFIED_WEAKEST
        and votes.look_alike_dissent(resolution.vin) < UNVERIFIED_LOOK_ALIKE
    )
