"""`GET /api/v1/caseload/`: the people a counsellor guides, with their flags; counsellors only."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from candidates.services import candidate_shortlist_consent_set
from college.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/caseload/"


@pytest.fixture
def counsellor_client(api_client, cast):
    api_client.force_authenticate(cast.counsellor)
    return api_client


def test_each_item_has_the_documented_shape(counsellor_client, cast, reference_data):
    profile = cast.candidate.candidate_profile
    role = Role.objects.get(slug="peace-guard")
    profile.target_roles.set([role])
    response = counsellor_client.get(URL, {"lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    (item,) = body["results"]
    assert set(item) == {
        "candidate",
        "name",
        "stage",
        "target_role",
        "readiness",
        "eligibility",
        "last_activity",
        "needs_attention",
        "flags",
    }
    assert item["candidate"] == profile.pk and item["name"] == "Yasmine Test"
    assert item["stage"] == "new"
    assert item["target_role"] == {"slug": "peace-guard", "title": role.title_en}
    assert isinstance(item["readiness"], int) and 0 <= item["readiness"] <= 100
    assert item["eligibility"] in {"eligible", "eligible_via_alternative", "not_yet"}
    assert item["last_activity"]
    assert item["needs_attention"] is False  # only information: not counted
    assert item["flags"] == [
        {
            "code": "consent_missing",
            "severity": "info",
            "label": "No consent to shortlists",
            "detail": "Has not chosen whether employers may see their blind profile.",
        }
    ]


def test_without_a_target_role_the_role_and_readiness_are_null(counsellor_client):
    (item,) = counsellor_client.get(URL).json()["results"]
    assert item["target_role"] is None and item["readiness"] is None
    assert item["eligibility"] is None


def test_the_list_is_only_my_caseload_flagged_first(counsellor_client, cast):
    candidate_shortlist_consent_set(profile=cast.candidate.candidate_profile, given=True)
    factories.GuidanceFactory(counsellor=cast.counsellor, candidate__full_name="Zoé Flagged")
    names = [item["name"] for item in counsellor_client.get(URL).json()["results"]]
    assert names == ["Zoé Flagged", "Yasmine Test"]


def test_the_list_is_paginated(counsellor_client, cast):
    for _ in range(3):
        factories.GuidanceFactory(counsellor=cast.counsellor)
    body = counsellor_client.get(URL, {"page_size": 2}).json()
    assert body["count"] == 4 and len(body["results"]) == 2 and body["next"]
    assert len(counsellor_client.get(URL, {"page_size": 2, "page": 2}).json()["results"]) == 2
    assert counsellor_client.get(URL, {"page": 9}).status_code == 404


def test_the_list_filters_by_stage_and_flag(counsellor_client, cast):
    candidate_shortlist_consent_set(profile=cast.candidate.candidate_profile, given=True)
    other = factories.GuidanceFactory(counsellor=cast.counsellor).candidate
    factories.CandidateSkillFactory(profile=other.candidate_profile)
    flagged = counsellor_client.get(URL, {"flag": "consent_missing"}).json()["results"]
    assert [item["candidate"] for item in flagged] == [other.candidate_profile.pk]
    new = counsellor_client.get(URL, {"stage": "new"}).json()["results"]
    assert [item["candidate"] for item in new] == [cast.candidate.candidate_profile.pk]


def test_an_unknown_filter_value_is_a_400_in_drfs_shape(counsellor_client):
    response = counsellor_client.get(URL, {"stage": "retired", "flag": "lazy"})
    assert response.status_code == 400
    assert set(response.json()) == {"stage", "flag"}


def test_flags_carry_code_and_detail(counsellor_client, cast):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    cohort = factories.CohortFactory(code="first-aid-1", starts_on=soon, enrolment_closes_on=soon)
    factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    (item,) = counsellor_client.get(URL, {"lang": "en"}).json()["results"]
    codes = {flag["code"]: flag["detail"] for flag in item["flags"]}
    assert list(codes) == ["deadline_near", "consent_missing"]  # the most urgent first
    assert codes["deadline_near"].startswith("The session of “")
    assert "first-aid-1" not in codes["deadline_near"]
    assert [flag["severity"] for flag in item["flags"]] == ["action", "info"]
    assert item["needs_attention"] is True


def test_a_token_works_too(api_client, cast):
    token = Token.objects.create(user=cast.counsellor)
    response = api_client.get(URL, headers={"authorization": f"Token {token.key}"})
    assert response.status_code == 200


def test_anonymous_callers_get_a_401(api_client, cast):
    response = api_client.get(URL)
    assert response.status_code == 401


@pytest.mark.parametrize("who", ["candidate", "employer_member", "staff"])
def test_other_roles_get_a_403(api_client, cast, who):
    api_client.force_authenticate(getattr(cast, who))
    response = api_client.get(URL)
    assert response.status_code == 403
    assert "Yasmine" not in response.content.decode()


def test_another_counsellor_sees_only_their_own(api_client, cast):
    api_client.force_authenticate(cast.other_counsellor)
    names = [item["name"] for item in api_client.get(URL).json()["results"]]
    assert names == ["Other Test"]


def test_the_endpoint_takes_as_many_queries_for_twenty_as_for_one(
    counsellor_client, cast, django_assert_max_num_queries, reference_data
):
    role = Role.objects.get(slug="peace-guard")
    cast.candidate.candidate_profile.target_roles.set([role])
    with django_assert_max_num_queries(30) as one:
        assert counsellor_client.get(URL).json()["count"] == 1
    for _ in range(19):
        person = factories.GuidanceFactory(counsellor=cast.counsellor).candidate
        person.candidate_profile.target_roles.set([role])
        factories.CandidateSkillFactory(profile=person.candidate_profile)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert counsellor_client.get(URL).json()["count"] == 20


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/", headers={"accept": "application/json"}).json()
    operation = schema["paths"]["/api/v1/caseload/"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert {"page", "page_size", "stage", "flag", "lang"} <= parameters
    row = schema["components"]["schemas"]["CaseloadRow"]
    assert set(row["properties"]) >= {"candidate", "flags", "readiness", "target_role"}
