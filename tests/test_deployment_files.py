"""The Dockerfile, docker-compose.yml and Procfile build and start the same thing as the
Makefile. No Docker engine is available here, so these are checks of the files themselves:
everything they copy or run exists, they install from the same lock files on the same
Python versions, train the model like `make train`, and only set variables the code reads.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from showroom.cli import main as showroom_cli
from showroom.sales.quotes.config import QuoteSettings
from showroom.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SERVICES = {"postgres", "redis", "duckling", "migrate", "rasa", "actions", "web", "expiry"}


def dockerfile_stages() -> dict[str, list[tuple[str, str]]]:
    """Instructions per build stage: {stage: [(INSTRUCTION, arguments)]}, continuations joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    stages: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, args = line.partition(" ")
        if instruction.upper() == "FROM":
            current = stages.setdefault(args.split()[-1], [])
        current.append((instruction.upper(), args.strip()))
    return stages


def dockerignored(path: str) -> bool:
    patterns = [
        p.strip()
        for p in (ROOT / ".dockerignore").read_text().splitlines()
        if p.strip() and not p.startswith("#")
    ]
    parts = Path(path).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(fnmatch.fnmatch(prefix, pattern) for pattern in patterns for prefix in prefixes)


def compose() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())
    return data


def test_two_stages_on_the_pythons_the_makefile_uses() -> None:
    stages = dockerfile_stages()
    assert set(stages) == {"rasa", "app"}
    assert stages["rasa"][0][1].startswith("python:3.10")
    assert stages["app"][0][1].startswith("python:3.11")
    makefile = (ROOT / "Makefile").read_text()
    assert "PY311 ?= python3.11" in makefile
    assert "find-python310.sh" in makefile


@pytest.mark.parametrize(("stage", "lock"), [("rasa", "rasa.lock"), ("app", "app.lock")])
def test_images_install_the_lock_files_make_setup_installs(stage: str, lock: str) -> None:
    runs = " ".join(args for op, args in dockerfile_stages()[stage] if op == "RUN")
    assert f"-r requirements/{lock}" in runs
    assert f"-r requirements/{lock}" in (ROOT / "Makefile").read_text()


def test_everything_copied_exists_and_is_not_dockerignored() -> None:
    for stage, instructions in dockerfile_stages().items():
        for op, args in instructions:
            if op != "COPY":
                continue
            *sources, _destination = shlex.split(args)
            for source in sources:
                assert (ROOT / source).exists(), f"{stage}: COPY {source} does not exist"
                assert not dockerignored(source.rstrip("/")), f"{stage}: {source} dockerignored"


def test_the_rasa_image_trains_like_make_train() -> None:
    runs = " ".join(args for op, args in dockerfile_stages()["rasa"] if op == "RUN")
    make_train = re.search(r"\$\(RASA\)/rasa train ([^;\n]*)", (ROOT / "Makefile").read_text())
    assert make_train
    assert f"rasa train {make_train.group(1).strip()}" in runs
    copied = " ".join(args for op, args in dockerfile_stages()["rasa"] if op == "COPY")
    for needed in ("config.yml", "domain.yml", "endpoints.yml", "components/", "data/"):
        assert needed in copied


def test_the_app_image_installs_the_same_system_packages_script() -> None:
    runs = " ".join(args for op, args in dockerfile_stages()["app"] if op == "RUN")
    assert "scripts/system-deps.sh runtime" in runs


def test_compose_has_every_service_and_builds_both_images() -> None:
    services = compose()["services"]
    assert set(services) == SERVICES
    assert services["rasa"]["build"]["target"] == "rasa"
    assert services["actions"]["build"]["target"] == "app"
    assert services["web"]["build"]["target"] == "app"
    init = services["postgres"]["volumes"][0].split(":")[0]
    assert (ROOT / init).is_file()


def test_compose_sets_only_variables_the_code_reads() -> None:
    known = {
        (field.alias or name).upper()
        for model in (Settings, QuoteSettings)
        for name, field in model.model_fields.items()
    }
    environment = compose()["x-app-env"]
    assert set(environment) <= known, set(environment) - known
    example = {
        line.split("=", 1)[0].strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    rasa_side = {"ACTION_ENDPOINT_URL", "TRACKER_STORE_URL", "LOCK_STORE_URL", "DUCKLING_URL"}
    assert example <= known | rasa_side, example - known - rasa_side


def _showroom_commands(command: list[str]) -> list[list[str]]:
    joined = " ".join(command)
    if command[:2] == ["sh", "-c"]:
        joined = command[2]
    return [
        shlex.split(part)[1:]
        for part in joined.split("&&")
        if shlex.split(part) and shlex.split(part)[0].endswith("showroom")
    ]


def test_every_showroom_command_started_exists() -> None:
    commands: list[list[str]] = []
    for service in compose()["services"].values():
        if "command" in service:
            commands += _showroom_commands(service["command"])
    for line in (ROOT / "Procfile").read_text().splitlines():
        if ":" in line and not line.startswith("#"):
            commands += _showroom_commands(shlex.split(line.split(":", 1)[1]))
    stages = dockerfile_stages()
    cmd = next(args for op, args in reversed(stages["app"]) if op == "CMD")
    commands += _showroom_commands(YAML(typ="safe").load(cmd))
    assert commands
    for args in commands:
        result = CliRunner().invoke(showroom_cli, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(
        (name.strip(), command.strip())
        for name, _, command in (line.partition(":") for line in lines)
        if command and not name.startswith("#")
    )


def test_the_schema_is_migrated_once_before_the_app_services_start() -> None:
    services = compose()["services"]
    assert _showroom_commands(services["migrate"]["command"])[0] == ["db", "upgrade"]
    for name in ("actions", "web"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert "db upgrade" not in " ".join(services[name]["command"])
    assert "demo load" in services["migrate"]["command"][-1]
    assert services["migrate"]["environment"]["SHOWROOM_DEMO"] == "${SHOWROOM_DEMO:-0}"


def test_rasa_and_the_action_server_are_private_and_rasa_wants_its_token() -> None:
    processes = procfile()
    assert "-i ${RASA_HOST:-127.0.0.1}" in processes["rasa"]
    assert '${RASA_TOKEN:+--auth-token "$RASA_TOKEN"}' in processes["rasa"]
    assert processes["actions"].startswith("SANIC_HOST=${ACTION_HOST:-127.0.0.1} ")
    # compose runs the same Rasa command (inside its private network, with the same token)
    rasa = compose()["services"]["rasa"]
    entry = rasa["entrypoint"][-1].replace("$$", "$")
    procfile_flags = processes["rasa"].split("rasa run ", 1)[1]
    for flag in ("--enable-api", '${RASA_TOKEN:+--auth-token "$RASA_TOKEN"}', "--model models",
                 "--endpoints endpoints.yml", "--credentials credentials.yml"):  # fmt: skip
        assert flag in entry and flag in procfile_flags, flag
    assert "ports" not in rasa and "ports" not in compose()["services"]["actions"]
