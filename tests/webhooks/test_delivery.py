"""Delivery, step by step in this process: signed, filtered, retried, paused, bounded, guarded."""

import datetime
import json
import time

import jsonpatch
import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from apps.core.models import Change
from apps.core.record import services as core_services
from apps.statements.models import Statement
from apps.webhooks import services
from apps.webhooks.models import Subscription
from tests import factories
from tests.webhooks.conftest import deliver_all, subscribe
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db


def last_change_id() -> int:
    return Change.objects.order_by("-id").values_list("id", flat=True)[0]


def test_deliveries_are_signed_so_that_the_reference_verifier_accepts_them_and_rejects_a_tampered_body(
    receiver, subscriber
):
    subscription = subscribe(subscriber, receiver.url, resources=["statements"])
    assert subscription.secret.startswith("whsec_")
    statement = factories.make_statement()
    assert deliver_all() == 1
    [request] = receiver.accepted()
    assert request["headers"]["webhook-id"] == str(last_change_id())
    verifier = Webhook(subscription.secret)
    payload = verifier.verify(request["body"], request["headers"])
    assert payload["type"] == "statements.created"
    assert payload["data"]["item"]["id"] == str(statement.pk)
    tampered = request["body"].replace(str(statement.pk).encode(), b"00000000-0000-0000-0000-000000000000")
    with pytest.raises(WebhookVerificationError):
        verifier.verify(tampered, request["headers"])
    with pytest.raises(WebhookVerificationError):  # another subscription's secret
        Webhook(services.new_secret()).verify(request["body"], request["headers"])


def test_filters_select_a_fact_as_it_is_after_the_change_or_was_before_it(receiver, subscriber):
    putin, other = factories.make_actor(slug="vladimir-putin"), factories.make_actor()
    subscribe(subscriber, receiver.url, resources=["statements"], filters={"speaker": ["vladimir-putin"]})
    expected = []
    his = factories.make_statement(speaker=putin)
    expected.append(last_change_id())
    theirs = factories.make_statement(speaker=other)  # not his: not delivered
    core_services.update(his, data={"speaker": other})  # leaves the filter: delivered
    expected.append(last_change_id())
    core_services.update(Statement.objects.get(pk=his.pk), data={"text": "No longer his"})  # outside it: not
    core_services.update(theirs, data={"speaker": putin})  # enters the filter: delivered
    expected.append(last_change_id())
    factories.make_actor()  # another resource: not
    deliver_all()
    assert receiver.ids() == expected
    assert Subscription.objects.get().cursor == last_change_id()  # passed over the rest, skipped none


def test_change_kinds_and_link_filters_select_too(receiver, subscriber):
    nato = factories.make_topic(slug="nato")
    subscribe(subscriber, receiver.url, resources=["deadlines"], changes=["changed"], filters={"topic": ["nato"]})
    deadline = factories.make_deadline(topics=[nato])  # created: not wanted
    core_services.update(deadline, data={"status": "extended"})
    changed = last_change_id()
    factories.make_deadline()
    deliver_all()
    assert receiver.ids() == [changed]


def test_the_payload_carries_the_entry_its_patch_and_the_item_now_or_as_last_recorded(receiver, subscriber):
    subscribe(subscriber, receiver.url, resources=["statements"])
    statement = factories.make_statement(text="First words")
    statement = core_services.update(statement, data={"text": "Second words"})
    core_services.delete(statement)
    deliver_all()
    created, changed, deleted = receiver.payloads()
    assert [p["type"] for p in (created, changed, deleted)] == [
        "statements.created",
        "statements.changed",
        "statements.deleted",
    ]
    entry = changed["data"]["change"]
    assert entry["feed_id"] == int(receiver.accepted()[1]["headers"]["webhook-id"])
    assert (entry["resource"], entry["id"], entry["version"]) == ("statements", str(statement.pk), 2)
    assert {"op": "replace", "path": "/text", "value": "Second words"} in entry["patch"]
    # The patch turns the version before into this one (the first from nothing).
    first = jsonpatch.apply_patch({}, created["data"]["change"]["patch"])
    assert first["text"] == "First words"
    assert jsonpatch.apply_patch(first, entry["patch"])["text"] == "Second words"
    # Delivered after the deletion: the item is its last version, also for the earlier changes.
    assert deleted["data"]["item"]["text"] == "Second words"
    assert deleted["data"]["item"]["version"] == 3
    assert changed["data"]["item"] == deleted["data"]["item"]


def test_a_failure_is_retried_with_exponential_backoff_and_changes_stay_in_order(subscriber, settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 10
    receiver = Receiver(statuses=[500, 503]).start()
    try:
        subscription = subscribe(subscriber, receiver.url, resources=["statements"])
        factories.make_statement()
        first = last_change_id()
        factories.make_statement()
        second = last_change_id()
        before = timezone.now()
        assert deliver_all() == 0
        subscription.refresh_from_db()
        assert subscription.failures == 1
        assert subscription.cursor < first
        assert subscription.next_attempt_at >= before + datetime.timedelta(seconds=10)
        assert deliver_all() == 0  # not due yet: nothing posted
        assert len(receiver.requests) == 1
        Subscription.objects.update(next_attempt_at=timezone.now())
        deliver_all()
        subscription.refresh_from_db()
        assert subscription.failures == 2
        assert subscription.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=19)  # doubled
        Subscription.objects.update(next_attempt_at=timezone.now())
        assert deliver_all() == 2
        assert receiver.ids() == [first, second]
        log = [(d.change_id, d.attempt, d.outcome, d.status_code) for d in subscription.deliveries.order_by("id")]
        assert log == [
            (first, 1, "failed", 500),
            (first, 2, "failed", 503),
            (first, 3, "delivered", 200),
            (second, 1, "delivered", 200),
        ]
    finally:
        receiver.stop()


