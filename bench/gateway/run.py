"""Gateway benchmark: N concurrent WhatsApp conversations through the whole path.

signed Twilio webhook → `showroom serve` (its own process) → the real Rasa + action server
→ the real `twilio` client → a loopback Twilio Messages API. Prints p50/p95/p99 of the
time from the webhook's arrival to the reply handed to Twilio — measured outside the
gateway: from the moment the signed POST is sent to the moment the Twilio stand-in (same
process, same clock) receives the turn's first reply — plus a breakdown from the gateway's
own timestamps (Rasa's turn, sending), the webhook ACK time and turns per second (answered
turns only: a failed turn does not count). Results go to bench/results/gateway.json, one
entry per database (`sqlite`, `postgresql`).

    .venv/bin/python bench/gateway/run.py --conversations 20 --turns 4
    .venv/bin/python bench/gateway/run.py --postgres      # a throwaway PostgreSQL database
    make bench-gateway BENCH_GATEWAY_ARGS="--conversations 40"

Needs a trained model (models/ or SHOWROOM_TEST_MODEL_DIR or --model). Not a test:
numbers depend on the machine; compare runs on the same one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, select, text
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from channels.support.gateway_process import GatewayProcess  # noqa: E402
from channels.support.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, TwilioStandin  # noqa: E402
from e2e.rasa_stack import RasaStack, has_model, model_dir  # noqa: E402

from showroom.db import migrate  # noqa: E402
from showroom.db.models.conversations import Message  # noqa: E402
from showroom.db.models.inventory import Branch  # noqa: E402
from showroom.db.session import reset_engines, session_scope  # noqa: E402

WEBHOOK = "/webhooks/twilio/whatsapp"


def seed(url: str, branches: int) -> list[str]:
    """`branches` branches with their own WhatsApp numbers; the numbers."""
    numbers = [f"+52818000{n:04d}" for n in range(branches)]
    with session_scope(url) as session:
        for n, number in enumerate(numbers):
            session.add(
                Branch(
                    code=f"B{n:02d}",
                    name=f"Sucursal Bench {n:02d}",
                    city="Monterrey",
                    address=f"Av. Constitución {100 + n}",
                    whatsapp_number=number,
                    timezone="America/Monterrey",
                    opening_hours="lun-dom 00:00-23:59",
                )
            )
    return numbers


def greet_branch_option() -> str:
    from ruamel.yaml import YAML

    domain = YAML(typ="safe").load((ROOT / "domain.yml").read_text())
    buttons = domain["responses"]["utter_greet"][0].get("buttons") or []
    for number, button in enumerate(buttons, start=1):
        if button.get("payload") == "/ask_branch_info":
            return str(number)
    return "sucursales"


async def conversation(
    client: httpx.AsyncClient,
    base_url: str,
    twilio: TwilioStandin,
    phone: str,
    branch_number: str,
    script: list[str],
    acks: list[float],
    totals: list[float],
    timeout_s: float,
) -> int:
    """Play `script` as one customer: each turn waits for the first reply. Failed turns.

    `totals` gets, per turn, ms from sending the webhook to the stand-in receiving the
    turn's first reply (both `time.time()` of this process)."""
    failures = 0
    validator = RequestValidator(AUTH_TOKEN)
    to = f"whatsapp:{phone}"
    for said in script:
        replies_before = sum(1 for m in twilio.sent if m.to == to)
        sid = "SM" + secrets.token_hex(16)
        params = {
            "MessageSid": sid,
            "SmsMessageSid": sid,
            "AccountSid": ACCOUNT_SID,
            "From": f"whatsapp:{phone}",
            "To": f"whatsapp:{branch_number}",
            "Body": said,
            "NumMedia": "0",
            "ProfileName": "Cliente Bench",
            "WaId": phone.lstrip("+"),
        }
        signature = validator.compute_signature(base_url + WEBHOOK, params)
        arrived = time.time()
        started = time.perf_counter()
        response = await client.post(
            base_url + WEBHOOK, data=params, headers={"X-Twilio-Signature": signature}
        )
        acks.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            failures += 1
            continue
        deadline = time.monotonic() + timeout_s
        while True:
            mine = [m for m in twilio.sent if m.to == to]
            if len(mine) > replies_before:
                totals.append((mine[replies_before].received_at - arrived) * 1000)
                break
            if time.monotonic() > deadline:
                failures += 1
                break
            await asyncio.sleep(0.01)
    return failures


