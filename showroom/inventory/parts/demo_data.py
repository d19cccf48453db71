"""Vocabulary of the demo catalog: Mexican-market vehicles and the parts a refaccionaria sells.

Vehicles come in platform groups that share parts in the aftermarket (a Pontiac G3 takes
Aveo brake pads, a Dodge Attitude 2006-2011 is a Hyundai Accent); the first vehicle of a
group is the main one. Part types carry the product brands a Mexican counter stocks, their
product lines and a price range in MXN. Tables are text so they stay readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (brand, model, first year, last year)
Vehicle = tuple[str, str, int, int]

_PLATFORMS = """
Nissan Tsuru 1992-2017
Nissan Sentra 1995-1999; Nissan Tsuru 1992-2017
Nissan Sentra 2000-2006; Nissan Almera 2001-2006
Nissan Sentra 2007-2012; Nissan Tiida 2007-2018
Nissan Tiida 2007-2018
Nissan Versa 2012-2019; Nissan March 2011-2020; Nissan Note 2015-2019
Nissan March 2011-2020
Nissan Versa 2020-2024; Nissan Kicks 2017-2024
Nissan Sentra 2013-2019
Nissan Sentra 2020-2024
Nissan NP300 2008-2015; Nissan Pick Up 1994-2008
Nissan NP300 Frontier 2016-2024
Nissan X-Trail 2008-2014
Nissan Platina 2002-2010; Renault Clio 2002-2009
Volkswagen Sedán 1970-2003; Volkswagen Combi 1970-2002
Volkswagen Jetta A4 1999-2015; Volkswagen Golf A4 1999-2009; Volkswagen Beetle 1998-2011
Volkswagen Pointer 1998-2009
Volkswagen Bora 2006-2010; Volkswagen Golf A5 2006-2010
Volkswagen Jetta A6 2011-2018; Volkswagen Beetle 2012-2019
Volkswagen Vento 2014-2023; Volkswagen Polo 2014-2020
Volkswagen Gol 2009-2023; Volkswagen Saveiro 2010-2023
Volkswagen Jetta A7 2019-2024; SEAT León 2013-2020; Volkswagen Golf A7 2014-2020
Volkswagen Tiguan 2009-2017
SEAT Ibiza 2009-2017
Chevrolet Chevy 1994-2012; Chevrolet Chevy Monza 1996-2003
Chevrolet Aveo 2008-2017; Pontiac G3 2007-2010
Chevrolet Aveo 2018-2024
Chevrolet Spark 2011-2017
Chevrolet Matiz 2004-2015
Chevrolet Sonic 2012-2017; Chevrolet Trax 2013-2020
Chevrolet Cruze 2010-2016
Chevrolet Tornado 2004-2011; Chevrolet Corsa 2002-2008
Chevrolet Beat 2018-2021
Chevrolet Silverado 2007-2013; Chevrolet Cheyenne 2007-2013; GMC Sierra 2007-2013
Ford Ikon 2001-2015; Ford Fiesta 2002-2010
Ford Fiesta 2011-2019
Ford Focus 2000-2007
Ford Ranger 1998-2012
Ford Figo 2016-2021
Toyota Corolla 2009-2013
Toyota Corolla 2014-2019
Toyota Yaris 2017-2022; Mazda 2 2016-2022
Toyota Hilux 2006-2015
Toyota Hilux 2016-2024
Toyota Avanza 2012-2022
Honda Civic 2006-2011
Honda Civic 2016-2021
Honda CR-V 2007-2011
Honda City 2009-2013; Honda Fit 2009-2014
Dodge Attitude 2006-2011; Hyundai Accent 2006-2011
Dodge Attitude 2015-2023; Mitsubishi Mirage G4 2014-2023
Dodge Neon 2000-2005; Chrysler Neon 2000-2005
Dodge Ram 1500 2002-2008
Mazda 3 2010-2013
Kia Rio 2018-2023; Hyundai Accent 2018-2022
Kia Forte 2019-2024
Hyundai Grand i10 2015-2022
Renault Duster 2013-2023; Renault Logan 2015-2023; Renault Sandero 2016-2023
Suzuki Swift 2012-2017
Mitsubishi L200 2008-2015
Peugeot 206 2000-2010; Peugeot 207 2008-2013
"""

# name | SKU prefix | category | price MXN | brands per vehicle | positions | only cars from
#   brand: product lines; brand: ...   (indented lines; "-" = no product line)
_PART_TYPES = """
Balatas | BAL | Frenos | 380-1350 | 2-4 | delanteras, traseras | 0
  Brembo: cerámicas, semimetálicas; Wagner: ThermoQuiet, OEX; Fritec: cerámicas, semimetálicas
  Bosch: QuietCast, cerámicas; Dynamik: semimetálicas, orgánicas; Akebono: cerámicas
