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
from showroom.channels.signature import check_public_base_url, signature_required
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


def gateway_databases(settings: Settings) -> tuple[Database, Database]:
    """The worker's database threads and the webhooks' own (a busy worker never delays
    Twilio's 200). Each pool holds a connection per thread, so no thread waits for one; on
    PostgreSQL the webhooks' pool wait and statements are bounded by
    GATEWAY_INTAKE_DB_TIMEOUT_S and the worker's statements by
    GATEWAY_DB_STATEMENT_TIMEOUT_S. SQLite has one writer at a time: more threads would
    only wait on its lock."""
    if settings.is_sqlite:
        worker_threads, intake_threads = 2, 1
    else:
        # the conversations at once, plus the heartbeats, the sweep and /health
        worker_threads = settings.gateway_concurrency + 4
        intake_threads = settings.gateway_intake_threads
    worker = Database(
        settings.database_url,
        threads=worker_threads,
        statement_timeout_s=settings.gateway_db_statement_timeout_s,
        name="gateway-db",
    )
    intake = Database(
        settings.database_url,
        threads=intake_threads,
        pool_timeout_s=settings.gateway_intake_db_timeout_s,
        statement_timeout_s=settings.gateway_intake_db_timeout_s,
        name="gateway-intake",
    )
    return worker, intake


class Gateway:
    """Construction is cheap and offline; `start()` opens clients inside the event loop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # refuses an unsafe configuration before anything listens
        self.signature_required = signature_required(settings)
        check_public_base_url(settings)
        self.db, self.intake_db = gateway_databases(settings)
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
            token=settings.rasa_token,
        )
        self.media = MediaFetcher(settings)
        self.messenger = None if settings.local_outbox else TwilioMessenger(settings)
        self.sender = OutboundSender(settings, self.db, self.messenger, self.owner)
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
