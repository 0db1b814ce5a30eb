import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from knox.models import AuthToken
from rest_framework.test import APIClient

from apps.core.permissions import EDITORS, grant_editors
from tests import factories


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render admin pages without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: pages kept under a change id that a rolled-back test's
    database hands out again (SQLite reuses ids) must not answer another test's read."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "pw")


def editors_group() -> Group:
    """The Editors group the data migrations made; made again the same way if a transactional test's
    flush emptied the database (content types, permissions and groups alike) before this test."""
    if not Group.objects.filter(name=EDITORS).exists():
        for label in ("actors", "topics", "sources", "events", "statements", "positions", "deadlines", "intake"):
            grant_editors(django_apps, label)
    return Group.objects.get(name=EDITORS)


@pytest.fixture
def editor(django_user_model):
    """A staff user in the Editors group made by the data migration."""
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw", is_staff=True)
    user.groups.add(editors_group())
    return user


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def statement():
    return factories.make_statement()


@pytest.fixture
def api():
    """An anonymous API client."""
    return APIClient()


def token_client(user) -> APIClient:
    _, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def editor_api(editor):
    """An API client authenticated with an Editors-group user's token."""
    return token_client(editor)


@pytest.fixture
def reader_api(django_user_model):
    """An API client with a valid token of a user with no permissions."""
    return token_client(django_user_model.objects.create_user("reader"))


@pytest.fixture
def source():
    return factories.make_source(title="The explainer", publisher="Example Wire")


# People and topics of the seed story, for tests that need a few named ones.


@pytest.fixture
def trump():
    return factories.make_actor(slug="donald-trump", name="Donald Trump", kind="person")


@pytest.fixture
def putin():
    return factories.make_actor(slug="vladimir-putin", name="Vladimir Putin", kind="person")


@pytest.fixture
def zelenskyy():
    return factories.make_actor(slug="volodymyr-zelenskyy", name="Volodymyr Zelenskyy", kind="person")


@pytest.fixture
def russia():
    return factories.make_actor(slug="russia", name="Russia", kind="state", country="RU")


@pytest.fixture
def united_states():
    return factories.make_actor(slug="united-states", name="United States", kind="state", country="US")


@pytest.fixture
def arms_control():
    return factories.make_topic(slug="arms-control", name="Arms control")


@pytest.fixture
def peace_talks():
    return factories.make_topic(slug="ukraine-peace-talks", name="Ukraine peace talks")
