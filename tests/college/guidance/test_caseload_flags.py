"""The caseload's flags, each on and off at its boundary, on hand-made cases."""

import datetime

import pytest
from django.utils import timezone, translation

from assessments.models import Attempt, Battery
from candidates.services import candidate_shortlist_consent_set
from college.guidance.caseload import caseload_rows
from college.models import Enrolment, Role
from employers.models import Vacancy
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def at(days_ago, hour=12):
    """An aware moment `days_ago` days before TODAY."""
    day = TODAY - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def row_of(counsellor, user, today=TODAY):
    with translation.override("en"):
        rows = caseload_rows(counsellor, today=today)
    return next(row for row in rows if row.user_id == user.pk)


def flag(row, code):
    return next((item for item in row.flags if item.code == code), None)


@pytest.fixture
def person(cast):
    """Yasmine, idle since long ago except what each test adds, visible in shortlists."""
    user = cast.candidate
    profile = user.candidate_profile
    candidate_shortlist_consent_set(profile=profile, given=True)
    user.last_login = None
    user.save(update_fields=["last_login"])
    type(profile).objects.filter(pk=profile.pk).update(created_at=at(400), updated_at=at(400))
    return user


def set_activity(user, days_ago):
    profile = user.candidate_profile
    type(profile).objects.filter(pk=profile.pk).update(updated_at=at(days_ago))


# stalled


@pytest.mark.parametrize(("days", "is_stalled"), [(29, False), (30, True), (31, True)])
def test_a_person_is_stalled_after_thirty_days_without_activity(cast, person, days, is_stalled):
    set_activity(person, days)
    row = row_of(cast.counsellor, person)
    assert (flag(row, "stalled") is not None) is is_stalled
    if is_stalled:
        assert f"No activity for {days} days" in flag(row, "stalled").detail


@pytest.mark.parametrize(
    "make_activity",
    [
        "login",
        "skill",
        "attempt_started",
        "attempt_finished",
        "enrolment",
        "application",
        "application_event",
    ],
)
def test_each_kind_of_activity_counts(cast, person, make_activity, item_bank):
    set_activity(person, 100)
    profile = person.candidate_profile
    recent = at(2)
    battery = Battery.objects.first()
    if make_activity == "login":
        person.last_login = recent
        person.save(update_fields=["last_login"])
    elif make_activity == "skill":
        skill = factories.CandidateSkillFactory(profile=profile)
        type(skill).objects.filter(pk=skill.pk).update(updated_at=recent)
    elif make_activity == "attempt_started":
        Attempt.objects.create(
            battery=battery,
            user=person,
            mode="exam",
            language="fr",
            seed=1,
            started_at=recent,
            deadline=recent + datetime.timedelta(hours=1),
        )
    elif make_activity == "attempt_finished":
        Attempt.objects.create(
            battery=battery,
            user=person,
            mode="exam",
            language="fr",
            seed=1,
            started_at=at(90),
            deadline=at(90) + datetime.timedelta(hours=1),
            finished_at=recent,
            status="finished",
        )
    elif make_activity == "enrolment":
        factories.EnrolmentFactory(candidate=person, created_at=recent)
    elif make_activity == "application":
        factories.ApplicationFactory(profile=profile, created_at=recent)
    else:
        application = factories.ApplicationFactory(profile=profile, created_at=at(80))
        application.events.create(stage="interview", changed_at=recent)
    row = row_of(cast.counsellor, person)
    assert flag(row, "stalled") is None
    assert timezone.localdate(row.last_activity) == TODAY - datetime.timedelta(days=2)


# repeated_failure


def finished_attempt(user, battery, scores, days_ago=5):
    return Attempt.objects.create(
        battery=battery,
        user=user,
        mode="exam",
        language="fr",
        seed=1,
        started_at=at(days_ago),
        deadline=at(days_ago) + datetime.timedelta(hours=1),
        finished_at=at(days_ago) + datetime.timedelta(minutes=30),
        status="finished",
        section_scores=scores,
        score_percent=40,
        passed=False,
    )


@pytest.fixture
def battery(item_bank):
    battery = Battery.objects.filter(sections__position=1).distinct().first()
    Battery.objects.filter(pk=battery.pk).update(section_pass_percent=50, pass_percent=60)
    battery.refresh_from_db()
    return battery


