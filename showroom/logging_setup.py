"""Logging for every process. Logs are English and carry no PII (see `privacy`)."""

from __future__ import annotations

import logging

from showroom.settings import get_settings


def configure_logging(level: str | None = None) -> None:
    logging.basicConfig(
        level=(level or get_settings().log_level).upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
