"""Per-sender and per-IP limits: in memory, and in the real Redis shared by replicas."""

from __future__ import annotations

import asyncio
import secrets

from showroom.channels import texts
from showroom.channels.rate_limit import MemoryRateLimiter, RedisRateLimiter, key_name

from .conftest import GatewayFactory, messages
from .support.app_server import WEBHOOK, wait_until, whatsapp_form
from .support.rasa_standin import RasaStandin
from .support.twilio_standin import TwilioStandin

SECRET = "test-secret-key"


async def test_memory_limiter_counts_per_key_and_scope() -> None:
    limiter = MemoryRateLimiter(SECRET)
    assert [await limiter.allow("sender", "+528112345678", 3) for _ in range(4)] == [
        True, True, True, False,
    ]  # fmt: skip
    assert await limiter.allow("sender", "+528199999999", 3)
    assert await limiter.allow("ip", "+528112345678", 3)


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_a_burst_across_a_minute_boundary_is_still_limited() -> None:
    """A fixed per-minute window would let 2 x limit through at 11:59:59 + 12:00:00."""
    clock = FakeClock(59.5)  # half a second before a clock minute ends
    limiter = MemoryRateLimiter(SECRET, clock=clock)
    results = []
    for _ in range(4):
        results.append(await limiter.allow("sender", "+528112345678", 2))
        clock.now += 0.3  # 59.5, 59.8, 60.1, 60.4
    assert results == [True, True, False, False]


async def test_hits_older_than_the_window_stop_counting() -> None:
    clock = FakeClock(1_000.0)
    limiter = MemoryRateLimiter(SECRET, clock=clock)
    assert [await limiter.allow("sender", "k", 2) for _ in range(3)] == [True, True, False]
    clock.now += 30
    assert not await limiter.allow("sender", "k", 2)  # three hits in the last 60 s
    clock.now += 31  # the first three are 61 s old; the one at +30 still counts
    assert [await limiter.allow("sender", "k", 2) for _ in range(2)] == [True, False]


async def test_redis_limiter_slides_its_window(redis_url: str) -> None:
    key = secrets.token_hex(8)
    limiter = RedisRateLimiter(redis_url, SECRET)
    try:
        assert [await limiter.allow("sender", key, 2, window_s=1) for _ in range(3)] == [
            True, True, False,
        ]  # fmt: skip
        await asyncio.sleep(1.2)
        assert await limiter.allow("sender", key, 2, window_s=1)
        # the log keeps only limit + 1 entries, however many hits a flood sends
        for _ in range(20):
            await limiter.allow("sender", key + "-flood", 3)
        import redis

        client = redis.Redis.from_url(redis_url)
        try:
            assert client.zcard(key_name("sender", key + "-flood", SECRET)) == 4
        finally:
            client.close()
    finally:
        await limiter.close()


async def test_redis_limiter_is_shared_between_replicas(redis_url: str) -> None:
    key = secrets.token_hex(8)
    one, two = RedisRateLimiter(redis_url, SECRET), RedisRateLimiter(redis_url, SECRET)
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
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", SECRET, timeout_s=0.2)
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
    # a tiny per-IP limit changes nothing for Twilio's signed requests: the sender's applies
    limits = {"rate_limit_sender_per_minute": 2, "rate_limit_ip_per_minute": 1}
    async with gateway_factory(redis_url=redis_url, **limits) as app:
        for n in range(5):
            response = await app.send_whatsapp(body=f"m{n}", from_phone=phone, to=branches["MTY"])
            assert response.status_code == 200
        await wait_until(lambda: len(twilio_api.sent) >= 3)
        await wait_until(
            lambda: all(m.status not in ("pending", "submitting") for m in messages(db_url))
        )

    assert rasa.messages == ["m0", "m1"]
    bodies = sorted(m.body for m in twilio_api.sent)
    assert bodies == sorted(["eco: m0", "eco: m1", texts.THROTTLED])
    assert [m.status for m in messages(db_url, "in")] == [
        "done", "done", "throttled", "throttled", "throttled",
    ]  # fmt: skip


async def test_signed_twilio_traffic_from_one_ip_is_never_refused_for_its_ip(
    gateway_factory: GatewayFactory, branches: dict[str, str], db_url: str
) -> None:
    """Twilio posts from a shared pool (or through one proxy): all of it is 127.0.0.1 here."""
    async with gateway_factory(run_worker=False, rate_limit_ip_per_minute=2) as app:
        codes = [
            (await app.send_whatsapp(body=f"m{n}", from_phone=f"+52811234560{n}")).status_code
            for n in range(6)
        ]
    assert codes == [200] * 6
    assert sorted(m.body for m in messages(db_url, "in")) == [f"m{n}" for n in range(6)]


async def test_forged_requests_count_toward_the_ip_limit_and_get_429(
    gateway_factory: GatewayFactory, branches: dict[str, str], db_url: str
) -> None:
    async with gateway_factory(run_worker=False, rate_limit_ip_per_minute=2) as app:
        forged = [
            await app.post_signed(WEBHOOK, whatsapp_form(body="x"), token="not-twilios-token")
            for _ in range(3)
        ]
        # the same IP's genuine Twilio requests still get through
        genuine = await app.send_whatsapp(body="hola", to=branches["MTY"])
    assert [r.status_code for r in forged] == [403, 403, 429]
    assert forged[2].headers["Retry-After"] == "60"
    assert forged[2].text == "Too many requests"
    assert genuine.status_code == 200
    assert [m.body for m in messages(db_url, "in")] == ["hola"]


async def test_without_the_signature_check_every_request_counts_toward_the_ip_limit(
    gateway_factory: GatewayFactory, branches: dict[str, str], db_url: str
) -> None:
    local = {
        "twilio_account_sid": None,
        "twilio_auth_token": None,
        "twilio_validate_signature": False,
        "rate_limit_ip_per_minute": 2,
    }
    async with gateway_factory(run_worker=False, **local) as app:
        codes = [(await app.send_whatsapp(body="x", to=branches["MTY"])) for _ in range(3)]
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert len(messages(db_url, "in")) == 2
