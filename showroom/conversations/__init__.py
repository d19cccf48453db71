"""Customers, conversations, messages and the handoff state machine."""
