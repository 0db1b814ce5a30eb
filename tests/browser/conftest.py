"""A real Chromium, driven by Selenium, for the admin tests in this package.

One browser per test module (xdist's ``--dist loadfile`` keeps a module on one worker).
Without Chromium and its driver the tests are skipped with the reason, unless
``CI_REQUIRE_BROWSER=1`` (set by .ci/run): then a missing browser fails the run.
Screenshots go to tests/browser/screenshots/<database vendor>/ (git-ignored; CI keeps them).
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connection

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).parent / "screenshots"
WIDTH, HEIGHT = 1280, 900


def missing_browser() -> str | None:
    """Why no browser can run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (make install)"
    for path, package in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")]:
        if not (os.access(path, os.X_OK) or shutil.which(path)):
            return f"{path} not found: apt-get install {package} (Debian), or set CHROMIUM_BIN / CHROMEDRIVER_BIN"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = missing_browser()
    if reason:
        if os.environ.get("CI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CI_REQUIRE_BROWSER=1 but no browser: {reason}", pytrace=False)
        pytest.skip(f"browser tests need Chromium: {reason}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in [
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={WIDTH},{HEIGHT}",
        "--lang=en-GB",
    ]:
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def screenshot(browser):
    """``screenshot("03-statement-saved")`` saves the window as PNG and returns its path."""
    folder = SCREENSHOTS / connection.vendor
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{name}.png"
        browser.save_screenshot(str(path))
        return path

    take.folder = folder  # type: ignore[attr-defined]
    return take


@pytest.fixture(autouse=True)
def fresh_content_types(transactional_db):
    """Forget content type ids cached by earlier tests on this worker.

    ContentType.objects caches ids per process; a transactional test's flush, or a rolled-back test
    that created a content type, leaves ids in that cache the restored database does not hold. The
    admin then writes its LogEntry (and the live server's commit fails a FOREIGN KEY check, seen on
    SQLite in the full run). The live server runs in this process, so clearing here covers it.
    """
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
