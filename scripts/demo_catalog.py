"""The Mexican-market catalog behind the demo inventory (scripts/generate_demo_inventory.py).

Brands, models and versions sold in Mexico, with approximate 2025 list prices in MXN
(public price lists, rounded the way each brand ends its prices: 900, 990, 800).

Table format: a model line `Brand | Model | body_type`, then its versions indented:
`Version | transmission (A/M) | fuel (G gasolina, D diesel, H hibrido, E electrico) |
price 2025 | model years` where years is `2017-2025`, `2020-` (still sold) or absent
(2017 to today). Years are those in which the version (or its direct predecessor) was sold
in Mexico, so seminuevos are never of a year the model did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

NOW = 2026
FIRST_YEAR = 2017
TRANSMISSIONS = {"A": "automatica", "M": "manual"}
FUELS = {"G": "gasolina", "D": "diesel", "H": "hibrido", "E": "electrico"}


@dataclass(frozen=True)
class Version:
    name: str
    transmission: str
    fuel: str
    price_2025: int
    years: tuple[int, int]


@dataclass(frozen=True)
class Model:
    brand: str
    model: str
    body_type: str
    versions: tuple[Version, ...]


TABLE = """
# Nissan
Nissan | March | hatchback
    Sense TM | M | G | 289900 | 2017-2025
    Advance TM | M | G | 315900 | 2017-2025
    Advance CVT | A | G | 339900 | 2018-2025
    Exclusive CVT | A | G | 359900 | 2021-2025
Nissan | Versa | sedan
    Sense TM | M | G | 319900
    Sense CVT | A | G | 344900 | 2020-
    Advance TM | M | G | 351900
    Advance CVT | A | G | 376900 | 2020-
    Exclusive CVT | A | G | 414900 | 2020-
Nissan | Sentra | sedan
    Sense TM | M | G | 419900
    Sense CVT | A | G | 449900
    Advance CVT | A | G | 484900
    SR CVT | A | G | 544900 | 2020-
    Exclusive CVT | A | G | 559900
Nissan | Kicks | suv
    Sense CVT | A | G | 439900
    Advance CVT | A | G | 479900
    Exclusive CVT | A | G | 529900
    e-Power Exclusive | A | H | 559900 | 2023-2025
Nissan | X-Trail | suv
    Sense 2 filas CVT | A | G | 629900
    Advance 3 filas CVT | A | G | 689900
    e-Power Exclusive e-4ORCE | A | H | 849900 | 2024-
Nissan | NP300 | pickup
    Chasis Cabina TM | M | G | 409900
    Doble Cabina SE TM | M | G | 479900
    Doble Cabina XE Diésel TM | M | D | 539900
    Doble Cabina LE Diésel 4x4 TM | M | D | 589900
Nissan | Frontier | pickup
    LE 4x2 TA | A | G | 699900 | 2022-
    PRO-4X 4x4 TA | A | G | 849900 | 2022-
    LE Diésel 4x4 TA | A | D | 629900 | 2017-2021
Nissan | Leaf | hatchback
    SL Plus | A | E | 899900 | 2019-2024
# Chevrolet
Chevrolet | Aveo | sedan
    LS TM | M | G | 289900
    LT TM | M | G | 309900
    LT TA | A | G | 329900
    Premier TA | A | G | 349900 | 2024-
Chevrolet | Onix | sedan
    LS TM | M | G | 339900 | 2021-
    LT Turbo TA | A | G | 379900 | 2021-
    Premier Turbo TA | A | G | 409900 | 2021-
Chevrolet | Tracker | suv
    LS TM | M | G | 414900 | 2021-
    LT TA | A | G | 459900 | 2021-
    Premier TA | A | G | 519900 | 2021-
    RS TA | A | G | 534900 | 2023-
Chevrolet | Groove | suv
    LS TM | M | G | 314900 | 2021-
    Premier CVT | A | G | 369900 | 2021-
Chevrolet | Captiva | suv
    LS CVT | A | G | 459900 | 2019-
    Premier 7 pasajeros CVT | A | G | 529900 | 2019-
Chevrolet | Beat | hatchback
    LT TM | M | G | 219900 | 2018-2021
Chevrolet | S10 Max | pickup
    LT Cabina Doble TM 4x2 | M | G | 449900 | 2022-
    High Country 4x4 TA | A | G | 589900 | 2022-
