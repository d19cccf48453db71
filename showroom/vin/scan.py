"""`scan_image`: a customer's photo in, the VIN and what it says out. The API for actions.

Bounded: the file size and pixel count are checked before decoding (`loader`), OCR stops
at `timeout_s` (`ocr`), and the same photo twice is read once (`cache`, by SHA-256).
Blocking (Tesseract runs as a subprocess): call it from a worker thread in async code,
e.g. `await scan_image_async(path)`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from components.vin import validate
from showroom.privacy import fingerprint
from showroom.vin import detail, loader
from showroom.vin.cache import VinCache, file_sha256
from showroom.vin.decode import VinInfo, decode, describe_es
from showroom.vin.ocr import read_vin
from showroom.vin.tesseract import OcrUnavailableError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 8.0
# Always ask the customer to confirm a read VIN. Below this confidence, say it is a
# guess and offer to type it: in `make bench-vin` no wrong VIN scored this high, while
# 84% of the right ones did (217 of 258; a read no check digit verifies needs agreeing
# reads: plausible.reads_agree).
LOW_CONFIDENCE = 0.75
# A big photo with a small document (`detail.py`): the part where the text is gets this
# share of the time, the whole photo what is left (if at least MIN_WHOLE_S).
DETAIL_SHARE = 0.7
MIN_WHOLE_S = 1.0

# error_code values
NOT_FOUND = "no_vin"
TIMEOUT = "timeout"
OCR_UNAVAILABLE = "ocr_unavailable"
# Outcomes of reading a good image (every other error_code is about the file).
READ_OUTCOMES = frozenset({NOT_FOUND, TIMEOUT, OCR_UNAVAILABLE})


@dataclass(frozen=True)
class VinScan:
    """The result of reading one image. `vin` is None when no VIN was read; `error` then
    says why in English (for logs and the CLI) and `error_code` is stable for code:
    loader codes (`not_an_image`, `corrupt`, `too_large`, `too_many_pixels`, ...),
    `no_vin`, `timeout`, `ocr_unavailable`."""

    image: str
    vin: str | None
    valid: bool
    check_digit_ok: bool
    make: str | None
    model_year: int | None
    country: str | None
    confidence: float
    elapsed_ms: int
    error: str | None = None
    error_code: str | None = None
    cached: bool = False
    info: VinInfo | None = None

    @property
    def description_es(self) -> str | None:
        """The vehicle for the customer, e.g. "Nissan, año modelo 2019, armado en México"
        (None without a VIN)."""
        return describe_es(self.info) if self.info else None

    @property
    def bad_input(self) -> bool:
        """The file could not be read as an image (the caller's input is the problem)."""
        return self.error_code is not None and self.error_code not in READ_OUTCOMES

    def as_json(self) -> dict[str, Any]:
        """The `showroom vin scan` line: exactly the issue's keys, in this order, and
        `error` (the reason in English) only when no VIN was read."""
        line: dict[str, Any] = {
            "image": self.image,
            "vin": self.vin,
            "valid": self.valid,
            "check_digit_ok": self.check_digit_ok,
            "make": self.make,
            "model_year": self.model_year,
            "confidence": self.confidence,
            "elapsed_ms": self.elapsed_ms,
        }
        if self.error:
            line["error"] = self.error
        return line


def _failed(image: str, started: float, code: str, message: str) -> VinScan:
    return VinScan(
        image=image,
        vin=None,
        valid=False,
        check_digit_ok=False,
        make=None,
        model_year=None,
        country=None,
        confidence=0.0,
        elapsed_ms=_elapsed(started),
        error=message,
        error_code=code,
    )


def _elapsed(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def scan_image(
    path: Path | str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    cache: VinCache | bool | None = True,
    sha256: str | None = None,
    max_bytes: int = loader.MAX_FILE_BYTES,
) -> VinScan:
    """Read the VIN in the image at `path`.

    `cache`: True for the default cache under `MEDIA_DIR`, a `VinCache`, or False/None.
    `sha256`: the image's hash when the caller already has it (the gateway's media
    metadata does); otherwise it is computed. Never raises for a bad image: the
    returned `VinScan` carries `error`/`error_code`.
    """
    started = time.monotonic()
    image = str(path)
    path = Path(path)
    store = VinCache.default() if cache is True else (cache or None)
    try:
        loader.check_file(path, max_bytes=max_bytes)
        digest = sha256.lower() if sha256 and _is_sha256(sha256) else _hash(path)
        record = store.get(digest) if store else None
        if record is None:
            record = _ocr(path, timeout_s, max_bytes)
            if store and record["complete"]:
                store.put(digest, record)
            cached = False
        else:
            cached = True
    except loader.ImageError as exc:
        log.info("vin scan: unusable image (%s)", exc.code)
        return _failed(image, started, exc.code, str(exc))
    except OcrUnavailableError as exc:
        log.error("vin scan: %s", exc)
        return _failed(image, started, OCR_UNAVAILABLE, str(exc))
    result = _result(image, started, record, cached)
    log.info(
        "vin scan image=%s vin_tail=%s valid=%s confidence=%.2f cached=%s ms=%d",
        fingerprint(digest),
        result.vin[-6:] if result.vin else "-",
        result.valid,
        result.confidence,
        cached,
        result.elapsed_ms,
    )
    return result


def _is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value.lower())


def _hash(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError as exc:
        raise loader.ImageError("unreadable", f"cannot read the file ({exc.strerror})") from None


def _ocr(path: Path, timeout_s: float, max_bytes: int) -> dict[str, Any]:
    """Read the working copy; a big photo whose document is small is read first where the
    text is, in more detail (`detail.py`), and as a whole with the time left."""
    started = time.monotonic()
    loaded = loader.load_gray(path, max_bytes=max_bytes)
    box = detail.detail_box(loaded)
    outcome = None
    if box is not None:
        region = loader.load_region(path, box)
        left = timeout_s - (time.monotonic() - started)
        outcome = read_vin(region, timeout_s=left * DETAIL_SHARE)
        log.debug("vin scan: detail pass on %s of the photo", "x".join(f"{v:.2f}" for v in box))
    if outcome is None or not outcome.vin:
        left = timeout_s - (time.monotonic() - started)
        if outcome is None or left >= MIN_WHOLE_S:
            outcome = read_vin(loaded.gray, timeout_s=max(left, 0.0))
    return {
        "vin": outcome.vin,
        "confidence": outcome.confidence,
        "timed_out": outcome.timed_out,
        # A read cut short by the time limit may improve on a quieter machine: not cached.
        "complete": not outcome.timed_out,
    }


def _result(image: str, started: float, record: dict[str, Any], cached: bool) -> VinScan:
    vin = record.get("vin")
    if not vin:
        if record.get("timed_out"):
            return _failed(image, started, TIMEOUT, "time limit reached before a VIN was read")
        return _failed(image, started, NOT_FOUND, "no VIN found in the image")
    info = decode(vin)
    check = validate(vin)
    return VinScan(
        image=image,
        vin=check.vin,
        valid=check.valid,
        check_digit_ok=check.check_digit_ok,
        make=info.make,
        model_year=info.model_year,
        country=info.country,
        confidence=float(record.get("confidence", 0.0)),
        elapsed_ms=_elapsed(started),
        cached=cached,
        info=info,
    )


async def scan_image_async(path: Path | str, **options: Any) -> VinScan:
    """`scan_image` in a worker thread, for the action server's event loop."""
    return await asyncio.to_thread(scan_image, path, **options)
