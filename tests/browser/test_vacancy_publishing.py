"""A recruiter publishes a vacancy from a role template; a job-seeker finds it and applies."""

import pytest

from employers.models import Application, Vacancy
from tests import factories
from tests.browser.conftest import fits, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_recruiter_publishes_and_a_job_seeker_finds_and_applies(
    live_server, chromium, reference_data
):
    base = live_server.url
    recruiter = factories.EmployerMemberFactory(
        email="recruiter@example.org",
        membership__employer__name="Commune de Forest – Prévention",
        membership__is_admin=True,
    )
    candidate = factories.CandidateFactory(email="nora@example.org", full_name="Nora Test")

    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, recruiter.email)
    page.goto(base + "/employer/vacancies/new/")
    page.get_by_role("link", name="Community warden (gardien de la paix)").first.click()
    page.wait_for_load_state()
    assert "/employer/vacancies/new/peace-guard/" in page.url
    # The role pre-filled the requirement profile: skills are already listed.
    assert page.locator("text=No diploma may be required for this role").count() >= 1
    page.get_by_label("Title in French").fill("Gardien·ne de la paix – Forest Bempt")
    page.get_by_label("Title in Dutch").fill("Gemeenschapswacht – Vorst Bempt")
    page.get_by_label("Commune").select_option(label="Forest")
    page.get_by_label("Number of posts").fill("2")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    vacancy = Vacancy.objects.get(title_fr="Gardien·ne de la paix – Forest Bempt")
    assert vacancy.status == Vacancy.Status.DRAFT and vacancy.skill_requirements.exists()
    assert not vacancy.diploma_required
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert fits(page)
    screenshot(page, "employer-vacancy-published-en-360")
    context.close()

    # The public finds it on the board by filtering, without an account.
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(base + "/vacancies/?lang=en&diploma_required=false&commune=1190")
    # The English title came from the role template, as the recruiter left it.
    page.locator(f"main a[href='/vacancies/{vacancy.pk}/']").first.click()
    page.wait_for_load_state()
    assert f"/vacancies/{vacancy.pk}/" in page.url
    assert '"@type": "JobPosting"' in page.content()
    assert fits(page)
    screenshot(page, "board-vacancy-detail-en-360")

    # A job-seeker applies with consent and sees the stage.
    log_in(page, base, candidate.email)
    page.goto(base + f"/vacancies/{vacancy.pk}/apply/?lang=en")
    page.locator("textarea").fill("I coach a youth football team and know the Bempt well.")
    page.locator("input[type=checkbox]").first.check()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/me/applications/" in page.url
    assert "Received" in page.content()
    assert Application.objects.get(vacancy=vacancy).consent.given
    screenshot(page, "my-applications-en-360")
    context.close()
