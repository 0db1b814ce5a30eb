"""HTTP as a browser sees it, in headless Chromium against the live server: what its cache keeps."""

import datetime

import pytest

from apps.core.record import services
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


def test_swagger_ui_try_it_out_works_on_the_live_servers_port(browser, live_server, screenshot):
    """The schema's server is relative, so Swagger UI sends the request to the host and port it was read
    from (the live server's random port, not 8000), which the CSP's connect-src 'self' allows."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    factories.make_topic(slug="ceasefire", name="Ceasefire")
    browser.get(f"{live_server.url}/api/v1/docs/")
    wait = WebDriverWait(browser, 60)  # the schema is large: Swagger UI takes seconds to lay it out
    operation = wait.until(lambda d: d.find_element(By.ID, "operations-topics-topics_list"))
    operation.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    wait.until(lambda d: operation.find_element(By.CSS_SELECTOR, ".try-out__btn")).click()
    operation.find_element(By.CSS_SELECTOR, ".execute").click()
    status = wait.until(
        lambda d: operation.find_element(By.CSS_SELECTOR, ".live-responses-table tbody .response-col_status")
    )
    wait.until(lambda d: status.text.strip())
    screenshot("http-01-try-it-out")
    assert status.text.strip().startswith("200"), status.text
    url = operation.find_element(By.CSS_SELECTOR, ".request-url pre").text
    assert url.startswith(f"{live_server.url}/api/v1/topics/"), url
    body = operation.find_element(By.CSS_SELECTOR, ".live-responses-table tbody .response-col_description").text
    assert "ceasefire" in body


def test_the_browsable_apis_log_out_works_under_the_csp(browser, live_server, editor, screenshot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/api-auth/login/?next=/api/v1/statements/")
    browser.find_element(By.ID, "id_username").send_keys("editor")
    browser.find_element(By.ID, "id_password").send_keys("pw")
    browser.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait = WebDriverWait(browser, 10)
    wait.until(
        lambda d: "/api/v1/statements/" in d.current_url and d.find_elements(By.CSS_SELECTOR, ".dropdown-toggle")
    )
    browser.find_element(By.CSS_SELECTOR, ".navbar .dropdown-toggle").click()
    screenshot("http-02-logged-in")
    wait.until(lambda d: d.find_element(By.ID, "logout").is_displayed())
    browser.find_element(By.ID, "logout").click()
    # Logged out: back on the page, offered "Log in", and the session cookie is gone.
    wait.until(lambda d: d.find_elements(By.LINK_TEXT, "Log in"))
    screenshot("http-03-logged-out")
    assert "/api/v1/statements/" in browser.current_url
    assert not browser.find_elements(By.ID, "logout")
    assert browser.get_cookie("sessionid") is None
