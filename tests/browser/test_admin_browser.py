"""An editor's day in the admin, in headless Chromium against the live server.

Logs in as an editor; adds a statement (speaker by autocomplete, a topic, an inline
citation); edits it; reverts it from History; adds a position with month precision
(first with a date that is not the 1st, to see the error at the field); finds the
overdue deadline on the admin index. Screenshots: tests/browser/screenshots/<vendor>/.
"""

import datetime
import json

import pytest
from django.urls import reverse

from apps.core.admin import shorten
from apps.deadlines.models import Deadline
from apps.positions.models import Position
from apps.statements.models import Statement
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def by_css(driver, selector):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def wait_for(driver, condition, timeout=10, ignored_exceptions=None):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, ignored_exceptions=ignored_exceptions).until(condition)


def autocomplete(driver, select_id: str, search: str, choose: str) -> None:
    """Pick ``choose`` in the select2 autocomplete of ``#select_id`` after typing ``search``."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    by_css(driver, f"#{select_id} + .select2 .select2-selection").click()
    field = wait_for(
        driver, lambda d: d.find_element(By.CSS_SELECTOR, ".select2-container--open .select2-search__field")
    )
    field.send_keys(search)

    def pick(d) -> bool:
        for item in d.find_elements(By.CSS_SELECTOR, ".select2-container--open .select2-results__option"):
            if item.text == choose:
                item.click()
                return True
        return False

    # select2 first lists every choice, then redraws the list when the typed search's
    # results arrive: an option found before the redraw is gone by the click. Find and
    # click in one step, and look again when the list was redrawn in between.
    wait_for(driver, pick, ignored_exceptions=(StaleElementReferenceException,))
    wait_for(driver, lambda d: choose in by_css(d, f"#{select_id} + .select2").text)


def absent_or_found(driver, selector: str) -> list:
    """The elements ``selector`` finds on the page as it is: without the implicit wait, which would
    spend its whole timeout proving an absence."""
    wait = driver.timeouts.implicit_wait
    driver.implicitly_wait(0)
    try:
        return driver.find_elements("css selector", selector)
    finally:
        driver.implicitly_wait(wait)


def fill(driver, element_id: str, text: str) -> None:
    element = by_css(driver, f"#{element_id}")
    element.clear()
    element.send_keys(text)


def choose(driver, select_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(by_css(driver, f"#{select_id}")).select_by_value(value)


def save(driver, name: str = "_save") -> None:
    by_css(driver, f'input[name="{name}"]').click()


def changelist_fits(driver) -> bool:
    """Every column of the changelist on screen beside the filters: no horizontal scroll."""
    return driver.execute_script(
        "const r = document.querySelector('#changelist-form .results'); return r.scrollWidth <= r.clientWidth;"
    )


def success_message(driver) -> str:
    return by_css(driver, ".messagelist .success").text


def test_an_editors_day(browser, live_server, editor, screenshot):
    trump = factories.make_actor(slug="donald-trump", name="Donald Trump", kind="person")
    factories.make_actor(slug="ukraine", name="Ukraine", kind="state")
    talks = factories.make_topic(slug="ukraine-peace-talks", name="Ukraine peace talks")
    factories.make_source(title="Trump interview with Reuters, 14 January 2026", publisher="Reuters")
    factories.make_deadline(title="Expiry of the New START treaty", due_on=datetime.date(2026, 2, 4), status="upcoming")
    statement_text = [
        "Ukraine, not Russia, is holding up a deal.",
        "Ukraine, not Russia, is the side holding up a deal.",
    ]
    base = live_server.url
    driver = browser
    driver.delete_all_cookies()

    # Log in as an editor (staff, Editors group; not a superuser).
    driver.get(base + reverse("admin:login"))
    fill(driver, "id_username", "editor")
    fill(driver, "id_password", "pw")
    screenshot("01-login")
    by_css(driver, 'input[type="submit"]').click()
    wait_for(driver, lambda d: d.current_url == base + reverse("admin:index"))

    # The index lists the overdue deadline to update, its date at its precision.
    overdue = by_css(driver, "#overdue-deadlines")
    assert "Expiry of the New START treaty" in overdue.text
    assert "due 4 Feb 2026" in overdue.text
    screenshot("02-index-overdue-deadlines")

    # Add a statement: speaker and topic by autocomplete, one citation inline.
    driver.get(base + reverse("admin:statements_statement_add"))
    autocomplete(driver, "id_speaker", "Trump", "Donald Trump")
    fill(driver, "id_text", statement_text[0])
    choose(driver, "id_kind", "paraphrase")
    choose(driver, "id_certainty", "confirmed")
    fill(driver, "id_said_on", "2026-01-14")
    autocomplete(driver, "id_topics", "peace", "Ukraine peace talks")
    autocomplete(driver, "id_citations-0-source", "Reuters", "Trump interview with Reuters, 14 January 2026")
    fill(driver, "id_citations-0-excerpt", "Ukraine is the side holding up a deal")
    fill(driver, "id_citations-0-locator", "para 3")

    # The citation inline fits the 1280 px window: no horizontal scroll, Note and Delete on screen.
    widths = driver.execute_script(
        """const group = document.querySelector('.inline-group').getBoundingClientRect();
        const table = document.querySelector('.inline-group table').getBoundingClientRect();
        const del = document.querySelector('.inline-group td.delete').getBoundingClientRect();
        return {window: window.innerWidth, page: document.documentElement.scrollWidth,
                client: document.documentElement.clientWidth, group: group.right, table: table.right,
                tableWidth: table.width, deleteRight: del.right};"""
    )
    assert widths["window"] == 1280
    assert widths["page"] <= widths["client"], widths
    assert widths["table"] <= widths["group"] + 1, widths
    assert widths["deleteRight"] <= widths["client"], widths
    (screenshot.folder / "citation-inline-width.json").write_text(json.dumps(widths, indent=2) + "\n")
    by_css(driver, ".inline-group").location_once_scrolled_into_view  # noqa: B018 - scrolls
    screenshot("03-statement-add-citation-inline")
    save(driver)
    assert "was added successfully" in success_message(driver)
    statement = Statement.objects.get()
    assert statement.speaker == trump
    assert list(statement.topics.all()) == [talks]
    assert statement.citations.get().locator == "para 3"
    assert statement.version == 1
    assert changelist_fits(driver)
    screenshot("04-statement-changelist")
    row = by_css(driver, "#result_list tbody tr").text
    assert "14 Jan 2026 Day" in row

    # Edit it.
    driver.get(base + reverse("admin:statements_statement_change", args=[statement.pk]))
    fill(driver, "id_text", statement_text[1])
    save(driver, "_continue")
    assert "was changed successfully" in success_message(driver)
    statement.refresh_from_db()
    assert statement.version == 2
    assert statement.text == statement_text[1]

    # History: one line per version with what changed; revert to version 1.
    by_css(driver, "a.historylink").click()
    rows = driver.find_elements("css selector", "#versions tbody tr")
    assert [r.text.split()[0] for r in rows] == ["2", "1"]
    assert f"text: {shorten(statement_text[0], 32)} → {shorten(statement_text[1], 32)}" in rows[0].text
    assert "None" not in by_css(driver, "#versions").text
    screenshot("05-statement-history")
    # The whole version, field by field, the text in full beside the one before.
    by_css(driver, "#versions tbody tr:first-child td a").click()
    changed = by_css(driver, "#version-fields tr.changed").text
    assert statement_text[1] in changed
    assert statement_text[0] in changed
    driver.back()
    # Revert asks first, showing what it would change.
    driver.find_element("link text", "Revert to version 1…").click()
    assert statement_text[0] in by_css(driver, "#version-fields").text
    screenshot("05b-statement-revert-confirm")
    by_css(driver, 'input[value="Yes, revert to version 1"]').click()
    assert "Reverted to version 1" in success_message(driver)
    statement.refresh_from_db()
    assert statement.version == 3
    assert statement.text == statement_text[0]
    screenshot("06-statement-reverted")

    # A position since August 2025: a month date not on the 1st is refused at the date field.
    driver.get(base + reverse("admin:positions_position_add"))
    autocomplete(driver, "id_actor", "Trump", "Donald Trump")
    autocomplete(driver, "id_topic", "peace", "Ukraine peace talks")
    choose(driver, "id_stance", "demands")
    fill(driver, "id_summary", "A ceasefire along the current front line.")
    choose(driver, "id_certainty", "reported")
    fill(driver, "id_valid_from", "2025-08-15")
    choose(driver, "id_date_precision", "month")
    # The precision sits on the dates' line, to their right (not at the top of the form).
    place = driver.execute_script(
        """const date = document.querySelector('#id_valid_from').getBoundingClientRect();
        const precision = document.querySelector('#id_date_precision').getBoundingClientRect();
        return {dateTop: date.top, dateRight: date.right, top: precision.top, left: precision.left};"""
    )
    assert abs(place["top"] - place["dateTop"]) < 20, place
    assert place["left"] > place["dateRight"], place
    autocomplete(driver, "id_citations-0-source", "Reuters", "Trump interview with Reuters, 14 January 2026")
    save(driver)
    error = by_css(driver, ".field-valid_from .errorlist")
    assert error.text == "A month-precision date must be the 1st of its month."
    assert not absent_or_found(driver, ".errorlist.nonfield")
    driver.execute_script("arguments[0].scrollIntoView(); window.scrollBy(0, -200);", error)
    screenshot("07-position-month-error-at-field")
    assert not Position.objects.exists()
    fill(driver, "id_valid_from", "2025-08-01")
    save(driver)
    assert "was added successfully" in success_message(driver)
    position = Position.objects.get()
    assert (position.valid_from, position.date_precision) == (datetime.date(2025, 8, 1), "month")
    row = by_css(driver, "#result_list tbody tr").text
    assert "since Aug 2025 Month" in row  # valid (still held), precision
    assert changelist_fits(driver)
    screenshot("08-position-changelist-month")

    # The deadline is still overdue until an editor updates its status.
    assert Deadline.objects.get().is_overdue()


def test_api_pages_link_docs_and_load_nothing_from_outside(browser, live_server, screenshot):
    driver = browser
    base = live_server.url
    driver.get(base + "/api/v1/statements/")
    links = {a.text: a.get_attribute("href") for a in driver.find_elements("css selector", "#api-doc-links a")}
    assert links == {
        "Docs (Swagger UI)": base + "/api/v1/docs/",
        "ReDoc": base + "/api/v1/redoc/",
        "OpenAPI schema": base + "/api/v1/schema/",
    }
    by_css(driver, 'button[data-target="#filtersModal"]').click()
    wait_for(driver, lambda d: by_css(d, "#filtersModal").is_displayed())
    labels = [label.text for label in driver.find_elements("css selector", "#filtersModal label")]
    assert "[invalid name]:" not in labels
    assert {"Search:", "Date from:", "Date to:", "Speaker:"} <= set(labels)
    assert by_css(driver, "#filtersModal #id_speaker").tag_name == "input"
    screenshot("09-browsable-api-filters")
    for path, ready, name in [
        ("/api/v1/redoc/", ".menu-content", "10-redoc"),
        ("/api/v1/docs/", ".swagger-ui .info", "11-swagger-ui"),
    ]:
        driver.get(base + path)
        wait_for(driver, lambda d, ready=ready: d.find_elements("css selector", ready), timeout=30)
        loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        outside = [url for url in loaded if not url.startswith(base)]
        assert outside == [], (path, outside)
        assert loaded, path  # the check saw the page's own requests
        screenshot(name)
