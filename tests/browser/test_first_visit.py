"""A first visit on a phone: read the home page, switch language, sign up, land in my space."""

import pytest

from college.models import User
from tests.browser.conftest import choose_language, fits, screenshot, shown

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_job_seeker_discovers_passerelle_and_signs_up_on_a_phone(
    live_server, phone, reference_data
):
    phone.goto(live_server.url + "/")
    assert phone.locator("html").get_attribute("lang") == "fr"
    assert phone.locator("h1").inner_text() == "Vos compétences comptent plus que votre diplôme"
    assert fits(phone)
    screenshot(phone, "home-fr-360")

    choose_language(phone, "nl")
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "nl"
    assert "Je vaardigheden tellen meer dan je diploma" in phone.locator("h1").inner_text()
    screenshot(phone, "home-nl-360")

    phone.get_by_role("link", name="Mijn vaardighedenprofiel aanmaken").first.click()
    phone.get_by_label("Je naam").fill("Nora Peeters")
    phone.get_by_label("E-mailadres").fill("nora@example.org")
    phone.get_by_label("Wachtwoord").fill("kort")
    phone.locator("#id_accepts_privacy_notice").check()
    phone.get_by_role("button", name="Mijn account aanmaken").click()
    assert shown(phone.locator(".error-summary"))
    assert fits(phone)
    screenshot(phone, "signup-error-nl-360")

    phone.get_by_label("Wachtwoord").fill("een zin die ik onthoud 2026")
    phone.get_by_role("button", name="Mijn account aanmaken").click()
    phone.wait_for_url(live_server.url + "/me/")
    assert "Nora" in phone.locator("h1").inner_text()
    assert fits(phone)
    screenshot(phone, "me-nl-360")
    assert User.objects.get(email="nora@example.org").preferred_language == "nl"


def test_the_roles_work_without_javascript(live_server, chromium, reference_data):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto(live_server.url + "/roles/")
    page.get_by_role("link", name="Police", exact=True).click()
    page.wait_for_url(lambda url: "sector=police" in url)
    choose_language(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Police inspector").click()
    # The click starts a navigation; read the page once the role's page has loaded (on a loaded
    # machine content() was once read mid-navigation, empty).
    page.wait_for_url("**/roles/*/")
    page.wait_for_load_state()
    assert "Without this diploma" in page.content()
    screenshot(page, "role-detail-en-360-nojs")
    context.close()
