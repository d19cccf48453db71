"""Random VINs built the way their makers build them, for the OCR tests and benchmarks.

Not real vehicles: a real WMI, a coherent model-year code, and each rule as the maker
applies it. US and Canadian VINs (and the Mexican plants that follow the US rule) carry a
digit at position 7 before 2010 and a letter from 2010; other Mexican VINs any character
there (a 2015 Tsuru has a digit, which the US rule reads as 1985); every North-American
VIN a check digit. Elsewhere the check digit is there or not: European VINs often carry
the "ZZZ" filler of rest-of-world VINs (WVWZZZ1JZ3W386752) or any character at position 9.
"""

from __future__ import annotations

import random

from components.vin import ALPHABET, DIGITS, NORTH_AMERICAN_FIRST, YEAR_CODES, with_check_digit
from showroom.vin.decode import follows_position_7_rule
from showroom.vin.wmi import MANUFACTURERS

# How makers outside North America fill position 9 (the check digit is optional there).
# European VINs often carry the "ZZZ" filler of rest-of-world VINs with a letter at
# position 9 (WVWZZZ1JZ3W386752) or any other character; Asian and South American VINs
# sold in Mexico mostly carry a check digit.
VIN_STYLES: dict[str, tuple[tuple[str, float], ...]] = {
    "europe": (("check_digit", 0.5), ("zzz_filler", 0.3), ("free_position_9", 0.2)),
    "elsewhere": (("check_digit", 0.85), ("free_position_9", 0.15)),
}
EUROPE_FIRST = "STUVWXYZ"  # ISO 3780: S-Z are European


def random_vin_and_year(
    rng: random.Random,
    *,
    wmi: str | None = None,
    year: int | None = None,
    check_digit: bool | None = None,
) -> tuple[str, int]:
    """A plausible VIN (not a real vehicle) and its model year, built the way its maker
    would: US/Canadian VINs (and the Mexican plants that follow the US rule) carry a digit
    at position 7 before 2010 and a letter from 2010; other Mexican VINs any character there
    (a 2015 Tsuru has a digit); all North-American VINs a check digit. Elsewhere the check
    digit is there or not (`VIN_STYLES`). `check_digit=True` forces a correct one, `False`
    a VIN without it (a European "ZZZ" filler, or any other character at position 9).

    The style choices come from a generator seeded with the VIN's own characters, so `rng`
    advances exactly as it always did (the same seed gives the same photos)."""
    wmi = wmi or rng.choice(sorted(MANUFACTURERS))
    year = year or rng.randint(2001, 2025)
    letters = [c for c in ALPHABET if c.isalpha()]
    vds = [rng.choice(ALPHABET) for _ in range(5)]
    vds[3] = rng.choice(letters) if year >= 2010 else rng.choice(DIGITS)
    year_code = YEAR_CODES[(year - 1980) % 30]
    plant = rng.choice(ALPHABET)
    serial = rng.choice(ALPHABET) + "".join(rng.choice(DIGITS) for _ in range(5))
    own = random.Random(wmi + "".join(vds) + year_code + plant + serial)  # noqa: S311
    north_american = wmi[0] in NORTH_AMERICAN_FIRST
    if north_american and not follows_position_7_rule(wmi + "".join(vds)):
        vds[3] = own.choice(ALPHABET)  # Mexican-market VINs: position 7 says nothing
    if check_digit is not None:
        style = "check_digit" if check_digit else own.choice(("zzz_filler", "free_position_9"))
    elif north_american:
        style = "check_digit"
    else:
        roll, style = own.random(), "check_digit"
        for name, share in VIN_STYLES["europe" if wmi[0] in EUROPE_FIRST else "elsewhere"]:
            if roll < share:
                style = name
                break
            roll -= share
    if style == "zzz_filler":
        vds[:3] = ["Z", "Z", "Z"]
    body = wmi + "".join(vds) + "0" + year_code + plant + serial
    if style == "check_digit":
        return with_check_digit(body), year
    right = with_check_digit(body)[8]
    filler = "Z" if style == "zzz_filler" else own.choice([c for c in ALPHABET if c != right])
    return body[:8] + filler + body[9:], year


def random_vin(
    rng: random.Random,
    *,
    wmi: str | None = None,
    year: int | None = None,
    check_digit: bool | None = None,
) -> str:
    """A plausible VIN (see `random_vin_and_year`)."""
    return random_vin_and_year(rng, wmi=wmi, year=year, check_digit=check_digit)[0]
