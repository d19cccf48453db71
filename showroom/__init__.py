"""Showroom: the application package (Python 3.11) behind the Rasa assistant."""
