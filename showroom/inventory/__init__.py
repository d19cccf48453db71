"""Inventory: branches, vehicles, their importers and the vehicle search."""
