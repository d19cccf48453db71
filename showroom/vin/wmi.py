"""World Manufacturer Identifiers (VIN positions 1-3) and countries, offline.

The table is `wmi.csv` next to this module, hand-curated from public WMI lists (SAE/NHTSA
vPIC manufacturer WMIs, the ISO 3780 region table, Wikipedia's WMI list) for what is sold
and serviced in Mexico: the Mexican plants
(3N1 Nissan Aguascalientes/CIVAC, 3VW Volkswagen Puebla, 3G1/3GN/3GC General Motors, 3FA
Ford Hermosillo, 3MZ Mazda Salamanca, 3KP Kia Pesquería...), US/Canadian imports, and the
Asian, South American and European origins of cars sold new here (MR0 Toyota Thailand,
MA3 Maruti Suzuki India, 9BW Volkswagen Brazil, LGX/LC0 BYD, LSJ MG, LVV Chirey...).

A WMI names the manufacturer, not always the brand: some are shared by several brands
(3C4: Jeep Compass and Dodge Journey from Toluca). Then `makes` lists them, most common in
Mexico first, and decoding reports no single make. Brand names are the inventory's
canonical spellings (showroom.inventory.vocabulary): "Volkswagen", "Chevrolet", "RAM".
Codes missing here still decode to a country through `country_for`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Manufacturer:
    wmi: str
    makes: tuple[str, ...]  # brands under this WMI; the first is the usual one
    country_code: str  # ISO 3166 alpha-2 of the plant / WMI holder
    name: str  # the manufacturer as registered (for staff, not for search)
    ambiguous: bool  # True when the WMI alone cannot tell which of `makes`


# Spanish country names for the customer ("armado en México").
COUNTRIES_ES: dict[str, str] = {
    "MX": "México", "US": "Estados Unidos", "CA": "Canadá", "JP": "Japón",
    "KR": "Corea del Sur", "CN": "China", "TW": "Taiwán", "DE": "Alemania",
    "BR": "Brasil", "AR": "Argentina", "CO": "Colombia", "CL": "Chile", "EC": "Ecuador",
    "VE": "Venezuela", "UY": "Uruguay", "TH": "Tailandia", "IN": "India",
    "ID": "Indonesia", "MY": "Malasia", "PH": "Filipinas", "ES": "España", "FR": "Francia",
    "IT": "Italia", "GB": "Reino Unido", "SE": "Suecia", "FI": "Finlandia", "BE": "Bélgica",
    "AT": "Austria", "CH": "Suiza", "CZ": "República Checa", "SK": "Eslovaquia",
    "HU": "Hungría", "PL": "Polonia", "PT": "Portugal", "RO": "Rumania", "TR": "Turquía",
    "ZA": "Sudáfrica", "AU": "Australia", "NZ": "Nueva Zelanda",
}  # fmt: skip

# ISO 3780 regions: first character, then the second-character range -> country.
# Second characters run A..Z (no I O Q) then 1..9, 0.
_ORDER = "ABCDEFGHJKLMNPRSTUVWXYZ1234567890"
_REGIONS: tuple[tuple[str, str, str, str], ...] = (
    ("1", "A", "0", "US"), ("4", "A", "0", "US"), ("5", "A", "0", "US"),
    ("2", "A", "0", "CA"), ("3", "A", "W", "MX"),
    ("J", "A", "0", "JP"), ("K", "L", "R", "KR"), ("L", "A", "0", "CN"),
    ("M", "A", "E", "IN"), ("M", "F", "K", "ID"), ("M", "L", "R", "TH"),
    ("N", "L", "R", "TR"), ("P", "A", "E", "PH"), ("P", "L", "R", "MY"),
    ("R", "F", "K", "TW"),
    ("S", "A", "M", "GB"), ("S", "N", "T", "DE"), ("S", "U", "Z", "PL"),
    ("T", "A", "H", "CH"), ("T", "J", "P", "CZ"), ("T", "R", "V", "HU"),
    ("T", "W", "1", "PT"), ("U", "U", "Z", "RO"),
    ("V", "A", "E", "AT"), ("V", "F", "R", "FR"), ("V", "S", "W", "ES"),
    ("W", "A", "0", "DE"), ("Y", "A", "E", "BE"), ("Y", "F", "K", "FI"),
    ("Y", "S", "W", "SE"), ("Z", "A", "R", "IT"),
    ("6", "A", "W", "AU"), ("7", "A", "E", "NZ"),
    ("8", "A", "E", "AR"), ("8", "F", "K", "CL"), ("8", "L", "R", "EC"),
    ("8", "X", "2", "VE"), ("9", "A", "E", "BR"), ("9", "F", "J", "CO"),
    ("9", "S", "V", "UY"), ("9", "3", "9", "BR"), ("A", "A", "H", "ZA"),
)  # fmt: skip


def _load() -> dict[str, Manufacturer]:
    """wmi.csv: `wmi,makes,country,manufacturer`; several makes separated by "/", a final
    "?" when the WMI alone cannot tell which one."""
    text = resources.files("showroom.vin").joinpath("wmi.csv").read_text(encoding="utf-8")
    entries: dict[str, Manufacturer] = {}
    for row in csv.DictReader(io.StringIO(text)):
        wmi, brands = row["wmi"].strip(), row["makes"].strip()
        country, name = row["country"].strip(), row["manufacturer"].strip()
        ambiguous = brands.endswith("?")
        makes = tuple(brands.rstrip("?").split("/"))
        if wmi in entries:
            raise ValueError(f"duplicate WMI {wmi} in the table")
        entries[wmi] = Manufacturer(wmi, makes, country, name, ambiguous)
    return entries


MANUFACTURERS: dict[str, Manufacturer] = _load()


def lookup(wmi: str) -> Manufacturer | None:
    """The manufacturer registered under a 3-character WMI, if this table knows it."""
    return MANUFACTURERS.get(wmi.upper())


def country_for(wmi: str) -> str | None:
    """ISO country code from the first two VIN characters (ISO 3780 regions)."""
    if len(wmi) < 2:
        return None
    first, second = wmi[0].upper(), wmi[1].upper()
    if second not in _ORDER:
        return None
    index = _ORDER.index(second)
    for region_first, low, high, country in _REGIONS:
        if first == region_first and _ORDER.index(low) <= index <= _ORDER.index(high):
            return country
    return None


# Plant codes (position 11) that are well documented; anything else is reported raw.
# Keyed by WMI prefix, because each manufacturer assigns its own letters.
PLANTS: dict[tuple[str, str], str] = {
    ("3VW", "M"): "Puebla",
    ("3VV", "M"): "Puebla",
    ("3FA", "R"): "Hermosillo",
    ("3FM", "M"): "Cuautitlán",
    ("3FM", "R"): "Hermosillo",
    ("3FT", "R"): "Hermosillo",
}


def plant_name(wmi: str, code: str) -> str | None:
    return PLANTS.get((wmi.upper(), code.upper()))
