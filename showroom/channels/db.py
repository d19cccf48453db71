"""Running the gateway's short, synchronous database work off the event loop."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from showroom.db.session import session_scope

P = ParamSpec("P")
T = TypeVar("T")


class Database:
    """`await db.run(fn, *args)` calls `fn(session, *args)` in a worker thread, in one
    transaction (committed when `fn` returns, rolled back when it raises)."""

    def __init__(self, url: str, *, threads: int = 8) -> None:
        self.url = url
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="gateway-db")

    def run_sync(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        with session_scope(self.url) as session:
            return fn(session, *args, **kwargs)

    async def run(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        loop = asyncio.get_running_loop()
        call = functools.partial(self.run_sync, fn, *args, **kwargs)
        return await loop.run_in_executor(self._pool, call)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