Disco de freno | DIS | Frenos | 620-2400 | 1-3 | delantero, trasero | 0
  Brembo: ventilado, sólido; Fritec: ventilado; Wagner: -; Bosch: -; Dynamik: -
Amortiguador | AMO | Suspensión | 590-2600 | 2-3 | delantero, trasero | 0
  Monroe: OESpectrum, Gas-Matic; KYB: Excel-G, Gas-A-Just; Gabriel: Ultra; Boge: -
Base de amortiguador | BAM | Suspensión | 300-1100 | 1-2 | delantera | 0
  Monroe: -; Syd: -; KYB: -
Horquilla | HOR | Suspensión | 650-2900 | 1-2 | inferior izquierda, inferior derecha | 0
  Moog: -; Syd: -; TRW: -; Dynamik: -
Rótula | ROT | Suspensión | 260-950 | 1-2 | superior, inferior | 0
  Moog: -; Syd: -; TRW: -
Terminal de dirección | TER | Dirección | 210-820 | 1-2 | interior, exterior | 0
  Moog: -; Syd: -; TRW: -
Balero de rueda | BAR | Suspensión | 380-1600 | 1-2 | delantero, trasero | 0
  SKF: -; Timken: -; NTN: -; FAG: -
Junta homocinética | JHO | Transmisión | 700-2400 | 1-2 | lado rueda, lado caja | 0
  GKN: -; Dynamik: -; Syd: -
Bujía | BUJ | Encendido | 65-420 | 2-4 | - | 0
  NGK: iridio IX, platino G-Power, V-Power; Bosch: iridio, platino doble, Super Plus
  Champion: cobre, platino; Denso: iridio TT
Juego de cables de bujía | CAB | Encendido | 350-1200 | 1-2 | - | 0
  NGK: -; Bosch: -; Dynamik: -
Bobina de encendido | BOB | Encendido | 480-2200 | 1-2 | - | 1995
  Bosch: -; Denso: -; Delphi: -; Dynamik: -
Banda de distribución | BDI | Motor | 280-1200 | 1-3 | - | 0
  Gates: PowerGrip; Dayco: -; Continental: -; Bosch: -
Kit de distribución | KDI | Motor | 1100-3800 | 1-2 | - | 0
  Gates: PowerGrip; Dayco: -; INA: -
Banda de accesorios | BAC | Motor | 180-650 | 1-2 | - | 0
  Gates: Micro-V; Dayco: Poly Rib
Tensor de banda | TEN | Motor | 420-1600 | 1-2 | - | 0
  Gates: -; Dayco: -; INA: -
Soporte de motor | SOP | Motor | 320-1500 | 1-2 | delantero, trasero, lateral | 0
  Anchor: -; Westar: -; Syd: -
Junta de cabeza | JCA | Motor | 380-1600 | 1-2 | - | 0
  Victor Reinz: -; Fel-Pro: -
Kit de clutch | KCL | Clutch | 1700-6900 | 2-3 | - | 0
  LUK: RepSet; Sachs: -; Valeo: -; Exedy: -
Collarín de clutch | COL | Clutch | 350-1400 | 1-2 | - | 0
  LUK: -; Sachs: -; Valeo: -
Chicote de clutch | CHI | Clutch | 180-600 | 1-1 | - | 0
  Dynamik: -; Genérica: -
Filtro de aceite | FAC | Filtros | 65-260 | 3-5 | - | 0
  Interfil: -; Gonher: -; Fram: -; Bosch: -; Mann-Filter: -
Filtro de aire | FAI | Filtros | 120-480 | 2-4 | - | 0
  Interfil: -; Gonher: -; Fram: -; Bosch: -; Mann-Filter: -
Filtro de cabina | FCA | Filtros | 130-450 | 2-3 | - | 2000
  Interfil: -; Gonher: -; Fram: Fresh Breeze; Bosch: -; Mann-Filter: -
Filtro de gasolina | FGA | Filtros | 90-380 | 1-3 | - | 0
  Interfil: -; Gonher: -; Fram: -; Bosch: -
Bomba de agua | BAG | Enfriamiento | 420-1900 | 1-3 | - | 0
  Gates: -; GMB: -; Aisin: -; Dynamik: -
Radiador | RAD | Enfriamiento | 1500-5200 | 1-2 | - | 0
  Valeo: de aluminio; Nissens: -; Dynamik: de aluminio; Koyorad: -
