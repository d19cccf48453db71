"""Rasa custom actions (rasa_sdk): thin adapters from the conversation to showroom services.

One module per flow (search, financing, test_drive, branches, trade_in, handoff, compliance,
quote, refine); shared tracker/metadata helpers live in `actions.common`. Every action reads
slots and the gateway's metadata, calls the services inside `session_scope()`, sends short
es-MX messages and returns the exact events. See docs/dialogue.md.
"""
