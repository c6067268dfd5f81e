"""Enrolment in cohorts: places, waiting list, promotion, results and their evidence; the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from candidates.models import CandidateLanguage, CandidateSkill, Evidence
from college.models import Attendance, Certificate, Enrolment, Language, Skill
from college.training.enrolment import (
    attendance_record,
    cohort_capacity_set,
    cohort_enrol,
    enrolment_cancel,
    enrolment_record_result,
    waitlist_position,
)
from tests import factories

pytestmark = pytest.mark.django_db


def full_cohort(capacity=1, **kwargs):
    cohort = factories.CohortFactory(capacity=capacity, **kwargs)
    for _ in range(capacity):
        factories.EnrolmentFactory(cohort=cohort)
    return cohort


def days(count):
    return timezone.localdate() + datetime.timedelta(days=count)


# Enrolling ------------------------------------------------------------------------------------


def test_a_candidate_gets_a_free_place(cast):
    cohort = factories.CohortFactory(capacity=2)
    enrolment = cohort_enrol(cohort=cohort, candidate=cast.candidate)
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert enrolment.enrolled_at is not None


def test_a_full_cohort_puts_people_on_the_waiting_list_in_order_of_asking(cast):
    cohort = full_cohort(capacity=1)
    first = cohort_enrol(cohort=cohort, candidate=cast.candidate)
    second = cohort_enrol(cohort=cohort, candidate=cast.other_candidate)
    assert first.status == second.status == Enrolment.Status.WAITLISTED
    assert first.enrolled_at is None
    assert [waitlist_position(first), waitlist_position(second)] == [1, 2]


def test_enrolling_twice_returns_the_same_enrolment(cast):
    cohort = factories.CohortFactory()
    first = cohort_enrol(cohort=cohort, candidate=cast.candidate)
    again = cohort_enrol(cohort=cohort, candidate=cast.candidate)
    assert again.pk == first.pk
    assert Enrolment.objects.filter(cohort=cohort, candidate=cast.candidate).count() == 1


def test_someone_who_cancelled_may_enrol_again(cast):
    cohort = factories.CohortFactory()
    first = cohort_enrol(cohort=cohort, candidate=cast.candidate)
    enrolment_cancel(enrolment=first, by=cast.candidate)
    again = cohort_enrol(cohort=cohort, candidate=cast.candidate)
    assert again.pk != first.pk and again.status == Enrolment.Status.ENROLLED


@pytest.mark.parametrize(
    ("attributes", "code"),
    [
        ({"enrolment_closes_on": -1, "starts_on": 3}, "closed"),
        ({"is_cancelled": True}, "cancelled"),
    ],
)
def test_a_closed_or_cancelled_cohort_refuses_enrolment(cast, attributes, code):
    dates = {"enrolment_closes_on", "starts_on"}
    cohort = factories.CohortFactory(
        **{name: days(value) if name in dates else value for name, value in attributes.items()}
    )
    with pytest.raises(ValidationError) as error:
        cohort_enrol(cohort=cohort, candidate=cast.candidate)
    assert error.value.code == code
    assert not Enrolment.objects.filter(cohort=cohort).exists()


def test_missing_prerequisites_are_named_in_the_refusal(cast):
    basics = factories.ModuleFactory(title_en="Report writing basics")
    module = factories.ModuleFactory()
    module.prerequisites.add(basics)
    cohort = factories.CohortFactory(module=module)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        cohort_enrol(cohort=cohort, candidate=cast.candidate)
    assert error.value.code == "prerequisites"
    assert "Report writing basics" in error.value.messages[0]


def test_a_passed_prerequisite_opens_enrolment(cast):
    basics = factories.ModuleFactory()
    module = factories.ModuleFactory()
    module.prerequisites.add(basics)
    factories.EnrolmentFactory(
        cohort__module=basics, candidate=cast.candidate, result=Enrolment.Result.PASSED, score=80
    )
    enrolment = cohort_enrol(
        cohort=factories.CohortFactory(module=module), candidate=cast.candidate
    )
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_a_failed_prerequisite_does_not_count(cast):
    basics = factories.ModuleFactory()
    module = factories.ModuleFactory()
    module.prerequisites.add(basics)
    factories.EnrolmentFactory(
        cohort__module=basics, candidate=cast.candidate, result=Enrolment.Result.FAILED, score=20
    )
    with pytest.raises(ValidationError):
        cohort_enrol(cohort=factories.CohortFactory(module=module), candidate=cast.candidate)


def test_staff_enrol_without_prerequisites_or_after_closing_but_within_capacity(cast):
    module = factories.ModuleFactory()
    module.prerequisites.add(factories.ModuleFactory())
    cohort = factories.CohortFactory(
        module=module, capacity=1, enrolment_closes_on=days(-2), starts_on=days(2)
    )
    first = cohort_enrol(cohort=cohort, candidate=cast.candidate, by=cast.staff)
    second = cohort_enrol(cohort=cohort, candidate=cast.other_candidate, by=cast.staff)
    assert first.status == Enrolment.Status.ENROLLED
    assert second.status == Enrolment.Status.WAITLISTED


def test_only_job_seekers_enrol(cast):
    with pytest.raises(ValidationError):
        cohort_enrol(cohort=factories.CohortFactory(), candidate=cast.counsellor)


# Cancelling and promotion ---------------------------------------------------------------------


def test_a_freed_place_goes_to_the_first_waiting_who_is_told_in_their_language(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cohort = factories.CohortFactory(
        capacity=1, module__title_nl="Conflictbeheersing", module__title_en="Conflicts"
    )
    holder = cohort_enrol(cohort=cohort, candidate=cast.candidate)
    cast.other_candidate.preferred_language = "nl"
    cast.other_candidate.save()
    first = cohort_enrol(cohort=cohort, candidate=cast.other_candidate)
    second = cohort_enrol(cohort=cohort, candidate=factories.CandidateFactory())
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = enrolment_cancel(enrolment=holder, by=cast.candidate)
    assert cancelled.status == Enrolment.Status.CANCELLED and cancelled.cancelled_at
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Enrolment.Status.ENROLLED and first.enrolled_at
    assert second.status == Enrolment.Status.WAITLISTED and waitlist_position(second) == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [cast.other_candidate.email]
    assert "Conflictbeheersing" in mailoutbox[0].subject
    assert f"/training/cohorts/{cohort.code}/" in mailoutbox[0].body


def test_leaving_the_waiting_list_promotes_nobody(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cohort = full_cohort(capacity=1)
    waiting = cohort_enrol(cohort=cohort, candidate=cast.candidate)
    behind = cohort_enrol(cohort=cohort, candidate=cast.other_candidate)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_cancel(enrolment=waiting, by=cast.candidate)
    behind.refresh_from_db()
    assert behind.status == Enrolment.Status.WAITLISTED and waitlist_position(behind) == 1
    assert mailoutbox == []


def test_a_place_freed_once_the_cohort_started_stays_free(cast, mailoutbox):
    cohort = factories.CohortFactory(
        capacity=1, starts_on=days(-1), enrolment_closes_on=days(-5), ends_on=days(3)
    )
    holder = factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    waiting = factories.EnrolmentFactory(
        cohort=cohort, status=Enrolment.Status.WAITLISTED, enrolled_at=None
    )
    enrolment_cancel(enrolment=holder, by=cast.candidate)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.WAITLISTED


def test_cancelling_twice_is_harmless(cast):
    enrolment = cohort_enrol(cohort=factories.CohortFactory(), candidate=cast.candidate)
    enrolment_cancel(enrolment=enrolment, by=cast.candidate)
    again = enrolment_cancel(enrolment=enrolment, by=cast.candidate)
    assert again.status == Enrolment.Status.CANCELLED


def test_an_enrolment_with_a_result_or_in_an_ended_cohort_cannot_be_cancelled(cast):
    with_result = factories.EnrolmentFactory(result=Enrolment.Result.FAILED, score=10)
    ended = factories.EnrolmentFactory(
        cohort__starts_on=days(-10), cohort__enrolment_closes_on=days(-12), cohort__ends_on=days(-1)
    )
    for enrolment in (with_result, ended):
        with pytest.raises(ValidationError):
            enrolment_cancel(enrolment=enrolment, by=enrolment.candidate)
        enrolment.refresh_from_db()
        assert enrolment.status == Enrolment.Status.ENROLLED


def test_more_places_go_to_the_people_waiting(cast, mailoutbox, django_capture_on_commit_callbacks):
    cohort = full_cohort(capacity=1)
    waiting = [
        cohort_enrol(cohort=cohort, candidate=factories.CandidateFactory()) for _ in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        _cohort, promoted = cohort_capacity_set(cohort=cohort, capacity=3, by=cast.staff)
    assert [enrolment.pk for enrolment in promoted] == [waiting[0].pk, waiting[1].pk]
    assert cohort.enrolments.filter(status=Enrolment.Status.ENROLLED).count() == 3
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        enrolment.candidate.email for enrolment in waiting[:2]
    )


def test_the_capacity_cannot_drop_below_the_places_held(cast):
    cohort = full_cohort(capacity=3)
    with pytest.raises(ValidationError) as error:
        cohort_capacity_set(cohort=cohort, capacity=2, by=cast.staff)
    assert "capacity" in error.value.message_dict
    cohort.refresh_from_db()
    assert cohort.capacity == 3


# Attendance -----------------------------------------------------------------------------------


def test_attendance_is_recorded_changed_and_cleared(cast):
    enrolment = factories.EnrolmentFactory(candidate=cast.candidate)
    cohort = enrolment.cohort
    first, second = factories.CohortSessionFactory.create_batch(2, cohort=cohort)
    attendance_record(
        cohort=cohort,
        marks={(enrolment.pk, first.pk): "present", (enrolment.pk, second.pk): "absent"},
        by=cast.staff,
    )
    attendance_record(
        cohort=cohort,
        marks={(enrolment.pk, first.pk): "excused", (enrolment.pk, second.pk): ""},
        by=cast.staff,
    )
    rows = list(Attendance.objects.filter(enrolment=enrolment).values_list("session", "status"))
    assert rows == [(first.pk, "excused")]


def test_attendance_ignores_other_cohorts_and_people_without_a_place(cast):
    enrolment = factories.EnrolmentFactory()
    waiting = factories.EnrolmentFactory(
        cohort=enrolment.cohort, status=Enrolment.Status.WAITLISTED
    )
    session = factories.CohortSessionFactory(cohort=enrolment.cohort)
    elsewhere = factories.CohortSessionFactory()
    attendance_record(
        cohort=enrolment.cohort,
        marks={(waiting.pk, session.pk): "present", (enrolment.pk, elsewhere.pk): "present"},
        by=cast.staff,
    )
    assert not Attendance.objects.exists()


# Results --------------------------------------------------------------------------------------


@pytest.fixture
def taught(reference_data):
    """A Dutch course that teaches two skills at level 3 and certifies B1."""
    dutch = Language.objects.get(code="nl")
    module = factories.ModuleFactory(language_taught=dutch, cefr_reached="B1", pass_percent=60)
    lower, higher = Skill.objects.order_by("pk")[:2]
    factories.ModuleSkillFactory(module=module, skill=lower, level=3)
    factories.ModuleSkillFactory(module=module, skill=higher, level=3)
    return module, lower, higher, dutch


def test_a_pass_certifies_skills_raises_levels_and_cefr_and_issues_the_certificate(cast, taught):
    module, lower, higher, dutch = taught
    profile = cast.candidate.candidate_profile
    factories.CandidateSkillFactory(profile=profile, skill=lower, level=1)
    factories.CandidateLanguageFactory(profile=profile, language=dutch, cefr="A2")
    enrolment = factories.EnrolmentFactory(cohort__module=module, candidate=cast.candidate)
    recorded = enrolment_record_result(
        enrolment=enrolment, result="passed", score=72, by=cast.staff
    )
    assert recorded.result == "passed" and recorded.score == 72
    assert recorded.result_recorded_by == cast.staff and recorded.result_recorded_at
    skills = {row.skill_id: row for row in CandidateSkill.objects.filter(profile=profile)}
    assert (skills[lower.pk].level, skills[lower.pk].evidence) == (3, Evidence.TRAINING_CERTIFIED)
    assert (skills[higher.pk].level, skills[higher.pk].evidence) == (
        3,
        Evidence.TRAINING_CERTIFIED,
    )
    assert CandidateLanguage.objects.get(profile=profile, language=dutch).cefr == "B1"
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_a_pass_never_lowers_a_level_evidence_or_cefr(cast, taught):
    module, lower, higher, dutch = taught
    profile = cast.candidate.candidate_profile
    factories.CandidateSkillFactory(
        profile=profile, skill=higher, level=4, evidence=Evidence.TEST_VERIFIED
    )
    factories.CandidateLanguageFactory(profile=profile, language=dutch, cefr="C1")
    enrolment = factories.EnrolmentFactory(cohort__module=module, candidate=cast.candidate)
    enrolment_record_result(enrolment=enrolment, result="passed", score=90, by=cast.staff)
    row = CandidateSkill.objects.get(profile=profile, skill=higher)
    assert (row.level, row.evidence) == (4, Evidence.TRAINING_CERTIFIED)
    assert CandidateLanguage.objects.get(profile=profile, language=dutch).cefr == "C1"


def test_a_pass_adds_the_language_when_not_held(cast, taught):
    module, _lower, _higher, dutch = taught
    enrolment = factories.EnrolmentFactory(cohort__module=module, candidate=cast.candidate)
    enrolment_record_result(enrolment=enrolment, result="passed", score=60, by=cast.staff)
    held = CandidateLanguage.objects.get(profile__user=cast.candidate, language=dutch)
    assert held.cefr == "B1"


def test_a_fail_changes_no_evidence_and_issues_no_certificate(cast, taught):
    module, lower, _higher, _dutch = taught
    enrolment = factories.EnrolmentFactory(cohort__module=module, candidate=cast.candidate)
    enrolment_record_result(enrolment=enrolment, result="failed", score=40, by=cast.staff)
    assert not CandidateSkill.objects.filter(profile__user=cast.candidate).exists()
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("result", "score", "field"),
    [
        ("passed", 59, "score"),
        ("failed", 60, "score"),
        ("passed", None, "score"),
        ("", 50, "result"),
    ],
)
def test_a_result_inconsistent_with_the_pass_mark_is_a_field_error(
    cast, taught, result, score, field
):
    module = taught[0]
    enrolment = factories.EnrolmentFactory(cohort__module=module, candidate=cast.candidate)
    with pytest.raises(ValidationError) as error:
        enrolment_record_result(enrolment=enrolment, result=result, score=score, by=cast.staff)
    assert field in error.value.message_dict
    enrolment.refresh_from_db()
    assert enrolment.result == "" and enrolment.score is None


def test_a_pass_is_final(cast, taught):
    enrolment = factories.EnrolmentFactory(cohort__module=taught[0], candidate=cast.candidate)
    enrolment_record_result(enrolment=enrolment, result="passed", score=80, by=cast.staff)
    with pytest.raises(ValidationError):
        enrolment_record_result(enrolment=enrolment, result="failed", score=10, by=cast.staff)
    enrolment.refresh_from_db()
    assert enrolment.result == "passed"


def test_people_without_a_place_get_no_result(cast, taught):
    waiting = factories.EnrolmentFactory(
        cohort__module=taught[0], status=Enrolment.Status.WAITLISTED, enrolled_at=None
    )
    with pytest.raises(ValidationError):
        enrolment_record_result(enrolment=waiting, result="passed", score=80, by=cast.staff)


# API ------------------------------------------------------------------------------------------

LIST_URL = "/api/v1/me/enrolments/"


def enrol_url(cohort):
    return f"/api/v1/cohorts/{cohort.code}/enrol/"


def cancel_url(enrolment):
    return f"/api/v1/enrolments/{enrolment.pk}/cancel/"


def test_my_enrolments_list_their_cohort_status_position_result_and_certificate(api_client, cast):
    passed = factories.CertificateFactory(enrolment__candidate=cast.candidate).enrolment
    waiting = factories.EnrolmentFactory(
        cohort=full_cohort(capacity=1, starts_on=days(40)),
        candidate=cast.candidate,
        status=Enrolment.Status.WAITLISTED,
        enrolled_at=None,
    )
    factories.EnrolmentFactory(candidate=cast.other_candidate)
    api_client.force_authenticate(cast.candidate)
    response = api_client.get(LIST_URL, headers={"accept-language": "en"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    rows = {row["id"]: row for row in body["results"]}
    assert rows[waiting.pk]["status"] == "waitlisted"
    assert rows[waiting.pk]["waitlist_position"] == 1
    assert rows[waiting.pk]["result"] is None
    assert rows[passed.pk]["result"] == "passed" and rows[passed.pk]["score"] == 75
    assert rows[passed.pk]["certificate"] == passed.certificate.code
    assert rows[passed.pk]["waitlist_position"] is None
    cohort = rows[passed.pk]["cohort"]
    assert cohort["code"] == passed.cohort.code
    assert cohort["module"]["title"] == passed.cohort.module.title_en
    assert cohort["language"] == "fr"


@pytest.mark.parametrize("count", [1, 6])
def test_my_enrolments_list_runs_a_constant_number_of_queries(
    api_client, cast, django_assert_max_num_queries, count
):
    for _ in range(count):
        factories.EnrolmentFactory(candidate=cast.candidate)
    api_client.force_authenticate(cast.candidate)
    with django_assert_max_num_queries(3):
        assert api_client.get(LIST_URL).json()["count"] == count


def test_enrolling_by_the_api_answers_201_then_200(api_client, cast):
    cohort = factories.CohortFactory(capacity=1)
    api_client.force_authenticate(cast.candidate)
    response = api_client.post(enrol_url(cohort))
    assert response.status_code == 201
    assert response.json()["status"] == "enrolled"
    again = api_client.post(enrol_url(cohort))
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    api_client.force_authenticate(cast.other_candidate)
    waiting = api_client.post(enrol_url(cohort))
    assert waiting.status_code == 201
    assert waiting.json()["status"] == "waitlisted" and waiting.json()["waitlist_position"] == 1


def test_enrolling_in_a_closed_cohort_or_without_prerequisites_is_a_400(api_client, cast):
    closed = factories.CohortFactory(enrolment_closes_on=days(-1), starts_on=days(2))
    module = factories.ModuleFactory()
    module.prerequisites.add(factories.ModuleFactory(title_en="First aid"))
    locked = factories.CohortFactory(module=module)
    api_client.force_authenticate(cast.candidate)
    response = api_client.post(enrol_url(closed), headers={"accept-language": "en"})
    assert response.status_code == 400
    assert response.json() == {"cohort": ["Enrolment for this cohort is closed."]}
    response = api_client.post(enrol_url(locked), headers={"accept-language": "en"})
    assert response.status_code == 400 and "First aid" in response.json()["cohort"][0]
    assert not Enrolment.objects.exists()


def test_cancelling_by_the_api_promotes_the_next(api_client, cast):
    cohort = factories.CohortFactory(capacity=1)
    mine = cohort_enrol(cohort=cohort, candidate=cast.candidate)
    waiting = cohort_enrol(cohort=cohort, candidate=cast.other_candidate)
    api_client.force_authenticate(cast.candidate)
    response = api_client.post(cancel_url(mine))
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED


def test_a_result_makes_cancelling_by_the_api_a_400(api_client, cast):
    mine = factories.EnrolmentFactory(candidate=cast.candidate, result="failed", score=5)
    api_client.force_authenticate(cast.candidate)
    response = api_client.post(cancel_url(mine))
    assert response.status_code == 400 and "cohort" in response.json()


def test_someone_elses_enrolment_is_a_404(api_client, cast):
    theirs = factories.EnrolmentFactory(candidate=cast.other_candidate)
    api_client.force_authenticate(cast.candidate)
    assert api_client.post(cancel_url(theirs)).status_code == 404
    assert api_client.post(f"/api/v1/enrolments/{2**63}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Enrolment.Status.ENROLLED


def test_an_unknown_cohort_is_a_404(api_client, cast):
    api_client.force_authenticate(cast.candidate)
    assert api_client.post("/api/v1/cohorts/no-such-cohort/enrol/").status_code == 404


@pytest.mark.parametrize("who", ["counsellor", "employer_member", "staff"])
def test_other_roles_get_a_403_from_the_enrolment_api(api_client, cast, who):
    enrolment = factories.EnrolmentFactory(candidate=cast.candidate)
    api_client.force_authenticate(getattr(cast, who))
    assert api_client.get(LIST_URL).status_code == 403
    assert api_client.post(enrol_url(enrolment.cohort)).status_code == 403
    assert api_client.post(cancel_url(enrolment)).status_code == 403


def test_anonymous_callers_get_a_401_from_the_enrolment_api(api_client, cast):
    enrolment = factories.EnrolmentFactory(candidate=cast.candidate)
    assert api_client.get(LIST_URL).status_code == 401
    assert api_client.post(enrol_url(enrolment.cohort)).status_code == 401
    assert api_client.post(cancel_url(enrolment)).status_code == 401


# candidate_skills_verify(levels=…) ------------------------------------------------------------


def test_levels_raise_held_skills_and_set_added_ones_but_never_lower(cast, reference_data):
    from candidates.services import candidate_skills_verify

    profile = cast.candidate.candidate_profile
    low, high, new = Skill.objects.order_by("pk")[:3]
    factories.CandidateSkillFactory(profile=profile, skill=low, level=1)
    factories.CandidateSkillFactory(profile=profile, skill=high, level=4)
    candidate_skills_verify(
        profile=profile,
        skills=[low, high, new],
        evidence=Evidence.TRAINING_CERTIFIED,
        levels={low.pk: 3, high.pk: 2, new.pk: 3},
    )
    levels = dict(CandidateSkill.objects.filter(profile=profile).values_list("skill_id", "level"))
    assert levels == {low.pk: 3, high.pk: 4, new.pk: 3}


def test_a_weaker_source_does_not_raise_the_level_a_stronger_one_confirmed(cast, reference_data):
    from candidates.services import candidate_skills_verify

    profile = cast.candidate.candidate_profile
    certified = factories.CandidateSkillFactory(
        profile=profile, level=2, evidence=Evidence.TRAINING_CERTIFIED
    )
    changed = candidate_skills_verify(
        profile=profile,
        skills=[certified.skill],
        evidence=Evidence.TEST_VERIFIED,
        levels={certified.skill_id: 4},
    )
    assert changed == []
    certified.refresh_from_db()
    assert (certified.level, certified.evidence) == (2, Evidence.TRAINING_CERTIFIED)
