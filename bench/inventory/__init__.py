"""Inventory benchmark: import and search speed on a 10,000-vehicle inventory."""
