"""Faults, with real worker processes (``manage.py deliver``) and real receivers on 127.0.0.1.

Each test writes changes, runs workers against this test database, breaks something (a worker killed
mid-batch, a receiver down, slow or hanging, a receiver failing then recovering) and checks that every
change is delivered, in order, none skipped, any duplicate carrying the same ``webhook-id`` and body.
Every wait is bounded. Run on SQLite and on PostgreSQL (``DATABASE_URL``).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from apps.core.models import Change
from apps.webhooks.models import Delivery, Subscription
from tests import factories
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver

# Transactional (the workers read what this process committed), restoring the migrated data after each
# test as the suite's other transactional tests do (a plain flush would leave later ones without it).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """This test database, as ``DATABASE_URL`` for a worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """``manage.py deliver`` processes on this test database; all stopped at the end of the test."""

    def __init__(self):
        self.processes: list[subprocess.Popen] = []

    def start(self, *, threads: int = 1, **settings) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "factsapi.test_settings",
            "DATABASE_URL": database_url(),
            "DEBUG": "false",
            "SECRET_KEY": "test-only-not-secret",
            "WEBHOOK_POLL_MS": "50",
            "WEBHOOK_TIMEOUT_SECONDS": "1",
            "WEBHOOK_BACKOFF_SECONDS": "1",
            "WEBHOOK_BACKOFF_MAX_SECONDS": "2",
            "WEBHOOK_MAX_FAILURES": "100",
            "CONN_MAX_AGE": "0",
            **{name: str(value) for name, value in settings.items()},
        }
        process = subprocess.Popen(
            [sys.executable, "manage.py", "deliver", "--threads", str(threads)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


@pytest.fixture
def workers():
    running = Workers()
    yield running
    running.stop_all()


@pytest.fixture
def receivers():
    made: list[Receiver] = []

    def make(**kwargs) -> Receiver:
        receiver = Receiver(**kwargs)
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        receiver.stop()


def topics(count: int) -> list[int]:
    """``count`` new topics; the ids of their changes-feed entries, in order."""
    for _ in range(count):
        factories.make_topic()
    return list(Change.objects.order_by("-id").values_list("id", flat=True)[:count])[::-1]


def assert_all_delivered_once_in_order(receiver: Receiver, expected: list[int]) -> None:
    """Every change, first deliveries in feed order, none skipped; a repeat has the same id and body."""
    ids = receiver.ids()
    assert set(ids) == set(expected)
    first_seen = list(dict.fromkeys(ids))
    assert first_seen == expected
    bodies: dict[int, bytes] = {}
    for request in receiver.accepted():
        msg_id = int(request["headers"]["webhook-id"])
        assert bodies.setdefault(msg_id, request["body"]) == request["body"]


def test_a_worker_killed_mid_batch_loses_nothing_and_others_take_over(workers, receivers, subscriber):
    receiver = receivers(delay=0.25).start()
    subscribe(subscriber, receiver.url)
    expected = topics(12)
    first = workers.start(WEBHOOK_TIMEOUT_SECONDS=1)  # a lease of 3 s
    assert receiver.wait_for(3, timeout=30)
    first.send_signal(signal.SIGKILL)  # mid-batch, perhaps mid-post
    first.wait(timeout=5)
    assert len(set(receiver.ids())) < len(expected)
    # Two workers take over once the dead one's lease has run out; only one may hold the subscription.
    workers.start()
    workers.start()
    assert receiver.wait_for(len(expected), timeout=40), receiver.ids()
    time.sleep(0.3)  # nothing more should arrive
    assert_all_delivered_once_in_order(receiver, expected)
    assert Subscription.objects.get().cursor == expected[-1]


def test_a_receiver_down_then_up_gets_everything_in_order(workers, receivers, subscriber):
    receiver = receivers()  # its port is known, nothing listens yet
    subscription = subscribe(subscriber, receiver.url)
    workers.start()
    expected = topics(4)
    deadline = time.monotonic() + 20
    while not Delivery.objects.filter(subscription=subscription, outcome="failed").exists():
        assert time.monotonic() < deadline, "no failed attempt while the receiver was down"
        time.sleep(0.1)
    failed = Delivery.objects.filter(subscription=subscription).first()
    assert "ConnectError" in failed.error
    receiver.start()
    assert receiver.wait_for(len(expected), timeout=30), receiver.ids()
    assert_all_delivered_once_in_order(receiver, expected)


def test_a_receiver_failing_then_recovering_gets_everything_in_order(workers, receivers, subscriber):
    receiver = receivers(statuses=[500, 500, 503]).start()
    subscription = subscribe(subscriber, receiver.url)
    expected = topics(5)
    workers.start(WEBHOOK_TIMEOUT_SECONDS=10)  # no attempt timed out on a busy machine: only the 5xx fail
    assert receiver.wait_for(len(expected), timeout=30), receiver.ids()
    assert_all_delivered_once_in_order(receiver, expected)
    log = list(subscription.deliveries.order_by("id").values_list("change_id", "attempt", "status_code"))
    assert log[:4] == [(expected[0], 1, 500), (expected[0], 2, 500), (expected[0], 3, 503), (expected[0], 4, 200)]
    assert [row[0] for row in log[3:]] == expected


def test_a_slow_receiver_is_waited_for_and_a_hanging_one_stalls_no_other(workers, receivers, subscriber):
    slow = receivers(delay=0.4).start()
    hanging = receivers(delay=30).start()
    quick = receivers().start()
    for receiver in (slow, hanging, quick):
        subscribe(subscriber, receiver.url)
    expected = topics(4)
    workers.start(threads=2, WEBHOOK_TIMEOUT_SECONDS=2)
    assert quick.wait_for(len(expected), timeout=30), quick.ids()
    assert slow.wait_for(len(expected), timeout=30), slow.ids()
    assert_all_delivered_once_in_order(quick, expected)
    assert_all_delivered_once_in_order(slow, expected)
    stuck = Subscription.objects.get(url=hanging.url)
    assert stuck.cursor < expected[0]  # still at its first change: nothing skipped
    assert hanging.accepted() == []
    deadline = time.monotonic() + 20
    while not Delivery.objects.filter(subscription=stuck).exists():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert "Timeout" in Delivery.objects.filter(subscription=stuck).first().error
