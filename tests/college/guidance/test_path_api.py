"""`GET /api/v1/me/path/`: shape, role choice, errors, access and the schema."""

import pytest
from django.urls import reverse

from college.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/path/"


@pytest.fixture
def setup(cast):
    skill = factories.SkillFactory(label_en="Conflict calming")
    role = factories.RoleFactory(title_en="Street warden", slug="street-warden")
    factories.RoleRequirementFactory(role=role, skill=skill, target_level=3)
    module = factories.ModuleFactory(title_en="De-escalation", hours=12)
    factories.ModuleSkillFactory(module=module, skill=skill, level=3)
    second_role = factories.RoleFactory(slug="second-role")
    profile = cast.candidate.candidate_profile
    # One at a time: add() of several inserts them in the order of a set of ids, not as given.
    profile.target_roles.add(role)
    profile.target_roles.add(second_role)
    return cast, role, second_role, module, skill


def test_the_url_is_named(setup):
    assert reverse("api:me_path") == URL


def test_the_path_has_the_documented_shape(api_client, setup):
    cast, role, _second, module, skill = setup
    api_client.force_authenticate(cast.candidate)

    response = api_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    data = response.json()
    assert data["role"] == {"slug": role.slug, "title": "Street warden"}
    assert data["steps"] == [
        {
            "position": 1,
            "kind": "module",
            "id": module.pk,
            "slug": module.slug,
            "title": "De-escalation",
            "hours": 12,
            "status": "todo",
            "note": "",
            "skills": [{"id": skill.pk, "label": "Conflict calming", "level": 3}],
            "gain": data["progress"]["readiness_after"] - data["progress"]["readiness"],
        }
    ]
    assert set(data["progress"]) == {
        "steps_done",
        "steps_total",
        "hours_done",
        "hours_total",
        "percent",
        "readiness",
        "readiness_after",
    }
    assert data["progress"]["steps_total"] == 1 and data["progress"]["hours_total"] == 12
    assert data["progress"]["readiness_after"] > data["progress"]["readiness"]
    assert data["explanation"] == ""
    assert data["eligibility"]["status"] == "eligible"


def test_a_pass_shows_as_done(api_client, setup):
    cast, _role, _second, module, _skill = setup
    api_client.force_authenticate(cast.candidate)
    api_client.get(URL)
    factories.EnrolmentFactory(
        candidate=cast.candidate, cohort__module=module, result=Enrolment.Result.PASSED
    )

    data = api_client.get(URL).json()

    assert data["steps"][0]["status"] == "done"
    assert data["progress"]["steps_done"] == 1 and data["progress"]["percent"] == 100


def test_role_picks_among_the_target_roles(api_client, setup):
    cast, _role, second, *_rest = setup
    api_client.force_authenticate(cast.candidate)

    data = api_client.get(URL, {"role": second.slug}).json()

    assert data["role"]["slug"] == second.slug
    assert data["steps"] == []


def test_a_role_not_targeted_is_a_400(api_client, setup):
    cast, *_rest = setup
    api_client.force_authenticate(cast.candidate)

    response = api_client.get(URL, {"role": factories.RoleFactory().slug})

    assert response.status_code == 400
    assert "role" in response.json()


def test_no_target_role_is_a_404_pointing_to_the_roles_step(api_client, cast):
    api_client.force_authenticate(cast.candidate)

    response = api_client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert reverse("candidates:profile_roles") in response.json()["detail"]


def test_anonymous_is_a_401(api_client, setup):
    assert api_client.get(URL).status_code == 401


@pytest.mark.parametrize("who", ["counsellor", "employer_member", "staff"])
def test_other_roles_are_refused(api_client, setup, who):
    cast, *_rest = setup
    api_client.force_authenticate(getattr(cast, who))

    assert api_client.get(URL).status_code == 403


def test_another_candidates_path_is_never_shown(api_client, setup):
    cast, role, *_rest = setup
    cast.other_candidate.candidate_profile.target_roles.add(role)
    api_client.force_authenticate(cast.candidate)
    api_client.get(URL)
    api_client.force_authenticate(cast.other_candidate)

    data = api_client.get(URL).json()

    assert data["role"]["slug"] == role.slug
    assert data["progress"]["steps_done"] == 0
    from college.models import TrainingPath

    assert TrainingPath.objects.filter(role=role).count() == 2


@pytest.mark.parametrize("count", [1, 6])
def test_the_endpoint_runs_a_constant_number_of_queries(
    api_client, cast, count, django_assert_max_num_queries
):
    role = factories.RoleFactory()
    cast.candidate.candidate_profile.target_roles.add(role)
    for _ in range(count):
        skill = factories.SkillFactory()
        factories.RoleRequirementFactory(role=role, skill=skill)
        factories.ModuleSkillFactory(skill=skill, level=2)
    api_client.force_authenticate(cast.candidate)
    api_client.get(URL)

    with django_assert_max_num_queries(14):
        response = api_client.get(URL)

    assert len(response.json()["steps"]) == count


def test_the_endpoint_is_in_the_schema(api_client):
    schema = api_client.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/me/path/"]["get"]
    assert {"200", "400", "404"} <= set(operation["responses"])
    assert any(parameter["name"] == "role" for parameter in operation["parameters"])