def test_a_section_failed_twice_raises_repeated_failure_with_its_names(cast, person, battery):
    set_activity(person, 1)
    finished_attempt(person, battery, {"1": 30, "2": 80})
    finished_attempt(person, battery, {"1": 45, "2": 20})
    row = row_of(cast.counsellor, person)
    found = flag(row, "repeated_failure")
    assert found is not None
    with translation.override("en"):
        section = battery.sections.get(position=1).title
        title = battery.title
    assert found.detail == f"Failed section “{section}” of “{title}” 2 times"
    assert "of “" in found.detail and "section “2”" not in found.detail


def test_one_failure_per_section_is_not_repeated(cast, person, battery):
    set_activity(person, 1)
    finished_attempt(person, battery, {"1": 30, "2": 80})
    finished_attempt(person, battery, {"1": 80, "2": 20})
    assert flag(row_of(cast.counsellor, person), "repeated_failure") is None


def test_the_pass_mark_itself_is_not_a_failure(cast, person, battery):
    finished_attempt(person, battery, {"1": 50})
    finished_attempt(person, battery, {"1": 50})
    assert flag(row_of(cast.counsellor, person), "repeated_failure") is None


def test_unfinished_attempts_do_not_count(cast, person, battery):
    finished_attempt(person, battery, {"1": 10})
    Attempt.objects.create(
        battery=battery,
        user=person,
        mode="exam",
        language="fr",
        seed=1,
        deadline=timezone.now() + datetime.timedelta(hours=1),
        section_scores={"1": 10},
    )
    assert flag(row_of(cast.counsellor, person), "repeated_failure") is None


def test_without_a_section_mark_the_overall_mark_decides(cast, person, battery):
    Battery.objects.filter(pk=battery.pk).update(section_pass_percent=None, pass_percent=60)
    finished_attempt(person, battery, {"1": 55})
    finished_attempt(person, battery, {"1": 59})
    assert flag(row_of(cast.counsellor, person), "repeated_failure") is not None


def test_a_battery_without_any_pass_mark_has_no_failures(cast, person, battery):
    Battery.objects.filter(pk=battery.pk).update(section_pass_percent=None, pass_percent=None)
    finished_attempt(person, battery, {"1": 5})
    finished_attempt(person, battery, {"1": 5})
    assert flag(row_of(cast.counsellor, person), "repeated_failure") is None


# deadline_near


@pytest.mark.parametrize(("days", "is_near"), [(0, True), (7, True), (8, False), (-1, False)])
def test_an_enrolled_cohort_starting_within_seven_days(cast, person, days, is_near):
    starts = TODAY + datetime.timedelta(days=days)
    cohort = factories.CohortFactory(
        code="brusafe-dec",
        starts_on=starts,
        enrolment_closes_on=starts - datetime.timedelta(days=10),
        module__title_en="First aid test",
    )
    factories.EnrolmentFactory(cohort=cohort, candidate=person)
    found = flag(row_of(cast.counsellor, person), "deadline_near")
    assert (found is not None) is is_near
    if is_near:
        with translation.override("en"):
            day = starts.strftime("%-d %b")
        assert found.detail == f"The session of “First aid test” starts on {day}"
        assert "brusafe-dec" not in found.detail  # a title and a date, never the slug


def test_a_waiting_list_place_or_a_cancelled_cohort_is_no_deadline(cast, person):
    soon = TODAY + datetime.timedelta(days=3)
    waiting = factories.CohortFactory(
        starts_on=soon, enrolment_closes_on=soon - datetime.timedelta(days=10)
    )
    factories.EnrolmentFactory(cohort=waiting, candidate=person, status=Enrolment.Status.WAITLISTED)
    cancelled = factories.CohortFactory(
        starts_on=soon, enrolment_closes_on=soon - datetime.timedelta(days=10), is_cancelled=True
    )
    factories.EnrolmentFactory(cohort=cancelled, candidate=person)
    assert flag(row_of(cast.counsellor, person), "deadline_near") is None


@pytest.mark.parametrize(("days", "is_near"), [(7, True), (8, False)])
def test_enrolment_closing_for_a_module_of_the_path(cast, person, days, is_near):
    step = factories.PathStepFactory(path__candidate=person, module__title_en="Report writing")
    closes = TODAY + datetime.timedelta(days=days)
    factories.CohortFactory(
        module=step.module,
        code="reports-1",
        enrolment_closes_on=closes,
        starts_on=closes + datetime.timedelta(days=3),
    )
    found = flag(row_of(cast.counsellor, person), "deadline_near")
    assert (found is not None) is is_near
    if is_near:
        assert "Enrolment for the session of “Report writing” starting on" in found.detail
        assert "reports-1" not in found.detail


