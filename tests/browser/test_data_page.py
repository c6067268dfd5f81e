"""/me/data/ on a 360 px phone, with a row of every kind held and every section opened."""

from django.test import Client

from tests.browser.a11y import axe_violations, describe, session_cookie, with_axe
from tests.browser.conftest import fits, shown
from tests.candidates.data_rights_support import give_every_kind, sign_up


def test_the_data_page_with_everything_opened_fits_a_phone_and_passes_axe(
    live_server, chromium, cast, item_bank
):
    person = sign_up(Client())
    give_every_kind(person, cast)
    context = with_axe(chromium.new_context(viewport={"width": 360, "height": 740}, locale="fr-BE"))
    context.add_cookies([session_cookie(person.user, live_server.url)])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/me/data/")
        sections = page.locator("details.data-kind")
        assert sections.count() >= 20
        for index in range(sections.count()):
            sections.nth(index).locator("summary").click()  # opens without JavaScript of ours
        assert page.locator("details.data-kind[open]").count() == sections.count()
        assert shown(page.get_by_text("Je suis Zéphyrine Quokka-Brusselmans", exact=False))
        assert fits(page)
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        context.close()
