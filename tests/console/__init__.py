"""Web app tests: /health and the WhatsApp simulator."""
