"""Rasa entity extractor for Spanish amounts, percentages, terms, km, years, options, times.

Offline by default (components/spanish_quantities.py). With `DUCKLING_URL` set (or the
`duckling_url` option) it asks Rasa's own DucklingEntityExtractor first and normalises
its answer to the same entity names (components/duckling_normalize.py); anything Duckling
did not cover is filled in by the offline parser. If Duckling fails or times out the
offline parser answers alone, and Duckling is not asked again for `duckling_retry_after`
seconds, so a customer never waits on a dead server.

"Now" is taken in the timezone of the message metadata key `timezone`, else the
`timezone` option, else env DEFAULT_TIMEZONE, else America/Mexico_City. Times are
returned as local wall-clock ISO strings without offset; the action reads them in the
branch's timezone.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.duckling_entity_extractor import DucklingEntityExtractor
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.endpoints import concat_url

from components.duckling_normalize import normalize_duckling
from components.spanish_quantities import extract_quantities

logger = logging.getLogger(__name__)

FALLBACK_TIMEZONE = "America/Mexico_City"
FROZEN_NOW_ENV = "SHOWROOM_NLU_FROZEN_NOW"
MATCHES_ATTRIBUTE = "quantity_matches"
DUCKLING_DIMENSIONS = ["amount-of-money", "number", "duration", "time", "ordinal"]


class DucklingUnavailableError(RuntimeError):
    """Duckling did not answer in time or answered with an error."""


class _CheckedDuckling(DucklingEntityExtractor):
    """Rasa's DucklingEntityExtractor, but a failed call raises instead of returning [].

    Rasa's extractor logs and returns no entities on errors, which cannot be told apart
    from "nothing found"; the offline fallback needs to know.
    """

    def _duckling_parse(self, text: str, reference_time: int) -> list[dict[str, Any]]:
        url = concat_url(self._url(), "/parse")
        try:
            response = requests.post(
                url,
                data=self._payload(text, reference_time),
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
                timeout=self.component_config.get("timeout"),
            )
        except requests.RequestException as error:
            raise DucklingUnavailableError(type(error).__name__) from error
        if response.status_code != 200:
            raise DucklingUnavailableError(f"HTTP {response.status_code}")
        try:
            matches = response.json()
        except ValueError as error:
            raise DucklingUnavailableError("invalid JSON") from error
        if not isinstance(matches, list):
            raise DucklingUnavailableError("unexpected response")
        return matches


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("Unknown timezone %r, using the default one", name)
        return None


def _system_clock(zone: ZoneInfo) -> dt.datetime:
    """Now in `zone`; env SHOWROOM_NLU_FROZEN_NOW (local wall clock, ISO) fixes it.

    The frozen clock exists for conversation tests (`rasa test` compares the `time`
    values a test story annotates); never set it in production.
    """
    frozen = os.environ.get(FROZEN_NOW_ENV)
    if frozen:
        try:
            return dt.datetime.fromisoformat(frozen).replace(tzinfo=zone)
        except ValueError:
            logger.warning("Ignoring %s: not an ISO date-time", FROZEN_NOW_ENV)
    return dt.datetime.now(zone)


# Also a MESSAGE_FEATURIZER: only those run on the training data in Rasa's training graph,
# and the CRF tagger learns from the spans this component marks on training examples.
@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
)
class SpanishQuantityExtractor(GraphComponent, EntityExtractorMixin):
    """Entities amount (roles budget/down_payment/price), percent, months, km, year,
    option and time from Spanish text; offline or through Duckling (module doc)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Timezone for "now" when the message metadata has none (else env
            # DEFAULT_TIMEZONE, else America/Mexico_City).
            "timezone": None,
            # Duckling server; None means env DUCKLING_URL (unset = offline only).
            "duckling_url": None,
            "duckling_locale": "es_MX",
            "duckling_timeout": 1.5,
            "duckling_retry_after": 30.0,
            # Restrict the entity names returned (None = all of them).
            "entities": None,
        }

    def __init__(
        self, config: dict[str, Any], clock: Callable[[ZoneInfo], dt.datetime] = _system_clock
    ) -> None:
        self.component_config = config
        self.clock = clock
        self.default_zone = (
            _zone(config.get("timezone"))
            or _zone(os.environ.get("DEFAULT_TIMEZONE"))
            or ZoneInfo(FALLBACK_TIMEZONE)
        )
        self.duckling_url = config.get("duckling_url") or os.environ.get("DUCKLING_URL") or None
        self.entities = set(config["entities"]) if config.get("entities") else None
        if os.environ.get(FROZEN_NOW_ENV):
            logger.warning("%s is set: dates are resolved against a fixed time", FROZEN_NOW_ENV)
        self._ducklings: dict[str, _CheckedDuckling] = {}
        self._duckling_down_until = 0.0

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SpanishQuantityExtractor:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples keep their annotations; the spans found go to the
        `quantity_matches` attribute, which the CRF tagger reads as features."""
        for message in training_data.training_examples:
            text = message.get(TEXT) or ""
            if text.strip():
                found = self.extract(text, self.default_zone, _intent_name(message), offline=True)
                message.set(MATCHES_ATTRIBUTE, [(e["start"], e["end"], e["entity"]) for e in found])
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip():
                continue
            found = self.extract(text, self._message_zone(message), _intent_name(message))
            message.set(MATCHES_ATTRIBUTE, [(e["start"], e["end"], e["entity"]) for e in found])
            if found:
                message.set(
                    ENTITIES,
                    message.get(ENTITIES, []) + self.add_extractor_name(found),
                    add_to_output=True,
                )
        return messages

    def extract(
        self, text: str, zone: ZoneInfo, intent: str | None = None, offline: bool = False
    ) -> list[dict[str, Any]]:
        """Entities of `text` with "now" in `zone` (Duckling first when configured)."""
        now = self.clock(zone).astimezone(zone).replace(tzinfo=None)
        parsed = extract_quantities(text, now, intent=intent)
        found = parsed
        use_duckling = self.duckling_url and not offline
        if use_duckling and time.monotonic() >= self._duckling_down_until:
            try:
                duckling = self._ask_duckling(text, zone, now, intent)
            except DucklingUnavailableError as error:
                logger.warning("Duckling unavailable (%s); using the offline parser", error)
                self._duckling_down_until = (
                    time.monotonic() + self.component_config["duckling_retry_after"]
                )
            else:
                found = duckling + [e for e in parsed if not _overlaps_any(e, duckling)]
        if self.entities is not None:
            found = [e for e in found if e["entity"] in self.entities]
        for entity in found:
            entity.setdefault("confidence_entity", 1.0)
        return sorted(found, key=lambda e: (e["start"], e["end"]))

    def _ask_duckling(
        self, text: str, zone: ZoneInfo, now: dt.datetime, intent: str | None
    ) -> list[dict[str, Any]]:
        duckling = self._ducklings.get(zone.key)
        if duckling is None:
            duckling = _CheckedDuckling(
                {
                    **DucklingEntityExtractor.get_default_config(),
                    "url": self.duckling_url,
                    "locale": self.component_config["duckling_locale"],
                    "timezone": zone.key,
                    "dimensions": DUCKLING_DIMENSIONS,
                    "timeout": self.component_config["duckling_timeout"],
                }
            )
            self._ducklings[zone.key] = duckling
        probe = Message(data={TEXT: text}, time=int(now.replace(tzinfo=zone).timestamp()))
        duckling.process([probe])
        return normalize_duckling(text, probe.get(ENTITIES, []), now, zone, intent)

    def _message_zone(self, message: Message) -> ZoneInfo:
        metadata = message.get("metadata") or {}
        requested = metadata.get("timezone") if isinstance(metadata, dict) else None
        return _zone(requested) or self.default_zone


def _intent_name(message: Message) -> str | None:
    intent = message.get(INTENT)
    if isinstance(intent, dict):
        return intent.get("name")
    return intent if isinstance(intent, str) else None


def _overlaps_any(entity: dict[str, Any], others: list[dict[str, Any]]) -> bool:
    return any(entity["start"] < o["end"] and o["start"] < entity["end"] for o in others)
