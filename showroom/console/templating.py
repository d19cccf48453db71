"""Jinja2 pages of the web app (autoescaped)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("showroom.console", "templates"),
        autoescape=select_autoescape(["html"]),
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