Chevrolet | Silverado | pickup
    1500 Custom Cabina Doble 4x4 | A | G | 899900
    1500 LT Trail Boss 4x4 | A | G | 1099900
    1500 LTZ Duramax Diésel 4x4 | A | D | 1199900 | 2023-
    1500 High Country 4x4 | A | G | 1349900
Chevrolet | Equinox EV | suv
    RS AWD | A | E | 949900 | 2025-
# Volkswagen
Volkswagen | Polo | hatchback
    Startline TM | M | G | 302990
    Comfortline Tiptronic | A | G | 349990
Volkswagen | Virtus | sedan
    Sense TM | M | G | 344990 | 2020-
    Comfortline Tiptronic | A | G | 399990 | 2020-
    Highline Tiptronic | A | G | 439990 | 2020-
Volkswagen | Vento | sedan
    Comfortline TM | M | G | 289990 | 2017-2022
    Highline Tiptronic | A | G | 329990 | 2017-2022
Volkswagen | Jetta | sedan
    Trendline TM | M | G | 469990
    Comfortline Tiptronic | A | G | 519990
    Highline Tiptronic | A | G | 574990
    GLI DSG | A | G | 759990
Volkswagen | Taos | suv
    Trendline Tiptronic | A | G | 539990 | 2021-
    Comfortline Tiptronic | A | G | 604990 | 2021-
    Highline DSG | A | G | 664990 | 2021-
Volkswagen | T-Cross | suv
    Trendline Tiptronic | A | G | 419990 | 2020-
    Highline Tiptronic | A | G | 489990 | 2020-
Volkswagen | Tiguan | suv
    Trendline Plus Tiptronic | A | G | 649990
    Comfortline Tiptronic | A | G | 719990
    R-Line 4Motion DSG | A | G | 869990
Volkswagen | Saveiro | pickup
    Robust Cabina Sencilla TM | M | G | 309990
    Cross Cabina Doble TM | M | G | 379990
# Toyota
Toyota | Yaris | sedan
    Core TM | M | G | 317900
    Core CVT | A | G | 339900
    S CVT | A | G | 379900
Toyota | Corolla | sedan
    Base CVT | A | G | 434900
    LE CVT | A | G | 472900
    SE CVT | A | G | 509900 | 2020-
    Hybrid LE | A | H | 499900 | 2020-
Toyota | Corolla Cross | suv
    XLE CVT | A | G | 549900 | 2021-
    Hybrid XLE | A | H | 599900 | 2021-
Toyota | Prius | hatchback
    Base | A | H | 529900 | 2017-2023
Toyota | Raize | suv
    TM | M | G | 334900 | 2022-
    CVT | A | G | 359900 | 2022-
Toyota | Avanza | van
    LE TM | M | G | 349900
    XLE TA | A | G | 389900
Toyota | RAV4 | suv
    LE | A | G | 649900
    XLE | A | G | 719900
    Hybrid XLE AWD | A | H | 799900 | 2019-
    Hybrid Limited AWD | A | H | 879900 | 2019-
Toyota | Hilux | pickup
    Chasis Cabina TM | M | G | 449900
    Cabina Doble Base TM | M | G | 529900
    Cabina Doble SR TM | M | G | 579900
    SR Diésel 4x4 | A | D | 689900
    GR-Sport Diésel 4x4 | A | D | 899900 | 2023-
Toyota | Tacoma | pickup
    SR5 4x2 TA | A | G | 799900
    TRD Sport 4x4 TA | A | G | 889900
    TRD Off-Road 4x4 TA | A | G | 939900
# Kia
Kia | Rio | sedan
    L TM | M | G | 279900 | 2018-2023
    LX TA | A | G | 309900 | 2018-2023
    EX TA | A | G | 339900 | 2018-2023
Kia | K3 | sedan
    L TM | M | G | 299900 | 2024-
    LX IVT | A | G | 334900 | 2024-
    GT-Line IVT | A | G | 389900 | 2024-
Kia | Forte | sedan
    LX IVT | A | G | 394900 | 2019-2024
    GT-Line IVT | A | G | 449900 | 2019-2024
    GT 1.6T DCT | A | G | 519900 | 2019-2024
Kia | Seltos | suv
    LX IVT | A | G | 434900 | 2020-
    EX IVT | A | G | 489900 | 2020-
    SX Turbo DCT | A | G | 559900 | 2020-
Kia | Sonet | suv
    LX TM | M | G | 344900 | 2023-
    EX IVT | A | G | 399900 | 2023-
