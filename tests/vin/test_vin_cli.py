"""`showroom vin scan` and `showroom vin decode`."""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from showroom.cli import main
from showroom.vin.synthetic import make_sample, random_vin

# The fields, exactly; `error` is added only to a line without a VIN.
KEYS = ["image", "vin", "valid", "check_digit_ok", "make", "model_year", "confidence",
        "elapsed_ms"]  # fmt: skip


def _photo(path: Path, seed: int) -> tuple[Path, str]:
    rng = random.Random(seed)
    vin = random_vin(rng, wmi="3N1", year=2019)
    make_sample(vin, "easy", rng, layout="paper", font="DejaVuSansMono.ttf", size=40).save(path)
    return path, vin


def test_scan_prints_one_json_line_per_image_in_order(tmp_path: Path) -> None:
    first, vin1 = _photo(tmp_path / "a.jpg", 1)
    second, vin2 = _photo(tmp_path / "b.jpg", 2)
    args = ["vin", "scan", "--no-cache", str(second), str(first)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["image"] for line in lines] == [str(second), str(first)]
    assert all(list(line) == KEYS for line in lines)  # exactly these, in this order
    assert [line["vin"] for line in lines] == [vin2, vin1]
    assert lines[0]["make"] == "Nissan" and lines[0]["model_year"] == 2019
    assert lines[0]["valid"] is True and lines[0]["check_digit_ok"] is True
    assert isinstance(lines[1]["elapsed_ms"], int)
    assert result.stderr == ""


def test_a_photo_without_a_vin_says_why_and_is_not_bad_input(tmp_path: Path) -> None:
    blank = tmp_path / "pared.png"
    Image.new("RGB", (640, 480), (200, 200, 190)).save(blank)
    result = CliRunner().invoke(main, ["vin", "scan", "--no-cache", str(blank)])
    assert result.exit_code == 0
    line = json.loads(result.stdout)
    assert list(line) == [*KEYS, "error"]
    assert line["vin"] is None and line["error"] == "no VIN found in the image"


def test_a_file_that_is_not_an_image_is_bad_input(tmp_path: Path) -> None:
    """Every line is printed, in order, then the exit code says some input was bad."""
    good, vin = _photo(tmp_path / "ok.jpg", 4)
    text = tmp_path / "c.jpg"
    text.write_text("no es una imagen")
    truncated = tmp_path / "cortada.jpg"
    truncated.write_bytes(good.read_bytes()[:2000])
    missing = tmp_path / "nope.jpg"
    args = ["vin", "scan", "--no-cache", str(text), str(good), str(truncated), str(missing)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["image"] for line in lines] == [str(text), str(good), str(truncated), str(missing)]
    assert [line["vin"] for line in lines] == [None, vin, None, None]
    assert list(lines[1]) == KEYS
    assert all(list(lines[i]) == [*KEYS, "error"] for i in (0, 2, 3))
    assert "not an image" in lines[0]["error"]
    assert "truncated or corrupt" in lines[2]["error"]
    assert lines[3]["error"] == "file not found"
    assert f"{text}: not an image" in result.stderr
    assert "3 of 4 images could not be read" in result.stderr


def test_scan_keeps_the_path_as_given(tmp_path: Path) -> None:
    _photo(tmp_path / "x.jpg", 3)  # tests run inside tmp_path (tests/conftest.py)
    result = CliRunner().invoke(main, ["vin", "scan", "--no-cache", "./x.jpg"])
    assert json.loads(result.output.splitlines()[0])["image"] == "./x.jpg"


def test_scan_without_arguments_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["vin", "scan"])
    assert result.exit_code == 2


def test_decode_prints_the_vehicle() -> None:
    result = CliRunner().invoke(
        main, ["vin", "decode", "1HGCM82633A004352", "3N1", "3N1EB31S3FK311461"]
    )
    assert result.exit_code == 0
    honda, short, tsuru = (json.loads(line) for line in result.output.splitlines())
    assert honda["make"] == "Honda" and honda["model_year"] == 2003 and honda["valid"]
    assert honda["model_year_alternatives"] == []  # a US VIN says which cycle
    assert (tsuru["model_year"], tsuru["model_year_alternatives"]) == (2015, [1985])
    assert honda["description"] == "Honda, año modelo 2003, armado en Estados Unidos"
    assert short["error"] == "length" and not short["valid"]
