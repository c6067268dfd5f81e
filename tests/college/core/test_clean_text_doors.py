"""Hostile text through the doors: the API, the vacancy editor and the bulk import.

Refused characters give a field error naming them (a 400 in the API); pasted line breaks
and decomposed letters are stored normalised; and the feeds still parse afterwards.
"""

import json
import xml.dom.minidom

import pytest
from django.urls import reverse

from employers.models import Vacancy
from tests import factories
from tests.employers.test_vacancy_api import valid_payload
from tests.employers.test_vacancy_editor import post_data
from tests.employers.test_vacancy_import import csv_text, refused, row, upload

pytestmark = pytest.mark.django_db

LIST = "/api/v1/vacancies/"
REFUSED_IN_TITLES = {
    "\uffff": "U+FFFF",
    "\ufdd0": "U+FDD0",
    "\U0001fffe": "U+1FFFE",
    "\x1b": "U+001B",
    "\x7f": "U+007F",
    "\x9b": "U+009B",
    "\u202e": "U+202E",
    "\u2066": "U+2066",
}
FEEDS = ("/vacancies/feed/",)


def feeds_parse(client):
    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200
        xml.dom.minidom.parseString(response.content)


@pytest.fixture
def member_client(api_client, cast, reference_data):
    api_client.force_authenticate(cast.employer_member)
    return api_client


def test_the_api_stores_pasted_breaks_and_decomposed_letters_normalised(member_client, client):
    response = member_client.post(
        LIST,
        valid_payload(
            title_fr="Agent\x0bde pre\u0301vention",
            title_nl="Preventie\u2028medewerker",
            description_fr="Ligne 1\x0bLigne 2\r\nLigne 3\u2029Ligne 4\x0cfin",
            description_nl="Rechts\u202enaar links blijft in lange tekst",
            status="published",
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    vacancy = Vacancy.objects.get(pk=response.json()["id"])
    assert vacancy.title_fr == "Agent de prévention"
    assert vacancy.title_nl == "Preventie medewerker"
    assert vacancy.description_fr == "Ligne 1\nLigne 2\nLigne 3\nLigne 4\nfin"
    assert vacancy.description_nl == "Rechts\u202enaar links blijft in lange tekst"
    feeds_parse(client)


@pytest.mark.parametrize("character,name", REFUSED_IN_TITLES.items())
def test_the_api_refuses_a_title_holding_a_control_non_character_or_override(
    member_client, character, name
):
    before = Vacancy.objects.count()
    response = member_client.post(
        LIST, valid_payload(title_fr=f"Agent{character}de prévention"), format="json"
    )
    assert response.status_code == 400
    assert name in json.dumps(response.json()["title_fr"])
    assert Vacancy.objects.count() == before


def test_the_api_refuses_an_unpaired_surrogate_with_a_400(member_client):
    body = json.dumps(valid_payload()).replace('"title_fr": "', '"title_fr": "\\ud800', 1)
    response = member_client.post(LIST, body, content_type="application/json")
    assert response.status_code == 400
    assert "U+D800" in json.dumps(response.json()["title_fr"])


@pytest.mark.parametrize("character,name", [("\x01", "U+0001"), ("\ufffe", "U+FFFE")])
def test_a_patch_is_refused_and_changes_nothing(member_client, cast, character, name):
    vacancy = factories.VacancyFactory(employer=cast.employer_member.membership.employer)
    response = member_client.patch(
        f"{LIST}{vacancy.pk}/", {"description_fr": f"Texte{character}"}, format="json"
    )
    assert response.status_code == 400
    assert name in json.dumps(response.json()["description_fr"])
    vacancy.refresh_from_db()
    assert vacancy.description_fr == factories.VacancyFactory.description_fr


def test_a_patch_stores_a_word_line_break_as_a_newline_and_the_feed_parses(
    member_client, cast, client
):
    vacancy = factories.VacancyFactory(employer=cast.employer_member.membership.employer)
    response = member_client.patch(
        f"{LIST}{vacancy.pk}/",
        {"title_fr": "Gardien\x0bde la paix", "description_fr": "a\x0bb"},
        format="json",
    )
    assert response.status_code == 200, response.content
    vacancy.refresh_from_db()
    assert (vacancy.title_fr, vacancy.description_fr) == ("Gardien de la paix", "a\nb")
    feeds_parse(client)


@pytest.fixture
def editor(client, cast, reference_data):
    client.force_login(cast.employer_member)
    client.cookies["django_language"] = "en"
    vacancy = factories.VacancyFactory(employer=cast.employer_member.membership.employer)
    url = reverse("employers:vacancy_edit", args=[vacancy.pk])
    return client, vacancy, url, post_data(client.get(url))


@pytest.mark.parametrize("character,name", REFUSED_IN_TITLES.items())
def test_the_editor_shows_a_field_error_naming_the_character(editor, character, name):
    client, vacancy, url, data = editor
    response = client.post(url, {**data, "title_fr": f"Agent{character}"})
    assert response.status_code == 200
    errors = response.context["form"].errors["title_fr"]
    assert any(name in error for error in errors)
    vacancy.refresh_from_db()
    assert character not in vacancy.title_fr


def test_the_editor_stores_text_normalised(editor):
    client, vacancy, url, data = editor
    response = client.post(
        url,
        {
            **data,
            "title_fr": "Re\u0301ception\u2028accueil",
            "description_fr": "Ligne 1\r\nLigne 2\x0cLigne 3",
        },
    )
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title_fr == "Réception accueil"
    assert vacancy.description_fr == "Ligne 1\nLigne 2\nLigne 3"
    feeds_parse(client)


def test_the_import_refuses_a_non_character_and_normalises_a_pasted_break(client, cast):
    client.force_login(cast.employer_member)
    content = csv_text(
        row(title_fr="Gardien\x0bde la paix", description_fr="Ligne 1\x0bLigne 2"),
        row(title_fr="Gardien\uffff"),
        row(title_nl="Wacht\u202e"),
    )
    response = upload(client, content)
    assert response.status_code == 200
    problems = refused(response)
    assert set(problems) == {3, 4}
    assert "U+FFFF" in problems[3]["title_fr"]
    assert "U+202E" in problems[4]["title_nl"]
    imported = Vacancy.objects.get(employer=cast.employer_member.membership.employer)
    assert imported.title_fr == "Gardien de la paix"
    assert imported.description_fr == "Ligne 1\nLigne 2"


@pytest.mark.parametrize("character", ["\u202e", "\uffff", "\x0b", "\x1b"])
def test_a_search_holding_a_refused_character_is_answered_not_crashed(
    client, api_client, cast, reference_data, character
):
    query = {"q": f"agent{character}"}
    for url in ("/vacancies/", "/training/", LIST):
        assert client.get(url, query).status_code in (200, 400), url
    client.force_login(cast.candidate)
    assert client.get("/me/profile/skills/", query).status_code == 200
    client.force_login(cast.counsellor)
    assert client.get("/caseload/", query).status_code == 200
