"""/api/v1/subscriptions/ and the admin: a subscriber's own subscriptions, checked, the secret shown once."""

import pytest

from apps.webhooks.models import Delivery, Subscription
from tests import factories
from tests.conftest import token_client
from tests.helpers import assert_problem
from tests.webhooks.conftest import deliver_all

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions/"
HOOK = "https://example.org/hook"


@pytest.fixture
def owner_api(subscriber):
    return token_client(subscriber)


def test_a_subscription_is_created_with_its_secret_shown_once(owner_api, receiver):
    factories.make_topic()  # before the subscription: not delivered
    body = {
        "url": receiver.url,
        "resources": ["statements"],
        "changes": ["created", "changed"],
        "reasons": ["new", "correction"],
        "filters": {"speaker": ["vladimir-putin"], "certainty": ["confirmed", "reported"]},
    }
    factories.make_actor(slug="vladimir-putin")
    created = owner_api.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["secret"].startswith("whsec_")
    assert Subscription.objects.get().secret == data["secret"]
    assert {k: data[k] for k in body} == body
    assert data["state"] == "active"
    assert data["cursor"] > 0  # from now on
    item = owner_api.get(f"{URL}{data['id']}/").json()
    assert "secret" not in item
    assert "secret" not in owner_api.get(URL).json()["results"][0]
    rotated = owner_api.post(f"{URL}{data['id']}/rotate-secret/").json()
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != data["secret"]


def test_subscriptions_need_a_token_and_are_the_owners_own(owner_api, api, receiver, django_user_model):
    assert api.get(URL).status_code == 401
    assert api.post(URL, {"url": receiver.url}, format="json").status_code == 401
    mine = owner_api.post(URL, {"url": receiver.url}, format="json").json()
    other = token_client(django_user_model.objects.create_user("other"))
    assert other.get(URL).json()["results"] == []
    assert other.get(f"{URL}{mine['id']}/").status_code == 404
    assert other.delete(f"{URL}{mine['id']}/").status_code == 404
    assert owner_api.delete(f"{URL}{mine['id']}/").status_code == 204
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("body", "attr", "words"),
    [
        ({"url": "http://example.org/hook"}, "url", "https"),
        ({"url": "https://127.0.0.1/hook"}, "url", "private, loopback or link-local"),
        ({"url": "https://169.254.169.254/latest"}, "url", "private, loopback or link-local"),
        ({"url": "https://localhost/hook"}, "url", "own network"),
        ({"url": "https://example.org/", "resources": ["nope"]}, "resources", "Unknown resource"),
        ({"url": "https://example.org/", "filters": {"speaker": ["x"]}}, "filters", "exactly one resource"),
        ({"url": HOOK, "resources": ["statements"], "filters": {"colour": ["red"]}}, "filters", "colour"),
        ({"url": HOOK, "resources": ["statements"], "filters": {"speaker": ["nobody"]}}, "filters", "speaker"),
        ({"url": HOOK, "resources": ["statements"], "filters": {"ordering": ["said_on"]}}, "filters", "ordering"),
        ({"url": "https://example.org/", "reasons": ["whim"]}, "reasons.0", "valid choice"),
        ({"url": "https://example.org/", "changes": ["edited"]}, "changes.0", "valid choice"),
    ],
)  # fmt: skip
def test_bad_subscriptions_are_a_400_naming_the_field(owner_api, settings, body, attr, words):
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = False
    response = owner_api.post(URL, body, format="json")
    assert_problem(response, 400)
    errors = response.json()["errors"]
    assert [e["attr"] for e in errors] == [attr]
    assert words in errors[0]["detail"]
    assert not Subscription.objects.exists()


def test_https_to_a_public_host_is_accepted_outside_debug(owner_api, settings):
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = False
    response = owner_api.post(URL, {"url": "https://hooks.example.org/factsapi"}, format="json")
    assert response.status_code == 201


def test_a_paused_subscription_says_why_and_resumes_through_the_api(owner_api, subscriber, settings):
    from tests.webhooks.receiver import Receiver

    settings.WEBHOOK_MAX_FAILURES = 2
    settings.WEBHOOK_BACKOFF_SECONDS = 0
    receiver = Receiver(statuses=[500, 502]).start()
    try:
        created = owner_api.post(URL, {"url": receiver.url}, format="json").json()
        factories.make_topic()
        deliver_all()
        item = owner_api.get(f"{URL}{created['id']}/").json()
        assert item["state"] == "paused"
        assert "2 consecutive failed attempts" in item["paused_reason"]
        assert "HTTP 502" in item["paused_reason"]
        log = owner_api.get(f"{URL}{created['id']}/deliveries/").json()
        assert [(d["attempt"], d["outcome"], d["status_code"]) for d in log] == [(2, "failed", 502), (1, "failed", 500)]
        assert all(d["latency_ms"] >= 0 for d in log)
        resumed = owner_api.patch(f"{URL}{created['id']}/", {"state": "active"}, format="json").json()
        assert (resumed["state"], resumed["paused_reason"], resumed["failures"]) == ("active", "", 0)
        deliver_all()
        assert len(receiver.ids()) == 1
        assert owner_api.get(f"{URL}{created['id']}/deliveries/").json()[0]["outcome"] == "delivered"
    finally:
        receiver.stop()


def test_the_admin_lists_subscriptions_and_shows_a_new_secret_once(admin_client, subscriber, receiver):
    response = admin_client.post(
        "/admin/webhooks/subscription/add/",
        {
            "owner": subscriber.pk,
            "url": receiver.url,
            "description": "",
            "resources": '["deadlines"]',
            "changes": "[]",
            "reasons": '["update"]',
            "filters": '{"status": ["extended"]}',
            "state": "active",
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    subscription = Subscription.objects.get()
    assert subscription.secret in response.content.decode()
    assert subscription.reasons == ["update"]
    page = admin_client.get(f"/admin/webhooks/subscription/{subscription.pk}/change/").content.decode()
    assert subscription.secret not in page
    bad = admin_client.post(
        "/admin/webhooks/subscription/add/",
        {
            "owner": subscriber.pk,
            "url": receiver.url,
            "resources": "[]",
            "changes": "[]",
            "reasons": "[]",
            "filters": '{"status": ["extended"]}',
            "state": "active",
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
    )
    assert "exactly one resource" in bad.content.decode()
    assert Subscription.objects.count() == 1
    assert admin_client.get("/admin/webhooks/subscription/").status_code == 200
    assert not Delivery.objects.exists()
