"""Jobs for me: `/api/v1/me/matches/`, the matches page, the role gap page, the alert threshold."""

import datetime
import random

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from assessments.models import Battery
from candidates.matches.selectors import vacancy_matches
from candidates.models import CandidateProfile, Education, LanguageCertificate
from college import matching
from college.guidance import paths
from college.models import Commune, Diploma, Language, Role, Skill
from employers.models import Vacancy
from tests import factories

pytestmark = pytest.mark.django_db

PEACE_GUARD_EXAM_SKILLS = (
    "http://data.europa.eu/esco/skill/0ee94af1-b445-4973-9c3f-459fab250342",
    "http://data.europa.eu/esco/skill/f6c12779-bd4c-4908-a766-dd0db556c63b",
)
API_URL = "/api/v1/me/matches/"


@pytest.fixture
def profile(cast):
    return CandidateProfile.objects.get(user=cast.candidate)


@pytest.fixture
def exam_skills(item_bank):
    return [Skill.objects.get(esco_uri=uri) for uri in PEACE_GUARD_EXAM_SKILLS]


def vacancy_with(skills=(), languages=(), **fields):
    """A published vacancy asking `skills` [(skill, importance, min_level)] and `languages`."""
    vacancy = factories.VacancyFactory(**fields)
    for skill, importance, level in skills:
        factories.VacancySkillFactory(
            vacancy=vacancy, skill=skill, importance=importance, min_level=level
        )
    for language in languages:
        factories.VacancyLanguageFactory(vacancy=vacancy, **language)
    return vacancy


def hold(profile, skill, level=2, evidence="self_declared"):
    factories.CandidateSkillFactory(profile=profile, skill=skill, level=level, evidence=evidence)


def count_queries(call):
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


# The ranking and the explanation -----------------------------------------------------------------


