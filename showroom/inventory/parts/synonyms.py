"""How Mexican customers and counters name the same part.

Each group is (canonical phrase, variants). Phrases go through the same normalization and
stemming as everything else (so plurals and accents need no entries). A document keeps its
own words and also gets the canonical term; a query is rewritten to the canonical term.
Longer phrases win ("balero de clutch" is a collarín, "balero" alone a wheel bearing).
Add entries here for any catalog's vocabulary; no retraining is involved.

A part whose name is a compound maps to a canonical that no other part shares ("bomba de
frenos" is a "cilindro maestro", never a water pump; "banda del alternador" a "banda de
accesorios"; "cadena de tiempo" a "cadena de distribución", not a belt).

`PART_WORDS` are names of parts, whether a given catalog sells them or not (bujes,
cremallera, llantas...): they are never "corrected" into another part ("bujes" is not a
typo of "bujías"), and when the catalog has none, the search says so instead of showing
lookalikes.
"""

from __future__ import annotations

SYNONYM_GROUPS: list[tuple[str, list[str]]] = [
    # brakes
    (
        "balata",
        [
            "pastilla de freno",
            "pastilla",
            "balata de freno",
            "pastilla de frenos",
            "balata de disco",
        ],
    ),
    ("disco", ["rotor", "disco de freno", "rotor de freno"]),
    ("zapata", ["zapata de freno", "balata de tambor"]),
    # suspension / steering
    ("amortiguador", ["shock", "shocks", "amortiguador de gas"]),
    (
        "horquilla",
        [
            "brazo de control",
            "brazo de suspension",
            "brazo inferior",
            "tijera",
            "brazo de control inferior",
        ],
    ),
    (
        "bieleta",
        [
            "tornillo estabilizador",
            "tornillo de estabilizadora",
            "link estabilizador",
            "eslabon estabilizador",
            "tornillo de barra estabilizadora",
            "bieleta de barra",
        ],
    ),
    ("rotula", ["rotula de suspension"]),
    ("buje", ["hule", "goma", "buje de suspension", "hule de suspension", "silentblock"]),
    ("cremallera", ["caja de direccion", "cremallera de direccion", "caja de cremallera"]),
    ("bomba de direccion hidraulica", ["bomba de direccion", "bomba hidraulica"]),
    ("terminal de direccion", ["punta de direccion", "terminal exterior"]),
    ("balero", ["rodamiento", "cojinete"]),
    ("homocinetica", ["junta homocinetica", "flecha homocinetica", "cv"]),
    # engine / ignition
    ("bujia", ["bujias", "spark plug"]),
    ("banda", ["correa"]),
    ("banda de distribucion", ["correa de distribucion", "correa dentada", "banda de tiempo"]),
    ("cadena de distribucion", ["cadena de tiempo", "cadena de tiempos", "cadena"]),
    (
        "banda de accesorios",
        [
            "banda de alternador",
            "banda alternador",
            "correa de alternador",
            "banda serpentina",
            "correa de accesorios",
            "banda poly v",
            "banda micro v",
        ],
    ),
    ("kit de afinacion", ["afinacion", "afinacion mayor", "afinacion menor", "kit afinacion"]),
    ("soporte de motor", ["base de motor", "taco de motor", "soporte motor"]),
    ("sensor de oxigeno", ["sonda lambda", "sensor lambda", "sensor o2", "sensor oxigeno"]),
    ("junta de cabeza", ["empaque de cabeza", "junta de culata"]),
    # clutch
    ("clutch", ["embrague", "cloch", "cluch", "clutch kit", "croche", "cloche", "cluth", "clutc"]),
    ("collarin", ["balero de clutch", "balero de embrague", "rodamiento de embrague"]),
    ("chicote de clutch", ["cable de clutch", "cable de embrague", "chicote de embrague"]),
    # brakes and steering: compounds that are other parts than their first word
    ("cilindro maestro", ["bomba de freno", "bomba de frenos", "bombin de freno"]),
    ("cilindro de rueda", ["bombin", "bombin de rueda", "cilindro de freno"]),
    # fuel / filters / fluids
    ("gasolina", ["combustible", "nafta"]),
    # a cabin filter; "aire acondicionado" alone is the A/C (a compressor is not a filter)
    (
        "filtro de cabina",
        [
            "filtro de polen",
            "filtro de aire acondicionado",
            "filtro del aire acondicionado",
            "filtro de clima",
            "filtro del clima",
            "filtro de ac",
            "filtro de habitaculo",
        ],
    ),
    ("cabina", ["polen", "habitaculo"]),
    ("aceite", ["lubricante"]),
    ("anticongelante", ["refrigerante", "coolant"]),
    # exhaust
    ("mofle", ["silenciador", "muffler", "escape", "tubo de escape", "mofles"]),
    ("convertidor catalitico", ["catalizador", "catalitico", "convertidor"]),
    # electrical
    ("acumulador", ["bateria", "pila"]),
    ("marcha", ["motor de arranque", "arrancador", "motor de marcha"]),
    ("foco", ["bombilla", "bombillo", "lampara"]),
    ("pluma", ["limpiaparabrisas", "escobilla", "limpiador de parabrisas"]),
    # body / lights
    ("calavera", ["luz trasera", "faro trasero", "stop trasero"]),
    ("faro", ["farol", "luz delantera", "optica", "faro delantero"]),
    # fog lamps are not headlights
    ("faro de niebla", ["faro niebla", "niebla", "luz de niebla", "antiniebla", "faro antiniebla"]),
    ("cuarto", ["cuarto delantero", "direccional", "luz direccional", "intermitente"]),
    (
        "espejo",
        [
            "retrovisor",
            "espejo retrovisor",
            "espejo lateral",
            "espejo de puerta",
            "espejo exterior",
        ],
    ),
    # positions, the way people say them
    ("delantero", ["frontal", "adelante", "de adelante", "delante"]),
    ("trasero", ["atras", "de atras", "posterior"]),
    (
        "izquierdo",
        [
            "piloto",
            "lado piloto",
            "lado del conductor",
            "chofer",
            "lado del chofer",
            "izq",
            "conductor",
        ],
    ),
    ("derecho", ["copiloto", "lado copiloto", "lado del pasajero", "der", "pasajero"]),
    ("superior", ["de arriba", "arriba", "sup"]),
    ("inferior", ["de abajo", "abajo", "inf"]),
]

# Names of parts (and of the systems they belong to) in Mexican Spanish, sold by a given
# catalog or not. Stems are compared, so singular forms suffice.
PART_WORDS: frozenset[str] = frozenset(
    {
        "buje", "hule", "cremallera", "cadena", "niebla", "llanta", "rin", "neumatico", "defensa",
        "fascia", "facia", "parabrisas", "medallon", "salpicadera", "cofre", "cajuela", "manija",
        "chapa", "cerradura", "moldura", "parrilla", "emblema", "tapon", "elevador", "switch",
        "relevador", "relay", "fusible", "arnes", "computadora", "inyector", "carburador",
        "piston", "biela", "cigueñal", "ciguenal", "arbol", "leva", "valvula", "punteria",
        "reten", "compresor", "condensador", "evaporador", "ventilador", "electroventilador",
        "tanque", "deposito", "caliper", "mordaza", "tambor", "zapata", "maestro", "bombin",
        "sensor", "afinacion", "tapete", "funda", "volante", "claxon", "bocina", "estereo",
        "antena", "gato", "tornillo", "birlo", "tuerca"
    }
)  # fmt: skip
