"""The skills observatory on a 360 px phone, in French and Dutch: no sideways scrolling and no
WCAG 2.1 AA violation axe-core can find, for the public page and the staff detail, with data."""

import pytest

from tests import factories
from tests.browser.a11y import (
    axe_violations,
    describe,
    document_width,
    language_cookie,
    session_cookie,
    with_axe,
)
from tests.college.insights.test_observatory import asking, consenting

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 360


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_observatory_fits_a_phone_and_passes_axe(
    live_server, chromium, reference_data, language
):
    skill = factories.SkillFactory(
        label_fr="Gestion des conflits et désescalade verbale en rue",
        label_nl="Conflictbeheersing en verbale de-escalatie op straat",
    )
    asking(12, skill, posts=2)
    consenting(11, skill)
    module = factories.ModuleFactory()
    factories.ModuleSkillFactory(module=module, skill=skill, level=2)
    staff = factories.StaffFactory()
    context = with_axe(chromium.new_context(viewport={"width": PHONE_WIDTH, "height": 900}))
    context.add_cookies([language_cookie(language, live_server.url)])
    page = context.new_page()
    page.set_default_timeout(15_000)
    failures = []
    for url, user in (("/observatory/", None), ("/staff/observatory/", staff)):
        if user is not None:
            context.add_cookies([session_cookie(user, live_server.url)])
        response = page.goto(live_server.url + url)
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == language
        if (width := document_width(page)) > PHONE_WIDTH:
            failures.append(f"{url}: {width} px wide")
        if violations := axe_violations(page):
            failures.append(f"{url}: {describe(violations)}")
    context.close()
    assert not failures, "\n".join(failures)
