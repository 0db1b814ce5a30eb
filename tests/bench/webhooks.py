"""``make bench-webhooks``: webhook delivery rate and commit-to-delivery lag, with real worker processes.

Against the database ``DATABASE_URL`` names (migrated here; use a throwaway one: it adds subscriptions,
topics and their changes), with a receiver on 127.0.0.1 answering 200 at once:

- **rate**: ``BENCH_CHANGES`` changes (default 200) are written with ``BENCH_SUBSCRIPTIONS``
  subscriptions (default 8) behind them, then 1 and then 4 ``manage.py deliver`` processes (one thread
  each) are started and timed until every subscription has received every change: deliveries per second.
- **lag**: with 4 workers running and idle, changes are written at ``BENCH_RATE`` per second (default 5)
  for ``BENCH_SECONDS`` (default 10); per delivery, the time from the change's ``recorded_at`` (taken just
  before its commit) to its arrival at the receiver: p50, p99 and the largest.

The receiver runs in this process (Python's threading HTTP server), on the same two cores as the
workers and the database, so the figures are a floor, not a ceiling.
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsapi.settings")
os.environ.setdefault("WEBHOOK_ALLOW_LOCAL_TARGETS", "true")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from apps.core.record import services as core_services  # noqa: E402
from apps.topics.models import Topic  # noqa: E402
from apps.webhooks import services  # noqa: E402
from apps.webhooks.models import Subscription  # noqa: E402
from tests.webhooks.receiver import Receiver  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHANGES = int(os.environ.get("BENCH_CHANGES", "200"))
SUBSCRIPTIONS = int(os.environ.get("BENCH_SUBSCRIPTIONS", "8"))
RATE = float(os.environ.get("BENCH_RATE", "5"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))


def start_workers(count: int) -> list[subprocess.Popen]:
    env = {**os.environ, "WEBHOOK_POLL_MS": os.environ.get("WEBHOOK_POLL_MS", "100")}
    return [
        subprocess.Popen(
            [sys.executable, "manage.py", "deliver", "--threads", "1"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
        )
        for _ in range(count)
    ]


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=30)


def write_topics(count: int, *, rate: float | None = None) -> None:
    started = time.monotonic()
    for n in range(count):
        if rate:
            time.sleep(max(0.0, started + n / rate - time.monotonic()))
        core_services.create(Topic, data={"slug": f"bench-{time.time_ns()}", "name": f"Bench topic {n}"})


def subscribe(receiver: Receiver, count: int) -> None:
    Subscription.objects.all().delete()
    owner, _ = get_user_model().objects.get_or_create(username="bench-webhooks")
    for _ in range(count):
        services.subscription_create(owner=owner, data={"url": receiver.url, "resources": ["topics"]})


def wait_for(receiver: Receiver, total: int, timeout: float) -> float:
    started = time.monotonic()
    while len(receiver.accepted()) < total:
        if time.monotonic() - started > timeout:
            raise SystemExit(f"only {len(receiver.accepted())} of {total} deliveries after {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - started


def rate(workers: int) -> None:
    receiver = Receiver().start()
    try:
        subscribe(receiver, SUBSCRIPTIONS)
        write_topics(CHANGES)
        connection.close()
        running = start_workers(workers)
        try:
            seconds = wait_for(receiver, CHANGES * SUBSCRIPTIONS, timeout=600)
        finally:
            stop(running)
        total = CHANGES * SUBSCRIPTIONS
        arrivals = sorted(r["arrived"] for r in receiver.accepted())
        steady = (total - 1) / (arrivals[-1] - arrivals[0])
        print(
            f"rate, {workers} worker(s): {total} deliveries ({CHANGES} changes x {SUBSCRIPTIONS} subscriptions) "
            f"in {seconds:.1f} s from starting the workers ({total / seconds:.0f}/s); "
            f"{steady:.0f}/s from the first delivery to the last"
        )
    finally:
        receiver.stop()


def lag(workers: int) -> None:
    receiver = Receiver().start()
    try:
        subscribe(receiver, SUBSCRIPTIONS)
        connection.close()
        running = start_workers(workers)
        try:
            write_topics(1)  # a warm-up change: once delivered, the workers are up and idle
            wait_for(receiver, SUBSCRIPTIONS, timeout=120)
            time.sleep(1)
            count = int(RATE * SECONDS)
            write_topics(count, rate=RATE)
            wait_for(receiver, (count + 1) * SUBSCRIPTIONS, timeout=120)
        finally:
            stop(running)
        lags = []
        for request in receiver.accepted()[SUBSCRIPTIONS:]:
            recorded = datetime.fromisoformat(json.loads(request["body"])["data"]["change"]["recorded_at"])
            lags.append((request["arrived"] - recorded.timestamp()) * 1000)
        lags.sort()
        p50, p99 = statistics.median(lags), lags[int(len(lags) * 0.99) - 1]
        print(
            f"lag, {workers} worker(s), {RATE:g} changes/s x {SUBSCRIPTIONS} subscriptions for {SECONDS:g} s: "
            f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {lags[-1]:.0f} ms ({len(lags)} deliveries)"
        )
    finally:
        receiver.stop()


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; poll every {os.environ.get('WEBHOOK_POLL_MS', '100')} ms")
    rate(1)
    rate(4)
    lag(1)
    lag(4)


if __name__ == "__main__":
    main()
