"""Helpers that keep personal data out of logs (and out of Redis keys)."""

from __future__ import annotations

import hashlib
import hmac

from showroom.settings import get_settings


def mask_phone(phone: str | None) -> str:
    """`+5218112345678` -> `+52******5678`: enough to tell numbers apart in a log."""
    if not phone:
        return "-"
    digits = phone.removeprefix("whatsapp:")
    if len(digits) <= 6:
        return "***"
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def keyed_digest(value: str | bytes, *, key: str | bytes | None = None) -> str:
    """HMAC-SHA256 of `value` under SECRET_KEY (or `key`), hex.

    A plain hash of a phone number or an IPv4 address is reversed by hashing every
    candidate (10^10 Mexican mobiles, 2^32 addresses take minutes); keyed with the
    deployment's secret it cannot be, yet it stays stable across replicas that share it.
    """
    if key is None:
        key = get_settings().secret_key
    secret = key.encode() if isinstance(key, str) else key
    data = value.encode() if isinstance(value, str) else value
    return hmac.new(secret, data, hashlib.sha256).hexdigest()


def fingerprint(value: str | bytes, *, key: str | bytes | None = None) -> str:
    """A short stable keyed hash, to correlate a phone, IP or image in logs without it."""
    return keyed_digest(value, key=key)[:12]
