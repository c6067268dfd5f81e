"""The privacy notice: one public address in three languages, linked from sign-up, from every
page's footer and from /me/data/; its retention periods are the ones the code enforces, and
the consents and the sign-up name its version."""

import hashlib
import re
from pathlib import Path

import pytest
from django.utils import translation

from candidates import consent as consent_texts
from candidates.models import Consent
from candidates.services import candidate_application_consent_record
from college.core.privacy import NOTICE_VERSION
from college.models import User
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/privacy/"
WORDS = {
    "fr": ("Déclaration de confidentialité", "Autorité belge de protection des données"),
    "nl": ("Privacyverklaring", "Belgische Gegevensbeschermingsautoriteit"),
    "en": ("Privacy notice", "Belgian Data Protection Authority"),
}


def notice(client, language):
    response = client.get(URL, headers={"accept-language": language})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_notice_is_public_at_one_address_in_each_language(client, language):
    page = notice(client, language)
    for words in WORDS[language]:
        assert words in page
    assert f'<html lang="{language}">' in page
    assert NOTICE_VERSION in page
    # The same address answers the other languages with ?lang=.
    other = "nl" if language != "nl" else "fr"
    assert WORDS[other][0] in client.get(f"{URL}?lang={other}").content.decode()


def test_the_notice_names_the_controller_the_dpo_and_the_authority(client):
    page = notice(client, "en")
    assert "Brusafe" in page
    assert 'href="mailto:privacy@passerelle.example"' in page
    assert 'href="mailto:dpo@passerelle.example"' in page
    assert "Rue de la Presse 35" in page and "1000" in page
    assert 'href="https://www.autoriteprotectiondonnees.be"' in page
    assert 'href="https://www.gegevensbeschermingsautoriteit.be"' in page


def test_the_notice_gives_each_purpose_its_legal_basis(client):
    page = notice(client, "en")
    for purpose in (
        "Your profile and guidance",
        "Matching and blind shortlists",
        "Applications",
        "Practice tests",
        "Training",
        "Security logs",
    ):
        assert f"<dt>{purpose}</dt>" in page
    for basis in ("6(1)(a)", "6(1)(b)", "6(1)(c)", "6(1)(e)"):
        assert basis in page
    assert "No data is transferred outside the European Union" in page


def test_the_retention_periods_are_the_ones_the_code_enforces(client, settings):
    settings.RETENTION_MONTHS = 17
    settings.SESSION_IDLE_TIMEOUT = 20 * 60
    settings.SESSION_COOKIE_AGE = 6 * 3600
    settings.PASSWORD_RESET_TIMEOUT = 48 * 3600
    page = notice(client, "en")
    assert "no activity for 17 months" in page
    assert "after 20 minutes without activity and after 6 hours at most" in page
    assert "works for 48 hours" in page


def test_the_notice_explains_the_ranking_and_how_to_contest_it(client):
    page = notice(client, "en")
    ranking = page[page.index('id="ranking"') :]
    for used in ("skills", "level", "languages", "working hours", "journey to work"):
        assert used in ranking
    assert "never uses your name, age, sex or gender, nationality, photo" in ranking
    assert "checked only at the invitation" in ranking
    assert "never rejects anyone by itself" in ranking
    assert "to contest a ranking or a decision" in ranking
    assert "high-risk" in ranking and "Annex III" in ranking


def test_the_notice_links_to_export_and_erasure(client):
    page = notice(client, "en")
    assert 'href="/me/data/"' in page
    assert 'href="/me/data/erase/"' in page


def test_sign_up_links_to_the_notice_from_its_checkbox(client):
    page = client.get("/accounts/signup/", headers={"accept-language": "en"}).content.decode()
    label = re.search(r'<label for="id_accepts_privacy_notice">(.*?)</label>', page, re.S)
    assert label is not None
    assert f'href="{URL}"' in label.group(1)
    assert f"version {NOTICE_VERSION}" in label.group(1)


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/vacancies/", URL])
def test_the_footer_of_every_page_links_to_the_notice(client, url):
    page = client.get(url).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert f'href="{URL}"' in footer


def test_signed_in_pages_link_to_it_too(client, cast):
    client.force_login(cast.candidate)
    for url in ("/me/", "/me/data/", "/accounts/"):
        page = client.get(url).content.decode()
        assert f'href="{URL}"' in page, url
    data_page = client.get("/me/data/").content.decode()
    main = data_page[data_page.index("<main") : data_page.index('<footer class="site-footer">')]
    assert f'href="{URL}"' in main


def test_sign_up_records_the_version_of_the_notice_acknowledged(client):
    client.post(
        "/accounts/signup/",
        {
            "full_name": "Ilyas Amrani",
            "email": "ilyas@example.org",
            "password": "a sentence I remember 2026",
            "accepts_privacy_notice": "on",
        },
    )
    assert User.objects.get(email="ilyas@example.org").privacy_notice_version == NOTICE_VERSION


def test_the_consent_texts_name_the_notice_version(cast):
    assert NOTICE_VERSION in consent_texts.SHORTLISTS_VERSION
    assert NOTICE_VERSION in consent_texts.APPLICATION_VERSION
    for language, word in (("fr", "version"), ("nl", "versie"), ("en", "version")):
        with translation.override(language):
            texts = (
                consent_texts.shortlists_text(),
                consent_texts.application_text("Zone de police Test"),
                consent_texts.sign_up_acknowledgement_text(),
            )
        for text in texts:
            assert f"{word} {NOTICE_VERSION}" in text, (language, text)


def test_a_recorded_consent_stores_the_notice_version(client, cast):
    profile = cast.candidate.candidate_profile
    client.force_login(cast.candidate)
    client.post("/me/profile/sharing/", {"choice": "yes"}, headers={"accept-language": "nl"})
    employer = factories.EmployerFactory()
    candidate_application_consent_record(profile=profile, employer=employer)
    for record in Consent.objects.filter(profile=profile):
        assert NOTICE_VERSION in record.text_version
        assert NOTICE_VERSION in record.text


def test_the_notice_reads_nothing_from_the_database(client, django_assert_num_queries):
    # Why it is not in the public cache (college/core/public_cache.py): there is nothing to save.
    client.get(URL)
    with django_assert_num_queries(0):
        assert client.get(URL).status_code == 200


# The notice's text under each version (sha-256 of its template). A change of substance moves
# NOTICE_VERSION on (college/core/privacy.py) and adds a line; a change of wording only, that
# no reader would read as a new use of their data, replaces the fingerprint of the version in
# force.
NOTICE_TEXTS = {
    "2026-12-07": "50fd553d9756823e2e86e345b43e6764166ac07625af2d46dbda7685e8cb4833",
}
NOTICE_TEMPLATE = (
    Path(__file__).resolve().parents[3] / "templates" / "college" / "core" / "privacy_notice.html"
)


def test_a_change_to_the_notice_moves_its_version_on():
    fingerprint = hashlib.sha256(NOTICE_TEMPLATE.read_bytes()).hexdigest()
    assert NOTICE_VERSION in NOTICE_TEXTS, "Give the new version its fingerprint here."
    assert NOTICE_TEXTS[NOTICE_VERSION] == fingerprint, (
        "The privacy notice changed: move NOTICE_VERSION on (college/core/privacy.py) if its "
        f"substance changed, then record its fingerprint {fingerprint} here."
    )
