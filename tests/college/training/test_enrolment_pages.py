"""The cohort page, a job-seeker's training page and the staff's cohort pages."""

import datetime

import pytest
from django.utils import timezone

from college.models import Attendance, Certificate, Enrolment
from tests import factories

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def days(count):
    return timezone.localdate() + datetime.timedelta(days=count)


def detail_url(cohort):
    return f"/training/cohorts/{cohort.code}/"


def staff_url(cohort):
    return f"/staff/cohorts/{cohort.code}/"


@pytest.fixture
def cohort(reference_data):
    cohort = factories.CohortFactory(
        capacity=2,
        module__title_en="Conflict management",
        place="Brusafe, Haren",
    )
    factories.CohortSessionFactory(cohort=cohort, topic="De-escalation, part 1")
    factories.CohortSessionFactory(
        cohort=cohort,
        starts_at=timezone.now() + datetime.timedelta(days=22),
        ends_at=timezone.now() + datetime.timedelta(days=22, hours=3),
        topic="Role play",
    )
    return cohort


# The public cohort page -----------------------------------------------------------------------


def test_the_cohort_page_shows_module_sessions_places_and_a_sign_in_link(client, cohort):
    factories.EnrolmentFactory(cohort=cohort)
    response = client.get(detail_url(cohort), headers=EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Conflict management" in page
    assert "De-escalation, part 1" in page and "Role play" in page
    assert "1 place left of 2" in page
    assert "0 people waiting" in page
    assert "Sign in to enrol" in page


def test_a_candidate_enrols_from_the_cohort_page_and_sees_their_place(client, cast, cohort):
    client.force_login(cast.candidate)
    assert "Enrol" in client.get(detail_url(cohort), headers=EN).content.decode()
    response = client.post(f"{detail_url(cohort)}enrol/", headers=EN, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "You are enrolled." in page
    assert "You hold a place in this cohort." in page
    assert "Cancel my place" in page
    assert Enrolment.objects.get(cohort=cohort).candidate == cast.candidate


def test_a_candidate_on_the_waiting_list_sees_their_position(client, cast, cohort):
    factories.EnrolmentFactory.create_batch(2, cohort=cohort)
    factories.EnrolmentFactory(cohort=cohort, status="waitlisted", enrolled_at=None)
    client.force_login(cast.candidate)
    page = client.get(detail_url(cohort), headers=EN).content.decode()
    assert "Join the waiting list" in page
    client.post(f"{detail_url(cohort)}enrol/")
    page = client.get(detail_url(cohort), headers=EN).content.decode()
    assert "You are number 2 on the waiting list." in page
    assert "Leave the waiting list" in page


def test_missing_prerequisites_are_listed_instead_of_the_button(client, cast, cohort):
    cohort.module.prerequisites.add(factories.ModuleFactory(title_en="First aid"))
    client.force_login(cast.candidate)
    page = client.get(detail_url(cohort), headers=EN).content.decode()
    assert "first pass these modules" in page and "First aid" in page
    response = client.post(f"{detail_url(cohort)}enrol/", headers=EN, follow=True)
    assert "Pass these modules first: First aid." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_cancelled_cohort_is_shown_as_cancelled(client, cast, cohort):
    cohort.is_cancelled = True
    cohort.save()
    client.force_login(cast.candidate)
    page = client.get(detail_url(cohort), headers=EN).content.decode()
    assert "This cohort is cancelled" in page
    assert f'action="{detail_url(cohort)}enrol/"' not in page


def test_cancelling_from_the_cohort_page_frees_the_place(client, cast, cohort):
    enrolment = factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    client.force_login(cast.candidate)
    response = client.post(f"/me/training/{enrolment.pk}/cancel/", {"next": "cohort"})
    assert response.status_code == 302 and response["Location"] == detail_url(cohort)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED


def test_an_unknown_cohort_is_a_404(client):
    assert client.get("/training/cohorts/no-such-cohort/").status_code == 404


def test_enrolling_needs_a_signed_in_job_seeker_and_a_post(client, cast, cohort):
    url = f"{detail_url(cohort)}enrol/"
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for user in (cast.counsellor, cast.employer_member, cast.staff):
        client.force_login(user)
        assert client.post(url).status_code == 403
    client.force_login(cast.candidate)
    assert client.get(url).status_code == 405
    assert not Enrolment.objects.exists()


def test_nobody_cancels_someone_elses_enrolment(client, cast, cohort):
    theirs = factories.EnrolmentFactory(cohort=cohort, candidate=cast.other_candidate)
    client.force_login(cast.candidate)
    assert client.post(f"/me/training/{theirs.pk}/cancel/").status_code == 404
    client.force_login(cast.counsellor)
    assert client.post(f"/me/training/{theirs.pk}/cancel/").status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == Enrolment.Status.ENROLLED


# My training ----------------------------------------------------------------------------------


def test_my_training_shows_sessions_attendance_results_and_certificate(client, cast, cohort):
    mine = factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    held = factories.CohortSessionFactory(
        cohort=cohort,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        ends_at=timezone.now() - datetime.timedelta(days=1) + datetime.timedelta(hours=2),
    )
    factories.AttendanceFactory(enrolment=mine, session=held, status=Attendance.Status.PRESENT)
    certificate = factories.CertificateFactory(
        enrolment__candidate=cast.candidate, enrolment__cohort__module__title_en="First aid"
    )
    client.force_login(cast.candidate)
    response = client.get("/me/training/", headers=EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Conflict management" in page and "Role play" in page
    assert "Sessions attended: 1 of 1 held" in page
    assert '<progress id="attendance-' in page and 'value="100"' in page
    assert "First aid" in page and "Passed" in page
    assert f"/me/certificates/{certificate.code}.pdf" in page
    assert "/me/training/calendar.ics" in page


@pytest.mark.parametrize("count", [1, 5])
def test_my_training_runs_a_constant_number_of_queries(
    client, cast, django_assert_max_num_queries, count
):
    for _ in range(count):
        enrolment = factories.EnrolmentFactory(candidate=cast.candidate)
        factories.AttendanceFactory(enrolment=enrolment)
    client.force_login(cast.candidate)
    with django_assert_max_num_queries(9):
        assert client.get("/me/training/").status_code == 200


def test_my_training_is_for_job_seekers_only(client, cast):
    response = client.get("/me/training/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for user in (cast.counsellor, cast.employer_member, cast.staff):
        client.force_login(user)
        assert client.get("/me/training/").status_code == 403
        assert client.get("/me/training/calendar.ics").status_code == 403


# Staff pages ----------------------------------------------------------------------------------


def test_the_staff_cohort_list_groups_cohorts_with_their_counts(client, cast, cohort):
    factories.EnrolmentFactory.create_batch(2, cohort=cohort)
    factories.EnrolmentFactory(cohort=cohort, status="waitlisted", enrolled_at=None)
    past = factories.CohortFactory(
        starts_on=days(-30), ends_on=days(-25), enrolment_closes_on=days(-40)
    )
    running = factories.CohortFactory(
        starts_on=days(-1), ends_on=days(3), enrolment_closes_on=days(-5)
    )
    client.force_login(cast.staff)
    response = client.get("/staff/cohorts/", headers=EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Running") < page.index(running.code) < page.index("Upcoming")
    assert page.index("Upcoming") < page.index(cohort.code) < page.index("Past")
    assert page.index("Past") < page.index(past.code)
    assert ">2 / 2</td>" in page and ">1</td>" in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_staff_cohort_list_runs_a_constant_number_of_queries(
    client, cast, django_assert_max_num_queries, count
):
    for _ in range(count):
        factories.EnrolmentFactory(cohort=factories.CohortFactory())
    client.force_login(cast.staff)
    with django_assert_max_num_queries(5):
        assert client.get("/staff/cohorts/").status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_the_staff_cohort_page_runs_a_constant_number_of_queries(
    client, cast, cohort, django_assert_max_num_queries, count
):
    for _ in range(count):
        enrolment = factories.EnrolmentFactory(cohort=cohort)
        factories.AttendanceFactory(enrolment=enrolment, session=cohort.sessions.first())
    factories.EnrolmentFactory(cohort=cohort, status="waitlisted", enrolled_at=None)
    client.force_login(cast.staff)
    with django_assert_max_num_queries(9):
        assert client.get(staff_url(cohort)).status_code == 200


def test_staff_record_attendance_in_one_form(client, cast, cohort):
    enrolment = factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    first, second = cohort.sessions.all()
    client.force_login(cast.staff)
    page = client.get(staff_url(cohort), headers=EN).content.decode()
    assert f'name="attendance_{enrolment.pk}_{first.pk}"' in page
    response = client.post(
        staff_url(cohort),
        {
            f"attendance_{enrolment.pk}_{first.pk}": "present",
            f"attendance_{enrolment.pk}_{second.pk}": "excused",
        },
    )
    assert response.status_code == 302
    marks = dict(Attendance.objects.filter(enrolment=enrolment).values_list("session_id", "status"))
    assert marks == {first.pk: "present", second.pk: "excused"}
    assert Attendance.objects.get(session=first).recorded_by == cast.staff


def test_an_odd_attendance_value_is_a_field_error_and_saves_nothing(client, cast, cohort):
    enrolment = factories.EnrolmentFactory(cohort=cohort)
    first = cohort.sessions.first()
    client.force_login(cast.staff)
    response = client.post(
        staff_url(cohort), {f"attendance_{enrolment.pk}_{first.pk}": "asleep"}, headers=EN
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Attendance.objects.exists()


def test_staff_record_results_and_a_pass_issues_the_certificate(client, cast, cohort):
    passing = factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    failing = factories.EnrolmentFactory(cohort=cohort, candidate=cast.other_candidate)
    client.force_login(cast.staff)
    response = client.post(
        f"{staff_url(cohort)}results/",
        {
            f"result_{passing.pk}": "passed",
            f"score_{passing.pk}": "81",
            f"result_{failing.pk}": "failed",
            f"score_{failing.pk}": "30",
        },
    )
    assert response.status_code == 302
    passing.refresh_from_db()
    failing.refresh_from_db()
    assert (passing.result, passing.score) == ("passed", 81)
    assert (failing.result, failing.score) == ("failed", 30)
    assert Certificate.objects.filter(enrolment=passing).exists()
    assert not Certificate.objects.filter(enrolment=failing).exists()


def test_a_pass_below_the_pass_mark_is_a_field_error_and_saves_no_row(client, cast, cohort):
    good = factories.EnrolmentFactory(cohort=cohort)
    bad = factories.EnrolmentFactory(cohort=cohort)
    client.force_login(cast.staff)
    response = client.post(
        f"{staff_url(cohort)}results/",
        {
            f"result_{good.pk}": "failed",
            f"score_{good.pk}": "10",
            f"result_{bad.pk}": "passed",
            f"score_{bad.pk}": "12",
        },
        headers=EN,
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_score_{bad.pk}_error"' in page
    assert "A pass needs at least 60 %." in page
    assert not Enrolment.objects.exclude(result="").exists()


def test_staff_raise_the_capacity_and_the_waiting_get_places(client, cast, cohort):
    factories.EnrolmentFactory.create_batch(2, cohort=cohort)
    waiting = factories.EnrolmentFactory(cohort=cohort, status="waitlisted", enrolled_at=None)
    client.force_login(cast.staff)
    response = client.post(f"{staff_url(cohort)}capacity/", {"capacity": "3"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED
    response = client.post(f"{staff_url(cohort)}capacity/", {"capacity": "1"}, headers=EN)
    assert response.status_code == 400
    assert "3 people hold a place" in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.capacity == 3


def test_staff_enrol_a_job_seeker_by_email(client, cast, cohort):
    cohort.module.prerequisites.add(factories.ModuleFactory())
    client.force_login(cast.staff)
    response = client.post(f"{staff_url(cohort)}enrol/", {"email": cast.candidate.email.upper()})
    assert response.status_code == 302
    assert Enrolment.objects.get(cohort=cohort).candidate == cast.candidate
    response = client.post(
        f"{staff_url(cohort)}enrol/", {"email": cast.counsellor.email}, headers=EN
    )
    assert response.status_code == 400
    assert "No job-seeker has this e-mail address." in response.content.decode()


@pytest.mark.parametrize("suffix", ["", "results/", "capacity/", "enrol/"])
def test_staff_cohort_pages_are_for_college_staff_only(client, cast, cohort, suffix):
    url = f"{staff_url(cohort)}{suffix}"
    response = client.post(url, {"capacity": "9", "email": cast.candidate.email})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for user in (cast.candidate, cast.counsellor, cast.employer_member):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"capacity": "9", "email": cast.candidate.email}).status_code == 403
    cohort.refresh_from_db()
    assert cohort.capacity == 2 and not Enrolment.objects.exists()


def test_the_staff_cohort_list_is_for_college_staff_only(client, cast):
    assert client.get("/staff/cohorts/").status_code == 302
    for user in (cast.candidate, cast.counsellor, cast.employer_member):
        client.force_login(user)
        assert client.get("/staff/cohorts/").status_code == 403


def test_an_unknown_cohort_is_a_404_for_staff(client, cast):
    client.force_login(cast.staff)
    assert client.get("/staff/cohorts/no-such-cohort/").status_code == 404
