"""Open a customer's image safely: bounded bytes, pixels, time and memory.

Everything is checked before pixels are decoded: the file size, the format, and the
pixel count from the header. Big JPEG photos (40 MP and more) are decoded in draft mode
at 1/2, 1/4 or 1/8 scale, so they never occupy full-size memory; other formats above
the pixel limit are refused. Decompression bombs fail on the header.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# WhatsApp sends images as JPEG up to ~5 MB; documents can be larger.
MAX_FILE_BYTES = 25 * 1024 * 1024
# After draft decoding: a 24 MP grayscale image is 24 MB.
MAX_DECODED_PIXELS = 24_000_000
# JPEG headers may announce this much: draft mode decodes them at 1/2 to 1/8 scale.
MAX_JPEG_PIXELS = 150_000_000
FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "BMP", "GIF", "TIFF"}
WORKING_SIDE = 2400  # longest side kept for OCR; more only costs time


class ImageError(ValueError):
    """The file cannot be used as an image. `code` is stable, the message is English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class LoadedImage:
    gray: np.ndarray  # uint8, 2-D, longest side <= WORKING_SIDE
    original_size: tuple[int, int]
    format: str

    @property
    def detail_lost(self) -> float:
        """How many times smaller the working image is than the photo (1.0: not reduced)."""
        return max(self.original_size) / max(1, max(self.gray.shape))


# Box as fractions of the oriented image: left, top, width, height in 0..1.
Fractions = tuple[float, float, float, float]


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:.1f} MP"


def check_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> int:
    """The file's size, after checking it is a readable regular file within the limit."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ImageError("not_found", "file not found") from None
    except OSError as exc:
        raise ImageError("unreadable", f"cannot read the file ({exc.strerror})") from None
    if not path.is_file():
        raise ImageError("unreadable", "not a regular file")
    if not os.access(path, os.R_OK):
        raise ImageError("unreadable", "permission denied")
    if stat.st_size == 0:
        raise ImageError("empty", "empty file")
    if stat.st_size > max_bytes:
        raise ImageError(
            "too_large",
            f"file too large: {stat.st_size / 2**20:.1f} MB (limit {max_bytes / 2**20:.0f} MB)",
        )
    return stat.st_size


def load_gray(
    path: Path, *, max_bytes: int = MAX_FILE_BYTES, working_side: int = WORKING_SIDE
) -> LoadedImage:
    """Decode `path` to a grayscale array, or raise ImageError with the reason."""
    check_file(path, max_bytes=max_bytes)
    with warnings.catch_warnings():
        # We apply our own, stricter pixel limits below.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except Image.DecompressionBombError as exc:
            raise ImageError("too_many_pixels", f"decompression bomb refused ({exc})") from None
        except UnidentifiedImageError:
            raise ImageError("not_an_image", "not an image, or an unsupported format") from None
        except OSError as exc:
            raise ImageError("unreadable", f"cannot read the image ({exc})") from None
        with image:
            return _decode(image, working_side)


def load_region(path: Path, box: Fractions, *, max_side: int = WORKING_SIDE) -> np.ndarray:
    """A part of an image already loaded once by `load_gray`, at the most detail the pixel
    limit allows: a 40 MP JPEG is decoded at 1/2 scale (10 MP) instead of the 1/3 of the
    working copy, then only `box` (fractions of the upright image) is kept, its longest
    side at most `max_side`. For the small document in a big photo (`detail.py`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(path)
        except (Image.DecompressionBombError, UnidentifiedImageError, OSError) as exc:
            raise ImageError("unreadable", f"cannot read the image again ({exc})") from None
        with image:
            width, height = image.size
            if (image.format or "") in ("JPEG", "MPO"):
                scale = 1.0
                while width * height * scale * scale > MAX_DECODED_PIXELS and scale > 1 / 8:
                    scale /= 2
                image.draft("L", (int(width * scale), int(height * scale)))
            elif width * height > MAX_DECODED_PIXELS:
                raise ImageError("too_many_pixels", "image too large for a detailed read")
            try:
                image.load()
                oriented = ImageOps.exif_transpose(image) or image
                gray = oriented.convert("L")
            except (OSError, ValueError, SyntaxError) as exc:
                raise ImageError("corrupt", f"truncated or corrupt image ({exc})") from None
    if gray.width * gray.height > MAX_DECODED_PIXELS:
        raise ImageError("too_many_pixels", f"image too large after decoding ({gray.size})")
    left, top, box_w, box_h = box
    region = gray.crop(
        (
            max(0, round(left * gray.width)),
            max(0, round(top * gray.height)),
            min(gray.width, round((left + box_w) * gray.width)),
            min(gray.height, round((top + box_h) * gray.height)),
        )
    )
    if max(region.size) > max_side:
        region.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return np.asarray(region, dtype=np.uint8).copy()


def _decode(image: Image.Image, working_side: int) -> LoadedImage:
    fmt = image.format or "?"
    if fmt not in FORMATS:
        raise ImageError("unsupported_format", f"unsupported image format {fmt}")
    width, height = image.size
    pixels = width * height
    if width < 16 or height < 16:
        raise ImageError("too_small", f"image too small: {width}x{height} pixels")
    limit = MAX_JPEG_PIXELS if fmt in ("JPEG", "MPO") else MAX_DECODED_PIXELS
    if pixels > limit:
        raise ImageError(
            "too_many_pixels",
            f"image too large: {width}x{height} ({_megapixels(pixels)}, "
            f"limit {_megapixels(limit)} for {fmt})",
        )
    if fmt in ("JPEG", "MPO"):
        # Decode at the smallest 1/2^k scale that still covers the working size.
        image.draft("L", (working_side, working_side))
    try:
        image.seek(0)
        image.load()
        oriented = ImageOps.exif_transpose(image) or image
        gray = oriented.convert("L")
    except Image.DecompressionBombError as exc:
        raise ImageError("too_many_pixels", f"decompression bomb refused ({exc})") from None
    except (OSError, ValueError, SyntaxError) as exc:
        # Pillow reports truncated and corrupt data as OSError (or SyntaxError for
        # some broken headers).
        raise ImageError("corrupt", f"truncated or corrupt image ({exc})") from None
    if gray.width * gray.height > MAX_DECODED_PIXELS:
        raise ImageError("too_many_pixels", f"image too large after decoding ({gray.size})")
    if max(gray.size) > working_side:
        gray.thumbnail((working_side, working_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return LoadedImage(np.asarray(gray, dtype=np.uint8).copy(), (width, height), fmt)
