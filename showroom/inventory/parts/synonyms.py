"""How Mexican customers and counters name the same part.

Each group is (canonical phrase, variants). Phrases go through the same normalization and
stemming as everything else (so plurals and accents need no entries). A document keeps its
own words and also gets the canonical term; a query is rewritten to the canonical term.
Longer phrases win ("balero de clutch" is a collarín, "balero" alone a wheel bearing).
Add entries here for any catalog's vocabulary; no retraining is involved.
"""

from __future__ import annotations

SYNONYM_GROUPS: list[tuple[str, list[str]]] = [
    # brakes
    ("balata", ["pastilla de freno", "pastilla", "balata de freno", "pastilla de frenos"]),
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
    ("terminal de direccion", ["punta de direccion", "terminal exterior"]),
    ("balero", ["rodamiento", "cojinete"]),
    ("homocinetica", ["junta homocinetica", "flecha homocinetica", "cv"]),
    # engine / ignition
    ("bujia", ["bujias", "spark plug"]),
    ("banda", ["correa"]),
    ("banda de distribucion", ["correa de distribucion", "correa dentada", "banda de tiempo"]),
    ("soporte de motor", ["base de motor", "taco de motor", "soporte motor"]),
    ("sensor de oxigeno", ["sonda lambda", "sensor lambda", "sensor o2", "sensor oxigeno"]),
    ("junta de cabeza", ["empaque de cabeza", "junta de culata"]),
    # clutch
    ("clutch", ["embrague", "cloch", "cluch", "clutch kit"]),
    ("collarin", ["balero de clutch", "balero de embrague", "rodamiento de embrague"]),
    ("chicote de clutch", ["cable de clutch", "cable de embrague", "chicote de embrague"]),
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
    ("faro", ["farol", "luz delantera", "optica", "faro delantero", "faro de niebla"]),
    ("cuarto", ["cuarto delantero", "direccional", "luz direccional", "intermitente"]),
    ("espejo", ["retrovisor", "espejo retrovisor", "espejo lateral"]),
    # positions, the way people say them
    ("delantero", ["frontal", "adelante", "de adelante", "delante"]),
    ("trasero", ["atras", "de atras", "posterior"]),
    ("izquierdo", ["piloto", "lado piloto", "lado del conductor"]),
    ("derecho", ["copiloto", "lado copiloto", "lado del pasajero"]),
]