Kia | Sportage | suv
    LX | A | G | 559900
    EX | A | G | 629900
    SX Prestige AWD | A | G | 749900
    HEV SX | A | H | 789900 | 2023-
# Mazda
Mazda | Mazda 2 | sedan
    i TM | M | G | 324900
    i Sport TA | A | G | 359900
    i Grand Touring TA | A | G | 389900
Mazda | Mazda 3 | sedan
    i Sport TA | A | G | 454900
    i Grand Touring TA | A | G | 519900
    Signature Turbo TA | A | G | 589900 | 2021-
Mazda | CX-30 | suv
    i Sport | A | G | 479900 | 2020-
    i Grand Touring | A | G | 549900 | 2020-
    Signature Turbo AWD | A | G | 629900 | 2021-
Mazda | CX-5 | suv
    i Sport | A | G | 559900
    i Grand Touring | A | G | 629900
    Signature AWD | A | G | 729900
Mazda | MX-5 | coupe
    i Sport TM | M | G | 569900
    RF Grand Touring TA | A | G | 699900
# Honda
Honda | City | sedan
    Sport TM | M | G | 364900
    Sport CVT | A | G | 384900
    Prime CVT | A | G | 419900 | 2021-
Honda | Civic | sedan
    i-Style CVT | A | G | 519900
    Touring CVT | A | G | 609900
    e:HEV Sport Touring | A | H | 679900 | 2024-
Honda | Fit | hatchback
    Fun TM | M | G | 289900 | 2017-2020
    Hit CVT | A | G | 324900 | 2017-2020
Honda | HR-V | suv
    Uniq CVT | A | G | 509900
    Touring CVT | A | G | 579900
Honda | CR-V | suv
    Turbo Plus | A | G | 689900
    Touring | A | G | 769900
    e:HEV Touring | A | H | 869900 | 2024-
Honda | BR-V | suv
    Prime CVT | A | G | 469900 | 2023-
Honda | Odyssey | van
    Touring | A | G | 1169900
# Hyundai
Hyundai | Grand i10 | hatchback
    GL TM | M | G | 279900
    GLS TM | M | G | 299900
    GLS TA | A | G | 319900
Hyundai | HB20 | hatchback
    GL TM | M | G | 308900 | 2023-
    GLS TA | A | G | 348900 | 2023-
Hyundai | Creta | suv
    GLS IVT | A | G | 459900
    Limited IVT | A | G | 519900 | 2023-
Hyundai | Elantra | sedan
    GLS Premium IVT | A | G | 479900
    Limited IVT | A | G | 544900
Hyundai | Tucson | suv
    GLS | A | G | 589900
    Limited | A | G | 669900
    Hybrid Limited Tech | A | H | 799900 | 2023-
Hyundai | Ioniq 5 | suv
    Limited AWD | A | E | 1249900 | 2023-
# Ford
Ford | Figo | sedan
    Energy TM | M | G | 259900 | 2017-2021
Ford | Territory | suv
    Trend | A | G | 569900 | 2021-
    Titanium | A | G | 649900 | 2021-
Ford | Bronco Sport | suv
    Big Bend 4x4 | A | G | 679900 | 2021-
    Badlands 4x4 | A | G | 829900 | 2021-
Ford | Escape | suv
    Titanium Hybrid | A | H | 749900 | 2020-
Ford | Mustang Mach-E | suv
    Select AWD | A | E | 1149900 | 2021-
Ford | Ranger | pickup
    XL Gasolina 4x2 TM | M | G | 624900
    XLT Diésel 4x2 TA | A | D | 799900
    Limited Diésel 4x4 TA | A | D | 899900 | 2020-
Ford | Maverick | pickup
    XLT Hybrid | A | H | 689900 | 2022-
    Lariat EcoBoost 4x4 | A | G | 799900 | 2022-
    Tremor 4x4 | A | G | 869900 | 2025-
Ford | Lobo | pickup
    XL Cabina Regular 4x2 | A | G | 799900
    XLT Doble Cabina 4x4 | A | G | 1049900
    Lariat 4x4 | A | G | 1249900
    Platinum PowerBoost Híbrida | A | H | 1499900 | 2022-
# RAM
RAM | 700 | pickup
    SLT Cabina Regular TM | M | G | 359900
    Bighorn Crew Cab TM | M | G | 409900
    Laramie Crew Cab CVT | A | G | 459900 | 2024-
