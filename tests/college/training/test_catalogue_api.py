"""`GET /api/v1/modules/` and `/api/v1/modules/{id}/`: the public training catalogue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from college.models import Enrolment, Language, Module, Programme, Skill
from college.training.catalogue import load_catalogue
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/modules/"


@pytest.fixture
def catalogue(reference_data):
    if not Module.objects.filter(slug="first-aid").exists():
        load_catalogue()


def slugs(response):
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["results"]}


def test_the_urls_have_the_agreed_names():
    assert reverse("api:modules") == LIST_URL
    assert reverse("api:module", args=[7]) == "/api/v1/modules/7/"


def test_anyone_lists_the_modules_paginated(api_client, catalogue):
    body = api_client.get(LIST_URL, {"page_size": 100}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == Module.objects.active().count()
    assert len(body["results"]) == body["count"]


def test_each_module_has_the_promised_shape(api_client, catalogue):
    module = Module.objects.get(slug="sac-reports")
    items = api_client.get(LIST_URL, {"programme": "sac-officer", "lang": "en"}).json()["results"]
    item = next(item for item in items if item["id"] == module.pk)
    assert set(item) == {
        "id",
        "slug",
        "title",
        "summary",
        "hours",
        "programme",
        "languages",
        "skills",
        "prerequisites",
        "certificate",
        "pass_percent",
        "language_taught",
        "cefr_reached",
        "url",
    }
    assert item["title"] == "Recording offences and writing reports"
    assert item["hours"] == 12
    assert item["programme"] == {
        "slug": "sac-officer",
        "title": "Training of a municipal sanctions officer (SAC/GAS)",
    }
    assert sorted(item["languages"]) == ["fr", "nl"]
    assert item["prerequisites"] == [Module.objects.get(slug="sac-law").pk]
    assert item["pass_percent"] == 60
    assert item["certificate"] == "Certificate of completion – municipal sanctions officer"
    assert item["language_taught"] is None
    assert item["cefr_reached"] is None
    assert item["url"] == "http://testserver/training/sac-reports/"
    fines = next(entry for entry in item["skills"] if entry["skill"]["label"] == "issue fines")
    skill = Skill.objects.get(label_en="issue fines")
    assert fines == {
        "skill": {"id": skill.pk, "label": "issue fines", "esco_uri": skill.esco_uri},
        "level": 2,
    }


def test_a_language_course_names_its_language_and_level(api_client, catalogue):
    item = api_client.get(LIST_URL, {"q": "nederlands B1"}).json()["results"][0]
    assert item["slug"] == "nl-security-b1"
    assert item["language_taught"] == "nl"
    assert item["cefr_reached"] == "B1"
    assert item["languages"] == ["nl"]


def test_a_module_without_programme_has_a_null_programme(api_client, catalogue):
    module = factories.ModuleFactory(slug="loose-module")
    item = api_client.get(reverse("api:module", args=[module.pk])).json()
    assert item["programme"] is None
    assert item["skills"] == []


def test_labels_follow_accept_language_and_lang_overrides_it(api_client, catalogue):
    module = Module.objects.get(slug="first-aid")
    url = reverse("api:module", args=[module.pk])
    assert api_client.get(url).json()["title"] == "Premiers secours (brevet européen)"
    dutch = api_client.get(url, HTTP_ACCEPT_LANGUAGE="nl").json()
    assert dutch["title"] == "Eerste hulp (Europees brevet)"
    assert "eerste hulp verlenen" in [entry["skill"]["label"] for entry in dutch["skills"]]
    english = api_client.get(url, {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="nl").json()
    assert english["title"] == "First aid (European certificate)"


def test_filter_by_skill(api_client, catalogue):
    skill = Skill.objects.get(label_en="issue fines")
    assert slugs(api_client.get(LIST_URL, {"skill": skill.pk})) == {"sac-reports"}


def test_filter_by_programme(api_client, catalogue):
    found = slugs(api_client.get(LIST_URL, {"programme": "airport-security"}))
    assert found == {"airport-regulations", "airport-screening"}


def test_filter_by_role_keeps_modules_that_prepare_for_it_or_close_a_gap(api_client, catalogue):
    found = slugs(api_client.get(LIST_URL, {"role": "emergency-dispatcher", "page_size": 100}))
    assert {"emergency-call-handling", "emergency-dispatch", "nl-security-c1"} <= found
    assert "airport-screening" not in found


def test_filter_by_language_of_instruction(api_client, catalogue):
    found = slugs(api_client.get(LIST_URL, {"language": "fr", "page_size": 100}))
    assert "fr-security-a2" in found
    assert "nl-security-a2" not in found


def test_search_finds_a_skill_in_any_language_without_accents(api_client, catalogue):
    assert "first-aid" in slugs(api_client.get(LIST_URL, {"q": "EERSTE hulp"}))
    assert "first-aid" in slugs(api_client.get(LIST_URL, {"q": "premiers soins"}))


def test_filters_combine(api_client, catalogue):
    found = slugs(
        api_client.get(
            LIST_URL, {"role": "sac-officer", "programme": "sac-officer", "q": "conflits"}
        )
    )
    assert found == {"sac-conflict"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"skill": "abc"}, "skill"),
        ({"skill": "99999999"}, "skill"),
        ({"programme": "nowhere"}, "programme"),
        ({"role": "astronaut"}, "role"),
        ({"language": "xx"}, "language"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_an_invalid_filter_value_is_a_400_naming_the_parameter(
    api_client, catalogue, params, field
):
    response = api_client.get(LIST_URL, params)
    assert response.status_code == 400
    assert set(response.json()) == {field}


def test_inactive_modules_are_neither_listed_nor_shown(api_client, catalogue):
    module = Module.objects.get(slug="first-aid")
    module.is_active = False
    module.save()
    assert "first-aid" not in slugs(api_client.get(LIST_URL, {"page_size": 100}))
    assert api_client.get(reverse("api:module", args=[module.pk])).status_code == 404
    assert api_client.get(reverse("api:module", args=[99999999])).status_code == 404


def test_one_module_lists_its_upcoming_cohorts_with_places_left(api_client, catalogue):
    module = Module.objects.get(slug="first-aid")
    cohort = factories.CohortFactory(
        module=module, code="first-aid-2027", capacity=2, language=Language.objects.get(code="nl")
    )
    factories.EnrolmentFactory(cohort=cohort)
    factories.EnrolmentFactory(cohort=cohort, status=Enrolment.Status.WAITLISTED)
    factories.CohortFactory(module=module, is_cancelled=True)
    body = api_client.get(reverse("api:module", args=[module.pk])).json()
    assert body["upcoming_cohorts"] == [
        {
            "code": "first-aid-2027",
            "starts_on": cohort.starts_on.isoformat(),
            "ends_on": cohort.ends_on.isoformat(),
            "language": "nl",
            "place": "Brusafe, Haren",
            "capacity": 2,
            "places_left": 1,
        }
    ]


def test_the_list_runs_a_constant_number_of_queries(api_client, catalogue):
    params = {"role": "peace-guard", "language": "fr", "q": "secours", "page_size": 100}
    with CaptureQueriesContext(connection) as one:
        api_client.get(LIST_URL, {**params, "page_size": 1})
    with CaptureQueriesContext(connection) as few:
        api_client.get(LIST_URL, params)
    programme = Programme.objects.get(slug="core-skills")
    for number in range(5):
        module = factories.ModuleFactory(programme=programme, title_fr=f"Secours {number}")
        factories.ModuleSkillFactory(module=module)
        module.prerequisites.add(Module.objects.get(slug="first-aid"))
    with CaptureQueriesContext(connection) as many:
        response = api_client.get(LIST_URL, params)
    assert response.json()["count"] >= 6
    assert len(one) == len(few) == len(many)


def test_one_module_runs_a_constant_number_of_queries(api_client, catalogue):
    module = Module.objects.get(slug="first-aid")
    url = reverse("api:module", args=[module.pk])
    with CaptureQueriesContext(connection) as few:
        api_client.get(url)
    for _number in range(4):
        factories.EnrolmentFactory(cohort=factories.CohortFactory(module=module))
    with CaptureQueriesContext(connection) as many:
        assert len(api_client.get(url).json()["upcoming_cohorts"]) == 4
    assert len(many) == len(few)
