"""The gateway's parts, built once per process and shared by the web app's handlers."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from showroom.channels.branches import BranchDirectory
from showroom.channels.db import Database
from showroom.channels.inbound import Accepted, InboundMessage, accept_inbound
from showroom.channels.media import MediaFetcher
from showroom.channels.outbound import OutboundSender
from showroom.channels.rasa_client import RasaClient
from showroom.channels.rate_limit import RateLimiter, build_rate_limiter
from showroom.channels.signature import signature_required
from showroom.channels.turn import TurnHandler
from showroom.channels.twilio_client import TwilioMessenger
from showroom.channels.worker import GatewayWorker, process_owner_id
from showroom.db.models.conversations import Message
from showroom.db.session import session_scope
from showroom.settings import Settings

log = logging.getLogger(__name__)


class SchemaMissingError(RuntimeError):
    """The database has not been migrated."""


def _check_schema(session: Session) -> None:
    try:
        session.execute(select(Message.id).limit(1))
    except SQLAlchemyError as exc:
        raise SchemaMissingError(
            "the database has no messages table: run `showroom db upgrade` first"
        ) from exc


def ensure_schema(url: str) -> None:
    """`SchemaMissingError` with the fix when the database was never migrated."""
    with session_scope(url) as session:
        _check_schema(session)


class Gateway:
    """Construction is cheap and offline; `start()` opens clients inside the event loop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # refuses an unsafe configuration before anything listens
        self.signature_required = signature_required(settings)
        # SQLite has one writer at a time: more threads only wait on its lock (with sleeps)
        worker_threads = 2 if settings.is_sqlite else settings.gateway_concurrency + 4
        self.db = Database(settings.database_url, threads=worker_threads)
        # webhooks get their own threads: a busy worker never delays Twilio's 200
        self.intake_db = Database(settings.database_url, threads=1 if settings.is_sqlite else 8)
        self.directory = BranchDirectory()
        self.owner = process_owner_id()
        self.mode = "local" if settings.local_outbox else "twilio"
        self.started = False

    async def start(self, *, run_worker: bool = True) -> None:
        settings = self.settings
        await self.db.run(_check_schema)
        self.limiter: RateLimiter = build_rate_limiter(settings)
        self.rasa = RasaClient(
            settings.rasa_url,
            timeout_s=settings.rasa_timeout_s,
            action_endpoint_url=settings.action_endpoint_url or None,
        )
        self.media = MediaFetcher(settings)
        self.messenger = None if settings.local_outbox else TwilioMessenger(settings)
        self.sender = OutboundSender(settings, self.db, self.messenger)
        self.turns = TurnHandler(settings, self.db, self.rasa, self.media, self.sender, self.owner)
        self.worker = GatewayWorker(settings, self.db, self.turns, self.sender, self.owner)
        self.started = True
        if run_worker:
            self.worker.start()
        log.info(
            "gateway ready: mode=%s signature_check=%s rate_limits=%s",
            self.mode,
            "on" if self.signature_required else "off",
            "redis" if settings.redis_url else "memory",
        )

    async def stop(self) -> None:
        if not self.started:
            return
        await self.worker.stop()
        await self.rasa.close()
        await self.media.close()
        await self.limiter.close()
        if self.messenger is not None:
            await self.messenger.close()
        self.db.close()
        self.intake_db.close()
        self.started = False

    async def accept(self, message: InboundMessage, *, throttled: bool = False) -> Accepted:
        """Store an inbound message (durably, once) and wake the worker."""
        accepted = await self.intake_db.run(
            accept_inbound, message, self.directory, self.settings, throttled=throttled
        )
        if not accepted.duplicate:
            self.worker.wake()
        return accepted
