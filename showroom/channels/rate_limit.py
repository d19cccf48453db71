"""Fixed-window rate limits per sender and per client IP.

With REDIS_URL the counters live in Redis, shared by every gateway replica; otherwise in
this process's memory. Keys are keyed hashes (HMAC with SECRET_KEY): no phone number or
IP is stored in Redis, nor a plain hash one could reverse by trying numbers. If Redis
is unreachable the limiter lets the request through (and logs it): losing a customer's
message is worse than a missed limit.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from showroom.privacy import keyed_digest
from showroom.settings import Settings

log = logging.getLogger(__name__)

WINDOW_S = 60


class RateLimiter(Protocol):
    async def allow(self, scope: str, key: str, limit: int, window_s: int = WINDOW_S) -> bool:
        """Count one hit; False when `key` is over `limit` hits in the current window."""
        ...

    async def close(self) -> None: ...


def _bucket(scope: str, key: str, window_s: int, now: float, secret: str) -> tuple[str, int]:
    digest = keyed_digest(f"{scope}:{key}", key=secret)[:24]
    window = int(now // window_s)
    return f"showroom:rl:{scope}:{digest}:{window}", window


class MemoryRateLimiter:
    """One process's counters (single gateway, tests)."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    async def allow(self, scope: str, key: str, limit: int, window_s: int = WINDOW_S) -> bool:
        if limit <= 0:
            return True
        name, window = _bucket(scope, key, window_s, time.time(), self._secret)
        with self._lock:
            seen_window, count = self._counts.get(name, (window, 0))
            count = count + 1 if seen_window == window else 1
            self._counts[name] = (window, count)
            if len(self._counts) > 50_000:
                self._forget_old(window)
        return count <= limit

    def _forget_old(self, window: int) -> None:
        self._counts = {k: v for k, v in self._counts.items() if v[0] >= window}

    async def close(self) -> None:
        return None


class RedisRateLimiter:
    """Counters in Redis (INCR + EXPIRE in one round trip), shared across replicas."""

    def __init__(self, url: str, secret: str, timeout_s: float = 0.5) -> None:
        import redis.asyncio as aioredis

        self._secret = secret
        self._redis = aioredis.Redis.from_url(
            url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s
        )

    async def allow(self, scope: str, key: str, limit: int, window_s: int = WINDOW_S) -> bool:
        if limit <= 0:
            return True
        name, _ = _bucket(scope, key, window_s, time.time(), self._secret)
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, window_s + 5)
                count, _ = await pipe.execute()
        except Exception as exc:
            log.warning("rate limiter: Redis unavailable (%s); request allowed", type(exc).__name__)
            return True
        return int(count) <= limit

    async def close(self) -> None:
        await self._redis.aclose()  # type: ignore[attr-defined]  # stubs predate aclose


def build_rate_limiter(settings: Settings) -> RateLimiter:
    if settings.redis_url:
        return RedisRateLimiter(settings.redis_url, settings.secret_key)
    return MemoryRateLimiter(settings.secret_key)
