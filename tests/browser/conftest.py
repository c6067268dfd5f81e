"""Playwright driving Debian's Chromium against the live test server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(reason="Debian's /usr/bin/chromium is not installed")
                )


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous and safe. Only for the browser tests' lifetime.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def phone(chromium):
    """A 360 px wide phone screen; the context is fresh for every test."""
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="fr-BE"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


PASSWORD = "a-long-enough-password"  # the factories' password


def log_in(page, base, email, password=PASSWORD):
    page.goto(base + "/accounts/login/?lang=en")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def shown(locator):
    """True once the element is visible: after a click that loads a page, `is_visible()` reads
    the page at once, perhaps the old one; this waits up to the page's timeout."""
    locator.wait_for(state="visible")
    return True


def fits(page):
    """Nothing wider than the screen: no sideways scrolling. Read once the page has loaded: a
    page read before its stylesheet applies is wider than it will be."""
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def open_menu(page):
    """On a phone the header's links and languages sit behind "Menu" (a <details>). Waits for the
    page to have loaded first: just after a click on a link the new page may not hold its menu yet,
    and a menu left closed hides the language buttons for good."""
    page.wait_for_load_state()
    button = page.locator("summary.site-menu-button")
    if button.is_visible() and page.locator("details.site-menu[open]").count() == 0:
        button.click()


def choose_language(page, code):
    """Switches the interface language and waits for the page to come back in it."""
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name=code.upper()).click()
    page.wait_for_load_state()