def test_matches_are_ranked_like_matches_for_and_skip_unpublished_vacancies(
    cast, api_client, profile, exam_skills
):
    other = factories.SkillFactory()
    shared, exam_only = exam_skills
    hold(profile, shared, level=3, evidence="counsellor_validated")
    hold(profile, other, level=1)
    best = vacancy_with([(shared, "essential", 2)])
    middle = vacancy_with([(shared, "essential", 2), (exam_only, "essential", 2)])
    worst = vacancy_with([(exam_only, "essential", 3), (other, "important", 3)])
    vacancy_with([(shared, "essential", 2)], status=Vacancy.Status.DRAFT, published_at=None)
    vacancy_with(
        [(shared, "essential", 2)], closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    api_client.force_authenticate(cast.candidate)

    response = api_client.get(API_URL)

    assert response.status_code == 200
    ranked = matching.matches_for(profile=profile)
    assert [(row["vacancy"]["id"], row["score"]) for row in response.data["results"]] == ranked
    assert [pk for pk, _score in ranked] == [best.pk, middle.pk, worst.pk]
    assert response.data["count"] == 3
    row = response.data["results"][1]
    assert row["vacancy"]["title"] == middle.title
    assert row["vacancy"]["employer"]["name"] == middle.employer.name
    assert row["vacancy"]["commune"]["nis_code"] == "21015"
    assert row["vacancy"]["closes_on"] == middle.closes_on.isoformat()
    assert row["vacancy"]["url"].endswith(f"/vacancies/{middle.pk}/")
    assert [line["skill"]["id"] for line in row["matched"]] == [shared.pk]
    assert [line["skill"]["id"] for line in row["missing"]] == [exam_only.pk]
    assert row["missing"][0]["skill"]["label"] == exam_only.label
    assert row["missing"][0]["held_level"] is None and row["missing"][0]["required_level"] == 2
    assert [line["skill"]["id"] for line in response.data["results"][2]["partial"]] == [other.pk]


def test_each_row_is_what_evaluate_gives(cast, profile, exam_skills):
    """The batched explanation agrees with the engine's `evaluate` on varied vacancies."""
    rng = random.Random(5)
    skills = list(exam_skills) + list(Skill.objects.exclude(pk__in=[s.pk for s in exam_skills])[:8])
    schaerbeek = Commune.objects.get(nis_code="21015")
    same_zone = (
        Commune.objects.filter(police_zone=schaerbeek.police_zone).exclude(pk=schaerbeek.pk).first()
    )
    elsewhere = Commune.objects.exclude(police_zone=schaerbeek.police_zone).first()
    french, dutch = Language.objects.get(code="fr"), Language.objects.get(code="nl")
    profile.commune = schaerbeek
    profile.max_travel_minutes = 45
    profile.shifts = True
    profile.birth_year = 2000
    profile.nationality = "eea"
    profile.save()
    for skill in skills[:6]:
        hold(
            profile,
            skill,
            level=rng.randint(1, 4),
            evidence=rng.choice(list(matching.EVIDENCE_TENTHS)),
        )
    factories.CandidateLanguageFactory(profile=profile, language=dutch, cefr="A2")
    LanguageCertificate.objects.create(profile=profile, language=french, level="art9_1")
    Education.objects.create(
        profile=profile, level="ce1d", title="CE1D", institution="École", recognition="belgian"
    )
    inspector = Role.objects.get(slug="police-inspector")
    vacancies = []
    for index, commune in enumerate([schaerbeek, same_zone, elsewhere] * 3):
        requirements = [
            (skill, rng.choice(["essential", "important", "nice_to_have"]), rng.randint(1, 4))
            for skill in rng.sample(skills, rng.randint(0, 5))
        ]
        languages = []
        if index % 2:
            languages = [
                {"language": dutch, "min_cefr": "B1", "is_alternative": True},
                {
                    "language": french,
                    "min_cefr": "B2",
                    "certificate": "art9_1",
                    "is_alternative": True,
                },
            ]
        extra = {}
        if index % 3 == 0:
            extra = {
                "role": inspector,
                "diploma_required": True,
                "required_diploma": Diploma.UPPER_SECONDARY,
                "nationality": "belgian",
                "min_age": 21,
                "driving_licence": "B",
            }
        vacancies.append(
            vacancy_with(
                requirements,
                languages,
                commune=commune,
                shifts=bool(index % 2),
                nights=index == 4,
                **extra,
            )
        )

    rows = vacancy_matches(profile=profile, vacancy_ids=[vacancy.pk for vacancy in vacancies])

    assert [row.vacancy.pk for row in rows] == [vacancy.pk for vacancy in vacancies]
    for row in rows:
        expected = matching.evaluate(profile=profile, vacancy=row.vacancy)
        assert row.match.score == expected.score
        assert row.match.eligibility == expected.eligibility
        assert row.match.skills == expected.skills
        assert row.match.languages == expected.languages
        assert row.match.next_steps == expected.next_steps
    statuses = {row.match.eligibility.status for row in rows}
    assert statuses == {matching.ELIGIBLE, matching.NOT_YET}


def test_missing_skills_come_with_next_steps_and_their_gain(cast, api_client, profile, exam_skills):
    shared, exam_only = exam_skills
    hold(profile, shared, level=2)
    vacancy = vacancy_with([(shared, "essential", 2), (exam_only, "important", 2)])
    exam = Battery.objects.get(slug="peace-guard-exam")
    expected = matching.evaluate(profile=profile, vacancy=vacancy)
    exam_step = next(item for item in expected.next_steps if item.step.object_id == exam.pk)
    assert exam_step.gain > 0
    api_client.force_authenticate(cast.candidate)

    row = api_client.get(API_URL).data["results"][0]

    assert [line["skill"]["id"] for line in row["partial"]] == [shared.pk]  # self-declared
    assert [line["skill"]["id"] for line in row["missing"]] == [exam_only.pk]
    steps = {step["slug"]: step for step in row["next_steps"]}
    step = steps["peace-guard-exam"]
    assert step["kind"] == "test" and step["id"] == exam.pk and step["title"] == exam.title
    assert step["url"].endswith(reverse("assessments:battery_detail", args=["peace-guard-exam"]))
    assert step["gain"] == exam_step.gain
    assert step["score_after"] == row["score"] + exam_step.gain
    assert {skill["id"] for skill in step["skills"]} == {shared.pk, exam_only.pk}
    assert [item["gain"] for item in row["next_steps"]] == sorted(
        (item["gain"] for item in row["next_steps"]), reverse=True
    )

    page = page_client(cast.candidate).get(reverse("candidates:matches")).content.decode()
    assert reverse("assessments:battery_detail", args=["peace-guard-exam"]) in page
    assert f"+{exam_step.gain} points" in page
    assert exam_only.label in page
    assert reverse("employers:apply", args=[vacancy.pk]) in page


def page_client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_eligibility_is_shown_but_never_filters(cast, api_client, profile, exam_skills):
    shared, _exam_only = exam_skills
    hold(profile, shared, level=2, evidence="training_certified")
    needs_age = vacancy_with([(shared, "essential", 2)], min_age=21)  # birth year unknown
    open_to_all = vacancy_with([(shared, "essential", 2)])
    api_client.force_authenticate(cast.candidate)

    response = api_client.get(API_URL, HTTP_ACCEPT_LANGUAGE="en")
    rows = {row["vacancy"]["id"]: row for row in response.data["results"]}

    assert set(rows) == {needs_age.pk, open_to_all.pk}
    assert rows[needs_age.pk]["score"] == rows[open_to_all.pk]["score"]
    assert rows[needs_age.pk]["eligibility"]["status"] == "not_yet"
    assert rows[needs_age.pk]["eligibility"]["missing"] == [
        "Birth year to confirm (minimum age 21)."
    ]
    assert rows[open_to_all.pk]["eligibility"]["status"] == "eligible"
    page = page_client(cast.candidate).get(reverse("candidates:matches"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Legal conditions: not yet" in text
    assert "Birth year to confirm (minimum age 21)." in text
    assert reverse("candidates:profile_about") in text
    assert reverse("employers:apply", args=[needs_age.pk]) in text


def test_matches_page_lists_target_roles_and_applied_vacancies(cast, profile, exam_skills):
    role = Role.objects.get(slug="police-inspector")
    profile.target_roles.add(role)
    vacancy = vacancy_with([(exam_skills[0], "essential", 2)])
    factories.ApplicationFactory(vacancy=vacancy, profile=profile)

    text = page_client(cast.candidate).get(reverse("candidates:matches")).content.decode()

    assert reverse("candidates:role_gap", args=[role.slug]) in text
    assert "You have applied" in text
    assert reverse("employers:apply", args=[vacancy.pk]) not in text


def test_matches_page_paginates(cast, profile, reference_data):
    for _index in range(12):
        vacancy_with()
    client = page_client(cast.candidate)

    first = client.get(reverse("candidates:matches"))
    second = client.get(reverse("candidates:matches"), {"page": 2})
    bad = client.get(reverse("candidates:matches"), {"page": "abc"})

    assert len(first.context["rows"]) == 10 and len(second.context["rows"]) == 2
    assert bad.status_code == 200 and bad.context["page"].number == 1
    ids = [row.vacancy.pk for row in first.context["rows"] + second.context["rows"]]
    assert ids == [pk for pk, _score in matching.matches_for(profile=profile)]


def test_dashboard_links_to_the_matches(cast):
    text = page_client(cast.candidate).get(reverse("candidates:dashboard")).content.decode()
    assert reverse("candidates:matches") in text


# What a role needs -----------------------------------------------------------------------------


def test_role_gap_of_a_diploma_role_shows_the_legal_alternative_route(cast, profile, item_bank):
    role = Role.objects.get(slug="police-inspector")
    assert role.diploma_required_by_law and role.alternative_route
    profile.birth_year = 1995
    profile.nationality = "belgian"
    profile.driving_licences = ["B"]
    profile.save()
    match = matching.evaluate_role(profile=profile, role=role)
    assert match.next_steps

    response = page_client(cast.candidate).get(reverse("candidates:role_gap", args=[role.slug]))

    assert response.status_code == 200
    text = response.content.decode()
    assert response.context["match"].eligibility.status == matching.ELIGIBLE_VIA_ALTERNATIVE
    assert "Without this diploma: the legal alternative route" in text
    with translation.override("en"):
        assert escape(role.alternative_route.splitlines()[0]) in text
    assert "You can get in through the alternative route" in text
    steps = response.context["steps"]
    # One plan: the role page lists the training path's steps, in the path's order.
    assert steps == paths.plan_steps(profile=profile, role=role)
    assert steps and all(step.url for step in steps)
    for step in steps:
        assert f"Then your fit: {step.fit_after.words}, {step.score_after}/100." in text
    module = next(step for step in steps if step.kind == "module")
    assert module.url == reverse("module_detail", args=[module.slug])
    assert f'<data class="fit-value" value="{match.score}">' in text


def test_role_gap_of_a_role_without_diploma_says_skills_count(cast, reference_data):
    response = page_client(cast.candidate).get(reverse("candidates:role_gap", args=["peace-guard"]))
    assert response.status_code == 200
    assert "No diploma required by law: your skills count." in response.content.decode()


def test_role_gap_of_an_unknown_role_is_404(cast, reference_data):
    client = page_client(cast.candidate)
    assert client.get(reverse("candidates:role_gap", args=["no-such-role"])).status_code == 404


# The alert threshold ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "saved"), [("off", None), ("60", 60), ("70", 70), ("90", 90)])
def test_alert_threshold_is_saved(cast, profile, reference_data, value, saved):
    profile.match_alert_threshold = 80
    profile.save()
    client = page_client(cast.candidate)

    response = client.post(reverse("candidates:match_alerts"), {"threshold": value})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("candidates:matches"))
    profile.refresh_from_db()
    assert profile.match_alert_threshold == saved


@pytest.mark.parametrize("value", ["65", "abc", "", "100000000000000000000", "-60"])
def test_a_bad_alert_threshold_is_a_field_error_and_nothing_is_saved(
    cast, profile, reference_data, value
):
    profile.match_alert_threshold = 80
    profile.save()
    client = page_client(cast.candidate)

    response = client.post(reverse("candidates:match_alerts"), {"threshold": value})

    assert response.status_code == 400
    assert response.context["alert_form"].errors["threshold"]
    assert 'id="id_threshold_error"' in response.content.decode()
    profile.refresh_from_db()
    assert profile.match_alert_threshold == 80


def test_alert_form_shows_the_current_choice(cast, profile, reference_data):
    profile.match_alert_threshold = 75  # set in the admin: stays on offer
    profile.save()
    form = page_client(cast.candidate).get(reverse("candidates:matches")).context["alert_form"]
    assert form["threshold"].value() == "75"
    assert ("75", "75 or more (Close)") in [
        (str(k), str(v)) for k, v in form.fields["threshold"].choices
    ]


# Who may see them ---------------------------------------------------------------------------------


@pytest.mark.parametrize("outsider", ["employer_member", "counsellor", "staff"])
def test_other_roles_get_403_on_pages_and_api(cast, api_client, reference_data, outsider):
    user = getattr(cast, outsider)
    client = page_client(user)
    assert client.get(reverse("candidates:matches")).status_code == 403
    assert client.get(reverse("candidates:role_gap", args=["peace-guard"])).status_code == 403
    response = client.post(reverse("candidates:match_alerts"), {"threshold": "60"})
    assert response.status_code == 403
    api_client.force_authenticate(user)
    assert api_client.get(API_URL).status_code == 403


def test_anonymous_visitors_sign_in_first(api_client, reference_data):
    client = Client()
    for url in (
        reverse("candidates:matches"),
        reverse("candidates:role_gap", args=["peace-guard"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert api_client.get(API_URL).status_code == 401


def test_alert_form_takes_only_post(cast, reference_data):
    response = page_client(cast.candidate).get(reverse("candidates:match_alerts"))
    assert response.status_code == 405


def test_bad_page_numbers_are_404_not_500(cast, api_client, reference_data):
    vacancy_with()
    api_client.force_authenticate(cast.candidate)
    assert api_client.get(API_URL, {"page": "99"}).status_code == 404
    assert api_client.get(API_URL, {"page": "abc"}).status_code == 404
    # A page size that is not a number from 1 to 100 is the caller's error, named in a 400.
    for page_size in ("abc", "100000000000000000000"):
        response = api_client.get(API_URL, {"page_size": page_size})
        assert response.status_code == 400
        assert "page_size" in response.json()


# Speed --------------------------------------------------------------------------------------------


def _world(profile, exam_skills, count):
    shared, exam_only = exam_skills
    other = factories.SkillFactory()
    for index in range(count):
        vacancy_with(
            [(shared, "essential", 2), (exam_only, "important", 3), (other, "nice_to_have", 1)],
            [{"min_cefr": "B1"}],
            min_age=18 if index % 2 else None,
        )


def test_api_query_count_is_constant(cast, api_client, profile, exam_skills):
    hold(profile, exam_skills[0], level=2)
    api_client.force_authenticate(cast.candidate)
    _world(profile, exam_skills, 2)
    few = count_queries(lambda: api_client.get(API_URL, {"page_size": 1}))
    few_all = count_queries(lambda: api_client.get(API_URL, {"page_size": 50}))
    _world(profile, exam_skills, 30)
    many = count_queries(lambda: api_client.get(API_URL, {"page_size": 50}))
    response = api_client.get(API_URL, {"page_size": 50})
    assert len(response.data["results"]) == 32
    assert all(row["next_steps"] for row in response.data["results"])
    assert few == few_all == many
    assert many <= 22  # PostgreSQL: + SET LOCAL and savepoints; + modules and courses


def test_page_query_count_is_constant(cast, profile, exam_skills):
    hold(profile, exam_skills[0], level=2)
    profile.target_roles.add(Role.objects.get(slug="peace-guard"))
    client = page_client(cast.candidate)
    _world(profile, exam_skills, 1)
    few = count_queries(lambda: client.get(reverse("candidates:matches")))
    _world(profile, exam_skills, 25)
    many = count_queries(lambda: client.get(reverse("candidates:matches")))
    assert few == many
