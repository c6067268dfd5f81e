"""The caseload selector: rows with stage, target roles, readiness and last activity, in a
constant number of queries; the timeline of one person."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Attempt, Battery
from candidates.models import Evidence
from college import matching
from college.guidance.caseload import action_plan_for, caseload_rows, short_date, timeline
from college.models import Enrolment, Role
from tests import factories

pytestmark = pytest.mark.django_db


def guided_person(counsellor, roles, index):
    """Someone with a bit of everything: skills, a test failed twice, an enrolment, an
    application with a stage change, a path step, so that every query of the rows runs."""
    user = factories.GuidanceFactory(
        counsellor=counsellor, candidate__full_name=f"Person {index:02d}"
    ).candidate
    profile = user.candidate_profile
    profile.target_roles.set(roles)
    factories.CandidateSkillFactory(profile=profile)
    battery = Battery.objects.filter(sections__position=1).first()
    for _ in range(2):
        Attempt.objects.create(
            battery=battery,
            user=user,
            mode="exam",
            language="fr",
            seed=1,
            deadline=timezone.now(),
            finished_at=timezone.now(),
            status="finished",
            section_scores={"1": 1},
        )
    soon = timezone.localdate() + datetime.timedelta(days=2)
    factories.EnrolmentFactory(
        candidate=user,
        cohort__starts_on=soon,
        cohort__enrolment_closes_on=soon,
    )
    factories.PathStepFactory(path__candidate=user, path__role=roles[0])
    vacancy = factories.VacancyFactory(role=roles[0], closes_on=soon)
    factories.VacancyFactory(role=roles[0], closes_on=soon)
    application = factories.ApplicationFactory(profile=profile, vacancy=vacancy)
    application.events.create(stage="interview")
    return user


@pytest.fixture
def caseload_battery(item_bank):
    Battery.objects.filter(sections__position=1).update(section_pass_percent=50)


def test_rows_carry_stage_roles_readiness_eligibility_and_activity(cast, reference_data):
    profile = cast.candidate.candidate_profile
    guard = Role.objects.get(slug="peace-guard")
    others = list(Role.objects.exclude(pk=guard.pk)[:1])
    profile.target_roles.set([guard])
    profile.target_roles.add(*others)
    requirement = guard.requirements.first()
    factories.CandidateSkillFactory(
        profile=profile, skill=requirement.skill, level=4, evidence=Evidence.TEST_VERIFIED
    )
    (row,) = caseload_rows(cast.counsellor)
    assert row.profile_id == profile.pk and row.name == "Yasmine Test"
    assert row.stage == "profile"
    assert row.target_role == guard
    assert row.target_roles == [guard, *others]
    expected = matching.evaluate_role(profile=profile, role=guard)
    assert row.readiness == expected.score and 0 < row.readiness < 100
    assert row.eligibility == expected.eligibility.status
    assert row.last_activity is not None


def test_without_a_target_role_readiness_is_empty(cast):
    (row,) = caseload_rows(cast.counsellor)
    assert row.target_role is None and row.readiness is None and row.eligibility is None


def test_only_active_guidances_of_this_counsellor_are_rows(cast):
    factories.GuidanceFactory(counsellor=cast.counsellor, ended_at=timezone.now())
    assert [row.name for row in caseload_rows(cast.counsellor)] == ["Yasmine Test"]
    assert [row.name for row in caseload_rows(cast.other_counsellor)] == ["Other Test"]


def test_the_rows_take_as_many_queries_for_twenty_people_as_for_one(
    cast, reference_data, caseload_battery
):
    cast.counsellor.guidances_given.update(ended_at=timezone.now())
    roles = list(Role.objects.order_by("pk")[:2])
    guided_person(cast.counsellor, roles, 0)
    with CaptureQueriesContext(connection) as one:
        rows = caseload_rows(cast.counsellor)
    assert len(rows) == 1
    assert {flag.code for flag in rows[0].flags} >= {"repeated_failure", "deadline_near"}
    for index in range(1, 20):
        guided_person(cast.counsellor, roles, index)
    with CaptureQueriesContext(connection) as twenty:
        rows = caseload_rows(cast.counsellor)
    assert len(rows) == 20
    assert len(twenty) == len(one)
    assert len(one) <= 17  # + open invitations, + missed sessions


# The timeline


def test_the_timeline_lists_what_happened_newest_first(cast, item_bank):
    user = cast.candidate
    profile = user.candidate_profile

    def moment(days_ago):
        return timezone.now() - datetime.timedelta(days=days_ago)

    created = moment(30)
    type(profile).objects.filter(pk=profile.pk).update(created_at=created, updated_at=created)
    profile.refresh_from_db()
    skill = factories.CandidateSkillFactory(
        profile=profile,
        skill__label_en="calm a conflict",
        evidence=Evidence.COUNSELLOR_VALIDATED,
        evidence_note="Seen in a role play",
        validated_by=cast.counsellor,
    )
    type(skill).objects.filter(pk=skill.pk).update(updated_at=moment(20))
    battery = Battery.objects.first()
    Attempt.objects.create(
        battery=battery,
        user=user,
        mode="exam",
        language="fr",
        seed=1,
        started_at=moment(15),
        deadline=moment(15),
        finished_at=moment(14),
        status="finished",
        score_percent=72.4,
        passed=True,
    )
    enrolment = factories.EnrolmentFactory(
        candidate=user, created_at=moment(10), cohort__module__title_en="First aid"
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        result="passed", score=81, result_recorded_at=moment(5)
    )
    application = factories.ApplicationFactory(
        profile=profile, created_at=moment(4), vacancy__title_en="Warden"
    )
    application.events.create(stage="interview", changed_at=moment(3))
    factories.ActionItemFactory(candidate=user, text="Call the zone", done_at=moment(1))
    factories.ActionItemFactory(candidate=user, text="Not done yet")
    from django.utils import translation

    with translation.override("en"):
        events = timeline(profile)
        titles = [event.title for event in events]
        start = short_date(enrolment.cohort.starts_on)
    assert titles == [
        "Action done",
        "Application to “Warden”: Interview",
        "Applied to “Warden”",
        f"Result of “First aid” (session starting on {start})",
        f"Enrolment in “First aid” (session starting on {start})",
        f"Finished the test “{battery.title_en}”",
        f"Started the test “{battery.title_en}”",
        "Skill “Calm a conflict”",
        "Profile created",
    ]
    details = {event.title: event.detail for event in events}
    assert details["Action done"] == "Call the zone"
    assert details[f"Finished the test “{battery.title_en}”"] == "Score 72 % – passed"
    assert "Seen in a role play" in details["Skill “Calm a conflict”"]
    assert "Passed – 81 %" in details[f"Result of “First aid” (session starting on {start})"]
    assert all(a.at >= b.at for a, b in zip(events, events[1:], strict=False))


def test_the_timeline_is_cut_at_its_limit(cast):
    profile = cast.candidate.candidate_profile
    for _ in range(6):
        factories.CandidateSkillFactory(profile=profile)
    assert len(timeline(profile, limit=4)) == 4


def test_the_timeline_takes_a_constant_number_of_queries(cast, item_bank):
    profile = cast.candidate.candidate_profile
    with CaptureQueriesContext(connection) as few:
        timeline(profile)
    for _ in range(5):
        factories.CandidateSkillFactory(profile=profile)
        factories.EnrolmentFactory(candidate=cast.candidate)
        factories.ApplicationFactory(profile=profile).events.create(stage="interview")
        factories.ActionItemFactory(candidate=cast.candidate, done_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        assert len(timeline(profile)) > 20
    assert len(many) == len(few)


def test_the_action_plan_lists_open_items_first(cast):
    done = factories.ActionItemFactory(candidate=cast.candidate, done_at=timezone.now())
    later = factories.ActionItemFactory(
        candidate=cast.candidate, due_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    sooner = factories.ActionItemFactory(
        candidate=cast.candidate, due_on=timezone.localdate() + datetime.timedelta(days=2)
    )
    factories.ActionItemFactory(candidate=cast.other_candidate)
    assert action_plan_for(cast.candidate) == [sooner, later, done]