RAM | 1500 | pickup
    Big Horn Crew Cab 4x2 | A | G | 899900
    Laramie Crew Cab 4x4 | A | G | 1199900
    Rebel 4x4 | A | G | 1249900
    Limited 4x4 | A | G | 1499900
RAM | 2500 | pickup
    SLT Crew Cab 4x4 Diésel | A | D | 1299900
# MG
MG | MG5 | sedan
    Excite TM | M | G | 309900 | 2021-
    Excite CVT | A | G | 339900 | 2021-
    Excite Plus CVT | A | G | 369900 | 2021-
MG | ZS | suv
    Excite TM | M | G | 339900 | 2021-
    Elegance CVT | A | G | 399900 | 2021-
    Hybrid+ Elegance | A | H | 449900 | 2025-
MG | HS | suv
    Trophy 1.5T DCT | A | G | 519900 | 2021-
    PHEV Trophy | A | H | 699900 | 2023-
MG | MG4 | hatchback
    EV Excite | A | E | 599900 | 2024-
# BYD
BYD | Dolphin Mini | hatchback
    GL | A | E | 358800 | 2024-
    GS | A | E | 398800 | 2024-
BYD | Dolphin | hatchback
    Plus | A | E | 459800 | 2023-
BYD | Seal | sedan
    Premium | A | E | 819800 | 2023-
    Performance AWD | A | E | 899800 | 2023-
BYD | Song Plus | suv
    DM-i | A | H | 799800 | 2023-
BYD | Yuan Plus | suv
    EV | A | E | 654800 | 2023-
BYD | King | sedan
    DM-i GL | A | H | 469800 | 2024-
    DM-i GS | A | H | 529800 | 2024-
BYD | Shark | pickup
    GS DMO 4x4 | A | H | 899800 | 2025-
# Renault
Renault | Kwid | hatchback
    Zen TM | M | G | 249900
    Intens TM | M | G | 274900
    Outsider TM | M | G | 289900 | 2020-
Renault | Kwid E-Tech | hatchback
    Iconic | A | E | 439900 | 2023-
Renault | Stepway | hatchback
    Intens TM | M | G | 279900 | 2017-2023
Renault | Duster | suv
    Zen TM | M | G | 364900 | 2017-2024
    Intens CVT | A | G | 419900 | 2017-2024
Renault | Kardian | suv
    Evolution TM | M | G | 369900 | 2025-
    Techno EDC | A | G | 449900 | 2025-
Renault | Koleos | suv
    Iconic CVT | A | G | 649900
Renault | Oroch | pickup
    Intens TM | M | G | 419900
    Outsider TM | M | G | 459900 | 2021-
# Suzuki
Suzuki | Swift | hatchback
    GL TM | M | G | 309990
    GLX CVT | A | G | 359990
    Boostergreen GLX | A | H | 369990 | 2024-
Suzuki | Dzire | sedan
    GL TM | M | G | 299990 | 2018-
    GLX TA | A | G | 339990 | 2018-
Suzuki | Ertiga | van
    GLX TA | A | G | 389990 | 2019-
Suzuki | Vitara | suv
    GLS TA | A | G | 449990
    Boosterjet GLX Allgrip | A | G | 549990
Suzuki | Jimny | suv
    GLX TM | M | G | 469990 | 2019-
    GLX 5 puertas TA | A | G | 549990 | 2024-
# Mitsubishi, Jeep
Mitsubishi | L200 | pickup
    Gasolina 4x2 TM | M | G | 489900
    GLS Diésel 4x4 TM | M | D | 689900
Jeep | Compass | suv
    Sport | A | G | 599900
    Limited | A | G | 709900
Jeep | Wrangler | suv
    Sport 4x4 | A | G | 1049900
    Rubicon 4xe | A | H | 1549900 | 2022-
"""


def _years(text: str | None) -> tuple[int, int]:
    if not text:
        return FIRST_YEAR, NOW
    first, _, last = text.partition("-")
    return int(first), int(last) if last else NOW


def parse_catalog(text: str = TABLE) -> tuple[Model, ...]:
    models: list[Model] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("|")]
        if not raw.startswith(" "):
            brand, model, body = cells
            models.append(Model(brand, model, body, ()))
            continue
        name, trans, fuel, price, *years = cells
        version = Version(
            name, TRANSMISSIONS[trans], FUELS[fuel], int(price), _years(years[0] if years else None)
        )
        last = models[-1]
        models[-1] = Model(last.brand, last.model, last.body_type, (*last.versions, version))
    return tuple(models)


CATALOG = parse_catalog()
