"""Customer queries with known answers, for the parts search benchmark.

Written the way people ask at a Mexican parts counter or on WhatsApp: plurals, typos,
slang and synonyms, with the vehicle in the text, as NLU slots, or not at all. `QUERIES`
mostly follow the catalog's vocabulary; `PARAPHRASES` deliberately do not. Answers are
catalog attributes, not SKUs and not search output: a result is relevant when its title
starts with one of `title`, contains every word of `contains`, and (when `fits` is given)
one of its `compatibilidad` entries covers that vehicle, read by this module's own parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

VehicleSpec = tuple[str, str, int | None]  # brand, model (prefix), year (None: any)


@dataclass(frozen=True)
class Query:
    text: str
    title: tuple[str, ...]  # accepted title beginnings
    fits: VehicleSpec | None = None
    contains: tuple[str, ...] = ()
    slots: dict[str, Any] = field(default_factory=dict)  # brand/model/year as NLU gives them


def q(text: str, title: str | tuple[str, ...], fits: VehicleSpec | None = None,
      contains: tuple[str, ...] = (), **slots: Any) -> Query:  # fmt: skip
    return Query(text, (title,) if isinstance(title, str) else title, fits, contains, slots)


STARTER = ("Marcha", "Motor de arranque")
TSURU, VERSA, JETTA_A4 = ("Nissan", "Tsuru"), ("Nissan", "Versa"), ("Volkswagen", "Jetta A4")

QUERIES: list[Query] = [
    # brakes
    q("balatas delanteras tsuru 2015", "Balatas delanteras", (*TSURU, 2015)),
    q("balatas traseras para tsuru 2010", "Balatas traseras", (*TSURU, 2010)),
    q("pastillas de freno delanteras versa 2016", "Balatas delanteras", (*VERSA, 2016)),
    q("balata delantera sentra 2009", "Balatas delanteras", ("Nissan", "Sentra", 2009)),
    q("valatas tsuru", "Balatas", (*TSURU, None)),
    q("balatas tzuru 2010", "Balatas", (*TSURU, 2010)),
    q("disco de freno delantero tsuru 2014", "Disco de freno delantero", (*TSURU, 2014)),
    q(
        "discos de freno traseros jetta 2016",
        "Disco de freno trasero",
        ("Volkswagen", "Jetta", 2016),
    ),
    q("rotores delanteros aveo 2013", "Disco de freno delantero", ("Chevrolet", "Aveo", 2013)),
    q("balatas", "Balatas"),
    # suspension and steering
    q("amortiguadores delanteros jetta a4 2008", "Amortiguador delantero", (*JETTA_A4, 2008)),
    q("amortigudor trasero vocho 1995", "Amortiguador trasero", ("Volkswagen", "Sedán", 1995)),
    q("shocks delanteros np300 2012", "Amortiguador delantero", ("Nissan", "NP300", 2012)),
    q("amortiguador", "Amortiguador"),
    q("amortiguadores tida 2012", "Amortiguador", ("Nissan", "Tiida", 2012)),
    q(
        "base de amortiguador delantera np300",
        "Base de amortiguador delantera",
        ("Nissan", "NP300", None),
    ),
    q(
        "horquilla inferior izquierda jetta a4 2007",
        "Horquilla inferior izquierda",
        (*JETTA_A4, 2007),
    ),
    q("horquillas chevy 2006", "Horquilla", ("Chevrolet", "Chevy", 2006)),
    q("rotula inferior tsuru 2009", "Rótula inferior", (*TSURU, 2009)),
    q("rótulas superiores np300", "Rótula superior", ("Nissan", "NP300", None)),
    q(
        "terminal de direccion exterior march 2015",
        "Terminal de dirección exterior",
        ("Nissan", "March", 2015),
    ),
    q("terminales de dirección chevy", "Terminal de dirección", ("Chevrolet", "Chevy", None)),
    q(
        "balero de rueda delantero jetta 2005",
        "Balero de rueda delantero",
        ("Volkswagen", "Jetta", 2005),
    ),
    q(
        "junta homocinetica lado rueda chevy 2004",
        "Junta homocinética lado rueda",
        ("Chevrolet", "Chevy", 2004),
    ),
    # ignition and engine
    q("bujias tsuru 2005", "Bujía", (*TSURU, 2005)),
    q("bujía ngk para sentra", "Bujía NGK", ("Nissan", "Sentra", None)),
    q("bujia de iridio chevy 2008", "Bujía", ("Chevrolet", "Chevy", 2008), ("iridio",)),
    q("bujias jeta 2003", "Bujía", ("Volkswagen", "Jetta", 2003)),
    q("cables de bujia chevy", "Juego de cables de bujía", ("Chevrolet", "Chevy", None)),
    q("bobina de encendido jetta 2006", "Bobina de encendido", ("Volkswagen", "Jetta", 2006)),
    q("bobina march 2013", "Bobina de encendido", ("Nissan", "March", 2013)),
    q("banda de distribucion tsuru 2008", "Banda de distribución", (*TSURU, 2008)),
    q("correa de distribución sentra 2010", "Banda de distribución", ("Nissan", "Sentra", 2010)),
    q("kit de distribucion jetta a4", "Kit de distribución", (*JETTA_A4, None)),
    q("tensor de banda sentra", "Tensor de banda", ("Nissan", "Sentra", None)),
    q("soporte de motor delantero tsuru", "Soporte de motor delantero", (*TSURU, None)),
    q("base de motor jetta a4", "Soporte de motor", (*JETTA_A4, None)),
    q("junta de cabeza tsuru", "Junta de cabeza", (*TSURU, None)),
    q("sensor de oxigeno jetta a4 2005", "Sensor de oxígeno", (*JETTA_A4, 2005)),
    q("sensor de oxígeno versa", "Sensor de oxígeno", (*VERSA, None)),
    q("sonda lambda aveo 2010", "Sensor de oxígeno", ("Chevrolet", "Aveo", 2010)),
    # clutch
    q("kit de clutch chevy 2005", "Kit de clutch", ("Chevrolet", "Chevy", 2005)),
    q("kit de embrague pointer 2004", "Kit de clutch", ("Volkswagen", "Pointer", 2004)),
    q("clutch para tsuru 2012", "Kit de clutch", (*TSURU, 2012)),
    q("kit clutch np 300 2011", "Kit de clutch", ("Nissan", "NP300", 2011)),
    q("collarin de clutch jetta 2010", "Collarín de clutch", ("Volkswagen", "Jetta", 2010)),
    q("chicote del clutch vocho", "Chicote de clutch", ("Volkswagen", "Sedán", None)),
    # filters, cooling, fuel
    q("filtro de aceite versa 2015", "Filtro de aceite", (*VERSA, 2015)),
    q("filtro aceite interfil tsuru", "Filtro de aceite Interfil", (*TSURU, None)),
    q("filtro de aceite platina 2006", "Filtro de aceite", ("Nissan", "Platina", 2006)),
    q("filtro de aire march 2014", "Filtro de aire", ("Nissan", "March", 2014)),
    q("filtro de cabina aveo 2012", "Filtro de cabina", ("Chevrolet", "Aveo", 2012)),
    q("filtro de polen jetta 2017", "Filtro de cabina", ("Volkswagen", "Jetta", 2017)),
    q("filtro de gasolina chevy 2003", "Filtro de gasolina", ("Chevrolet", "Chevy", 2003)),
    q("filtro de combustible np300 2010", "Filtro de gasolina", ("Nissan", "NP300", 2010)),
    q("bomba de agua tsuru 2001", "Bomba de agua", (*TSURU, 2001)),
    q("bomba de gasolina versa 2013", "Bomba de gasolina", (*VERSA, 2013)),
    q("bomba de combustible aveo 2015", "Bomba de gasolina", ("Chevrolet", "Aveo", 2015)),
    q("radiador tsuru 2010", "Radiador", (*TSURU, 2010)),
    q("radiador de aluminio sentra 2011", "Radiador", ("Nissan", "Sentra", 2011), ("aluminio",)),
    q("termostato pointer 2005", "Termostato", ("Volkswagen", "Pointer", 2005)),
    q("manguera superior de radiador tsuru", "Manguera superior de radiador", (*TSURU, None)),
    # electrical and lights
    q("marcha para vocho 1998", STARTER, ("Volkswagen", "Sedán", 1998)),
    q("motor de arranque tsuru 2010", STARTER, (*TSURU, 2010)),
    q("alternador aveo 2011", "Alternador", ("Chevrolet", "Aveo", 2011)),
    q("alternadores sentra 2008", "Alternador", ("Nissan", "Sentra", 2008)),
    q("acumulador para tsuru", "Acumulador", (*TSURU, None)),
    q("bateria versa 2019", "Acumulador", (*VERSA, 2019)),
    q("bateria lth", "Acumulador LTH"),
    q("faro delantero izquierdo tsuru 2012", "Faro delantero izquierdo", (*TSURU, 2012)),
    q("faro derecho versa 2017", "Faro delantero derecho", (*VERSA, 2017)),
    q("faro delantero derecho chevi 2008", "Faro delantero derecho", ("Chevrolet", "Chevy", 2008)),
    q("calavera izquierda aveo 2014", "Calavera izquierda", ("Chevrolet", "Aveo", 2014)),
    q("calavera lado copiloto versa 2016", "Calavera derecha", (*VERSA, 2016)),
    q(
        "espejo lateral izquierdo jetta 2012",
        "Espejo lateral izquierdo",
        ("Volkswagen", "Jetta", 2012),
    ),
    q("espejo retrovisor lado piloto tsuru", "Espejo lateral izquierdo", (*TSURU, None)),
    q("tolva delantera derecha versa 2015", "Tolva delantera derecha", (*VERSA, 2015)),
    # universal products
    q("aceite 5w30 sintetico", "Aceite para motor", contains=("5W-30",)),
    q("aceite 20w50", "Aceite para motor", contains=("20W-50",)),
    q("anticongelante prestone", "Anticongelante Prestone"),
    q("liquido de frenos dot 4", "Líquido de frenos", contains=("DOT 4",)),
    q("foco h4", "Foco", contains=("H4",)),
    q("plumas limpiaparabrisas 20 pulgadas", "Pluma limpiaparabrisas", contains=('20"',)),
    # chatter
    q("hola buenas tardes tienen balatas para mi tsuru 2015?", "Balatas", (*TSURU, 2015)),
    q(
        "cuanto cuesta el amortiguador delantero del versa 2014",
        "Amortiguador delantero",
        (*VERSA, 2014),
    ),
    q(
        "oiga manejan bomba de agua para chevy 2009 o no",
        "Bomba de agua",
        ("Chevrolet", "Chevy", 2009),
    ),
    # the vehicle comes from NLU slots, not the text
    q(
        "balatas delanteras",
        "Balatas delanteras",
        (*TSURU, 2015),
        brand="Nissan",
        model="Tsuru",
        year=2015,
    ),
    q(
        "amortiguador trasero",
        "Amortiguador trasero",
        ("Volkswagen", "Jetta", 2010),
        model="Jetta",
        year=2010,
    ),
    q("bujias", "Bujía", ("Chevrolet", "Chevy", 2008), brand="Chevrolet", model="Chevy", year=2008),
    q(
        "kit de clutch",
        "Kit de clutch",
        ("Volkswagen", "Sedán", 1990),
        brand="VW",
        model="Sedán",
        year=1990,
    ),
]

# Written the way customers talk, not from the demo catalog's titles: paraphrases of the
# part ("brazo de control", "tornillo estabilizador", "filtro del clima"), slang ("pila",
# "cloch", "mofle"/"escape"), typos, the car named the way people do ("el vocho", "mi
# tsuru"). Reported separately: this is the figure that says how a counter's customer fares.
PARAPHRASES: list[Query] = [
    q("se me rompio el escape del tsuru 2003", "Mofle", (*TSURU, 2003)),
    q("silenciador para jetta a4", "Mofle", (*JETTA_A4, None)),
    q("mofle para aveo 2010", "Mofle", ("Chevrolet", "Aveo", 2010)),
    q("catalizador sentra 2015", "Convertidor catalítico", ("Nissan", "Sentra", 2015)),
    q("filtro del clima versa 2016", "Filtro de cabina", (*VERSA, 2016)),
    q("filtro de aire acondicionado aveo 2012", "Filtro de cabina", ("Chevrolet", "Aveo", 2012)),
    q("cuartos delanteros tsuru", "Cuarto delantero", (*TSURU, None)),
    q("direccional delantera izquierda versa 2015", "Cuarto delantero izquierdo", (*VERSA, 2015)),
    q("bieletas para march 2015", "Bieleta", ("Nissan", "March", 2015)),
    q("tornillo estabilizador chevy", "Bieleta", ("Chevrolet", "Chevy", None)),
    q("brazo de control inferior jetta a4 2006", "Horquilla inferior", (*JETTA_A4, 2006)),
    q("tijera izquierda chevy 2004", "Horquilla inferior izquierda", ("Chevrolet", "Chevy", 2004)),
    q("punta de direccion tsuru 2010", "Terminal de dirección", (*TSURU, 2010)),
    q(
        "rodamiento de rueda delantero chevy",
        "Balero de rueda delantero",
        ("Chevrolet", "Chevy", None),
    ),
    q("banda de tiempo pointer 2005", "Banda de distribución", ("Volkswagen", "Pointer", 2005)),
    q("la pila del vocho", "Acumulador", ("Volkswagen", "Sedán", None)),
    q("el arrancador del sentra 2009", STARTER, ("Nissan", "Sentra", 2009)),
    q("cloch para vocho 1998", "Kit de clutch", ("Volkswagen", "Sedán", 1998)),
    q("kit de embrage chevy 2005", "Kit de clutch", ("Chevrolet", "Chevy", 2005)),
    q("balatsa chevy 2005", "Balatas", ("Chevrolet", "Chevy", 2005)),
    q("amortiguadore traseros versa 2014", "Amortiguador trasero", (*VERSA, 2014)),
    q("bujis tsuru 2006", "Bujía", (*TSURU, 2006)),
    q("alternadro aveo 2013", "Alternador", ("Chevrolet", "Aveo", 2013)),
    q("radiadro versa 2014", "Radiador", (*VERSA, 2014)),
    q("termostao jetta a4", "Termostato", (*JETTA_A4, None)),
    q("shocks traseros del tsuru", "Amortiguador trasero", (*TSURU, None)),
    q("luz trasera derecha aveo 2012", "Calavera derecha", ("Chevrolet", "Aveo", 2012)),
    q("retrovisor del copiloto versa 2016", "Espejo lateral derecho", (*VERSA, 2016)),
    q("limpiadores de parabrisas 18", "Pluma limpiaparabrisas", contains=('18"',)),
    q("refrigerante prestone", "Anticongelante Prestone"),
    q("sonda lambda del march 2014", "Sensor de oxígeno", ("Nissan", "March", 2014)),
    q("empaque de cabeza chevy 2007", "Junta de cabeza", ("Chevrolet", "Chevy", 2007)),
]

# Not in the catalog: the right answer is no part at all (and no random substitute).
NO_ANSWER = [
    "compresor de aire acondicionado para tsuru 2010",
    "llantas para tsuru 2010",
    "rines de aluminio de 15 pulgadas",
    "balatas para tsuru 1985",
    "amortiguadores jetta 1975",
    "kit de clutch para vocho 2010",
]

_BRANDS = {"VW": "Volkswagen"}
_COMPAT = re.compile(r"(\S+) (.+?) (\d{4})(?:-(\d{4})|(\+))?")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _covers(entry: str, spec: VehicleSpec) -> bool:
    match = _COMPAT.fullmatch(entry)
    if not match:
        return False
    brand, model, first, last, open_end = match.groups()
    if _BRANDS.get(brand, brand) != spec[0] or not _fold(model).startswith(_fold(spec[1])):
        return False
    year = spec[2]
    if year is None:
        return True
    high = 9999 if open_end else int(last or first)
    return int(first) <= year <= high


def relevant(query: Query, record: dict[str, Any]) -> bool:
    """Does this catalog record answer the query?"""
    title = record["titulo"]
    if not title.startswith(query.title):
        return False
    if any(word not in title for word in query.contains):
        return False
    if query.fits is None:
        return True
    fits = record["compatibilidad"]
    return fits == ["Universal"] or any(_covers(entry, query.fits) for entry in fits)
