"""A held-out query set: how other shops' customers write, not how the demo catalog does.

Written before the search was tuned for it (the first `make bench-parts` run with it is the
"before" figure in docs/parts.md) and kept apart from `queries.py`, whose queries grew
together with the synonyms. WhatsApp style: no accents, abbreviations ("izq", "der",
"xfa", "pa"), counter slang ("croche", "hules", "afinacion", "cremallera", "bomba de
frenos"), the car glued to its year ("tsuru2015") or named the way people do
("frontier", "monza", "i10", "np 300"), and parts whose name is a compound where dropping
a word changes the part ("bomba de frenos" is not a water pump, "faros de niebla" are not
headlights, "cadena de tiempo" is not a timing belt).

Answers are demo-catalog attributes read by `queries.relevant` (title beginning, required
words, a `compatibilidad` entry covering the car). `NOT_SOLD` must return no part at all:
the demo catalog has none of them, and a lookalike would be a wrong answer.
"""

from __future__ import annotations

from bench.parts.queries import STARTER, Query, q

TSURU, VERSA, CHEVY = ("Nissan", "Tsuru"), ("Nissan", "Versa"), ("Chevrolet", "Chevy")
FRONTIER = ("Nissan", "NP300 Frontier")

OTHER_CUSTOMERS: list[Query] = [
    # the car glued to its year, abbreviations, chatter
    q("tsuru2015 balatas", "Balatas", (*TSURU, 2015)),
    q("q onda tienen balatas pa mi tsuru 2015", "Balatas", (*TSURU, 2015)),
    q("ocupo las balatas de adelante del versa 2017", "Balatas delanteras", (*VERSA, 2017)),
    q("precio de balatas traseras aveo 2014 xfa", "Balatas traseras", ("Chevrolet", "Aveo", 2014)),
    q("balatas ceramicas versa 2014", "Balatas", (*VERSA, 2014), ("cerámicas",)),
    q("faro delantero izq aveo 2015", "Faro delantero izquierdo", ("Chevrolet", "Aveo", 2015)),
    q("calavera der sentra 2011", "Calavera derecha", ("Nissan", "Sentra", 2011)),
    q("espejo lado copiloto march 2016", "Espejo lateral derecho", ("Nissan", "March", 2016)),
    q(
        "horquilla del lado del chofer sentra 2010",
        "Horquilla inferior izquierda",
        ("Nissan", "Sentra", 2010),
    ),
    q("rotulas de abajo tsuru 2012", "Rótula inferior", (*TSURU, 2012)),
    # clutch slang
    q("croche para tsuru 2005", "Kit de clutch", (*TSURU, 2005)),
    q("kit de croche chevy 2008", "Kit de clutch", (*CHEVY, 2008)),
    q("cuanto el cloch completo del jetta 2009", "Kit de clutch", ("Volkswagen", "Jetta", 2009)),
    q("chicote del croche vocho 1998", "Chicote de clutch", ("Volkswagen", "Sedán", 1998)),
    q("collarin tsuru 2010", "Collarín de clutch", (*TSURU, 2010)),
    # belts, chains, pumps: the word after "de" says which one
    q("banda del alternador versa 2015", "Banda de accesorios", (*VERSA, 2015)),
    q("banda alternador aveo 2012", "Banda de accesorios", ("Chevrolet", "Aveo", 2012)),
    q("banda de tiempo sentra 2004", "Banda de distribución", ("Nissan", "Sentra", 2004)),
    q("kit distribucion gol 2015", "Kit de distribución", ("Volkswagen", "Gol", 2015)),
    q("bomba de gasolina chevy 2005", "Bomba de gasolina", (*CHEVY, 2005)),
    q("bomba de agua para platina 2008", "Bomba de agua", ("Nissan", "Platina", 2008)),
    q("filtro de combustible jetta 2010", "Filtro de gasolina", ("Volkswagen", "Jetta", 2010)),
    # engine, ignition, cooling
    q("soportes de motor pointer 2006", "Soporte de motor", ("Volkswagen", "Pointer", 2006)),
    q("marcha para chevy 2010", STARTER, (*CHEVY, 2010)),
    q("bujias de iridio versa 2016", "Bujía", (*VERSA, 2016), ("iridio",)),
    q("juego de cables para bujias tsuru 2000", "Juego de cables de bujía", (*TSURU, 2000)),
    q("bobina encendido jetta 2012", "Bobina de encendido", ("Volkswagen", "Jetta", 2012)),
    q("termostato np 300 2012", "Termostato", ("Nissan", "NP300", 2012)),
    q("radiador para la hilux 2018", "Radiador", ("Toyota", "Hilux", 2018)),
    q(
        "sensor de temperatura jetta a4 2005",
        "Sensor de temperatura",
        ("Volkswagen", "Jetta A4", 2005),
    ),
    q("sensor de oxigeno aveo 2012", "Sensor de oxígeno", ("Chevrolet", "Aveo", 2012)),
    q("acumulador para aveo 2016", "Acumulador", ("Chevrolet", "Aveo", 2016)),
    # suspension and steering, cars named the way people do
    q("balatas frontier 2018", "Balatas", (*FRONTIER, 2018)),
    q("amortiguadores traseros de la frontier 2020", "Amortiguador trasero", (*FRONTIER, 2020)),
    q(
        "amortiguadores para mi chevy monza 2000",
        "Amortiguador",
        ("Chevrolet", "Chevy Monza", 2000),
    ),
    q(
        "disco de freno delantero jeta 2008",
        "Disco de freno delantero",
        ("Volkswagen", "Jetta", 2008),
    ),
    q("discos delanteros corolla 2015", "Disco de freno delantero", ("Toyota", "Corolla", 2015)),
    q("rotula superior np300 2010", "Rótula superior", ("Nissan", "NP300", 2010)),
    q("terminales de direccion sentra 2012", "Terminal de dirección", ("Nissan", "Sentra", 2012)),
    q(
        "homocinetica lado rueda march 2014",
        "Junta homocinética lado rueda",
        ("Nissan", "March", 2014),
    ),
    q("balero trasero spark 2014", "Balero de rueda trasero", ("Chevrolet", "Spark", 2014)),
    q("base amortiguador delantero versa 2013", "Base de amortiguador delantera", (*VERSA, 2013)),
    q("horquilla derecha attitude 2017", "Horquilla inferior derecha", ("Dodge", "Attitude", 2017)),
    q("calaveras rio 2019", "Calavera", ("Kia", "Rio", 2019)),
    q("balatas delanteras i10 2018", "Balatas delanteras", ("Hyundai", "Grand i10", 2018)),
    q("amortiguadores monroe tsuru 2012", "Amortiguador", (*TSURU, 2012), ("Monroe",)),
    q("tolva de motor versa 2015", "Tolva de motor", (*VERSA, 2015)),
    q("bateria lth para jetta", "Acumulador LTH", ("Volkswagen", "Jetta", None)),
    # universal products, the way people ask for them
    q("aceite mobil 20w50", "Aceite para motor Mobil", contains=("20W-50",)),
    q("anticongelante prestone de galon", "Anticongelante Prestone", contains=("galón",)),
    q("foco h4 philips", "Foco Philips", contains=("H4",)),
    q("plumas de 20 pulgadas", "Pluma limpiaparabrisas", contains=('20"',)),
    q("aditivo para inyectores", "Aditivo limpiador de inyectores"),
    # the vehicle as NLU slots, the part in slang
    q("el croche", "Kit de clutch", (*TSURU, 2010), brand="Nissan", model="Tsuru", year=2010),
    q("hay balatas?", "Balatas", (*FRONTIER, 2019), brand="Nissan", model="Frontier", year=2019),
]

# The demo catalog sells none of these: the answer is no part (never a lookalike: brake
# master cylinders are not water pumps, fog lamps are not headlights, a timing chain is
# not a belt, bushings are not spark plugs).
NOT_SOLD: list[str] = [
    "bomba de frenos tsuru 2010",
    "faros de niebla versa 2018",
    "bujes de suspension tsuru 2010",
    "hules de la barra estabilizadora chevy 2008",
    "cremallera de direccion tsuru 2010",
    "cadena de tiempo tsuru 2010",
    "kit de afinacion tsuru 2010",
    "llantas 185/65 r14",
    "defensa delantera aveo 2015",
    "parabrisas jetta 2010",
    "balatas para tsuru 1990",
    "filtro de aire tesla model 3",
]
