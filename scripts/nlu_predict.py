"""Parse every message of a Rasa NLU file with a trained model; one JSON line per message.

Runs inside Rasa's environment (Python 3.10), called by scripts/nlu_eval.py:

    .venv-rasa/bin/python scripts/nlu_predict.py MODEL.tar.gz TEST_DATA.yml OUT.jsonl

Each line holds the annotated intent and entities and what the whole pipeline returned
(after synonyms and entity resolution), so entities can be scored as the actions see them.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

# The model names custom components by module path (components.*): import from the project.
PROJECT_ROOT = str(Path(__file__).resolve().parent.parent)


async def predict(model_path: str, data_path: str, out_path: str) -> int:
    if PROJECT_ROOT not in sys.path:
        sys.path.insert(0, PROJECT_ROOT)
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(model_path)
    data = load_data(data_path)
    count = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for message in data.intent_examples:
            text = message.get("text")
            parsed: dict[str, Any] = await agent.parse_message(text)
            row = {
                "text": text,
                "intent": message.get("intent"),
                "entities": [
                    {"entity": e["entity"], "value": e.get("value", ""), "role": e.get("role")}
                    for e in message.get("entities") or []
                ],
                "predicted_intent": (parsed.get("intent") or {}).get("name"),
                "predicted_entities": [
                    {
                        "entity": e["entity"],
                        "value": e.get("value"),
                        "role": e.get("role"),
                        "extractor": e.get("extractor"),
                    }
                    for e in parsed.get("entities") or []
                ],
            }
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            count += 1
    return count


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    count = asyncio.run(predict(*sys.argv[1:4]))
    print(f"parsed {count} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
