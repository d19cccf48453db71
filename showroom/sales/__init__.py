"""Sales: financing simulations, test-drive appointments, leads, quotes."""