def latencies(url: str, after_id: int) -> dict[str, list[float]]:
    """The gateway's own view, ms per turn: Rasa's turn (stored → Rasa answered and the
    answer stored) and sending (then → the first reply handed to Twilio)."""
    with session_scope(url) as session:
        inbound = {
            m.id: m
            for m in session.scalars(
                select(Message).where(Message.direction == "in", Message.id > after_id)
            )
        }
        first: dict[int, datetime] = {}
        for out in session.scalars(
            select(Message).where(Message.direction == "out", Message.reply_to_id.is_not(None))
        ):
            if out.submitted_at and out.reply_to_id is not None:
                prior = first.get(out.reply_to_id)
                first[out.reply_to_id] = min(prior, out.submitted_at) if prior else out.submitted_at
    result: dict[str, list[float]] = {"rasa": [], "send": []}
    for message_id, message in inbound.items():
        if message_id not in first or message.processed_at is None:
            continue
        result["rasa"].append((message.processed_at - message.created_at).total_seconds() * 1000)
        result["send"].append((first[message_id] - message.processed_at).total_seconds() * 1000)
    return result


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, Any]:
    return {
        "p50": round(percentile(values, 50), 1),
        "p95": round(percentile(values, 95), 1),
        "p99": round(percentile(values, 99), 1),
        "mean": round(statistics.fmean(values), 1) if values else None,
        "samples": len(values),
    }


async def drive(
    args: argparse.Namespace, url: str, numbers: list[str], stack: RasaStack
) -> dict[str, Any]:
    twilio = TwilioStandin()
    await twilio.start()
    env = {
        "SHOWROOM_ENV": "development",
        "DATABASE_URL": url,
        "RASA_URL": stack.rasa_url,
        "RASA_TOKEN": stack.token,
        "SECRET_KEY": secrets.token_hex(16),  # Twilio credentials: no placeholder
        "ACTION_ENDPOINT_URL": stack.action_url,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_API_BASE_URL": twilio.base_url,
        "GATEWAY_CONCURRENCY": str(args.gateway_concurrency),
        "RATE_LIMIT_SENDER_PER_MINUTE": "10000",
        "RASA_TIMEOUT_S": "60",
        "HOLDING_NOTICE_AFTER_S": "60",
        "LOG_LEVEL": "WARNING",
        "MEDIA_DIR": str(Path(args.workdir) / "media"),
    }
    gateway = GatewayProcess(env, Path(args.workdir) / "gateway")
    await asyncio.to_thread(gateway.start)
    base_url = gateway.base_url
    option = greet_branch_option()
    script = [("hola" if turn % 2 == 0 else option) for turn in range(args.turns)]
    acks: list[float] = []
    totals: list[float] = []
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            # one warm-up turn so model loading and caches are not measured
            await conversation(
                client, base_url, twilio, "+528119999999", numbers[0], ["hola"], [], [], 120
            )
            with session_scope(url) as session:
                after_id = session.scalar(select(func.max(Message.id))) or 0
            started = time.perf_counter()
            failures = await asyncio.gather(
                *(
                    conversation(
                        client,
                        base_url,
                        twilio,
                        f"+5281{1000_0000 + n:08d}",
                        numbers[n % len(numbers)],
                        script,
                        acks,
                        totals,
                        args.turn_timeout,
                    )
                    for n in range(args.conversations)
                )
            )
            wall = time.perf_counter() - started
    finally:
        await asyncio.to_thread(gateway.stop)
        await twilio.stop()
    measured = latencies(url, after_id)
    turns = args.conversations * args.turns
    answered = turns - sum(failures)
    return {
        "conversations": args.conversations,
        "turns_per_conversation": args.turns,
        "turns": turns,
        "failed_turns": sum(failures),
        "wall_s": round(wall, 2),
        # only turns the customer got an answer to: a failing gateway is not a fast one
        "turns_per_s": round(answered / wall, 2),
        "webhook_to_twilio_ms": summary(totals),
        "of_which_rasa_turn_ms": summary(measured["rasa"]),
        "of_which_sending_ms": summary(measured["send"]),
        "webhook_ack_ms": summary(acks),
        "branches": len(numbers),
        "gateway_concurrency": args.gateway_concurrency,
        "database": "postgresql" if url.startswith("postgres") else "sqlite",
        "measured": "webhook POST sent -> first reply received by the Twilio stand-in",
        "script": script,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_avg_1m_after": round(os.getloadavg()[0], 2),  # other work skews figures
        },
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


