"""Per-sender and per-IP limits: in memory, and in the real Redis shared by replicas."""

from __future__ import annotations

import secrets

from showroom.channels import texts
from showroom.channels.rate_limit import MemoryRateLimiter, RedisRateLimiter

from .conftest import GatewayFactory, messages
from .support.app_server import wait_until
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import TwilioStandin


async def test_memory_limiter_counts_per_key_and_scope() -> None:
    limiter = MemoryRateLimiter()
    assert [await limiter.allow("sender", "+528112345678", 3) for _ in range(4)] == [
        True, True, True, False,
    ]  # fmt: skip
    assert await limiter.allow("sender", "+528199999999", 3)
    assert await limiter.allow("ip", "+528112345678", 3)


async def test_redis_limiter_is_shared_between_replicas(redis_url: str) -> None:
    key = secrets.token_hex(8)
    one, two = RedisRateLimiter(redis_url), RedisRateLimiter(redis_url)
    try:
        results = [await (one if n % 2 else two).allow("sender", key, 4) for n in range(6)]
        assert results == [True, True, True, True, False, False]
        assert await one.allow("sender", key + "-other", 4)
        # no phone number in Redis keys
        import redis

        client = redis.Redis.from_url(redis_url)
        assert not [k for k in client.scan_iter("showroom:rl:*") if key.encode() in k]
        client.close()
    finally:
        await one.close()
        await two.close()


async def test_redis_down_lets_messages_through() -> None:
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", timeout_s=0.2)
    try:
        assert await limiter.allow("sender", "x", 1)
        assert await limiter.allow("sender", "x", 1)
    finally:
        await limiter.close()


async def test_a_sender_over_the_limit_is_stored_not_answered_and_told_once(
    gateway_factory: GatewayFactory,
    branches: dict[str, str],
    rasa: RasaStandin,
    twilio_api: TwilioStandin,
    db_url: str,
    redis_url: str,
) -> None:
    phone = "+5281" + str(secrets.randbelow(10**8)).zfill(8)
    async with gateway_factory(rate_limit_sender_per_minute=2, redis_url=redis_url) as app:
        for n in range(5):
            response = await app.send_whatsapp(body=f"m{n}", from_phone=phone, to=branches["MTY"])
            assert response.status_code == 200
        await wait_until(lambda: len(twilio_api.sent) >= 3)
        await wait_until(lambda: all(m.status != "pending" for m in messages(db_url)))

    assert rasa.messages == ["m0", "m1"]
    bodies = sorted(m.body for m in twilio_api.sent)
    assert bodies == sorted(["eco: m0", "eco: m1", texts.THROTTLED])
    assert [m.status for m in messages(db_url, "in")] == [
        "done", "done", "throttled", "throttled", "throttled",
    ]  # fmt: skip


async def test_an_ip_over_the_limit_gets_429_and_nothing_is_stored(
    gateway_factory: GatewayFactory, branches: dict[str, str], db_url: str
) -> None:
    async with gateway_factory(run_worker=False, rate_limit_ip_per_minute=2) as app:
        codes = [(await app.send_whatsapp(body="x", to=branches["MTY"])) for _ in range(3)]
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert codes[2].headers["Retry-After"] == "60"
    assert codes[2].text == "Too many requests"
    assert len(messages(db_url, "in")) == 2
