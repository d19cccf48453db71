"""Code that runs inside Rasa (Python 3.10): custom NLU components and stores.

Modules named `*_parser.py` or similar pure-Python helpers import nothing from Rasa, so the
app (Python 3.11) can reuse them too.
"""
