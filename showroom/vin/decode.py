"""Offline VIN decoding: manufacturer and country (WMI), model year, plant, serial.

No network: the WMI table in `wmi.py` and the model-year rules below are all it needs.
The brand and year it returns are the inventory's canonical values, so the parts search
can use them directly (`info.make == "Nissan"`, `info.model_year == 2019`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from components.vin import YEAR_CODES, is_north_american, validate
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


def model_year(vin: str, *, today: date | None = None) -> int | None:
    """Model year from position 10.

    The code repeats every 30 years (A = 1980, 2010, 2040). North-American light vehicles
    tell the cycle apart with position 7: a digit means 1980-2009, a letter 2010-2039
    (49 CFR 565.15). Otherwise, and when that rule would give a year in the future, the
    most recent year not later than next year's models is taken.
    """
    if len(vin) < 10 or vin[9] not in YEAR_CODES:
        return None
    latest = (today or date.today()).year + 1
    offset = YEAR_CODES.index(vin[9])
    cycles = [1980 + offset + 30 * k for k in range(3)]
    if is_north_american(vin) and len(vin) >= 7:
        chosen = cycles[0] if vin[6].isdigit() else cycles[1]
        if chosen <= latest:
            return chosen
    past = [year for year in cycles if year <= latest]
    return past[-1] if past else None


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
        model_year=model_year(text, today=today) if check.error != "characters" else None,
        plant_code=plant_code,
        plant=wmi_table.plant_name(wmi, plant_code) if plant_code else None,
        serial=text[11:17],
        error=check.error,
        warnings=check.warnings,
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
