"""`scan_image`: the result cache (by SHA-256, under MEDIA_DIR), async use, privacy of logs."""

from __future__ import annotations

import hashlib
import json
import logging
import random
from pathlib import Path

import pytest

from showroom.settings import get_settings
from showroom.vin.cache import OCR_VERSION, VinCache
from showroom.vin.scan import scan_image, scan_image_async
from showroom.vin.synthetic import make_sample, random_vin


@pytest.fixture
def photo(tmp_path: Path) -> tuple[Path, str]:
    rng = random.Random(21)
    vin = random_vin(rng, wmi="3VW", year=2019)
    sample = make_sample(vin, "easy", rng, layout="sticker", font="DejaVuSansMono.ttf", size=40)
    return sample.save(tmp_path / "whatsapp.jpg"), vin


def test_same_photo_twice_is_read_once(photo: tuple[Path, str]) -> None:
    path, vin = photo
    first = scan_image(path, timeout_s=30)
    assert first.vin == vin and not first.cached
    second = scan_image(path, timeout_s=30)
    assert second.vin == vin and second.cached
    assert second.elapsed_ms < first.elapsed_ms
    assert (second.make, second.model_year) == ("Volkswagen", 2019)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    entry = get_settings().media_dir / "vin-cache" / digest[:2] / f"{digest}.json"
    record = json.loads(entry.read_text())
    assert record["vin"] == vin and record["ocr_version"] == OCR_VERSION


def test_a_copy_under_another_name_hits_the_cache(photo: tuple[Path, str], tmp_path: Path) -> None:
    path, vin = photo
    scan_image(path, timeout_s=30)
    copy = tmp_path / "reenviada.jpg"
    copy.write_bytes(path.read_bytes())
    again = scan_image(copy, timeout_s=30)
    assert again.cached and again.vin == vin
    assert again.image == str(copy)


def test_caller_supplied_hash_is_the_key(photo: tuple[Path, str], tmp_path: Path) -> None:
    path, _vin = photo
    cache = VinCache(tmp_path / "cache")
    digest = "ab" * 32
    scan_image(path, timeout_s=30, cache=cache, sha256=digest)
    assert cache.get(digest) is not None
    assert cache.get(hashlib.sha256(path.read_bytes()).hexdigest()) is None


def test_cache_disabled_writes_nothing(photo: tuple[Path, str]) -> None:
    path, _ = photo
    scan_image(path, timeout_s=30, cache=False)
    assert not (get_settings().media_dir / "vin-cache").exists()


def test_broken_cache_entries_are_ignored(tmp_path: Path) -> None:
    cache = VinCache(tmp_path / "c")
    digest = "cd" * 32
    cache.put(digest, {"vin": "1HGCM82633A004352", "confidence": 1.0})
    assert cache.get(digest)["vin"] == "1HGCM82633A004352"  # type: ignore[index]
    entry = tmp_path / "c" / "cd" / f"{digest}.json"
    entry.write_text("{not json")
    assert cache.get(digest) is None
    entry.write_text(json.dumps({"vin": "X", "ocr_version": OCR_VERSION - 1}))
    assert cache.get(digest) is None
    with pytest.raises(ValueError, match="SHA-256"):
        cache.get("../../etc/passwd")


def test_unwritable_cache_never_fails_a_scan(photo: tuple[Path, str], tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    path, vin = photo
    result = scan_image(path, timeout_s=30, cache=VinCache(blocker / "cache"))
    assert result.vin == vin


async def test_async_wrapper(photo: tuple[Path, str]) -> None:
    path, vin = photo
    result = await scan_image_async(path, timeout_s=30, cache=False)
    assert result.vin == vin


def test_logs_carry_no_image_and_no_full_vin(
    photo: tuple[Path, str], caplog: pytest.LogCaptureFixture
) -> None:
    path, vin = photo
    with caplog.at_level(logging.INFO, logger="showroom.vin"):
        scan_image(path, timeout_s=30, cache=False)
    text = caplog.text
    assert "vin scan" in text
    assert vin[-6:] in text
    assert vin not in text
    assert str(path) not in text


def test_a_malformed_caller_hash_is_ignored(photo: tuple[Path, str], tmp_path: Path) -> None:
    path, vin = photo
    cache = VinCache(tmp_path / "cache")
    result = scan_image(path, timeout_s=30, cache=cache, sha256="../../not-a-hash")
    assert result.vin == vin
    assert cache.get(hashlib.sha256(path.read_bytes()).hexdigest()) is not None
