"""The profile API carries every section of the builder; conditions are writable, checked."""

import datetime

import pytest
from django.utils import timezone

from candidates.models import Education, Experience, LanguageCertificate
from college.models import Language
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/profile/"


@pytest.fixture
def profile(cast, reference_data):
    profile = cast.candidate.candidate_profile
    skill = factories.CandidateSkillFactory(profile=profile)
    experience = Experience.objects.create(
        profile=profile,
        kind=Experience.Kind.SPORT,
        title="Coach of a youth football team",
        started_on=datetime.date(2021, 9, 1),
    )
    experience.skills.set([skill.skill])
    Education.objects.create(
        profile=profile,
        level=Education.Level.UPPER_SECONDARY,
        country="Senegal",
        recognition=Education.Recognition.NOT_RECOGNISED,
        year=2012,
    )
    LanguageCertificate.objects.create(
        profile=profile,
        language=Language.objects.get(code="nl"),
        level=LanguageCertificate.Level.ART_8,
    )
    return profile


def test_get_returns_every_section_and_the_completeness(api_client, cast, profile):
    api_client.force_authenticate(cast.candidate)
    data = api_client.get(URL, headers={"accept-language": "en"}).json()
    [experience] = data["experiences"]
    assert experience["kind"] == "sport" and experience["ended_on"] is None
    assert len(experience["skills"]) == 1 and "label" in experience["skills"][0]
    assert data["education"][0]["recognition"] == "not_recognised"
    assert data["certificates"] == [
        {
            "language": "nl",
            "level": "art8",
            "label": "Article 8 – elementary knowledge",
            "obtained_on": None,
        }
    ]
    assert 0 <= data["completeness"]["percent"] <= 100
    assert data["completeness"]["next_step"]["key"] == "about"


def test_patch_saves_conditions_and_stamps_them(api_client, cast, profile):
    api_client.force_authenticate(cast.candidate)
    start = timezone.localdate() + datetime.timedelta(days=30)
    response = api_client.patch(
        URL,
        {
            "driving_licences": ["B", "AM", "B"],
            "nights": True,
            "max_travel_minutes": 45,
            "available_from": start.isoformat(),
            "nationality": "eea",
            "has_no_diploma": False,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    profile.refresh_from_db()
    assert profile.driving_licences == ["AM", "B"]
    assert profile.nights and profile.max_travel_minutes == 45
    assert profile.available_from == start and profile.nationality == "eea"
    assert profile.conditions_saved_at is not None
    steps = {step["key"]: step["done"] for step in response.json()["completeness"]["steps"]}
    assert steps["conditions"]


@pytest.mark.parametrize(
    "data",
    [
        {"driving_licences": ["Z"]},
        {"driving_licences": "B"},
        {"max_travel_minutes": 17},
        {"available_from": "2999-01-01"},
        {"available_from": "next week"},
        {"nationality": "martian"},
    ],
)
def test_bad_conditions_are_a_400_and_nothing_is_saved(api_client, cast, profile, data):
    api_client.force_authenticate(cast.candidate)
    response = api_client.patch(URL, {**data, "nights": True}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == set(data)
    profile.refresh_from_db()
    assert not profile.nights and profile.conditions_saved_at is None


def test_a_put_without_conditions_leaves_them_alone(api_client, cast, profile):
    profile.nights = True
    profile.driving_licences = ["B"]
    profile.save()
    api_client.force_authenticate(cast.candidate)
    assert api_client.put(URL, {"headline": "Ready"}, format="json").status_code == 200
    profile.refresh_from_db()
    assert profile.nights and profile.driving_licences == ["B"]


def test_the_export_holds_experience_diplomas_consents_and_views(api_client, cast, profile):
    from candidates.models import ProfileView
    from candidates.services import candidate_shortlist_consent_set, profile_view_log

    candidate_shortlist_consent_set(profile=profile, given=True)
    profile_view_log(profile=profile, viewer=cast.counsellor, channel=ProfileView.Channel.PAGE)
    api_client.force_authenticate(cast.candidate)
    data = api_client.get("/api/v1/me/export/").json()
    assert data["profile"]["experiences"][0]["title"] == "Coach of a youth football team"
    assert data["profile"]["education"][0]["country"] == "Senegal"
    assert data["consents"][0]["given"] is True and data["consents"][0]["text"]
    assert data["profile_views"][0]["viewer"] == "Marc Test"
