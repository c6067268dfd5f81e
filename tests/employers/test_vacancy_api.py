"""`/api/v1/vacancies/` and `/api/v1/employers/`: the public reads, the members' writes."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from college.models import Commune, Language, PoliceZone, Role, Skill
from employers.models import Employer, Vacancy, VacancyLanguage, VacancySkill
from employers.services import vacancy_refresh_search_text
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/vacancies/"
EMPLOYERS = "/api/v1/employers/"
TODAY = timezone.localdate


def detail(pk):
    return f"{LIST}{pk}/"


def in_days(days):
    return TODAY() + datetime.timedelta(days=days)


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def commune(nis_code):
    return Commune.objects.get(nis_code=nis_code)


def snapshot(vacancy):
    """Everything a refused write could have changed."""
    return {
        "vacancy": Vacancy.objects.filter(pk=vacancy.pk).values().get(),
        "skills": sorted(
            VacancySkill.objects.filter(vacancy=vacancy).values_list(
                "skill_id", "importance", "min_level"
            )
        ),
        "languages": sorted(
            VacancyLanguage.objects.filter(vacancy=vacancy).values_list(
                "language__code", "min_cefr"
            )
        ),
    }


def counts():
    return (Vacancy.objects.count(), VacancySkill.objects.count(), VacancyLanguage.objects.count())


@pytest.fixture
def employer(cast):
    return cast.employer_member.membership.employer


@pytest.fixture
def member_client(api_client, cast):
    api_client.force_authenticate(cast.employer_member)
    return api_client


@pytest.fixture
def draft(employer, reference_data):
    return factories.VacancyFactory(
        employer=employer, status=Vacancy.Status.DRAFT, published_at=None
    )


def valid_payload(**changes):
    payload = {
        "role": "peace-guard",
        "title_fr": "Gardien·ne de la paix à Schaerbeek",
        "title_nl": "Gemeenschapswacht in Schaarbeek",
        "description_fr": "Présence rassurante dans les quartiers.",
        "description_nl": "Geruststellende aanwezigheid in de wijken.",
        "commune": "1030",
        "contract": "permanent",
        "closes_on": in_days(20).isoformat(),
    }
    payload.update(changes)
    return payload


# --- Reading -----------------------------------------------------------------------------------


def test_a_published_vacancy_has_every_field_the_api_promises(api_client, reference_data):
    vacancy = factories.VacancyFactory(
        address="Place Colignon 1", hours_per_week=38, salary_min=2400, salary_max=3100, posts=2
    )
    skill = Skill.objects.order_by("id").first()
    factories.VacancySkillFactory(vacancy=vacancy, skill=skill, importance="essential", min_level=3)
    factories.VacancyLanguageFactory(vacancy=vacancy, min_cefr="B1")

    response = api_client.get(LIST, {"lang": "en"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == vacancy.pk
    assert item["title"] == vacancy.title_en
    assert item["titles"] == {
        "fr": vacancy.title_fr,
        "nl": vacancy.title_nl,
        "en": vacancy.title_en,
    }
    assert item["employer"] == {
        "id": vacancy.employer.pk,
        "name": vacancy.employer.name,
        "slug": vacancy.employer.slug,
    }
    role = Role.objects.get(slug="peace-guard")
    assert item["role"] == {"id": role.pk, "slug": "peace-guard", "title": role.title_en}
    assert item["commune"] == {
        "id": vacancy.commune.pk,
        "nis_code": "21015",
        "name": "Schaerbeek",
        "postcode": "1030",
    }
    assert item["contract"] == "permanent"
    assert item["published_at"]
    assert item["closes_on"] == vacancy.closes_on.isoformat()
    assert item["diploma_required"] is False
    assert item["alternative_route"] is None
    assert item["requirements"] == [
        {
            "skill": {"id": skill.pk, "label": skill.label_en, "esco_uri": skill.esco_uri},
            "importance": "essential",
            "min_level": 3,
            "stage": "entry",
        }
    ]
    assert item["languages"] == [
        {
            "language": "nl",
            "name": "Dutch",
            "cefr": "B1",
            "certificate": "",
            "is_alternative": False,
        }
    ]
    assert set(item["legal_conditions"]) == {
        "min_age",
        "nationality",
        "clean_record_required",
        "driving_licence",
    }
    assert item["address"] == "Place Colignon 1"
    assert item["hours_per_week"] == "38.0"
    assert (item["salary_min"], item["salary_max"], item["posts"]) == (2400, 3100, 2)
    assert item["status"] == "published"
    assert item["url"] == f"http://testserver/vacancies/{vacancy.pk}/"


def test_a_vacancy_requiring_a_diploma_shows_the_legal_alternative_route(
    api_client, reference_data
):
    role = Role.objects.get(slug="police-inspector")
    vacancy = factories.VacancyFactory(
        role=role, diploma_required=True, required_diploma="upper_secondary"
    )

    item = api_client.get(detail(vacancy.pk), {"lang": "fr"}).json()

    assert item["diploma_required"] is True
    assert item["required_diploma"] == "upper_secondary"
    assert item["alternative_route"] == role.alternative_route_fr


def test_the_list_holds_only_open_published_vacancies_of_verified_employers(
    api_client, reference_data
):
    shown = factories.VacancyFactory()
    factories.VacancyFactory(status=Vacancy.Status.DRAFT, published_at=None)
    factories.VacancyFactory(status=Vacancy.Status.CLOSED)
    factories.VacancyFactory(closes_on=in_days(-1))
    factories.VacancyFactory(employer__is_verified=False)

    assert ids(api_client.get(LIST)) == [shown.pk]


@pytest.fixture
def board(reference_data):
    """Three vacancies that each filter tells apart."""
    prevention = factories.EmployerFactory(slug="prevention-schaerbeek")
    police = factories.EmployerFactory(slug="zone-nord", kind=Employer.Kind.LOCAL_POLICE)
    dutch, french = Language.objects.get(code="nl"), Language.objects.get(code="fr")
    alpha = factories.VacancyFactory(
        employer=prevention,
        title_fr="Alpha gardien",
        commune=commune("21015"),
        contract="permanent",
        closes_on=in_days(30),
        posts=1,
    )
    beta = factories.VacancyFactory(
        employer=police,
        role=Role.objects.get(slug="police-inspector"),
        title_fr="Beta inspecteur",
        commune=commune("21004"),
        contract="fixed_term",
        diploma_required=True,
        required_diploma="upper_secondary",
        closes_on=in_days(5),
        posts=3,
    )
    gamma = factories.VacancyFactory(
        employer=police,
        role=Role.objects.get(slug="steward"),
        title_fr="Gamma steward",
        commune=commune("21001"),
        contract="student",
        closes_on=in_days(60),
        posts=2,
    )
    factories.VacancyLanguageFactory(vacancy=alpha, language=dutch, min_cefr="B1")
    factories.VacancyLanguageFactory(vacancy=beta, language=french, min_cefr="B2")
    factories.VacancyLanguageFactory(vacancy=gamma, language=dutch, min_cefr="A2")
    for vacancy in (alpha, beta, gamma):
        vacancy_refresh_search_text(vacancy=vacancy)
    return {"alpha": alpha.pk, "beta": beta.pk, "gamma": gamma.pk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "gamma"}, ["gamma"]),
        ({"q": "INSPECTEUR béta"}, ["beta"]),
        ({"role": "peace-guard"}, ["alpha"]),
        ({"employer": "zone-nord"}, ["beta", "gamma"]),
        ({"sector": "police"}, ["beta"]),
        ({"commune": "1030"}, ["alpha"]),
        ({"commune": "1020"}, ["beta"]),
        ({"commune": "21001"}, ["gamma"]),
        ({"contract": "student"}, ["gamma"]),
        ({"language": "nl"}, ["alpha", "gamma"]),
        ({"language": "nl", "cefr": "A2"}, ["gamma"]),
        ({"diploma_required": "false"}, ["alpha", "gamma"]),
        ({"diploma_required": "true"}, ["beta"]),
        ({"closing_before": in_days(10).isoformat()}, ["beta"]),
        ({"closing_soon": "true"}, ["beta"]),
        (
            {"diploma_required": "false", "language": "nl", "cefr": "B1", "commune": "1030"},
            ["alpha"],
        ),
    ],
)
def test_each_filter_narrows_the_list(api_client, board, query, expected):
    found = ids(api_client.get(LIST, query))

    assert sorted(found) == sorted(board[name] for name in expected)


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("closes_on", ["beta", "alpha", "gamma"]),
        ("title", ["alpha", "beta", "gamma"]),
        ("-posts", ["beta", "gamma", "alpha"]),
    ],
)
def test_the_list_is_sorted_as_asked(api_client, board, ordering, expected):
    found = ids(api_client.get(LIST, {"ordering": ordering, "lang": "fr"}))

    assert found == [board[name] for name in expected]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"role": "astronaut"}, "role"),
        ({"employer": "nobody"}, "employer"),
        ({"sector": "piracy"}, "sector"),
        ({"contract": "forever"}, "contract"),
        ({"language": "xx"}, "language"),
        ({"cefr": "Z9"}, "cefr"),
        ({"diploma_required": "maybe"}, "diploma_required"),
        ({"closing_before": "2026-13-45"}, "closing_before"),
        ({"closing_soon": "soon"}, "closing_soon"),
        ({"ordering": "salary"}, "ordering"),
        ({"commune": "1030 1040"}, "commune"),
        ({"mine": "perhaps"}, "mine"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(api_client, board, query, field):
    response = api_client.get(LIST, query)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_page_size_is_capped_and_a_page_past_the_end_is_a_404(api_client, board):
    assert len(api_client.get(LIST, {"page_size": 1}).json()["results"]) == 1
    assert api_client.get(LIST, {"page": 99}).status_code == 404


def test_labels_follow_the_requested_language(api_client, reference_data):
    vacancy = factories.VacancyFactory()

    item = api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="nl").json()["results"][0]

    assert item["title"] == vacancy.title_nl
    assert item["commune"]["name"] == "Schaarbeek"


# --- Members' own vacancies --------------------------------------------------------------------


def test_mine_lists_the_members_own_vacancies_drafts_included(member_client, cast, employer, draft):
    published = factories.VacancyFactory(employer=employer)
    closed = factories.VacancyFactory(employer=employer, status=Vacancy.Status.CLOSED)
    factories.VacancyFactory()  # another organisation's
    factories.VacancyFactory(
        employer=cast.other_employer_member.membership.employer,
        status=Vacancy.Status.DRAFT,
        published_at=None,
    )

    found = ids(member_client.get(LIST, {"mine": "true"}))

    assert sorted(found) == sorted([draft.pk, published.pk, closed.pk])
    assert ids(member_client.get(LIST, {"mine": "true", "contract": "fixed_term"})) == []


def test_mine_works_with_an_api_token(api_client, cast, draft):
    token = Token.objects.create(user=cast.employer_member)

    response = api_client.get(LIST, {"mine": "true"}, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert ids(response) == [draft.pk]


def test_mine_is_refused_to_anonymous_callers_and_to_non_members(api_client, cast, draft):
    assert api_client.get(LIST, {"mine": "true"}).status_code == 401
    for user in (cast.candidate, cast.counsellor, cast.staff):
        api_client.force_authenticate(user)
        response = api_client.get(LIST, {"mine": "true"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 403
        assert "mine=true" in response.json()["detail"]


def test_anyone_reads_a_published_vacancy_but_not_a_draft(api_client, reference_data, draft):
    published = factories.VacancyFactory()

    assert api_client.get(detail(published.pk)).json()["id"] == published.pk
    assert api_client.get(detail(draft.pk)).status_code == 404


def test_a_member_reads_their_own_draft(member_client, draft):
    response = member_client.get(detail(draft.pk))

    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_another_organisations_draft_is_a_404(api_client, cast, draft):
    api_client.force_authenticate(cast.other_employer_member)

    assert api_client.get(detail(draft.pk)).status_code == 404
    assert ids(api_client.get(LIST, {"mine": "true"})) == []


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "9223372036854775808"])
def test_an_unknown_or_huge_id_is_a_404(member_client, pk):
    assert member_client.get(f"{LIST}{pk}/").status_code == 404
    assert member_client.patch(f"{LIST}{pk}/", {}, format="json").status_code == 404


# --- Creating ----------------------------------------------------------------------------------


def test_a_member_creates_a_draft_from_the_roles_template(member_client, cast, employer):
    role = Role.objects.with_profile().get(slug="peace-guard")

    response = member_client.post(LIST, valid_payload(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    vacancy = Vacancy.objects.get(pk=body["id"])
    assert vacancy.employer == employer
    assert vacancy.created_by == cast.employer_member
    assert vacancy.status == Vacancy.Status.DRAFT
    assert vacancy.commune.nis_code == "21015"
    assert vacancy.closes_on == in_days(20)
    assert vacancy.min_age == role.min_age
    assert vacancy.nationality == role.nationality
    assert body["status"] == "draft"
    assert body["published_at"] is None
    # Titles are the caller's: no English title borrowed from the role.
    assert body["titles"]["en"] == ""
    assert sorted(item["skill"]["id"] for item in body["requirements"]) == sorted(
        requirement.skill_id for requirement in role.requirements.all()
    )
    assert sorted(item["language"] for item in body["languages"]) == sorted(
        requirement.language.code for requirement in role.language_requirements.all()
    )
    assert "gemeenschapswacht" in vacancy.search_text


def test_a_member_creates_and_publishes_with_their_own_requirements(member_client, employer):
    first, second = Skill.objects.order_by("id")[:2]
    payload = valid_payload(
        status="published",
        title_en="Community warden",
        address="Avenue Louis Bertrand 40",
        hours_per_week="36.5",
        shifts=True,
        weekends=True,
        salary_scale="D1",
        salary_min=2300,
        salary_max=2900,
        posts=4,
        legal_conditions={"min_age": 18, "nationality": "any", "driving_licence": "B"},
        requirements=[
            {"skill": first.pk, "importance": "essential", "min_level": 3},
            {"skill": second.esco_uri, "importance": "nice_to_have", "min_level": 1},
        ],
        languages=[
            {"language": "nl", "cefr": "B1", "certificate": "art9_1"},
            {"language": "fr", "cefr": "B2", "is_alternative": True},
        ],
    )

    response = member_client.post(LIST, payload, format="json")

    assert response.status_code == 201, response.content
    vacancy = Vacancy.objects.get(pk=response.json()["id"])
    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert vacancy.published_at is not None
    assert (vacancy.posts, vacancy.salary_min, vacancy.salary_max) == (4, 2300, 2900)
    assert str(vacancy.hours_per_week) == "36.5"
    assert (vacancy.shifts, vacancy.nights, vacancy.weekends) == (True, False, True)
    assert vacancy.driving_licence == "B"
    assert snapshot(vacancy)["skills"] == sorted(
        [(first.pk, "essential", 3), (second.pk, "nice_to_have", 1)]
    )
    assert snapshot(vacancy)["languages"] == [("fr", "B2"), ("nl", "B1")]
    assert VacancyLanguage.objects.get(vacancy=vacancy, language__code="nl").certificate == "art9_1"
    assert vacancy.pk in ids(member_client.get(LIST))


def test_a_diploma_is_required_where_the_law_requires_one(member_client, employer):
    employer.kind = Employer.Kind.LOCAL_POLICE  # a role police zones recruit for
    employer.save(update_fields=["kind"])
    payload = valid_payload(role="police-inspector", diploma_required=True)

    response = member_client.post(LIST, payload, format="json")

    assert response.status_code == 201, response.content
    vacancy = Vacancy.objects.get(pk=response.json()["id"])
    assert vacancy.diploma_required is True
    assert vacancy.required_diploma == "upper_secondary"
    assert response.json()["alternative_route"]


LONG_AGO = "2020-01-01"


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"closes_on": in_days(-1).isoformat()}, ["closes_on"]),
        ({"closes_on": "31/12/2030"}, ["closes_on"]),
        ({"closes_on": "2030-02-30"}, ["closes_on"]),
        ({"posts": 0}, ["posts"]),
        ({"posts": "many"}, ["posts"]),
        ({"posts": 2**70}, ["posts"]),
        ({"role": "astronaut"}, ["role"]),
        ({"role": ["peace-guard"]}, ["role"]),
        ({"diploma_required": True}, ["diploma_required"]),
        ({"diploma_required": "perhaps"}, ["diploma_required"]),
        ({"status": "filled"}, ["status"]),
        ({"status": "archived"}, ["status"]),
        ({"title_nl": ""}, ["title_nl"]),
        ({"title_fr": ["a", "b"]}, ["title_fr"]),
        ({"title_fr": "x" * 201}, ["title_fr"]),
        ({"commune": "9999"}, ["commune"]),
        ({"commune": "Schaerbeek"}, ["commune"]),
        ({"commune": {"id": 1}}, ["commune"]),
        ({"contract": "forever"}, ["contract"]),
        ({"hours_per_week": 100}, ["hours_per_week"]),
        ({"salary_min": 3000, "salary_max": 2000}, ["salary_max"]),
        ({"salary_min": -5}, ["salary_min"]),
        ({"shifts": "perhaps"}, ["shifts"]),
        ({"legal_conditions": "none"}, ["legal_conditions"]),
        ({"legal_conditions": {"nationality": "martian"}}, ["legal_conditions", "nationality"]),
        ({"legal_conditions": {"driving_licence": "Z"}}, ["legal_conditions", "driving_licence"]),
        ({"legal_conditions": {"min_age": 12}}, ["legal_conditions", "min_age"]),
        ({"requirements": "all of them"}, ["requirements"]),
        (
            {"requirements": [{"skill": 2**40, "importance": "essential", "min_level": 2}]},
            ["requirements", "0", "skill"],
        ),
        (
            {"requirements": [{"skill": 2**70, "importance": "essential", "min_level": 2}]},
            ["requirements", "0", "skill"],
        ),
        (
            {
                "requirements": [
                    {
                        "skill": "http://data.europa.eu/esco/skill/none",
                        "importance": "essential",
                        "min_level": 2,
                    }
                ]
            },
            ["requirements", "0", "skill"],
        ),
        (
            {
                "requirements": [
                    {
                        "skill": "http://data.europa.eu/esco/skill/\u0000",
                        "importance": "essential",
                        "min_level": 2,
                    }
                ]
            },
            ["requirements", 0, "skill"],
        ),
        ({"role": "peace-guard\u0000"}, ["role"]),
        (
            {"requirements": [{"skill": "fifty", "importance": "essential", "min_level": 2}]},
            ["requirements", 0, "skill"],
        ),
        (
            {"requirements": [{"skill": True, "importance": "essential", "min_level": 2}]},
            ["requirements", 0, "skill"],
        ),
        (
            {"requirements": [{"skill": "SKILL", "importance": "vital", "min_level": 2}]},
            ["requirements", 0, "importance"],
        ),
        (
            {"requirements": [{"skill": "SKILL", "importance": "essential", "min_level": 7}]},
            ["requirements", 0, "min_level"],
        ),
        (
            {
                "requirements": [
                    {"skill": "SKILL", "importance": "essential", "min_level": 2},
                    {"skill": "SKILL", "importance": "important", "min_level": 1},
                ]
            },
            ["requirements", "1", "skill"],
        ),
        ({"languages": [{"language": "xx", "cefr": "B1"}]}, ["languages", "0", "language"]),
        ({"languages": [{"language": "nl", "cefr": "Z1"}]}, ["languages", 0, "cefr"]),
        ({"languages": [{"language": "nl"}]}, ["languages", 0, "cefr"]),
        (
            {"languages": [{"language": "en", "cefr": "B1", "certificate": "art9_1"}]},
            ["languages", "0", "certificate"],
        ),
        (
            {"languages": [{"language": "nl", "cefr": "B1"}, {"language": "NL", "cefr": "B2"}]},
            ["languages", "1", "language"],
        ),
    ],
)
def test_every_bad_value_on_create_is_a_400_and_nothing_is_saved(
    member_client, reference_data, changes, path
):
    skill = Skill.objects.order_by("id").first()
    for requirement in changes.get("requirements", []):
        if isinstance(requirement, dict) and requirement.get("skill") == "SKILL":
            requirement["skill"] = skill.pk
    before = counts()

    response = member_client.post(LIST, valid_payload(**changes), format="json")

    assert response.status_code == 400, response.content
    body = response.json()
    for key in path:
        body = body[str(key)] if isinstance(body, dict) else body[int(key)]
    assert body
    assert counts() == before


@pytest.mark.parametrize(
    "payload", [[], "a vacancy", None, {"role": "peace-guard"}, valid_payload(title_nl=None)]
)
def test_a_body_that_is_not_a_vacancy_is_a_400(member_client, reference_data, payload):
    before = counts()

    response = member_client.post(LIST, payload, format="json")

    assert response.status_code == 400
    assert counts() == before


def test_malformed_json_is_a_400(member_client):
    response = member_client.post(LIST, "{not json", content_type="application/json")

    assert response.status_code == 400


def test_an_unverified_organisation_cannot_publish_and_nothing_is_saved(api_client, reference_data):
    member = factories.EmployerMemberFactory(membership__employer__is_verified=False)
    api_client.force_authenticate(member)
    before = counts()

    response = api_client.post(LIST, valid_payload(status="published"), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert counts() == before
    # A draft is fine: the organisation prepares its vacancies while it waits.
    assert api_client.post(LIST, valid_payload(), format="json").status_code == 201


def test_a_commune_is_needed_when_the_organisation_serves_none(member_client, employer):
    payload = valid_payload()
    del payload["commune"]

    response = member_client.post(LIST, payload, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["commune"]
    employer.communes.add(commune("21012"))
    response = member_client.post(LIST, payload, format="json")
    assert response.status_code == 201
    assert response.json()["commune"]["nis_code"] == "21012"


def test_only_employer_members_create_vacancies(api_client, cast, reference_data):
    before = counts()

    assert api_client.post(LIST, valid_payload(), format="json").status_code == 401
    for user in (cast.candidate, cast.counsellor, cast.staff):
        api_client.force_authenticate(user)
        assert api_client.post(LIST, valid_payload(), format="json").status_code == 403
    assert counts() == before


def test_an_employer_account_without_an_organisation_cannot_create(api_client, reference_data):
    orphan = factories.UserFactory(role="employer")
    api_client.force_authenticate(orphan)

    assert api_client.post(LIST, valid_payload(), format="json").status_code == 403


# --- Changing ----------------------------------------------------------------------------------


def test_a_member_changes_and_publishes_their_draft(member_client, draft):
    skill = Skill.objects.order_by("-id").first()

    response = member_client.patch(
        detail(draft.pk),
        {
            "title_fr": "Gardien de la paix (nuit)",
            "nights": True,
            "requirements": [{"skill": skill.pk, "importance": "important", "min_level": 2}],
            "languages": [],
            "status": "published",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.title_fr == "Gardien de la paix (nuit)"
    assert draft.nights is True
    assert draft.status == Vacancy.Status.PUBLISHED
    assert draft.published_at is not None
    assert snapshot(draft)["skills"] == [(skill.pk, "important", 2)]
    assert snapshot(draft)["languages"] == []
    assert response.json()["titles"]["fr"] == "Gardien de la paix (nuit)"
    assert "nuit" in draft.search_text


def test_a_patch_replaces_the_languages_with_the_items_defaults(member_client, draft):
    response = member_client.patch(
        detail(draft.pk),
        {"languages": [{"language": "nl", "cefr": "B2"}, {"language": "fr", "cefr": "B1"}]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert [
        (item["language"], item["cefr"], item["certificate"], item["is_alternative"])
        for item in response.json()["languages"]
    ] == [("fr", "B1", "", False), ("nl", "B2", "", False)]


def test_a_patch_changes_only_the_fields_sent(member_client, draft):
    factories.VacancyLanguageFactory(vacancy=draft)
    before = snapshot(draft)

    response = member_client.patch(detail(draft.pk), {"posts": 5}, format="json")

    assert response.status_code == 200
    after = snapshot(draft)
    assert after["vacancy"]["posts"] == 5
    assert after["languages"] == before["languages"]
    assert after["vacancy"]["title_nl"] == before["vacancy"]["title_nl"]


def test_the_workflow_runs_through_patch(member_client, employer):
    vacancy = factories.VacancyFactory(employer=employer)

    closed = member_client.patch(detail(vacancy.pk), {"status": "closed"}, format="json")
    reopened = member_client.patch(detail(vacancy.pk), {"status": "published"}, format="json")
    filled = member_client.patch(detail(vacancy.pk), {"status": "filled"}, format="json")

    assert [closed.status_code, reopened.status_code, filled.status_code] == [200, 200, 200]
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.FILLED
    assert vacancy.filled_at is not None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "filled"}, "status"),
        ({"status": "closed"}, "status"),
        ({"status": "gone"}, "status"),
        ({"closes_on": LONG_AGO}, "closes_on"),
        ({"posts": 0}, "posts"),
        ({"salary_max": 10}, "salary_max"),
        ({"diploma_required": True}, "diploma_required"),
        ({"role": "astronaut"}, "role"),
        ({"title_fr": ""}, "title_fr"),
        (
            {"requirements": [{"skill": 2**40, "importance": "essential", "min_level": 2}]},
            "requirements",
        ),
        ({"requirements": [{"importance": "essential", "min_level": 2}]}, "requirements"),
    ],
)
def test_a_refused_patch_saves_nothing_even_with_valid_fields_beside(
    member_client, draft, changes, field
):
    draft.salary_min = 2000
    draft.save()
    before = snapshot(draft)

    response = member_client.patch(
        detail(draft.pk), {"title_nl": "Nieuwe titel", "nights": True, **changes}, format="json"
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert snapshot(draft) == before


def test_a_filled_vacancy_cannot_be_published_again(member_client, employer):
    vacancy = factories.VacancyFactory(employer=employer, status=Vacancy.Status.FILLED)
    before = snapshot(vacancy)

    response = member_client.patch(
        detail(vacancy.pk), {"status": "published"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["status"] == ["A vacancy cannot go from “Filled” to “Published”."]
    assert snapshot(vacancy) == before


def test_a_closed_vacancy_past_its_date_needs_a_new_date_to_be_published(member_client, employer):
    vacancy = factories.VacancyFactory(
        employer=employer, status=Vacancy.Status.CLOSED, closes_on=in_days(-3)
    )

    refused = member_client.patch(detail(vacancy.pk), {"status": "published"}, format="json")
    accepted = member_client.patch(
        detail(vacancy.pk),
        {"status": "published", "closes_on": in_days(10).isoformat()},
        format="json",
    )

    assert refused.status_code == 400
    assert list(refused.json()) == ["closes_on"]
    assert accepted.status_code == 200
    assert accepted.json()["closes_on"] == in_days(10).isoformat()


def test_sending_back_an_unchanged_past_closing_date_is_not_an_error(member_client, employer):
    vacancy = factories.VacancyFactory(
        employer=employer, status=Vacancy.Status.CLOSED, closes_on=in_days(-3)
    )

    response = member_client.patch(
        detail(vacancy.pk),
        {"closes_on": in_days(-3).isoformat(), "status": "closed", "posts": 2},
        format="json",
    )

    assert response.status_code == 200


def test_another_organisations_member_cannot_change_a_vacancy(api_client, cast, draft):
    published = factories.VacancyFactory(employer=draft.employer)
    api_client.force_authenticate(cast.other_employer_member)
    before = [snapshot(draft), snapshot(published)]

    for vacancy in (draft, published):
        response = api_client.patch(detail(vacancy.pk), {"title_fr": "Volé"}, format="json")
        assert response.status_code == 404

    assert [snapshot(draft), snapshot(published)] == before


def test_only_members_change_vacancies(api_client, cast, draft):
    before = snapshot(draft)

    assert api_client.patch(detail(draft.pk), {"posts": 3}, format="json").status_code == 401
    for user in (cast.candidate, cast.counsellor, cast.staff):
        api_client.force_authenticate(user)
        assert api_client.patch(detail(draft.pk), {"posts": 3}, format="json").status_code == 403
    assert snapshot(draft) == before


# --- Employers ---------------------------------------------------------------------------------


def test_employers_lists_verified_organisations_with_their_open_vacancies(
    api_client, reference_data
):
    zone = factories.EmployerFactory(
        name="Zone Nord",
        slug="zone-nord",
        kind=Employer.Kind.LOCAL_POLICE,
        police_zone=PoliceZone.objects.get(number=5344),
        website="https://www.polisnord.be",
    )
    zone.communes.set([commune("21015"), commune("21006")])
    factories.VacancyFactory.create_batch(2, employer=zone)
    factories.VacancyFactory(employer=zone, status=Vacancy.Status.DRAFT, published_at=None)
    factories.VacancyFactory(employer=zone, closes_on=in_days(-1))
    factories.EmployerFactory(slug="not-yet", is_verified=False)
    quiet = factories.EmployerFactory(name="Aaa Prévention", slug="aaa")

    body = api_client.get(EMPLOYERS, {"lang": "en"}).json()

    assert [item["slug"] for item in body["results"]] == ["aaa", "zone-nord"]
    item = body["results"][1]
    assert item == {
        "id": zone.pk,
        "name": "Zone Nord",
        "names": {"fr": "Zone Nord", "nl": "", "en": ""},
        "slug": "zone-nord",
        "kind": "local_police",
        "kind_label": "Local police zone",
        "communes": [
            {
                "id": commune("21006").pk,
                "nis_code": "21006",
                "name": "Evere",
                "postcodes": ["1140"],
            },
            {
                "id": commune("21015").pk,
                "nis_code": "21015",
                "name": "Schaerbeek",
                "postcodes": ["1030"],
            },
        ],
        "website": "https://www.polisnord.be",
        "police_zone": 5344,
        "open_vacancies": 2,
    }
    assert body["results"][0]["police_zone"] is None
    assert body["results"][0]["open_vacancies"] == 0
    assert api_client.get(f"{EMPLOYERS}zone-nord/").json()["id"] == zone.pk
    assert api_client.get(f"{EMPLOYERS}not-yet/").status_code == 404
    assert quiet.pk in [item["id"] for item in body["results"]]


# --- Query counts and the schema ---------------------------------------------------------------


def _vacancies_with_requirements(count, **fields):
    skills = list(Skill.objects.order_by("id")[:2])
    for vacancy in factories.VacancyFactory.create_batch(count, **fields):
        for skill in skills:
            factories.VacancySkillFactory(vacancy=vacancy, skill=skill)
        factories.VacancyLanguageFactory(vacancy=vacancy)


def _queries(client, url, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


def test_the_vacancy_list_takes_the_same_queries_whatever_the_page_size(api_client, reference_data):
    _vacancies_with_requirements(60)
    filters = {"language": "nl", "commune": "1030", "diploma_required": "false"}

    few = _queries(api_client, LIST, {"page_size": 5})
    many = _queries(api_client, LIST, {"page_size": 50})
    few_filtered = _queries(api_client, LIST, {"page_size": 5, **filters})
    many_filtered = _queries(api_client, LIST, {"page_size": 50, **filters})

    assert few == many == 4  # count, page, skill requirements, language requirements
    assert few_filtered == many_filtered


def test_mine_takes_the_same_queries_whatever_the_page_size(member_client, employer):
    _vacancies_with_requirements(30, employer=employer, status=Vacancy.Status.DRAFT)

    few = _queries(member_client, LIST, {"mine": "true", "page_size": 5})
    many = _queries(member_client, LIST, {"mine": "true", "page_size": 50})

    assert few == many


def test_the_employer_list_takes_the_same_queries_whatever_its_length(api_client, reference_data):
    def add_employers(count):
        for employer in factories.EmployerFactory.create_batch(count):
            employer.communes.set(Commune.objects.all()[:3])
            factories.VacancyFactory(employer=employer)

    add_employers(2)
    few = _queries(api_client, EMPLOYERS, {})
    add_employers(20)
    many = _queries(api_client, EMPLOYERS, {})

    assert few == many <= 3


def test_the_openapi_schema_documents_vacancies_and_validates(tmp_path, client):
    schema_file = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema_file))

    schema = schema_file.read_text()
    for expected in (
        "/api/v1/vacancies/:",
        "/api/v1/vacancies/{id}/:",
        "/api/v1/employers/:",
        "name: closing_soon",
        "name: diploma_required",
        "name: mine",
        "VacancyInputRequest",
    ):
        assert expected in schema
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/vacancies/"])
    assert {"get", "patch"} <= set(paths["/api/v1/vacancies/{id}/"])


ODD_VALUES = [None, True, [], {}, "x" * 300, 2**70, -1, 1.5, "", "\x00", [None], [{}]]
ODD_FIELDS = [
    "role",
    "title_fr",
    "commune",
    "contract",
    "hours_per_week",
    "salary_min",
    "posts",
    "closes_on",
    "legal_conditions",
    "diploma_required",
    "required_diploma",
    "requirements",
    "languages",
    "status",
]


def test_no_value_of_any_field_is_a_server_error(member_client, draft):
    from django.core.cache import cache

    for field in ODD_FIELDS:
        cache.clear()  # the requests would otherwise be throttled
        for value in ODD_VALUES:
            created = member_client.post(LIST, valid_payload(**{field: value}), format="json")
            changed = member_client.patch(detail(draft.pk), {field: value}, format="json")
            assert created.status_code in (201, 400), (field, value, created.content)
            assert changed.status_code in (200, 400), (field, value, changed.content)
