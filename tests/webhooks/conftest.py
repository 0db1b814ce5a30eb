import pytest

from apps.webhooks import services
from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    """A receiver on 127.0.0.1 answering 200, stopped after the test."""
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def subscriber(django_user_model):
    return django_user_model.objects.create_user("subscriber", "sub@example.org", "pw")


def subscribe(owner, url, **data):
    return services.subscription_create(owner=owner, data={"url": url, **data})


def deliver_all(limit: int = 20) -> int:
    """Run the worker's steps in this thread until nothing is due: what ``manage.py deliver`` does."""
    delivered = 0
    with services.http_client() as client:
        for _ in range(limit):
            subscription = services.claim("test-worker")
            if subscription is None:
                break
            delivered += services.deliver_batch(subscription, "test-worker", client)
    return delivered
