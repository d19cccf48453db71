"""Running the gateway's short, synchronous database work off the event loop.

Each `Database` has its own threads and its own engine, whose pool is sized from those
threads (a thread holds one connection at a time, so none ever waits for one) and whose
PostgreSQL statements are time-limited: the webhook's database work must finish well
inside the 15 s Twilio waits, whatever the worker is doing.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from showroom.db.session import PoolOptions, create_database_engine, transaction

P = ParamSpec("P")
T = TypeVar("T")


class Database:
    """`await db.run(fn, *args)` calls `fn(session, *args)` in a worker thread, in one
    transaction (committed when `fn` returns, rolled back when it raises)."""

    def __init__(
        self,
        url: str,
        *,
        threads: int = 8,
        pool_timeout_s: float = 30.0,
        statement_timeout_s: float | None = None,
        name: str = "gateway-db",
    ) -> None:
        self.url = url
        self.threads = max(1, threads)
        self.engine: Engine = create_database_engine(
            url,
            PoolOptions(
                # +1: a thread's connection may still be on its way back to the pool
                size=self.threads + 1,
                max_overflow=2,
                timeout_s=pool_timeout_s,
                statement_timeout_s=statement_timeout_s,
            ),
        )
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix=name)

    def run_sync(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        with transaction(self._sessions) as session:
            return fn(session, *args, **kwargs)

    async def run(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        loop = asyncio.get_running_loop()
        call = functools.partial(self.run_sync, fn, *args, **kwargs)
        return await loop.run_in_executor(self._pool, call)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.engine.dispose()
