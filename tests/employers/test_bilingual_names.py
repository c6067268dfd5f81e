"""Brussels public bodies are named in the reader's language: pages, feeds, JSON-LD, API, e-mail.

"Commune de Schaerbeek" is "Gemeente Schaarbeek" to a Dutch reader, wherever Passerelle names
it; a private company keeps its one name in every language.
"""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from college.models import Commune
from employers.models import Application, Employer
from employers.services import vacancy_refresh_search_text
from employers.tasks import send_application_stage_email
from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FRENCH = "Commune de Schaerbeek – Service Prévention"
DUTCH = "Gemeente Schaarbeek – Preventiedienst"
ENGLISH = "Municipality of Schaerbeek – Prevention service"


@pytest.fixture
def vacancy(reference_data):
    employer = factories.EmployerFactory(name_fr=FRENCH, name_nl=DUTCH, name_en=ENGLISH)
    vacancy = factories.VacancyFactory(employer=employer)
    vacancy_refresh_search_text(vacancy=vacancy)
    return vacancy


def visible(response):
    """The page without its JSON-LD block (which lists the other official names on purpose)."""
    return re.sub(r"<script[^>]*>.*?</script>", "", response.content.decode(), flags=re.S)


def test_an_organisation_is_named_in_the_active_language_falling_back_to_french():
    employer = Employer(name_fr=FRENCH, name_nl=DUTCH)
    company = Employer(name="IrisGuard Sécurité SA")  # one name: the French (main) one
    for language, expected in (("fr", FRENCH), ("nl", DUTCH), ("en", FRENCH)):
        with translation.override(language):
            assert employer.name == expected
            assert str(employer) == expected
            assert company.name == "IrisGuard Sécurité SA"


def test_the_dutch_board_and_vacancy_page_name_the_organisation_and_commune_in_dutch(
    client, vacancy
):
    for url in ("/vacancies/", f"/vacancies/{vacancy.pk}/"):
        page = visible(client.get(url, {"lang": "nl"}))
        assert DUTCH in page, url
        assert FRENCH not in page, url
        assert "Schaarbeek" in page and "Schaerbeek" not in page, url
        french = visible(client.get(url, {"lang": "fr"}))
        assert FRENCH in french and DUTCH not in french, url


def test_a_dutch_search_finds_the_organisation_by_its_dutch_name(client, vacancy):
    page = client.get("/vacancies/", {"lang": "nl", "q": "preventiedienst"}).content.decode()
    assert f"/vacancies/{vacancy.pk}/" in page


def test_the_job_posting_names_the_organisation_in_the_pages_language_with_its_other_names(
    client, vacancy
):
    page = client.get(f"/vacancies/{vacancy.pk}/", {"lang": "nl"}).content.decode()
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    organisation = json.loads(block.group(1))["hiringOrganization"]
    assert organisation["name"] == DUTCH
    assert organisation["alternateName"] == [FRENCH, ENGLISH]


def test_the_atom_feeds_name_the_organisation_in_the_readers_language(client, vacancy):
    for url in ("/vacancies/feed/", f"/vacancies/feed/employer/{vacancy.employer.slug}/"):
        feed = ET.fromstring(client.get(url, {"lang": "nl"}).content)
        (entry,) = feed.findall(f"{ATOM}entry")
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == DUTCH, url
    by_employer = ET.fromstring(
        client.get(f"/vacancies/feed/employer/{vacancy.employer.slug}/", {"lang": "nl"}).content
    )
    assert DUTCH in by_employer.findtext(f"{ATOM}title")


def test_the_api_names_the_organisation_in_the_asked_language_and_gives_every_name(client, vacancy):
    listed = client.get("/api/v1/employers/", {"lang": "nl"}).json()["results"]
    (row,) = [row for row in listed if row["slug"] == vacancy.employer.slug]
    assert row["name"] == DUTCH
    assert row["names"] == {"fr": FRENCH, "nl": DUTCH, "en": ENGLISH}
    detail = client.get(f"/api/v1/vacancies/{vacancy.pk}/", headers={"accept-language": "nl"})
    assert detail.json()["employer"]["name"] == DUTCH
    french = client.get(f"/api/v1/vacancies/{vacancy.pk}/", {"lang": "fr"}).json()
    assert french["employer"]["name"] == FRENCH


def test_a_dutch_speaking_applicant_gets_the_organisations_dutch_name_by_e_mail(
    vacancy, mailoutbox
):
    candidate = factories.CandidateFactory(preferred_language="nl")
    application = Application.objects.create(
        vacancy=vacancy,
        profile=candidate.candidate_profile,
        stage=Application.Stage.INTERVIEW,
    )
    assert send_application_stage_email.call(application.pk) is True
    (mail,) = mailoutbox
    assert DUTCH in mail.body and FRENCH not in mail.body


def test_the_passport_of_a_dutch_reader_names_their_commune_in_dutch(client, cast):
    from tests.candidates.test_passport import pdf_text

    profile = cast.candidate.candidate_profile
    profile.commune = Commune.objects.get(nis_code="21015")
    profile.save()
    client.force_login(cast.candidate)
    dutch = pdf_text(client.get("/me/passport.pdf", {"lang": "nl"}))
    assert "Schaarbeek" in dutch and "Schaerbeek" not in dutch
    french = pdf_text(client.get("/me/passport.pdf", {"lang": "fr"}))
    assert "Schaerbeek" in french


def test_the_migration_names_a_zones_organisation_in_dutch_and_english_from_the_zone(
    reference_data,
):
    import importlib

    from django.apps import apps

    from college.models import PoliceZone

    migration = importlib.import_module(
        "employers.migrations.0008_employer_names_in_french_dutch_english"
    )
    midi = factories.EmployerFactory(
        name="Zone de police Midi", police_zone=PoliceZone.objects.get(number=5341)
    )
    marlow = factories.EmployerFactory(
        name="Zone de police Uccle/Watermael-Boitsfort/Auderghem (Marlow)",
        police_zone=PoliceZone.objects.get(number=5342),
    )
    chosen = factories.EmployerFactory(
        name="Police locale – recrutement", police_zone=PoliceZone.objects.get(number=5343)
    )
    migration.fill_zone_names(apps, None)
    for employer in (midi, marlow, chosen):
        employer.refresh_from_db()
    assert (midi.name_nl, midi.name_en) == ("Politiezone Zuid", "Midi police zone")
    assert marlow.name_nl == "Politiezone Ukkel/Watermaal-Bosvoorde/Oudergem (Marlow)"
    # A name someone chose is not the zone's: nothing is guessed for it.
    assert (chosen.name_nl, chosen.name_en) == ("", "")


def test_brussels_has_its_own_english_name_and_other_communes_keep_the_french_one(
    reference_data,
):
    brussels = Commune.objects.get(nis_code="21004")
    ixelles = Commune.objects.get(nis_code="21009")
    for language, expected in (
        ("fr", ("Bruxelles", "Ixelles")),
        ("nl", ("Brussel", "Elsene")),
        ("en", ("Brussels", "Ixelles")),
    ):
        with translation.override(language):
            assert (brussels.name, ixelles.name) == expected
