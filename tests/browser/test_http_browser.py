"""HTTP as a browser sees it, in headless Chromium against the live server: what its cache keeps."""

import datetime

import pytest

from apps.core import services
from apps.statements.models import Statement
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FETCH_VERSION = """
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(r => r.json()).then(body => done(body.version), error => done(String(error)));
"""


def test_a_statement_changed_through_the_api_is_not_read_from_the_browser_cache(browser, live_server):
    """Items used to send Last-Modified and no Cache-Control: Chromium kept one for a tenth of its age
    (here months, as the statement was last changed in 2020) and answered fetch() from its cache."""
    statement = factories.make_statement(text="Version one.")
    old = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Statement._base_manager.filter(pk=statement.pk).update(updated_at=old)  # a long-unchanged item
    url = f"{live_server.url}/api/v1/statements/{statement.pk}/"
    browser.get(f"{live_server.url}/health/live")  # same origin as the API
    browser.set_script_timeout(10)

    assert browser.execute_async_script(FETCH_VERSION, url) == 1
    services.update(Statement.objects.get(pk=statement.pk), data={"text": "Version two."})
    assert browser.execute_async_script(FETCH_VERSION, url) == 2, "the browser served its stale copy"
    # Unchanged, it is revalidated (a 304 the browser turns into its kept copy), still current.
    assert browser.execute_async_script(FETCH_VERSION, url) == 2
