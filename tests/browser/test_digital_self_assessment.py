"""The DigComp self-assessment on a 360 px phone without JavaScript, in French and in Dutch: from
the dashboard's digital track card through the five areas to the profile by area."""

import pytest

from candidates.models import CandidateSkill, DigitalSelfAssessment, Evidence
from college.reference.digital import digcomp_areas
from tests import factories
from tests.browser.conftest import fits, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("language", "card_link", "save", "heading"),
    [
        (
            "fr",
            "Faire l’autoévaluation",
            "Enregistrer et continuer",
            "Mes compétences numériques par thème",
        ),
        (
            "nl",
            "De zelfevaluatie doen",
            "Opslaan en verder",
            "Mijn digitale vaardigheden per thema",
        ),
    ],
)
def test_the_self_assessment_on_a_phone_without_javascript(
    live_server, chromium, reference_data, language, card_link, save, heading
):
    person = factories.CandidateFactory(
        email=f"digital-{language}@example.org", preferred_language=language
    )
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    log_in(page, base, person.email)
    page.goto(f"{base}/me/?lang={language}")
    assert fits(page)
    page.get_by_role("link", name=card_link).click()
    page.wait_for_load_state()
    page.goto(page.url.split("?")[0] + f"?lang={language}")
    page.locator("main a.button").click()
    page.wait_for_load_state()
    areas = digcomp_areas()
    for index, area in enumerate(areas):
        page.goto(f"{base}/me/digital/{area.slug}/?lang={language}")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("fieldset legend").count() == len(area.competences)
        assert fits(page), area.slug
        if index == 0:
            screenshot(page, f"digital-area-{language}-360")
        for item in area.competences:
            page.locator(f"input[name={item.field_name}][value='{index % 6 + 1}']").check()
        if index < len(areas) - 1:
            page.get_by_role("button", name=save).click()
        else:
            page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("/me/digital/profile/")
    page.goto(f"{base}/me/digital/profile/?lang={language}")
    assert page.locator("h1").inner_text() == heading
    assert page.locator("svg[role=img] > title").count() == 1
    assert fits(page)
    screenshot(page, f"digital-profile-{language}-360")
    take = DigitalSelfAssessment.objects.get(profile__user=person)
    assert take.completed_at is not None and len(take.answers) == 21
    assert (
        CandidateSkill.objects.filter(profile__user=person, evidence=Evidence.SELF_DECLARED).count()
        == 21
    )
    context.close()
