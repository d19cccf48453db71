"""Bad input: every kind of broken or hostile file gets a clear error, fast, in bounded
memory; big genuine photos are decoded at reduced scale."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from showroom.vin import loader
from showroom.vin.loader import ImageError, load_gray
from showroom.vin.scan import scan_image
from showroom.vin.synthetic import find_font


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def bomb_png(width: int, height: int) -> bytes:
    """A few hundred bytes announcing width x height pixels of a 1-bit PNG: decoding it
    would take width*height bytes of memory."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (width // 8 + 1)
    compressor = zlib.compressobj(9)
    data = compressor.compress(row * 64) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def expect_error(path: Path, code: str) -> ImageError:
    started = time.monotonic()
    with pytest.raises(ImageError) as caught:
        load_gray(path)
    assert caught.value.code == code
    assert time.monotonic() - started < 2.0
    return caught.value


def test_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("hola, este es mi VIN: 1HGCM82633A004352\n")
    error = expect_error(path, "not_an_image")
    assert "not an image" in str(error)


def test_truncated_jpeg(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.effect_noise((800, 600), 40).convert("RGB").save(buffer, "JPEG", quality=90)
    path = tmp_path / "truncated.jpg"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 3])
    assert "truncated" in str(expect_error(path, "corrupt"))


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.touch()
    expect_error(empty, "empty")
    expect_error(tmp_path / "missing.jpg", "not_found")
    expect_error(tmp_path, "unreadable")  # a directory


def test_a_40_megabyte_file_is_refused_before_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.jpg"
    with path.open("wb") as handle:
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(40 * 1024 * 1024)  # sparse: 40 MB on paper, no time to write
    error = expect_error(path, "too_large")
    assert "40.0 MB" in str(error)


def test_decompression_bomb_is_refused_on_the_header(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb_png(60_000, 60_000))  # 3.6 gigapixels in ~4 KB
    assert path.stat().st_size < 20_000
    expect_error(path, "too_many_pixels")


def test_too_many_pixels_for_a_png_under_pillows_own_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(bomb_png(12_000, 12_000))  # 144 MP: Pillow only warns
    error = expect_error(path, "too_many_pixels")
    assert "144.0 MP" in str(error)


def test_tiny_image(tmp_path: Path) -> None:
    path = tmp_path / "dot.png"
    Image.new("L", (8, 8), 255).save(path)
    expect_error(path, "too_small")


def test_unsupported_format(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    Image.new("RGB", (100, 100), "white").save(path, "PDF")
    expect_error(path, "not_an_image")


def test_a_40_megapixel_photo_is_decoded_small_and_its_vin_read(tmp_path: Path) -> None:
    """A phone's full-resolution JPEG: draft mode decodes it at a fraction of its size,
    and the VIN (written large, as in a close-up) is still read."""
    width, height = 7300, 5480
    photo = Image.new("L", (width, height), 235)
    font_path = find_font("DejaVuSansMono-Bold.ttf")
    assert font_path is not None
    font = ImageFont.truetype(str(font_path), 300)
    ImageDraw.Draw(photo).text((600, 2400), "1HGCM82633A004352", font=font, fill=20)
    path = tmp_path / "camera.jpg"
    photo.save(path, "JPEG", quality=85)
    del photo
    started = time.monotonic()
    loaded = load_gray(path)
    assert time.monotonic() - started < 3.0
    assert loaded.original_size == (width, height)
    assert max(loaded.gray.shape) <= loader.WORKING_SIDE
    result = scan_image(path, timeout_s=30, cache=False)
    assert result.error is None
    assert result.vin == "1HGCM82633A004352"


def test_scan_reports_bad_images_without_raising(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb_png(60_000, 60_000))
    result = scan_image(path, cache=False)
    assert result.vin is None
    assert result.error_code == "too_many_pixels"
    assert result.elapsed_ms < 2000
    text = tmp_path / "x.jpg"
    text.write_text("no soy una foto")
    assert scan_image(text, cache=False).error_code == "not_an_image"
