"""VINs: read from a photo (OCR), validated, decoded offline.

The API for actions and the gateway (see docs/vin.md):
- `showroom.vin.scan.scan_image(path, *, timeout_s=8.0, cache=True, sha256=None) -> VinScan`
  and `scan_image_async(path, **options)` (the same, in a worker thread)
- `showroom.vin.decode.decode(vin) -> VinInfo`, `describe_es(info) -> str`
- `components.vin.find_vins(text)`, `validate(vin)`, `vin_length_hint(text)` for typed
  VINs (shared with the Rasa extractor)

The names are also available from `showroom.vin` itself, imported on first use: the
`showroom` command imports this package at start-up and should not load OpenCV then.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "VinScan": "showroom.vin.scan",
    "scan_image": "showroom.vin.scan",
    "scan_image_async": "showroom.vin.scan",
    "VinInfo": "showroom.vin.decode",
    "decode": "showroom.vin.decode",
    "describe_es": "showroom.vin.decode",
    "VinMatch": "components.vin",
    "VinValidation": "components.vin",
    "find_vins": "components.vin",
    "validate": "components.vin",
    "vin_length_hint": "components.vin",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