Termostato | TRM | Enfriamiento | 160-650 | 1-2 | - | 0
  Gates: -; Motorad: -; Wahler: -
Manguera superior de radiador | MAN | Enfriamiento | 180-520 | 1-2 | - | 0
  Gates: -; Dayco: -
Bomba de gasolina | BGA | Combustible | 850-3600 | 1-2 | - | 0
  Bosch: -; Delphi: -; Injetech: -; Walbro: -
Sensor de oxígeno | SOX | Sensores | 720-2600 | 1-3 | - | 1996
  Bosch: -; NTK: -; Denso: -; Walker: -
Sensor de temperatura | STE | Sensores | 180-700 | 1-2 | - | 0
  Bosch: -; Walker: -; Motorad: -
Marcha | MAR | Eléctrico | 1900-5800 | 1-2 | - | 0
  Bosch: -; Denso: -; Remy: -
Motor de arranque | MAR | Eléctrico | 1500-3900 | 0-1 | - | 0
  Bosch: reconstruido; Remy: reconstruido
Alternador | ALT | Eléctrico | 2600-7800 | 1-2 | - | 0
  Bosch: -; Denso: -; Remy: -
Acumulador | ACU | Eléctrico | 1800-4600 | 1-2 | - | 0
  LTH: L-42-575, L-35-575, L-47-650; Gonher: G-42, G-35; Bosch: S4, S5; Cale: -
Faro | FAR | Iluminación | 750-3800 | 1-2 | delantero izquierdo, delantero derecho | 0
  Depo: -; TYC: -; Eagle Eyes: -
Calavera | CAL | Iluminación | 520-2600 | 1-2 | izquierda, derecha | 0
  Depo: -; TYC: -; Eagle Eyes: -
Espejo lateral | ESP | Carrocería | 480-2200 | 1-2 | izquierdo, derecho | 0
  TYC: manual, eléctrico; Depo: manual, eléctrico; Eagle Eyes: eléctrico
Tolva | TOL | Carrocería | 190-700 | 1-1 | delantera izquierda, delantera derecha, de motor | 0
  Genérica: -; Rolcar: -
Mofle | MOF | Escape | 650-2800 | 0-1 | - | 0
  Walker: -; Bosal: -; AP Exhaust: -
Convertidor catalítico | CAT | Escape | 2400-8900 | 0-1 | - | 1995
  Walker: -; Bosal: -; Magnaflow: -
Cuarto | CUA | Iluminación | 180-950 | 0-1 | delantero izquierdo, delantero derecho | 0
  Depo: -; TYC: -
Bieleta de barra estabilizadora | BIE | Suspensión | 160-620 | 0-1 | delantera | 0
  Moog: -; Syd: -; TRW: -
"""

# name | SKU prefix | category | price MXN (smallest size)
#   variants: a, b, ...
#   sizes: label x price factor, ...   ("-" = no size label)
#   brands (as above)
_UNIVERSAL_TYPES = """
Aceite para motor | ACE | Lubricantes | 110-320
  variants: 5W-30 sintético, 5W-20 sintético, 0W-20 sintético, 10W-30 multigrado
  variants: 10W-40 semisintético, 20W-50 mineral, 15W-40 diésel
  sizes: 1 L x 1.0, 4 L x 3.6, 5 L x 4.4
  Mobil: Super; Castrol: GTX, Edge; Quaker State: Advanced; Roshfrans: -; Bardahl: -
  Akron: -; Gonher: -
Anticongelante | ANT | Lubricantes | 95-220
  variants: listo para usar 50/50, concentrado
  sizes: 1 L x 1.0, 1 galón x 3.2
  Prestone: -; Bardahl: -; Roshfrans: -; Akron: -
Líquido de frenos | LFR | Lubricantes | 90-180
  variants: DOT 3, DOT 4
  sizes: 350 ml x 1.0, 1 L x 2.4
  Bardahl: -; Roshfrans: -; Prestone: -; Akron: -
Pluma limpiaparabrisas | PLU | Accesorios | 150-520
  variants: 16", 18", 19", 20", 21", 22", 24", 26"
  sizes: - x 1.0
  Bosch: Icon, Clear Advantage; Trico: Exact Fit; Rain-X: Latitude
Foco | FOC | Iluminación | 60-420
  variants: H4, H7, H11, 9005, 9006, H1, H3, T10
  sizes: - x 1.0, par x 1.9
  Philips: X-treme Vision, Standard; Osram: Night Breaker, Original; Tungsram: -
