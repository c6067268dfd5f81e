"""The vacancy editor's pool panel is fetched apart: with JavaScript it fills in once in view
and follows the fields; without, its link and button reach the same counts."""

import pytest

from tests import factories
from tests.browser.a11y import axe_violations, with_axe
from tests.browser.conftest import fits, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recruiter_and_vacancy(reference_data):
    recruiter = factories.EmployerMemberFactory(email="pool.recruiter@example.org")
    vacancy = factories.VacancyFactory(employer=recruiter.membership.employer)
    return recruiter, vacancy


def panel_text(page):
    return page.locator("#pool-insight").inner_text()


def test_with_javascript_the_panel_fills_in_once_in_view(
    live_server, chromium, recruiter_and_vacancy
):
    recruiter, vacancy = recruiter_and_vacancy
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, recruiter.email)
    page.goto(f"{live_server.url}/employer/vacancies/{vacancy.pk}/?lang=en")
    page.locator("#pool-insight").scroll_into_view_if_needed()
    page.locator("#pool-insight h3", has_text="By fit").wait_for()
    assert "What each requirement costs" in panel_text(page)
    assert page.locator("#pool-insight[data-pool-pending]").count() == 0
    # Then it follows the fields as typed.
    page.locator("#pool-insight").get_by_role("button", name="Update with my changes").click()
    page.locator("#pool-insight", has_text="Counted with your changes").wait_for()
    assert fits(page)
    context.close()


def test_without_javascript_the_link_and_the_button_reach_the_counts(
    live_server, chromium, recruiter_and_vacancy
):
    recruiter, vacancy = recruiter_and_vacancy
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, recruiter.email)
    editor = f"{live_server.url}/employer/vacancies/{vacancy.pk}/?lang=en"
    page.goto(editor)
    assert "By fit" not in panel_text(page)  # the editor did not wait for the counts
    page.get_by_role("link", name="See what each requirement costs").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/employer/vacancies/{vacancy.pk}/pool/")
    assert "By fit" in panel_text(page)
    page.goto(editor)
    page.get_by_role("button", name="Count with my changes").click()
    page.wait_for_load_state()
    assert "Counted with your changes" in panel_text(page)
    assert page.locator("#vacancy-editor").count() == 1  # the editor again, with the panel
    assert fits(page)
    context.close()


def test_the_placeholder_and_the_loaded_panel_break_no_wcag_rule(
    live_server, chromium, recruiter_and_vacancy
):
    recruiter, vacancy = recruiter_and_vacancy
    context = with_axe(chromium.new_context(viewport={"width": 360, "height": 740}))
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, recruiter.email)
    page.goto(f"{live_server.url}/employer/vacancies/{vacancy.pk}/?lang=fr")
    found = {}
    # On a phone the panel is below the editor: still the placeholder until scrolled to.
    assert page.locator("#pool-insight[data-pool-pending]").count() == 1
    found["placeholder"] = axe_violations(page)
    page.locator("#pool-insight").scroll_into_view_if_needed()
    page.locator("#pool-insight:not([data-pool-pending]) h3").first.wait_for()
    page.locator("#pool-insight:not([aria-busy])").wait_for()
    found["panel"] = axe_violations(page)
    context.close()
    summary = {
        state: [
            (violation["id"], node["target"])
            for violation in violations
            for node in violation["nodes"]
        ]
        for state, violations in found.items()
    }
    assert summary == {"placeholder": [], "panel": []}
