"""Fixtures for tests/nlu: the NLU data and the domain, loaded once per session."""

from __future__ import annotations

from typing import Any

import pytest
from nlu_data import ROOT, NluData, load_file, load_nlu


@pytest.fixture(scope="session")
def nlu() -> NluData:
    return load_nlu()


@pytest.fixture(scope="session")
def domain() -> Any:
    return load_file(ROOT / "domain.yml")


@pytest.fixture(scope="session")
def domain_intents(domain: Any) -> list[str]:
    return [i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]]
