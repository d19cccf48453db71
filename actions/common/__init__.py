"""Helpers every action shares: conversation context, text heuristics, form base class."""
