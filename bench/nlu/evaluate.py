"""Child process: load a trained model with Rasa's Agent and parse messages one by one.

`python -m bench.nlu.evaluate MODEL TEXTS_JSON OUT_JSON` writes, for each text, the
predicted intent and entities and the wall time of `Agent.parse_message` (the same call
Rasa's HTTP API and the message processor use). The first `warmup` messages are parsed
once untimed so lazy initialisation (TensorFlow graph tracing, caches) is not counted.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

FALLBACK_INTENT = "nlu_fallback"


async def parse_all(model: str, texts: list[str], warmup: int) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    for text in texts[:warmup]:
        await agent.parse_message(text)
    results = []
    for text in texts:
        started = time.perf_counter()
        parsed = await agent.parse_message(text)
        elapsed_ms = (time.perf_counter() - started) * 1000
        intent = parsed.get("intent") or {}
        ranking = [
            {"name": r.get("name"), "confidence": float(r.get("confidence") or 0.0)}
            for r in parsed.get("intent_ranking") or []
        ]
        # The classifier's own top intent: FallbackClassifier only puts `nlu_fallback`
        # in front of the ranking, so the first other entry is what the classifier said.
        classifier = next((r for r in ranking if r["name"] != FALLBACK_INTENT), None)
        results.append(
            {
                "intent": intent.get("name"),
                "confidence": float(intent.get("confidence") or 0.0),
                "classifier_intent": classifier["name"] if classifier else intent.get("name"),
                "intent_ranking": ranking[:3],
                "entities": [
                    {
                        "start": entity["start"],
                        "end": entity["end"],
                        "entity": entity["entity"],
                        "role": entity.get("role"),
                        "extractor": entity.get("extractor"),
                    }
                    for entity in parsed.get("entities", [])
                ],
                "latency_ms": elapsed_ms,
            }
        )
    return results


def main(argv: list[str]) -> int:
    model, texts_path, out_path = argv[:3]
    warmup = int(argv[3]) if len(argv) > 3 else 20
    logging.basicConfig(level=logging.WARNING)
    # As a Rasa server at its default log level: no per-message debug output.
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    texts = json.loads(Path(texts_path).read_text(encoding="utf-8"))
    results = asyncio.run(parse_all(model, texts, warmup))
    Path(out_path).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
