"""A new job-seeker builds a whole profile on a phone, from sign-up to the skills passport."""

import io

import pytest
from pypdf import PdfReader

from candidates.models import CandidateProfile, Consent, Evidence
from tests.browser.conftest import choose_language, fits, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def in_view(page, selector):
    """The element's top is on the screen as the page opens (it was scrolled to)."""
    return page.evaluate(
        "(s) => { const top = document.querySelector(s).getBoundingClientRect().top;"
        " return top > -1 && top < window.innerHeight; }",
        selector,
    )


def completeness(page):
    return int(page.locator("progress#completeness").get_attribute("value"))


def save(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".message-success").count() >= 1, page.content()


def test_a_job_seeker_builds_a_complete_profile_on_a_phone(live_server, phone, reference_data):
    base = live_server.url
    phone.goto(base + "/accounts/signup/")
    choose_language(phone, "en")
    phone.get_by_label("Your name").fill("Amina Test")
    phone.get_by_label("E-mail address").fill("amina@example.org")
    phone.get_by_label("Password").fill("a sentence I remember 2026")
    phone.locator("#id_accepts_privacy_notice").check()
    phone.get_by_role("button", name="Create my account").click()
    phone.wait_for_url(base + "/me/")
    assert completeness(phone) == 0

    # The dashboard points at the single most useful next step: about me.
    phone.locator(".next-step-panel").get_by_role("link", name="About me").click()
    phone.wait_for_url(base + "/me/profile/about/")
    phone.get_by_label("Your commune").select_option(label="Anderlecht")
    phone.get_by_label("Birth year").fill("1996")
    phone.get_by_label("Phone").fill("+32 470 11 22 33")
    save(phone, "Save")
    assert completeness(phone) == 10
    assert fits(phone)

    phone.goto(base + "/me/profile/roles/")
    phone.get_by_label("Community warden (gardien de la paix)").check()
    save(phone, "Save my target roles")
    assert "skills at the level asked" in phone.content()
    assert fits(phone)
    screenshot(phone, "profile-roles-en-360")

    # Skills: one found by searching, the rest from the target role's suggestions.
    phone.goto(base + "/me/profile/skills/")
    phone.locator("#skill-search-form input[name=q]").fill("first aid")
    phone.locator("#skill-search-form").get_by_role("button").click()
    phone.wait_for_load_state()
    assert in_view(phone, "#search-results")  # not 1,000 px below the top
    results = phone.locator("form.add-skill:has(input[name=source][value=search])")
    results.first.locator("select[name=level]").select_option("3")
    results.first.get_by_role("button").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("#search-results") and in_view(phone, "#search-results")
    for _ in range(4):
        suggestion = phone.locator("form.add-skill:has(input[name=source][value=suggestion])")
        suggestion.first.locator("select[name=level]").select_option("2")
        suggestion.first.get_by_role("button").click()
        phone.wait_for_load_state()
    assert fits(phone)
    screenshot(phone, "profile-skills-en-360")

    phone.goto(base + "/me/profile/languages/")
    phone.locator("#id_language-language").select_option(label="French")
    phone.locator("#id_language-cefr_4").check()
    save(phone, "Save this language")
    phone.locator("#id_language-language").select_option(label="Dutch")
    phone.locator("#id_language-cefr_1").check()
    save(phone, "Save this language")
    assert fits(phone)
    screenshot(phone, "profile-languages-en-360")

    phone.goto(base + "/me/profile/experience/add/")
    phone.get_by_label("Volunteering").check()
    phone.get_by_label("What you did").fill("Steward at the neighbourhood festival")
    phone.locator("#id_started_on").fill("2023-06")
    phone.locator("input[name=skills]").first.check()
    save(phone, "Save this experience")
    assert "Steward at the neighbourhood festival" in phone.content()
    assert fits(phone)

    phone.goto(base + "/me/profile/education/")
    phone.locator("input[name=has_no_diploma]").check()
    phone.locator("form:has(input[name=has_no_diploma])").get_by_role("button").click()
    phone.wait_for_load_state()

    phone.goto(base + "/me/profile/conditions/")
    phone.get_by_label("Full time").check()
    phone.get_by_label("Weekends").check()
    phone.locator("input[name=driving_licences][value=B]").check()
    phone.locator("input[name=max_travel_minutes][value='45']").check()
    save(phone, "Save")
    assert fits(phone)

    phone.goto(base + "/me/profile/sharing/")
    phone.get_by_label("Yes, I agree to the text above").check()
    save(phone, "Save my choice")
    assert completeness(phone) == 100
    screenshot(phone, "profile-sharing-en-360")

    phone.goto(base + "/me/profile/")
    assert "Your profile is complete" in phone.content()
    assert fits(phone)
    screenshot(phone, "profile-complete-en-360")
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Download my skills passport (PDF)").click()
    pdf = PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Amina Test" in text and "Steward at the neighbourhood festival" in text

    profile = CandidateProfile.objects.get(user__email="amina@example.org")
    assert profile.skills.count() >= 5
    assert set(profile.skills.values_list("evidence", flat=True)) == {Evidence.SELF_DECLARED}
    assert profile.skills.get(level=3).skill.label_en.lower() in text.lower().replace("\n", " ")
    assert Consent.objects.get(profile=profile).given
