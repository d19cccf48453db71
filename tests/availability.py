"""Skip or fail when a service a test needs is missing: skipped on a developer's machine,
a failure under CI=true, where every service must be there.

Importable as `availability` everywhere (pytest puts tests/ on sys.path for the root
conftest); not in a conftest, because `from conftest import ...` resolves to whichever
conftest module was imported last.
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(what: str, why: object) -> None:
    """Skip locally; fail under CI, where every service must be there."""
    message = f"{what} is not reachable ({why})"
    if IN_CI:
        pytest.fail(f"{message}; under CI=true this test must run", pytrace=False)
    pytest.skip(message)
