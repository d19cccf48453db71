"""Offline VIN decoding: manufacturer and country (WMI), model year, plant, serial.

No network: the WMI table in `wmi.py` and the model-year rules below are all it needs.
The brand and year it returns are the inventory's canonical values, so the parts search
can use them directly (`info.make == "Nissan"`, `info.model_year == 2019`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from components.vin import YEAR_CODES, validate
from showroom.vin import wmi as wmi_table


@dataclass(frozen=True)
class VinInfo:
    """What a VIN says about the vehicle. Fields are None when the VIN does not tell."""

    vin: str
    valid: bool
    check_digit_ok: bool
    wmi: str
    make: str | None  # canonical brand ("Volkswagen"), None when unknown or ambiguous
    possible_makes: tuple[str, ...]  # every brand the WMI may stand for
    manufacturer: str | None
    country_code: str | None  # ISO 3166 alpha-2
    country: str | None  # Spanish name, for the customer
    model_year: int | None
    plant_code: str  # position 11, raw
    plant: str | None  # plant name when documented
    serial: str  # positions 12-17
    error: str | None = None  # validation error code (components.vin ERR_*)
    warnings: tuple[str, ...] = field(default=())
    # Other model years the same code may stand for (30 years apart) when the VIN does not
    # say which cycle: the customer is asked to confirm ("¿Es un Nissan 2015?").
    model_year_alternatives: tuple[int, ...] = field(default=())

    @property
    def model_year_certain(self) -> bool:
        return self.model_year is not None and not self.model_year_alternatives


# 17-character VINs exist from model year 1981 on (49 CFR 565, ISO 3779).
FIRST_VIN_YEAR = 1981
# Mexican WMIs whose plants build to the US rules only (opened 2005 or later, exporting
# to the US; their Mexican-market cars carry the same VIN scheme), so position 7 tells the
# cycle there too. Elsewhere in Mexico it does not: a 2015 Tsuru (3N1EB31S3FK311461) has
# a digit there, which the US rule reads as 1985.
POSITION_7_WMIS = frozenset(
    {"3MZ", "3MV", "3MD", "3KP", "3MW", "3PC", "3TM", "3TY", "3HG", "3CZ", "3VV"}
)


def follows_position_7_rule(vin: str) -> bool:
    """Does position 7 tell the model-year cycle (49 CFR 565.15: a digit 1980-2009, a
    letter 2010-2039)? Reliable for US and Canadian VINs (first character 1, 2, 4, 5) and
    the Mexican plants in `POSITION_7_WMIS`; not for other Mexican VINs (many
    Mexican-market models ignore it) nor outside North America."""
    return len(vin) >= 7 and (vin[0] in "1245" or vin[:3] in POSITION_7_WMIS)


def model_years(vin: str, *, today: date | None = None) -> tuple[int, ...]:
    """Possible model years from position 10, the most likely first (empty: no code).

    The code repeats every 30 years (A = 1980, 2010, 2040). Where position 7 tells the
    cycle (`follows_position_7_rule`), that year alone, unless it is later than next year's
    models. Otherwise the latest year not later than next year's models comes first, and
    an earlier cycle from the 17-character era (1981 on) follows as an alternative to ask
    about: "F" is 2015 or 1985.
    """
    if len(vin) < 10 or vin[9] not in YEAR_CODES:
        return ()
    latest = (today or date.today()).year + 1
    offset = YEAR_CODES.index(vin[9])
    cycles = [1980 + offset + 30 * k for k in range(3)]
    if follows_position_7_rule(vin):
        chosen = cycles[0] if vin[6].isdigit() else cycles[1]
        if chosen <= latest:
            return (chosen,)
    past = [year for year in cycles if year <= latest]
    if not past:
        return ()
    return (past[-1], *[y for y in reversed(past[:-1]) if y >= FIRST_VIN_YEAR])


def model_year(vin: str, *, today: date | None = None) -> int | None:
    """The most likely model year (see `model_years`)."""
    years = model_years(vin, today=today)
    return years[0] if years else None


def decode(vin: str, *, today: date | None = None) -> VinInfo:
    """Decode a VIN (normalized first: case, separators, I/O/Q).

    A malformed VIN still decodes what it can from its first characters; `error` and
    `valid` say what is wrong with it.
    """
    check = validate(vin)
    text = check.vin
    wmi = text[:3]
    entry = wmi_table.lookup(wmi) if len(wmi) == 3 else None
    country_code = entry.country_code if entry else wmi_table.country_for(wmi)
    makes = entry.makes if entry else ()
    make = makes[0] if entry and not entry.ambiguous else None
    plant_code = text[10] if len(text) > 10 else ""
    years = model_years(text, today=today) if check.error != "characters" else ()
    return VinInfo(
        vin=text,
        valid=check.valid,
        check_digit_ok=check.check_digit_ok,
        wmi=wmi,
        make=make,
        possible_makes=makes,
        manufacturer=entry.name if entry else None,
        country_code=country_code,
        country=wmi_table.COUNTRIES_ES.get(country_code or ""),
        model_year=years[0] if years else None,
        plant_code=plant_code,
        plant=wmi_table.plant_name(wmi, plant_code) if plant_code else None,
        serial=text[11:17],
        error=check.error,
        warnings=check.warnings,
        model_year_alternatives=years[1:],
    )


def _join_es(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " o " + names[-1]


def describe_es(info: VinInfo) -> str:
    """One line for the customer: "Nissan, año modelo 2019, armado en México".

    Only what the VIN says: an unknown manufacturer is "marca no identificada", an
    ambiguous WMI lists its brands ("Jeep, Dodge o Chrysler"), an unknown year or
    country is left out.
    """
    if info.make:
        brand = info.make
    elif info.possible_makes:
        brand = _join_es(info.possible_makes)
    else:
        brand = "Marca no identificada"
    parts = [brand]
    if info.model_year:
        parts.append(f"año modelo {info.model_year}")
    if info.country and info.plant:
        parts.append(f"armado en {info.plant}, {info.country}")
    elif info.country:
        parts.append(f"armado en {info.country}")
    return ", ".join(parts)
