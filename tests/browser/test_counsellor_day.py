"""A counsellor's day at 360 px: the caseload's flags and search, a person's page at a glance,
a skill validated at another level, notes, plan and path; then the job-seeker sees the plan and
the path, never the team's note."""

import datetime

import pytest
from django.utils import timezone

from candidates.models import CandidateSkill, Consent
from college.models import ActionItem, CounsellorNote, Role, TrainingPath
from tests import factories
from tests.browser.conftest import fits, log_in, screenshot, shown

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_counsellors_day(live_server, chromium, reference_data):
    base = live_server.url
    counsellor = factories.CounsellorFactory(email="marc@example.org", full_name="Marc Test")
    nora = factories.CandidateFactory(email="nora@example.org", full_name="Nora Test")
    idle = factories.CandidateFactory(email="idle@example.org", full_name="Ilias Idle")
    for person in (nora, idle):
        factories.GuidanceFactory(counsellor=counsellor, candidate=person)
    profile = nora.candidate_profile
    profile.target_roles.set([Role.objects.get(slug="peace-guard")])
    Consent.objects.create(
        profile=profile,
        purpose=Consent.Purpose.SHORTLISTS,
        given=True,
        text_version="shortlists-2026-11",
        text="I agree.",
        language="fr",
    )
    profile.is_visible_in_shortlists = True
    profile.save()
    skill = factories.CandidateSkillFactory(profile=profile, level=2, skill__label_en="patrol")
    long_ago = timezone.now() - datetime.timedelta(days=45)
    idle.__class__.objects.filter(pk=idle.pk).update(last_login=long_ago, date_joined=long_ago)
    idle.candidate_profile.__class__.objects.filter(pk=idle.candidate_profile.pk).update(
        created_at=long_ago, updated_at=long_ago
    )

    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)

    # Morning: the caseload, the flagged people first.
    log_in(page, base, counsellor.email)
    page.goto(base + "/caseload/?lang=en")
    assert page.get_by_role("heading", level=1).inner_text() == "My caseload"
    body = page.locator("main").inner_text()
    assert "Ilias Idle" in body and "Nora Test" in body
    assert body.index("Ilias Idle") < body.index("Nora Test")  # the most urgent first
    assert "No activity" in body  # the stalled flag, in words
    assert fits(page)
    screenshot(page, "counsellor-day-caseload")

    # Searching by a part of the name, in lower case, without JavaScript.
    page.get_by_label("Name").fill("nora")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "Nora Test" in body and "Ilias Idle" not in body
    assert "1 job-seeker found." in body

    # Nora's page: a private note and an action she will see.
    page.get_by_role("link", name="Nora Test").first.click()
    page.wait_for_load_state()
    assert shown(page.get_by_role("heading", name="At a glance"))
    assert "No application yet." in page.locator("#glance").inner_text()

    # She said level 2 for patrolling; the counsellor saw level 3 and says how.
    page.get_by_text("Validate “patrol”").click()
    page.get_by_label("3 – Experienced: I handle difficult situations").check()
    page.get_by_label("How do you know? (seen by the job-seeker)").fill(
        "Led the neighbourhood walk on her own."
    )
    page.get_by_role("button", name="Validate at the chosen level").click()
    page.wait_for_load_state()
    skill = CandidateSkill.objects.get(pk=skill.pk)
    assert skill.level == 3 and skill.validated_by == counsellor
    assert "Skill validated at level 3" in page.locator("body").inner_text()
    page.get_by_label("New note (seen only by the counselling team)").fill(
        "Prefers day shifts; nervous about the written test."
    )
    page.get_by_role("button", name="Save the note").click()
    page.wait_for_load_state()
    assert CounsellorNote.objects.filter(candidate=nora, author=counsellor).exists()
    page.get_by_text("Add an action").click()
    page.get_by_label("Action (seen by the job-seeker)").fill("Take the Dutch practice test.")
    page.get_by_role("button", name="Add to the plan").click()
    page.wait_for_load_state()
    assert ActionItem.objects.filter(candidate=nora, text="Take the Dutch practice test.").exists()
    assert fits(page)
    screenshot(page, "counsellor-day-person")

    # Her training path toward gardien de la paix: explained for her.
    page.get_by_role("link", name="Training path").first.click()
    page.wait_for_load_state()
    assert page.locator("main ol li").count() >= 1  # generated from her gaps
    page.get_by_label("Explanation for the job-seeker").fill(
        "Communication first: it opens the rest."
    )
    page.get_by_role("button", name="Save the explanation").click()
    page.wait_for_load_state()
    path = TrainingPath.objects.get(candidate=nora)
    assert path.edited_by == counsellor and path.explanation.startswith("Communication first")
    assert fits(page)
    screenshot(page, "counsellor-day-path")

    # The progress report downloads as a PDF.
    report = context.request.get(base + f"/caseload/{profile.pk}/report.pdf")
    assert report.status == 200 and report.headers["content-type"] == "application/pdf"
    context.close()

    # Nora sees her plan and her path, never the team's note.
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, nora.email)
    page.goto(base + "/me/?lang=en")
    text = page.locator("main").inner_text()
    assert "Take the Dutch practice test." in text
    assert "nervous" not in text
    page.goto(base + "/me/path/?lang=en")
    text = page.locator("main").inner_text()
    assert "Communication first: it opens the rest." in text and "nervous" not in text
    assert fits(page)
    screenshot(page, "counsellor-day-seen-by-job-seeker")
    context.close()
