"""The privacy notice and the account page on a phone: readable at 360 px, no WCAG 2.1 AA
violation axe can find, in each language; and "sign out everywhere" done with a tap."""

import pytest

from tests import factories
from tests.browser.a11y import axe_violations
from tests.browser.conftest import fits, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_privacy_notice_reads_well_on_a_phone(live_server, phone, reference_data, language):
    phone.goto(f"{live_server.url}/privacy/?lang={language}")
    assert phone.locator("html").get_attribute("lang") == language
    wide = phone.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth).map(e => e.tagName + ' ' + e.textContent.slice(0, 40))"
    )
    assert fits(phone), wide
    assert axe_violations(phone) == []
    screenshot(phone, f"privacy-notice-{language}-360")


def test_the_account_page_signs_out_everywhere_else_on_a_phone(live_server, phone, reference_data):
    person = factories.CandidateFactory(email="nora@example.org")
    log_in(phone, live_server.url, person.email)
    phone.goto(f"{live_server.url}/accounts/?lang=en")
    assert fits(phone)
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="Sign out everywhere else").click()
    phone.wait_for_load_state()
    # ?lang= holds for one request: the confirmation comes in the default language, French.
    assert "déconnecté·e partout ailleurs" in phone.locator(".messages").inner_text()
    assert phone.url.endswith("/accounts/")
    screenshot(phone, "account-signed-out-elsewhere-en-360")
