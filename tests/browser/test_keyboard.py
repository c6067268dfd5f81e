"""Keyboard only: Tab, Shift+Tab, Enter, Space and the arrow keys; never a click."""

import pytest
from django.conf import settings

from assessments.models import Attempt
from candidates.models import Consent
from college.models import User
from employers.models import Application
from employers.services import vacancy_refresh_search_text
from tests import factories
from tests.assessments.test_attempts import tiny_battery
from tests.browser.a11y import (
    axe_violations,
    focus_is_visible,
    focused,
    log_in_with_keyboard,
    press_and_wait,
    tab_to,
    with_axe,
)
from tests.browser.conftest import shown

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def keyboard_page(chromium, live_server):
    """A 360 px phone in English, so the journeys read the same in every run."""
    context = with_axe(chromium.new_context(viewport={"width": 360, "height": 740}))
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_skip_link_is_the_first_stop_and_moves_the_focus_to_the_content(
    live_server, keyboard_page, reference_data
):
    page = keyboard_page
    page.goto(live_server.url + "/roles/")
    page.keyboard.press("Tab")
    assert focused(page, "a.skip-link")
    assert focus_is_visible(page)
    assert page.locator("a.skip-link").bounding_box()["y"] >= 0  # shown on screen once focused
    page.keyboard.press("Enter")
    assert focused(page, "main#main")
    # The next Tab goes on from the content, past the whole header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_a_job_seeker_signs_up_and_completes_a_profile_step_with_the_keyboard(
    live_server, keyboard_page, reference_data
):
    page, base = keyboard_page, live_server.url
    page.goto(base + "/")
    # On a phone the header's links sit behind "Menu": Enter opens it, Tab goes on into it.
    tab_to(page, "header summary.site-menu-button")
    page.keyboard.press("Enter")
    tab_to(page, "header a[href='/accounts/signup/']", limit=8)
    press_and_wait(page)
    assert page.url == base + "/accounts/signup/"

    tab_to(page, "#id_full_name")
    page.keyboard.type("Nora Peeters")
    tab_to(page, "#id_email", limit=3)
    page.keyboard.type("nora@example.org")
    tab_to(page, "#id_password", limit=3)
    page.keyboard.type("short")
    tab_to(page, "#id_email", backwards=True, limit=3)  # back to check the address
    assert page.locator("#id_email").input_value() == "nora@example.org"
    tab_to(page, "#id_accepts_privacy_notice", limit=6)
    page.keyboard.press("Space")
    assert page.locator("#id_accepts_privacy_notice").is_checked()
    tab_to(page, "main form button[type=submit]", limit=3)
    press_and_wait(page)

    # The password is too short: the errors are announced and reachable, the rest is kept.
    assert shown(page.locator(".error-summary"))
    assert axe_violations(page) == []
    assert page.locator("#id_email").input_value() == "nora@example.org"
    tab_to(page, "#id_password")
    page.keyboard.type("een zin die ik onthoud 2026")
    if not page.locator("#id_accepts_privacy_notice").is_checked():
        tab_to(page, "#id_accepts_privacy_notice", limit=6)
        page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]", limit=6)
    press_and_wait(page)
    page.wait_for_url(base + "/me/")
    user = User.objects.get(email="nora@example.org")

    tab_to(page, "main a[href='/me/profile/about/']", limit=120)
    press_and_wait(page)
    tab_to(page, "#id_phone")
    page.keyboard.type("0470 12 34 56")
    tab_to(page, "main form.step-form button[type=submit]", limit=60)
    press_and_wait(page)
    user.candidate_profile.refresh_from_db()
    assert "0470" in user.candidate_profile.phone


def test_a_job_seeker_takes_a_practice_test_with_the_keyboard(
    live_server, keyboard_page, item_bank
):
    page, base = keyboard_page, live_server.url
    user = factories.CandidateFactory(email="karim@example.org", preferred_language="en")
    tiny_battery("keys", sections=(("verbal", 2, 10),), languages=("en",), pass_percent=50)
    log_in_with_keyboard(page, base, "karim@example.org", "/tests/")

    tab_to(page, "main a[href='/tests/keys/']")
    press_and_wait(page)
    tab_to(page, ".start-form button[type=submit]")
    press_and_wait(page)
    attempt = Attempt.objects.get(user=user)
    for position in (1, 2):
        attempt_item = attempt.attempt_items.select_related("item").get(position=position)
        right = [o.pk for o in attempt_item.item.options.all() if o.is_correct]
        wanted = attempt_item.option_order.index(right[0])
        tab_to(page, "input[name=choice]")
        for _ in range(wanted):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        tab_to(page, "main form button[type=submit]", limit=3)
        press_and_wait(page)
        assert shown(page.locator(".explanation"))
        if position == 1:
            tab_to(page, "#next-question")
            press_and_wait(page)
    tab_to(page, "main button[type=submit]")
    press_and_wait(page)
    page.wait_for_url(f"{base}/tests/attempts/{attempt.pk}/result/")
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.IN_PROGRESS
    assert "Score: 100 %" in page.content()


def test_a_job_seeker_finds_a_vacancy_and_applies_with_the_keyboard(
    live_server, keyboard_page, reference_data
):
    page, base = keyboard_page, live_server.url
    user = factories.CandidateFactory(email="ines@example.org", preferred_language="en")
    vacancy = factories.VacancyFactory(title_en="Night steward Anderlecht")
    vacancy_refresh_search_text(vacancy=vacancy)
    vacancy_refresh_search_text(vacancy=factories.VacancyFactory())
    log_in_with_keyboard(page, base, "ines@example.org", "/vacancies/")

    tab_to(page, "#id_q")
    page.keyboard.type("steward")
    press_and_wait(page)
    assert page.locator(".vacancy-card").count() == 1
    tab_to(page, f"main a[href='/vacancies/{vacancy.pk}/']")
    press_and_wait(page)
    tab_to(page, f"main a[href='/vacancies/{vacancy.pk}/apply/']")
    press_and_wait(page)
    tab_to(page, "#id_motivation")
    page.keyboard.type("I know the neighbourhood and I like working at night.")
    tab_to(page, "#id_consent", limit=3)
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]", limit=3)
    press_and_wait(page)

    application = Application.objects.get(vacancy=vacancy, profile__user=user)
    assert application.consent.given
    assert application.consent.purpose == Consent.Purpose.APPLICATION
