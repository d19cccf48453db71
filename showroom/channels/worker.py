"""The gateway worker: finds conversations with due messages and works on them in order.

Runs inside every `showroom serve` process. It wakes when the webhook stores a message
(and every GATEWAY_POLL_INTERVAL_S, which also picks up other replicas' leftovers, retries
that came due and messages left pending by a restart). Up to GATEWAY_CONCURRENCY
conversations are handled at once; within a conversation, strictly one message at a time
under the conversation's lease (see leases.py). Every GATEWAY_STATUS_SWEEP_S it also
applies status callbacks that were stored before their message's sid was known.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time

from showroom.channels import leases, queue
from showroom.channels.db import Database
from showroom.channels.outbound import OutboundSender
from showroom.channels.status_callbacks import apply_unapplied_events
from showroom.channels.turn import TurnHandler
from showroom.db.base import utcnow
from showroom.settings import Settings

log = logging.getLogger(__name__)


def process_owner_id() -> str:
    """Identifies this process in leases: host, pid and a random part (pids get reused)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"


class GatewayWorker:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        turns: TurnHandler,
        sender: OutboundSender,
        owner: str,
    ) -> None:
        self.settings = settings
        self.db = db
        self.turns = turns
        self.sender = sender
        self.owner = owner
        self._wake = asyncio.Event()
        self._active: dict[int, asyncio.Task[bool]] = {}
        self._slots = asyncio.Semaphore(max(1, settings.gateway_concurrency))
        self._main: asyncio.Task[None] | None = None
        self._stopping = False
        self._swept_at = float("-inf")

    def wake(self) -> None:
        """A message was stored: look for work now instead of at the next poll."""
        self._wake.set()

    def start(self) -> None:
        if self._main is None:
            self._main = asyncio.create_task(self._run(), name="gateway-worker")

    async def stop(self) -> None:
        """Stop taking work; conversations in progress get GATEWAY_STOP_TIMEOUT_S to finish
        their step, then are cancelled (a message cancelled while Rasa had it carries its
        hand-off mark: whoever resumes it asks Rasa's tracker first)."""
        self._stopping = True
        self._wake.set()
        if self._main is not None:
            self._main.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._main
        if self._active:
            _, pending = await asyncio.wait(
                list(self._active.values()), timeout=self.settings.gateway_stop_timeout_s
            )
            for task in pending:
                task.cancel()
            for task in pending:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _run(self) -> None:
        log.info("gateway worker started (%s)", self.owner)
        while not self._stopping:
            try:
                await self._dispatch()
                await self._sweep_statuses()
            except Exception:
                log.exception("gateway worker: looking for work failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.gateway_poll_interval_s)
            self._wake.clear()

    async def _sweep_statuses(self) -> None:
        if time.monotonic() - self._swept_at < self.settings.gateway_status_sweep_s:
            return
        self._swept_at = time.monotonic()
        await self.db.run(apply_unapplied_events)

    async def _dispatch(self) -> None:
        free = self.settings.gateway_concurrency - len(self._active)
        if free <= 0:
            return
        due = await self.db.run(
            leases.due_conversations, self.owner, utcnow(), free + len(self._active)
        )
        for conversation_id in due:
            if (
                conversation_id in self._active
                or len(self._active) >= self.settings.gateway_concurrency
            ):
                continue
            task = asyncio.create_task(self._work_on(conversation_id))
            self._active[conversation_id] = task
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[bool]) -> None:
        for conversation_id, active in list(self._active.items()):
            if active is task:
                del self._active[conversation_id]
        # the conversation may have received more while we worked on it (the webhook's
        # wake-up came while it was ours); not when it stopped at a message that waits:
        # nothing of it is due before that message, and the next poll finds it then
        if not task.cancelled() and task.exception() is None and task.result():
            self._wake.set()

    async def _work_on(self, conversation_id: int) -> bool:
        """True when the conversation may have due work left (look again at once)."""
        async with self._slots:
            lease_s = self.settings.gateway_lease_s
            if not await self.db.run(leases.claim, conversation_id, self.owner, lease_s):
                return False
            heartbeat = asyncio.create_task(self._keep_lease(conversation_id))
            try:
                return await self._drain(conversation_id)
            except leases.LeaseLostError:
                log.warning("conversation %s: lease lost to another process", conversation_id)
            except Exception:
                # not retried at once: an error that repeats would spin; the poll retries
                log.exception("conversation %s: processing failed; will retry", conversation_id)
            finally:
                heartbeat.cancel()
                with contextlib.suppress(Exception):
                    await self.db.run(leases.release, conversation_id, self.owner)
            return False

    async def _keep_lease(self, conversation_id: int) -> None:
        """Renew the lease while a slow Rasa or Twilio keeps us on this conversation."""
        lease_s = self.settings.gateway_lease_s
        while True:
            await asyncio.sleep(lease_s / 3)
            try:
                await self.db.run(leases.renew, conversation_id, self.owner, lease_s)
            except leases.LeaseLostError:
                log.warning("conversation %s: lease could not be renewed", conversation_id)
                return
            except Exception:
                log.exception("conversation %s: renewing the lease failed", conversation_id)

    async def _drain(self, conversation_id: int) -> bool:
        """Outbound first (it was queued earlier), then the next inbound message, and so on.

        False when it stopped at a message that must wait (a retry, a send whose outcome
        is looked up later): the messages behind it wait too. True when nothing was left.
        """
        while not self._stopping:
            if not await self.sender.flush(conversation_id):
                return False
            work = await self.db.run(queue.next_inbound, conversation_id)
            if work is None:
                return True
            if not work.due(utcnow()):
                return False
            try:
                done = await self.turns.handle(work)
            except (leases.LeaseLostError, asyncio.CancelledError):
                raise
            except Exception:
                log.exception("message %s: processing failed", work.message_id)
                done = await self.turns.retry(work, "internal error in the gateway")
            if not done:
                return False
        return False