Aditivo limpiador de inyectores | ADI | Lubricantes | 110-320
  variants: -
  sizes: 354 ml x 1.0
  Bardahl: -; Roshfrans: -; STP: -
"""

TRUCKS = frozenset({"NP300", "NP300 Frontier", "Pick Up", "Silverado", "Cheyenne", "Sierra",
                    "Ranger", "Hilux", "Ram 1500", "L200", "Tiguan", "X-Trail"})  # fmt: skip
# Titles sometimes name the car the way the counter says it.
SHORT_NAMES = {"Sedán": "Vocho", "Chevy Monza": "Monza", "NP300 Frontier": "Frontier"}
PREMIUM = frozenset({"Brembo", "Bosch", "KYB", "Monroe", "LUK", "Sachs", "Denso", "NGK",
                     "Gates", "Valeo", "Moog", "TRW", "SKF", "Timken", "Philips", "Mobil",
                     "Castrol", "Akebono", "Nissens", "GKN"})  # fmt: skip
ECONOMY = frozenset({"Dynamik", "Fritec", "Genérica", "Syd", "Injetech", "Interfil", "AP Exhaust",
                     "Gonher", "Rolcar", "Westar", "Akron"})  # fmt: skip


@dataclass(frozen=True)
class PartType:
    name: str  # how the title starts ("Balatas")
    prefix: str  # SKU prefix
    category: str
    price: tuple[int, int]  # MXN, before brand/vehicle adjustments
    brands_per_vehicle: tuple[int, int]
    positions: list[str]  # [""] when the part has no position
    min_year: int  # only vehicles sold after this year have it (cabin filters...)
    brands: dict[str, list[str]]  # brand -> product lines ("" = none)


@dataclass(frozen=True)
class UniversalType:
    name: str
    prefix: str
    category: str
    price: tuple[int, int]
    variants: list[str]
    sizes: list[tuple[str, float]]  # (label, price factor)
    brands: dict[str, list[str]]


def _pair(text: str) -> tuple[int, int]:
    low, high = text.split("-")
    return int(low), int(high)


def _items(text: str) -> list[str]:
    return [] if text.strip() == "-" else [t.strip() for t in text.split(",")]


def _brands(lines: list[str]) -> dict[str, list[str]]:
    brands: dict[str, list[str]] = {}
    for line in lines:
        for entry in line.split(";"):
            name, lines_text = entry.split(":", 1)
            brands[name.strip()] = _items(lines_text) or [""]
    return brands


def _blocks(table: str) -> list[tuple[list[str], list[str]]]:
    """(header fields, indented lines) per entry of a text table."""
    blocks: list[tuple[list[str], list[str]]] = []
    for line in table.strip("\n").splitlines():
        if line.startswith("  "):
            blocks[-1][1].append(line.strip())
        elif line.strip():
            blocks.append(([f.strip() for f in line.split("|")], []))
    return blocks


def _platforms() -> list[list[Vehicle]]:
    pattern = re.compile(r"(\S+) (.+) (\d{4})-(\d{4})")
    groups = []
    for line in _PLATFORMS.strip().splitlines():
        group = []
        for entry in line.split(";"):
            match = pattern.fullmatch(entry.strip())
            assert match, entry
            group.append((match[1], match[2], int(match[3]), int(match[4])))
        groups.append(group)
    return groups


def _part_types() -> list[PartType]:
    types = []
    for (name, prefix, category, price, per, positions, year), lines in _blocks(_PART_TYPES):
        types.append(
            PartType(
                name,
                prefix,
                category,
                _pair(price),
                _pair(per),
                _items(positions) or [""],
                int(year),
                _brands(lines),
            )
        )
    return types


def _universal_types() -> list[UniversalType]:
    types = []
    for (name, prefix, category, price), lines in _blocks(_UNIVERSAL_TYPES):
        variants = [v for ln in lines if ln.startswith("variants:") for v in _items(ln[9:])]
        sizes = []
        for ln in lines:
            if ln.startswith("sizes:"):
                for size in _items(ln[6:]):
                    label, factor = size.rsplit(" x ", 1)
                    sizes.append(("" if label.strip() == "-" else label.strip(), float(factor)))
        brand_lines = [ln for ln in lines if not ln.startswith(("variants:", "sizes:"))]
        types.append(
            UniversalType(
                name, prefix, category, _pair(price), variants or [""], sizes, _brands(brand_lines)
            )
        )
    return types


PLATFORMS = _platforms()
PART_TYPES = _part_types()
UNIVERSAL_TYPES = _universal_types()
