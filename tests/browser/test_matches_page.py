"""Jobs for me on a phone, in French: short cards, target roles first, Apply before the
explanation, which stays closed until asked for (a plain <details>, no script)."""

import pytest

from candidates.models import CandidateProfile
from college.models import Role
from tests import factories
from tests.browser.conftest import fits, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_matches_page_is_short_and_starts_from_the_person(
    live_server, phone, cast, reference_data
):
    profile = CandidateProfile.objects.get(user=cast.candidate)
    role = Role.objects.get(slug="peace-guard")
    profile.target_roles.set([role])
    for _index in range(9):
        factories.VacancyFactory(role=Role.objects.get(slug="steward"))
    mine = factories.VacancyFactory(role=role)
    log_in(phone, live_server.url, cast.candidate.email)

    phone.goto(live_server.url + "/me/matches/?lang=fr")

    assert fits(phone)
    cards = phone.locator(".match-card")
    assert cards.count() == 10
    first = cards.nth(0)
    assert first.get_attribute("id") == f"vacancy-{mine.pk}"
    assert first.locator(".fit-words").inner_text()  # the score in words
    apply = first.get_by_role("link", name="Postuler")
    why = first.locator("details.match-why")
    assert apply.bounding_box()["y"] < why.bounding_box()["y"]
    assert phone.locator("details[open]").count() == 0
    # A card fits on a phone screen, so the second job is in reach of one swipe.
    second_top = cards.nth(1).bounding_box()["y"]
    assert second_top - first.bounding_box()["y"] < 800
    height = phone.evaluate("document.documentElement.scrollHeight")
    screenshot(phone, "matches-fr-360")

    why.locator("> summary").click()
    assert why.evaluate("element => element.open")
    assert why.locator(".match-steps, .fit-meaning").count() >= 1
    assert fits(phone)
    assert height < 9000, height
