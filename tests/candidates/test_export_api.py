"""`/api/v1/me/export/`: everything held about a job-seeker, as one JSON file, for them only."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.authtoken.models import Token

from candidates.models import Evidence
from college.models import Language, Role, Skill
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/export/"


@pytest.fixture
def candidate_data(cast, reference_data):
    """Yasmine's profile with a validated skill, a language, a role, two counsellors, a token."""
    profile = cast.candidate.candidate_profile
    profile.phone = "0470 11 22 33"
    profile.headline = "Steward, bientôt gardienne de la paix."
    profile.save()
    profile.target_roles.set([Role.objects.get(slug="peace-guard")])
    factories.CandidateSkillFactory(
        profile=profile,
        skill=Skill.objects.order_by("id").first(),
        level=3,
        evidence=Evidence.COUNSELLOR_VALIDATED,
        evidence_note="Seen during a placement.",
        validated_by=cast.counsellor,
    )
    factories.CandidateLanguageFactory(
        profile=profile, language=Language.objects.get(code="nl"), cefr="B1"
    )
    factories.GuidanceFactory(
        counsellor=factories.CounsellorFactory(full_name="Former Counsellor"),
        candidate=cast.candidate,
        started_at=timezone.now() - datetime.timedelta(days=400),
        ended_at=timezone.now() - datetime.timedelta(days=30),
    )
    return Token.objects.create(user=cast.candidate)


@pytest.fixture
def other_candidate_data(cast, reference_data):
    others = cast.other_candidate.candidate_profile
    others.phone = "0499 00 00 00"
    others.headline = "Someone else's headline"
    others.save()
    factories.CandidateSkillFactory(
        profile=others,
        skill__label_fr="compétence d’un autre",
        skill__label_en="someone else's skill",
        evidence_note="A note about someone else.",
    )
    factories.CandidateLanguageFactory(
        profile=others, language=Language.objects.get(code="ar"), cefr="C2"
    )
    others.target_roles.set([Role.objects.get(slug="police-inspector")])
    return Token.objects.create(user=cast.other_candidate)


@pytest.fixture
def candidate_client(api_client, cast):
    api_client.force_authenticate(cast.candidate)
    return api_client


