"""End-to-end tests against the real Rasa server and action server."""
