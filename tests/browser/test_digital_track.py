"""The digital and cyber track on a phone (360 px), in French, Dutch and English, without
JavaScript: the home page's section leads to the track's roles, a role page shows its ladder
and frameworks, the board narrows to the track; axe finds no WCAG 2.1 AA violation."""

import pytest

from college.models import Role
from tests.browser.a11y import axe_violations, describe, document_width, with_axe
from tests.browser.conftest import shown
from tests.employers.test_board import make_vacancy

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESSES = ("/", "/roles/?track=digital", "/roles/soc-analyst/", "/vacancies/?track=digital")


@pytest.fixture
def phone_without_script(chromium):
    context = with_axe(
        chromium.new_context(
            viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="fr-BE"
        )
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_with_axe(chromium):
    context = with_axe(chromium.new_context(viewport={"width": 360, "height": 740}))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_from_the_home_page_to_a_track_role_and_its_next_rung_without_javascript(
    live_server, phone_without_script, reference_data
):
    page = phone_without_script
    page.goto(live_server.url + "/?lang=fr")
    section = page.locator("section", has=page.locator("#digital-track-title"))
    assert "sans diplôme pour commencer" in section.locator("h2").inner_text()
    section.get_by_role("link", name="Analyste SOC (niveau 1)").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Analyste SOC (niveau 1)"
    assert shown(page.get_by_text("Sans diplôme pour commencer."))
    ladder = page.locator("section", has=page.locator("#ladder-title"))
    ladder.get_by_role("link", name="Pentesteur junior").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Pentesteur junior"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_track_pages_fit_a_phone_and_break_no_wcag_rule(
    live_server, phone_with_axe, reference_data, language
):
    make_vacancy(role=Role.objects.get(slug="soc-analyst"))
    page = phone_with_axe
    problems = []
    for address in ADDRESSES:
        separator = "&" if "?" in address else "?"
        response = page.goto(f"{live_server.url}{address}{separator}lang={language}")
        assert response.status == 200, address
        assert page.locator("html").get_attribute("lang") == language
        if (width := document_width(page)) > 360:
            problems.append(f"{address}: {width} px wide")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{address}:\n{describe(violations)}")
    assert not problems, "\n".join(problems)