def test_no_enrolment_deadline_once_enrolled_or_for_a_module_outside_the_path(cast, person):
    step = factories.PathStepFactory(path__candidate=person)
    closes = TODAY + datetime.timedelta(days=2)
    cohort = factories.CohortFactory(
        module=step.module,
        enrolment_closes_on=closes,
        starts_on=closes + datetime.timedelta(days=10),
    )
    factories.EnrolmentFactory(cohort=cohort, candidate=person)
    factories.CohortFactory(enrolment_closes_on=closes, starts_on=closes)  # another module
    assert flag(row_of(cast.counsellor, person), "deadline_near") is None


@pytest.mark.parametrize(("days", "is_near"), [(7, True), (8, False)])
def test_a_vacancy_of_a_target_role_closing_soon(cast, person, days, is_near, reference_data):
    role = Role.objects.get(slug="peace-guard")
    person.candidate_profile.target_roles.set([role])
    factories.VacancyFactory(
        role=role, title_en="Warden in Etterbeek", closes_on=TODAY + datetime.timedelta(days=days)
    )
    found = flag(row_of(cast.counsellor, person), "deadline_near")
    assert (found is not None) is is_near
    if is_near:
        assert "Vacancy “Warden in Etterbeek” closes on" in found.detail


def test_no_vacancy_deadline_once_applied_or_for_a_draft(cast, person, reference_data):
    role = Role.objects.get(slug="peace-guard")
    person.candidate_profile.target_roles.set([role])
    soon = TODAY + datetime.timedelta(days=3)
    applied = factories.VacancyFactory(role=role, closes_on=soon)
    factories.ApplicationFactory(vacancy=applied, profile=person.candidate_profile)
    factories.VacancyFactory(role=role, closes_on=soon, status=Vacancy.Status.DRAFT)
    factories.VacancyFactory(role=role, closes_on=soon, employer__is_verified=False)
    other_role = Role.objects.exclude(pk=role.pk).first()
    factories.VacancyFactory(role=other_role, closes_on=soon)
    assert flag(row_of(cast.counsellor, person), "deadline_near") is None


# consent_missing


def test_consent_missing_when_never_chosen(cast):
    row = row_of(cast.counsellor, cast.candidate)
    found = flag(row, "consent_missing")
    assert found.detail == "Has not chosen whether employers may see their blind profile."


def test_consent_missing_after_a_withdrawal_and_not_when_given(cast, person):
    assert flag(row_of(cast.counsellor, person), "consent_missing") is None
    candidate_shortlist_consent_set(profile=person.candidate_profile, given=False)
    found = flag(row_of(cast.counsellor, person), "consent_missing")
    assert found.detail.startswith("Withdrew consent to blind shortlists on ")


# Order and filters


def test_flagged_people_come_first_then_by_name(cast, person):
    set_activity(person, 1)  # Yasmine: no flag
    names = ["Zoé Flagged", "Adam Flagged", "Bea Calm"]
    for name in names:
        user = factories.GuidanceFactory(
            counsellor=cast.counsellor, candidate__full_name=name
        ).candidate
        if name == "Bea Calm":
            candidate_shortlist_consent_set(profile=user.candidate_profile, given=True)
    rows = caseload_rows(cast.counsellor, today=TODAY)
    assert [row.name for row in rows] == ["Adam Flagged", "Zoé Flagged", "Bea Calm", "Yasmine Test"]


def test_rows_filter_by_flag_and_by_stage(cast, person):
    set_activity(person, 1)
    factories.CandidateSkillFactory(profile=person.candidate_profile)
    other = factories.GuidanceFactory(counsellor=cast.counsellor).candidate
    rows = caseload_rows(cast.counsellor, today=TODAY, flag="consent_missing")
    assert [row.user_id for row in rows] == [other.pk]
    rows = caseload_rows(cast.counsellor, today=TODAY, stage="profile")
    assert [row.user_id for row in rows] == [person.pk]
    assert {row.user_id for row in caseload_rows(cast.counsellor, flag="nonsense")} == {
        person.pk,
        other.pk,
    }
