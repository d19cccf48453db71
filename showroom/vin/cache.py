"""OCR results keyed by the image's SHA-256, as small JSON files under the media directory.

Why files next to the media and not a database table:
- the cached value is derived from a file in `MEDIA_DIR`; it lives, is backed up and is
  purged together with the media it describes (delete the photos, the reads go too);
- whoever can read the image (the action server, `showroom vin scan`) can read and write
  its cache, with no database session threaded through the OCR API;
- several action-server replicas already share `MEDIA_DIR` to read the gateway's
  downloads, so they share the cache too; writes are atomic (temporary file + rename),
  so two replicas scanning the same photo at once both leave a valid entry.
Entries carry `OCR_VERSION`: when the reader improves, old entries are ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from showroom.settings import get_settings

log = logging.getLogger(__name__)

OCR_VERSION = 3  # 2: quarter turns, dot-peen fallback, groups; 3: unverified reads, detail pass
_HEX = set("0123456789abcdef")


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


class VinCache:
    """`get`/`put` of OCR outcomes by image hash. Failures to read or write the cache
    are logged and ignored: the cache may only ever save work, never lose a scan."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def default(cls) -> VinCache:
        return cls(get_settings().media_dir / "vin-cache")

    def _path(self, sha256: str) -> Path:
        key = sha256.lower()
        if len(key) != 64 or not set(key) <= _HEX:
            raise ValueError("not a SHA-256 hex digest")
        return self.directory / key[:2] / f"{key}.json"

    def get(self, sha256: str) -> dict[str, Any] | None:
        path = self._path(sha256)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("vin cache entry %s unreadable: %s", sha256[:12], exc)
            return None
        if not isinstance(record, dict) or record.get("ocr_version") != OCR_VERSION:
            return None
        return record

    def put(self, sha256: str, record: dict[str, Any]) -> None:
        path = self._path(sha256)
        entry = {**record, "ocr_version": OCR_VERSION, "stored_at": datetime.now(UTC).isoformat()}
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle)
            Path(temporary).replace(path)
        except OSError as exc:
            log.warning("vin cache entry %s not written: %s", sha256[:12], exc)
            if temporary:
                Path(temporary).unlink(missing_ok=True)
