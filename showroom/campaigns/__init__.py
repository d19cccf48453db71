"""Outbound campaigns: contacts, campaigns, the dialer and compliance (do-not-contact)."""
