"""Profile completeness: a bar that reaches 100 % and the single most useful next step."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidates.matches.selectors import candidate_role_fit
from candidates.models import Education, Experience
from candidates.selectors import candidate_profile_completeness
from candidates.services import candidate_shortlist_consent_set
from college.models import Commune, Role
from tests import factories

pytestmark = pytest.mark.django_db


def fill(profile, steps):
    if "about" in steps:
        profile.commune = Commune.objects.first()
        profile.birth_year = 1995
    if "conditions" in steps:
        profile.conditions_saved_at = timezone.now()
    profile.save()
    if "roles" in steps:
        profile.target_roles.set([Role.objects.get(slug="peace-guard")])
    if "skills" in steps:
        for _ in range(5):
            factories.CandidateSkillFactory(profile=profile)
    if "languages" in steps:
        factories.CandidateLanguageFactory(profile=profile)
    if "experience" in steps:
        Experience.objects.create(
            profile=profile, kind="job", title="Steward", started_on=datetime.date(2022, 1, 1)
        )
    if "education" in steps:
        Education.objects.create(profile=profile, level=Education.Level.LOWER_SECONDARY)
    if "sharing" in steps:
        candidate_shortlist_consent_set(profile=profile, given=False)


ALL_STEPS = [
    "about",
    "roles",
    "skills",
    "languages",
    "experience",
    "conditions",
    "education",
    "sharing",
]


def test_a_new_profile_is_empty_and_starts_with_about_me(cast, reference_data):
    completeness = candidate_profile_completeness(profile=cast.candidate.candidate_profile)
    assert completeness["percent"] == 0
    assert completeness["next_step"]["key"] == "about"
    assert completeness["next_step"]["url"] == "/me/profile/about/"


def test_each_step_adds_its_weight_and_the_next_step_moves_on(cast, reference_data):
    profile = cast.candidate.candidate_profile
    fill(profile, ["about", "roles"])
    completeness = candidate_profile_completeness(profile=profile)
    assert completeness["percent"] == 25
    assert completeness["next_step"]["key"] == "skills"


def test_four_skills_are_not_yet_enough(cast, reference_data):
    profile = cast.candidate.candidate_profile
    for _ in range(4):
        factories.CandidateSkillFactory(profile=profile)
    steps = {s["key"]: s for s in candidate_profile_completeness(profile=profile)["steps"]}
    assert not steps["skills"]["done"]


def test_a_complete_profile_reaches_100_with_no_next_step(cast, reference_data):
    profile = cast.candidate.candidate_profile
    fill(profile, ALL_STEPS)
    completeness = candidate_profile_completeness(profile=profile)
    assert completeness["percent"] == 100
    assert completeness["next_step"] is None


def test_saying_i_have_no_diploma_completes_the_diploma_step(cast, reference_data):
    profile = cast.candidate.candidate_profile
    profile.has_no_diploma = True
    profile.save()
    steps = {s["key"]: s for s in candidate_profile_completeness(profile=profile)["steps"]}
    assert steps["education"]["done"]


def test_withdrawing_consent_still_counts_as_a_choice_made(cast, reference_data):
    profile = cast.candidate.candidate_profile
    candidate_shortlist_consent_set(profile=profile, given=True)
    candidate_shortlist_consent_set(profile=profile, given=False)
    steps = {s["key"]: s for s in candidate_profile_completeness(profile=profile)["steps"]}
    assert steps["sharing"]["done"]


def test_completeness_takes_one_query_however_full(cast, reference_data):
    profile = cast.candidate.candidate_profile
    fill(profile, ALL_STEPS)
    with CaptureQueriesContext(connection) as queries:
        candidate_profile_completeness(profile=profile)
    assert len(queries) == 1


def test_the_dashboard_and_the_builder_show_the_bar_and_the_next_step(client, cast):
    client.force_login(cast.candidate)
    for url in ["/me/", "/me/profile/"]:
        page = client.get(url, headers={"accept-language": "en"}).content.decode()
        assert '<progress id="completeness" max="100" value="0"' in page
        assert "Most useful next step" in page
        assert 'href="/me/profile/about/"' in page


def test_a_complete_profile_says_so_and_offers_the_passport(client, cast, reference_data):
    fill(cast.candidate.candidate_profile, ALL_STEPS)
    client.force_login(cast.candidate)
    page = client.get("/me/profile/", headers={"accept-language": "en"}).content.decode()
    assert 'value="100"' in page and "Your profile is complete" in page
    assert 'href="/me/passport.pdf"' in page


@pytest.mark.parametrize("url", ["/me/profile/"])
def test_the_builder_is_for_job_seekers(client, cast, url):
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for who in ["counsellor", "employer_member", "staff"]:
        client.force_login(getattr(cast, who))
        assert client.get(url).status_code == 403


def test_role_fit_tells_met_partial_and_missing(cast, reference_data):
    role = factories.RoleFactory()
    met, partial, missing = (
        factories.RoleRequirementFactory(role=role, target_level=2),
        factories.RoleRequirementFactory(role=role, target_level=3),
        factories.RoleRequirementFactory(role=role, target_level=2),
    )
    profile = cast.candidate.candidate_profile
    factories.CandidateSkillFactory(profile=profile, skill=met.skill, level=3)
    factories.CandidateSkillFactory(profile=profile, skill=partial.skill, level=2)
    [fit] = candidate_role_fit(profile=profile, roles=[role])
    states = {item["requirement"].skill_id: item["state"] for item in fit["skills"]}
    assert states == {met.skill_id: "met", partial.skill_id: "partial", missing.skill_id: "missing"}
    assert fit["skills_met"] == 1 and fit["skills_total"] == 3 and fit["percent_met"] == 33
