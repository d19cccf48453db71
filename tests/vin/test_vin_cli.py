"""`showroom vin scan` and `showroom vin decode`."""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner

from showroom.cli import main
from showroom.vin.synthetic import make_sample, random_vin

KEYS = ["image", "vin", "valid", "check_digit_ok", "make", "model_year", "confidence",
        "elapsed_ms", "error"]  # fmt: skip


def _photo(path: Path, seed: int) -> tuple[Path, str]:
    rng = random.Random(seed)
    vin = random_vin(rng, wmi="3N1", year=2019)
    make_sample(vin, "easy", rng, layout="paper", font="DejaVuSansMono.ttf", size=40).save(path)
    return path, vin


def test_scan_prints_one_json_line_per_image_in_order(tmp_path: Path) -> None:
    first, vin1 = _photo(tmp_path / "a.jpg", 1)
    second, vin2 = _photo(tmp_path / "b.jpg", 2)
    bad = tmp_path / "c.jpg"
    bad.write_text("no es una imagen")
    args = ["vin", "scan", "--no-cache", str(second), str(bad), str(first)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["image"] for line in lines] == [str(second), str(bad), str(first)]
    assert all(list(line) == KEYS for line in lines)
    assert [line["vin"] for line in lines] == [vin2, None, vin1]
    assert lines[0]["make"] == "Nissan" and lines[0]["model_year"] == 2019
    assert lines[0]["valid"] is True and lines[0]["error"] is None
    assert "not an image" in lines[1]["error"]
    assert isinstance(lines[2]["elapsed_ms"], int)


def test_scan_keeps_the_path_as_given(tmp_path: Path) -> None:
    _photo(tmp_path / "x.jpg", 3)  # tests run inside tmp_path (tests/conftest.py)
    result = CliRunner().invoke(main, ["vin", "scan", "--no-cache", "./x.jpg"])
    assert json.loads(result.output.splitlines()[0])["image"] == "./x.jpg"


def test_missing_file_gets_its_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    good, vin = _photo(tmp_path / "ok.jpg", 4)
    missing = tmp_path / "nope.jpg"
    result = CliRunner().invoke(main, ["vin", "scan", "--no-cache", str(missing), str(good)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {**lines[0], "image": str(missing), "vin": None, "error": "file not found"}
    assert lines[1]["vin"] == vin
    assert "1 of 2 paths could not be opened" in result.stderr


def test_scan_without_arguments_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["vin", "scan"])
    assert result.exit_code == 2


def test_decode_prints_the_vehicle() -> None:
    result = CliRunner().invoke(main, ["vin", "decode", "1HGCM82633A004352", "3N1"])
    assert result.exit_code == 0
    honda, short = (json.loads(line) for line in result.output.splitlines())
    assert honda["make"] == "Honda" and honda["model_year"] == 2003 and honda["valid"]
    assert honda["description"] == "Honda, año modelo 2003, armado en Estados Unidos"
    assert short["error"] == "length" and not short["valid"]
