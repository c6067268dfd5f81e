"""The header on a 360 px phone: one row, a menu that opens without JavaScript, and nothing
but the name during a timed test."""

import pytest
from django.conf import settings

from assessments.models import Attempt
from assessments.services import attempt_start
from tests import factories
from tests.assessments.test_attempts import tiny_battery
from tests.browser.a11y import session_cookie, tab_to

pytestmark = pytest.mark.django_db(transaction=True)

ONE_ROW = 64  # px: the brand and the menu button side by side (the old header took 245)


@pytest.fixture
def phone_without_javascript(chromium, live_server):
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page, context
    context.close()


def header_height(page):
    return page.locator("header.site-header").bounding_box()["height"]


def test_the_header_is_one_row_and_its_menu_opens_with_the_keyboard_without_javascript(
    live_server, phone_without_javascript, reference_data
):
    page, context = phone_without_javascript
    candidate = factories.CandidateFactory()
    context.add_cookies([session_cookie(candidate, live_server.url)])
    page.goto(live_server.url + "/me/")

    assert header_height(page) <= ONE_ROW
    my_path = page.locator("header a[href='/me/path/']")
    assert not my_path.is_visible()  # folded away until asked for

    tab_to(page, "header summary.site-menu-button")
    page.keyboard.press("Enter")
    assert page.locator("details.site-menu[open]").count() == 1
    assert my_path.is_visible()
    assert page.get_by_role("button", name="NL").is_visible()
    # The open menu lies over the page: the header row itself stays one row high.
    assert header_height(page) <= ONE_ROW
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    tab_to(page, "header a[href='/me/path/']", limit=12)  # checks the focus ring too
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/me/path/")
    assert page.locator("details.site-menu[open]").count() == 0  # closed again on the next page


def test_a_wide_screen_shows_the_links_in_the_header_without_the_menu_button(
    live_server, chromium, reference_data
):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert not page.locator("summary.site-menu-button").is_visible()
    assert page.locator("header a[href='/vacancies/']").is_visible()
    assert page.locator("header a[href='/accounts/signup/']").is_visible()
    assert header_height(page) <= ONE_ROW
    context.close()


def test_a_timed_test_shows_only_the_name_in_the_header(
    live_server, phone_without_javascript, item_bank
):
    page, context = phone_without_javascript
    candidate = factories.CandidateFactory()
    battery = tiny_battery("header", sections=(("verbal", 3, 10),), pass_percent=60)
    attempt = attempt_start(
        user=candidate, battery=battery, mode=Attempt.Mode.PRACTICE, language="fr"
    )
    context.add_cookies([session_cookie(candidate, live_server.url)])

    page.goto(f"{live_server.url}/tests/attempts/{attempt.pk}/")

    header = page.locator("header.site-header")
    assert header.locator("a, button, summary, form").count() == 0
    assert header_height(page) <= 48
    assert page.locator("#timer").is_visible()


def test_a_wide_table_stacks_on_a_phone_and_stays_a_table_for_screen_readers(chromium):
    from django.conf import settings as django_settings

    css = (django_settings.BASE_DIR / "static" / "css" / "passerelle.css").read_text()
    columns = ["Attempts", "Mean score", "SD", "Reliability", "SEM", "Flagged items", "Report"]
    head = "".join(f'<th scope="col">{name}</th>' for name in ["Test", *columns])
    cells = "".join(f'<td data-label="{name}">12.5</td>' for name in columns)
    page = chromium.new_page(viewport={"width": 360, "height": 740})
    page.set_content(
        f'<html lang="en"><style>{css}</style><main class="wrap"><div class="table-wrap">'
        f'<table class="stat-table stack-table"><thead><tr>{head}</tr></thead>'
        f'<tbody><tr><th scope="row">Police: cognitive tests</th>{cells}</tr></tbody>'
        "</table></div></main></html>"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    label = "getComputedStyle(document.querySelector('td'), '::before').content"
    assert "Attempts" in page.evaluate(label)  # each value shows its column's name
    snapshot = page.locator("table").aria_snapshot()
    assert '- columnheader "Reliability"' in snapshot
    assert '- cell "12.5"' in snapshot  # the label is not read twice
    page.close()
