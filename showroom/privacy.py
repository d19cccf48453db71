"""Helpers that keep personal data out of logs."""

from __future__ import annotations

import hashlib


def mask_phone(phone: str | None) -> str:
    """`+5218112345678` -> `+52******5678`: enough to tell numbers apart in a log."""
    if not phone:
        return "-"
    digits = phone.removeprefix("whatsapp:")
    if len(digits) <= 6:
        return "***"
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def fingerprint(value: str | bytes) -> str:
    """A short stable hash, to correlate a message or image in logs without its content."""
    data = value.encode() if isinstance(value, str) else value
    return hashlib.sha256(data).hexdigest()[:12]
