"""Sliding-window rate limits per sender and per client IP.

"At most N hits in any 60 seconds", not "N per clock minute": with fixed windows a burst
that straddles a minute boundary gets through twice the limit, so whether a customer's
fifth message in two seconds is throttled would depend on the second it was sent.

With REDIS_URL the hit log lives in Redis (a sorted set per key, shared by every gateway
replica); otherwise in this process's memory. Keys are keyed hashes (HMAC with
SECRET_KEY): no phone number or IP is stored in Redis, nor a plain hash one could reverse
by trying numbers. Refused hits are logged too, so a sender who keeps flooding stays
limited until they pause. Each log keeps at most limit + 1 entries: that is all the
decision needs. If Redis is unreachable the limiter lets the request through (and logs
it): losing a customer's message is worse than a missed limit.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from showroom.privacy import keyed_digest
from showroom.settings import Settings

log = logging.getLogger(__name__)

WINDOW_S = 60
_MAX_MEMORY_KEYS = 50_000


class RateLimiter(Protocol):
    async def allow(self, scope: str, key: str, limit: int, window_s: int = WINDOW_S) -> bool:
        """Count one hit; False when `key` has more than `limit` hits in the last `window_s`."""
        ...

    async def close(self) -> None: ...


def key_name(scope: str, key: str, secret: str) -> str:
    digest = keyed_digest(f"{scope}:{key}", key=secret)[:24]
    return f"showroom:rl:{scope}:{digest}"


class MemoryRateLimiter:
    """One process's hit logs (single gateway, tests)."""

    def __init__(self, secret: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._secret = secret
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    async def allow(self, scope: str, key: str, limit: int, window_s: int = WINDOW_S) -> bool:
        if limit <= 0:
            return True
        name = key_name(scope, key, self._secret)
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(name, deque(maxlen=limit + 1))
            if hits.maxlen != limit + 1:  # the limit changed (settings reloaded)
                hits = self._hits[name] = deque(hits, maxlen=limit + 1)
            hits.append(now)
            count = sum(1 for t in hits if t > now - window_s)
            if len(self._hits) > _MAX_MEMORY_KEYS:
                self._forget_idle(now - window_s)
        return count <= limit

    def _forget_idle(self, since: float) -> None:
        self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > since}

    async def close(self) -> None:
        return None


class RedisRateLimiter:
    """Hit logs in Redis (one MULTI/EXEC round trip per hit), shared across replicas.

    Times are this replica's wall clock: replicas must agree within a second or two (NTP),
    as they must for the database leases anyway.
    """

    def __init__(self, url: str, secret: str, timeout_s: float = 0.5) -> None:
        import redis.asyncio as aioredis

        self._secret = secret
        self._redis = aioredis.Redis.from_url(
            url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s
        )

    async def allow(self, scope: str, key: str, limit: int, window_s: int = WINDOW_S) -> bool:
        if limit <= 0:
            return True
        name = key_name(scope, key, self._secret)
        now = time.time()
        member = f"{now:.6f}:{secrets.token_hex(4)}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(name, "-inf", now - window_s)
                pipe.zadd(name, {member: now})
                pipe.zremrangebyrank(name, 0, -(limit + 2))  # keep the newest limit + 1
                pipe.zcard(name)
                pipe.expire(name, window_s + 5)
                *_, count, _ = await pipe.execute()
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