def test_after_n_consecutive_failures_a_subscription_is_paused_saying_why_and_resumes_where_it_stopped(
    subscriber, settings
):
    settings.WEBHOOK_MAX_FAILURES = 3
    settings.WEBHOOK_BACKOFF_SECONDS = 0
    receiver = Receiver(statuses=[500, 500, 500]).start()
    try:
        subscription = subscribe(subscriber, receiver.url)
        factories.make_topic()
        wanted = last_change_id()
        for _ in range(5):
            deliver_all()
        subscription.refresh_from_db()
        assert subscription.state == "paused"
        assert f"3 consecutive failed attempts to deliver change {wanted}" in subscription.paused_reason
        assert "HTTP 500" in subscription.paused_reason
        assert len(receiver.requests) == 3  # paused: no fourth attempt
        services.subscription_update(subscription, data={"state": "active"})
        deliver_all()
        assert receiver.ids() == [wanted]
        subscription.refresh_from_db()
        assert (subscription.state, subscription.paused_reason, subscription.failures) == ("active", "", 0)
    finally:
        receiver.stop()


def test_the_delivery_log_is_bounded(subscriber, settings):
    settings.WEBHOOK_LOG_SIZE = 3
    settings.WEBHOOK_BACKOFF_SECONDS = 0
    receiver = Receiver(statuses=[500] * 4).start()
    try:
        subscription = subscribe(subscriber, receiver.url)
        for _ in range(3):
            factories.make_topic()
        for _ in range(6):
            deliver_all()
        assert len(receiver.ids()) == 3
        kept = list(subscription.deliveries.order_by("id").values_list("attempt", "outcome"))
        assert kept == [(5, "delivered"), (1, "delivered"), (1, "delivered")]
    finally:
        receiver.stop()


def test_a_hanging_receiver_is_given_up_on_after_the_timeout(subscriber, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    receiver = Receiver(delay=3).start()
    try:
        subscription = subscribe(subscriber, receiver.url)
        factories.make_topic()
        started = time.monotonic()
        deliver_all()
        assert time.monotonic() - started < 2.5
        [attempt] = subscription.deliveries.all()
        assert attempt.outcome == "failed"
        assert "Timeout" in attempt.error
    finally:
        receiver.stop()


def test_no_delivery_to_a_private_loopback_or_link_local_address(receiver, subscriber, settings):
    subscription = subscribe(subscriber, receiver.url)
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = False
    factories.make_topic()
    deliver_all()
    assert receiver.requests == []  # never connected
    [attempt] = subscription.deliveries.all()
    assert "resolves to a private, loopback or link-local address (127.0.0.1)" in attempt.error
    with pytest.raises(services.Refused):
        services.resolve("localhost", 443)
    for address in ("10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fe80::1", "::ffff:10.0.0.1"):
        with pytest.raises(services.Refused):
            services.resolve(address, 443)
    assert services.resolve("93.184.215.14", 443) == "93.184.215.14"


def test_the_body_is_the_json_that_was_signed(receiver, subscriber):
    subscription = subscribe(subscriber, receiver.url)
    factories.make_topic(name="Ceasefire")
    deliver_all()
    [request] = receiver.accepted()
    headers = request["headers"]
    assert headers["content-type"] == "application/json"
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    msg_id, timestamp = headers["webhook-id"], int(headers["webhook-timestamp"])
    assert headers["webhook-signature"] == services.sign(subscription.secret, msg_id, timestamp, request["body"])
    assert json.loads(request["body"])["data"]["item"]["name"] == "Ceasefire"


def test_filters_that_no_longer_hold_pause_the_subscription_instead_of_matching_nothing(receiver, subscriber):
    speaker = factories.make_actor(slug="someone")
    subscription = subscribe(subscriber, receiver.url, resources=["statements"], filters={"speaker": ["someone"]})
    statement = factories.make_statement(speaker=speaker)
    core_services.update(statement, data={"speaker": factories.make_actor()})
    core_services.delete(speaker)
    factories.make_statement()
    deliver_all()
    subscription.refresh_from_db()
    assert subscription.state == "paused"
    assert "speaker" in subscription.paused_reason
    assert receiver.ids() == []  # nothing passed over: the cursor stays before the first change
    assert subscription.cursor < Change.objects.filter(resource="statements").earliest("id").id


def test_health_ready_reports_the_backlog(receiver, subscriber, client):
    factories.make_topic()  # so that the cursor starts at an entry (an emptied feed's ids need not restart)
    subscribe(subscriber, receiver.url)
    factories.make_topic()
    factories.make_topic()
    before = client.get("/health/ready").json()["webhooks"]
    assert before == {"subscriptions_behind": 1, "most_entries_behind": 2, "paused": 0}
    deliver_all()
    assert client.get("/health/ready").json()["webhooks"]["subscriptions_behind"] == 0
