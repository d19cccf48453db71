"""Loaders for the NLU training data (data/nlu, data/lookups) used by tests/nlu.

The files are read with ruamel.yaml, the parser Rasa itself uses, so a file that loads here
loads in Rasa too. Entity annotations are parsed with the two forms the project uses:
`[text](entity)` and `[text]{"entity": ..., "value": ...}`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
NLU_DIR = ROOT / "data" / "nlu"
LOOKUP_DIR = ROOT / "data" / "lookups"

ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<entity>[^)]+)\)|(?P<json>\{[^}]*\}))")


@dataclass(frozen=True)
class Entity:
    text: str
    entity: str
    value: str
    role: str | None = None


@dataclass(frozen=True)
class Example:
    intent: str
    raw: str
    text: str  # the message as the customer typed it (annotations removed)
    entities: tuple[Entity, ...]
    file: str


@dataclass
class NluData:
    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # canonical -> forms
    lookups: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)

    def by_intent(self) -> dict[str, list[Example]]:
        grouped: dict[str, list[Example]] = {}
        for ex in self.examples:
            grouped.setdefault(ex.intent, []).append(ex)
        return grouped


def fold(text: str) -> str:
    """Lower-case, accents removed: how a customer's spelling variants compare."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def near_duplicate_key(text: str) -> str:
    """Two examples with the same key teach the classifier the same thing."""
    key = re.sub(r"[^a-z0-9ñ ]+", " ", fold(text))
    key = " ".join(key.split())
    return key or text.strip()  # emoji-only messages compare as written


def parse_example(raw: str, intent: str, file: str) -> Example:
    entities = []
    for match in ANNOTATION.finditer(raw):
        text = match.group("text")
        if match.group("json"):
            spec = json.loads(match.group("json"))
            entities.append(
                Entity(text, spec["entity"], str(spec.get("value", text)), spec.get("role"))
            )
        else:
            name = match.group("entity")
            entities.append(Entity(text, name, text))
    plain = ANNOTATION.sub(lambda m: m.group("text"), raw)
    return Example(intent, raw, plain, tuple(entities), file)


def split_block(block: str) -> list[str]:
    lines = []
    for line in block.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        assert stripped.startswith("- "), f"example line without '- ': {line!r}"
        lines.append(stripped[2:].strip())
    return lines


def load_file(path: Path) -> Any:
    yaml = YAML(typ="safe", pure=True)
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle)


def load_nlu() -> NluData:
    data = NluData()
    for path in sorted([*NLU_DIR.glob("*.yml"), *LOOKUP_DIR.glob("*.yml")]):
        content = load_file(path)
        name = str(path.relative_to(ROOT))
        data.files[name] = content
        for item in (content or {}).get("nlu", []):
            if "intent" in item:
                for raw in split_block(item["examples"]):
                    data.examples.append(parse_example(raw, item["intent"], name))
            elif "synonym" in item:
                forms = data.synonyms.setdefault(str(item["synonym"]), [])
                forms.extend(split_block(item["examples"]))
            elif "lookup" in item:
                entries = data.lookups.setdefault(str(item["lookup"]), [])
                entries.extend(split_block(item["examples"]))
    return data