def test_the_export_holds_every_section(candidate_client, cast, candidate_data):
    response = candidate_client.get(URL, {"lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "exported_at",
        "account",
        "profile",
        "skills",
        "languages",
        "target_roles",
        "counsellors",
        "consents",
        "profile_views",
        "team_notes",
        "applications",
        "shortlist_invitations",
        "match_alerts",
        "rankings",
        "practice_tests",
        "time_accommodation",
        "enrolments",
        "intake_applications",
        "certificates",
        "digital_self_assessments",
        "external_certifications",
        "training_paths",
        "action_plan",
        "two_step_verification",
        "api_tokens",
        "audit_events",
        "admin_history",
    }
    assert body["account"] == {
        "email": "yasmine@example.org",
        "full_name": "Yasmine Test",
        "role": "candidate",
        "preferred_language": "fr",
        "date_joined": body["account"]["date_joined"],
        "last_login": None,
    }
    assert body["account"]["date_joined"]
    profile = body["profile"]
    assert profile["phone"] == "0470 11 22 33"
    assert profile["created_at"] and profile["updated_at"]
    assert profile["skills"][0]["evidence"] == "counsellor_validated"
    assert [role["slug"] for role in body["target_roles"]] == ["peace-guard"]
    assert body["languages"] == [{"language": "nl", "name": "Dutch", "cefr": "B1"}]
    skill = body["skills"][0]
    assert set(skill) == {
        "skill",
        "level",
        "declared_level",  # the person's own level, kept beside a counsellor's
        "evidence",
        "evidence_note",
        "validated_by",
        "updated_at",
    }
    assert (skill["level"], skill["evidence"]) == (3, "counsellor_validated")
    assert skill["evidence_note"] == "Seen during a placement."
    assert skill["validated_by"] == "Marc Test"
    assert [
        (counsellor["full_name"], counsellor["ended_at"] is None)
        for counsellor in body["counsellors"]
    ] == [("Former Counsellor", False), ("Marc Test", True)]
    assert all(counsellor["started_at"] for counsellor in body["counsellors"])
    assert body["api_tokens"] == 1


def test_a_self_declared_skill_is_exported_without_a_validator(
    candidate_client, cast, reference_data
):
    factories.CandidateSkillFactory(profile=cast.candidate.candidate_profile)
    skill = candidate_client.get(URL).json()["skills"][0]
    assert (skill["evidence"], skill["validated_by"]) == ("self_declared", None)


def test_the_export_never_contains_a_token_key(candidate_client, candidate_data):
    content = candidate_client.get(URL).content.decode()
    assert candidate_data.key not in content


def test_the_export_holds_nothing_about_another_candidate(
    candidate_client, cast, candidate_data, other_candidate_data
):
    content = candidate_client.get(URL).content.decode()
    for foreign in (
        "other@example.org",
        "Other Test",
        "0499 00 00 00",
        "Someone else",
        "compétence d’un autre",
        "someone else's skill",
        "A note about someone else.",
        '"ar"',
        "police-inspector",
        cast.other_counsellor.full_name,
        other_candidate_data.key,
    ):
        assert foreign not in content


def test_an_account_with_nothing_yet_exports_empty_sections(api_client, reference_data):
    user = factories.UserFactory()
    api_client.force_authenticate(user)
    body = api_client.get(URL).json()
    assert body["skills"] == body["languages"] == body["target_roles"] == []
    assert body["counsellors"] == [] and body["api_tokens"] == 0


@time_machine.travel(datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_the_export_is_a_json_file_named_after_the_brussels_date(candidate_client, cast):
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = candidate_client.get(URL, HTTP_ACCEPT=browser_accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="passerelle-export-2026-03-02.json"'
    )
    assert response.json()["exported_at"].startswith("2026-03-02T00:30:00")


def test_anonymous_callers_get_a_401(api_client, candidate_data):
    response = api_client.get(URL)
    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")


@pytest.mark.parametrize("role", ["counsellor", "employer_member", "staff"])
def test_other_roles_get_a_403_even_the_candidates_counsellor(
    api_client, cast, candidate_data, role
):
    api_client.force_authenticate(getattr(cast, role))
    response = api_client.get(URL)
    assert response.status_code == 403
    assert "Yasmine" not in response.content.decode()


def test_a_token_opens_the_export(api_client, candidate_data):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {candidate_data.key}")
    assert api_client.get(URL).json()["account"]["email"] == "yasmine@example.org"


def test_the_export_query_count_does_not_grow_with_the_profile(
    candidate_client, cast, candidate_data, django_assert_max_num_queries
):
    # About 25 sections, a query or two each: a fixed number, whatever the rows.
    with django_assert_max_num_queries(32) as few:
        candidate_client.get(URL)
    profile = cast.candidate.candidate_profile
    for skill in Skill.objects.order_by("id")[1:15]:
        factories.CandidateSkillFactory(profile=profile, skill=skill, validated_by=cast.counsellor)
    for _ in range(5):
        factories.GuidanceFactory(
            candidate=cast.candidate, ended_at=timezone.now() - datetime.timedelta(days=1)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = candidate_client.get(URL).json()
    assert (len(body["skills"]), len(body["counsellors"])) == (15, 7)


def test_the_export_holds_the_training_and_the_team_notes(candidate_client, cast):
    enrolment = factories.EnrolmentFactory(candidate=cast.candidate, result="passed", score=80)
    factories.AttendanceFactory(enrolment=enrolment)
    factories.CertificateFactory(enrolment=enrolment, code="ABCD2345WXYZ")
    factories.EnrolmentFactory(candidate=cast.candidate, status="waitlisted", enrolled_at=None)
    path = factories.TrainingPathFactory(
        candidate=cast.candidate, explanation="D'abord le néerlandais."
    )
    factories.PathStepFactory(path=path, module=enrolment.cohort.module, note="Pour la sélection.")
    factories.ActionItemFactory(candidate=cast.candidate, text="Appeler la zone de police.")
    factories.CounsellorNoteFactory(candidate=cast.candidate, body="Secret note of the team.")

    response = candidate_client.get(URL)

    body = response.json()
    assert [(item["status"], item["result"]) for item in body["enrolments"]] == [
        ("enrolled", "passed"),
        ("waitlisted", ""),
    ]
    assert body["enrolments"][0]["certificate"] == "ABCD2345WXYZ"
    assert body["enrolments"][1]["certificate"] is None
    assert body["enrolments"][0]["attendance"][0]["status"] == "present"
    assert body["training_paths"][0]["explanation"] == "D'abord le néerlandais."
    assert body["training_paths"][0]["steps"][0]["note"] == "Pour la sélection."
    assert [item["text"] for item in body["action_plan"]] == ["Appeler la zone de police."]
    # Notes about the person are theirs to read (GDPR art. 15): no exemption applies.
    assert [note["body"] for note in body["team_notes"]] == ["Secret note of the team."]