@contextmanager
def throwaway_postgres() -> Iterator[tuple[str, str]]:
    """A fresh app database and tracker database on TEST_POSTGRES_URL's server, dropped
    afterwards."""
    admin_url = os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    server = admin_url.rsplit("/", 1)[0]
    name = f"showroom_bench_{secrets.token_hex(5)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for db in (name, f"{name}_tracker"):
                conn.execute(text(f'create database "{db}"'))
        yield f"{server}/{name}", f"{server.replace('+psycopg', '')}/{name}_tracker"
    finally:
        reset_engines()
        with admin.connect() as conn:
            for db in (name, f"{name}_tracker"):
                conn.execute(text(f'drop database if exists "{db}" with (force)'))
        admin.dispose()


def run_once(args: argparse.Namespace, url: str, tracker_url: str | None) -> dict[str, Any]:
    model = args.model or model_dir()
    migrate.upgrade(url)
    numbers = _numbers(url) or seed(url, args.branches)
    stack = RasaStack(
        model=model,
        database_url=url,
        workdir=Path(args.workdir) / "stack",
        tracker_store_url=tracker_url,
    )
    print(f"starting Rasa and the action server (model {model}) ...", flush=True)
    stack.start()
    try:
        return asyncio.run(drive(args, url, numbers, stack))
    finally:
        stack.stop()


def report(result: dict[str, Any]) -> None:
    rows = [
        ("webhook -> reply to Twilio (ms)", result["webhook_to_twilio_ms"]),
        ("  of which Rasa + actions", result["of_which_rasa_turn_ms"]),
        ("  of which sending to Twilio", result["of_which_sending_ms"]),
        ("webhook ACK to caller (ms)", result["webhook_ack_ms"]),
    ]
    print()
    print(
        f"gateway benchmark: {result['conversations']} conversations x "
        f"{result['turns_per_conversation']} turns, {result['branches']} branches, "
        f"{result['database']}"
    )
    print(f"{'metric':<34}{'p50':>10}{'p95':>10}{'p99':>10}")
    for label, row in rows:
        print(f"{label:<34}{row['p50']:>10}{row['p95']:>10}{row['p99']:>10}")
    print(
        f"answered turns/s: {result['turns_per_s']}   failed turns: {result['failed_turns']}   "
        f"wall: {result['wall_s']} s"
    )


def save(out: Path, result: dict[str, Any]) -> None:
    """One entry per database: a run replaces the previous run on its database only."""
    runs: dict[str, Any] = {}
    if out.exists():
        try:
            runs = dict(json.loads(out.read_text()).get("runs") or {})
        except (ValueError, AttributeError):
            runs = {}
    runs[result["database"]] = result
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"runs": runs}, indent=2, ensure_ascii=False) + "\n")
    print(f"saved {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--turns", type=int, default=4, help="turns per conversation")
    parser.add_argument("--branches", type=int, default=40, help="branches (WhatsApp numbers)")
    parser.add_argument("--gateway-concurrency", type=int, default=16)
    parser.add_argument("--turn-timeout", type=float, default=120.0)
    parser.add_argument("--model", type=Path, default=None, help="model dir (default: models/)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    where.add_argument(
        "--postgres",
        action="store_true",
        help="a throwaway PostgreSQL app + tracker database (server of TEST_POSTGRES_URL)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "gateway.json")
    args = parser.parse_args()

    model = args.model or model_dir()
    if not has_model(model):
        raise SystemExit(f"no trained model in {model}: run `make train` or pass --model")
    args.workdir = tempfile.mkdtemp(prefix="showroom-bench-gateway-")
    if args.postgres:
        with throwaway_postgres() as (url, tracker_url):
            result = run_once(args, url, tracker_url)
    else:
        url = args.database_url or f"sqlite:///{args.workdir}/bench.db"
        result = run_once(args, url, None)
    report(result)
    save(args.out, result)


def _numbers(url: str) -> list[str]:
    with session_scope(url) as session:
        return [n for n in session.scalars(select(Branch.whatsapp_number)) if n]


if __name__ == "__main__":
    main()
