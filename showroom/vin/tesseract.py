"""Calls to Debian's `tesseract` through pytesseract, each with a hard time limit.

Dictionaries are switched off (a VIN is not a word) and Tesseract runs single-threaded
(OMP_THREAD_LIMIT=1): on a shared 2-core server, parallel scans beat one scan hogging
every core, and OpenMP's spinning only adds latency.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytesseract
from PIL import Image

from components.vin import ALPHABET

log = logging.getLogger(__name__)

BASE_CONFIG = "--oem 1 -c load_system_dawg=0 -c load_freq_dawg=0"
WHITELIST = "-c tessedit_char_whitelist=" + ALPHABET
# The VIN characters plus "O", for a second opinion: when the whitelist forbids the glyph
# Tesseract sees (a round "0" taken for an "O"), it tends to drop the character instead
# of choosing the neighbour class; with "O" allowed it keeps it (`repair` maps O to 0)
# but also invents round glyphs, so both kinds of reads vote. "I" stays out: allowed, it
# steals "J"s and "1"s, and J and 1 weigh the same in the check digit.
WHITELIST_WITH_O = "-c tessedit_char_whitelist=" + ALPHABET + "O"
MIN_CALL_S = 0.25  # below this, a call is not worth starting


class OcrUnavailableError(RuntimeError):
    """The tesseract binary is missing or broken: a server problem, not the image's."""


class OcrTimeoutError(RuntimeError):
    """One Tesseract call ran out of its time."""


@dataclass(frozen=True)
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def center_y(self) -> float:
        return self.top + self.height / 2


def _config(psm: int, whitelist: bool, allow_o: bool = False) -> str:
    if not whitelist:
        return f"{BASE_CONFIG} --psm {psm}"
    return f"{BASE_CONFIG} --psm {psm} {WHITELIST_WITH_O if allow_o else WHITELIST}"


def _run(call: object, *args: object, timeout: float, **kwargs: object) -> object | None:
    """Run one pytesseract call; None when Tesseract failed on this input.

    A crash on one image (Tesseract 5.3 dies with SIGFPE on some degenerate crops) costs
    that read, not the scan; a missing binary is a server problem and is raised.
    """
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if timeout < MIN_CALL_S:
        raise OcrTimeoutError("no time left for another OCR pass")
    try:
        return call(*args, timeout=timeout, **kwargs)  # type: ignore[operator]
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailableError(
            "tesseract is not installed (apt-get install tesseract-ocr)"
        ) from exc
    except pytesseract.TesseractError as exc:
        log.warning("tesseract failed on one pass (status %s)", exc.status)
        return None
    except RuntimeError as exc:  # pytesseract's timeout
        if "timeout" in str(exc).lower():
            raise OcrTimeoutError(str(exc)) from exc
        raise


def words(image: np.ndarray, *, psm: int, whitelist: bool, timeout: float) -> list[Word]:
    """Recognized words with their boxes (empty and zero-confidence blobs dropped)."""
    data = _run(
        pytesseract.image_to_data,
        Image.fromarray(image),
        config=_config(psm, whitelist),
        output_type=pytesseract.Output.DICT,
        timeout=timeout,
    )
    if data is None:
        return []
    assert isinstance(data, dict)
    found = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if text and conf >= 0:
            found.append(
                Word(
                    text,
                    int(data["left"][i]),
                    int(data["top"][i]),
                    int(data["width"][i]),
                    int(data["height"][i]),
                    conf,
                )
            )
    return found


def read_lines(
    images: list[np.ndarray], *, psm: int = 7, allow_o: bool = False, timeout: float
) -> list[str]:
    """The VIN-character text of each image, in one Tesseract process.

    Starting Tesseract and loading its model costs more than reading a line, so every
    variant of a line goes through one process: the images are written to a private
    temporary directory and passed as a list file (Tesseract reads each as a page and
    separates the pages' text with form feeds).
    """
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="showroom-vin-") as directory:
        paths = []
        for index, image in enumerate(images):
            path = Path(directory) / f"line{index}.png"
            Image.fromarray(image).save(path, compress_level=1)
            paths.append(str(path))
        listing = Path(directory) / "pages.txt"
        listing.write_text("\n".join(paths) + "\n")
        text = _run(
            pytesseract.image_to_string,
            str(listing),
            config=_config(psm, whitelist=True, allow_o=allow_o),
            timeout=timeout,
        )
    if text is None:
        return [""] * len(images)
    assert isinstance(text, str)
    pages = [page.strip() for page in text.split("\f")]
    return (pages + [""] * len(images))[: len(images)]
