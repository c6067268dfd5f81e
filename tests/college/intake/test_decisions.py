"""People decide: decisions with their author and message, places, the waiting list."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from college.intake.services import intake_application_withdraw, intake_decide
from college.models import AuditEvent, IntakeDecision
from tests import factories
from tests.college.intake.support import api_for, closed_intake

pytestmark = pytest.mark.django_db


def url(intake):
    return f"/api/v1/intakes/{intake.pk}/decisions/"


@pytest.fixture
def intake(db):
    """Two places; applicants ranked by their motivation rating (the only component)."""
    intake = closed_intake(places=2, aptitude_weight=0, readiness_weight=0, has_interview=True)
    staff = factories.StaffFactory()
    for ref, score in (("A-AAAAAAAA", 5), ("A-BBBBBBBB", 4), ("A-CCCCCCCC", 3), ("A-DDDDDDDD", 2)):
        application = factories.IntakeApplicationFactory(intake=intake, ref=ref)
        application.ratings.create(rater=staff, score=score)
    return intake


def decide(intake, ref, decision, author, message=""):
    return intake_decide(intake=intake, ref=ref, decision=decision, message=message, author=author)


def test_a_decision_is_logged_with_its_author_and_message_and_e_mailed(
    cast, intake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(cast.staff).post(
            url(intake),
            {"candidate_ref": "A-AAAAAAAA", "decision": "admitted", "message": "Bienvenue !"},
            format="json",
        )
    assert response.status_code == 200
    assert response.json()["status"] == "admitted"
    decision = IntakeDecision.objects.get()
    assert (decision.author, decision.message) == (cast.staff, "Bienvenue !")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.INTAKE_DECIDED, actor=cast.staff
    ).exists()
    assert len(mail.outbox) == 1 and "Bienvenue !" in mail.outbox[0].body


def test_no_more_people_are_admitted_than_there_are_places(cast, intake):
    decide(intake, "A-AAAAAAAA", "admitted", cast.staff)
    decide(intake, "A-BBBBBBBB", "admitted", cast.staff)
    response = api_for(cast.staff).post(
        url(intake), {"candidate_ref": "A-CCCCCCCC", "decision": "admitted"}, format="json"
    )
    assert response.status_code == 400
    assert "decision" in response.json()


def test_a_freed_place_goes_to_the_best_ranked_on_the_waiting_list_not_the_first_wait_listed(
    cast, intake, django_capture_on_commit_callbacks
):
    decide(intake, "A-AAAAAAAA", "admitted", cast.staff)
    decide(intake, "A-BBBBBBBB", "admitted", cast.staff)
    decide(intake, "A-DDDDDDDD", "waitlisted", cast.staff)  # wait-listed first, ranked lower
    decide(intake, "A-CCCCCCCC", "waitlisted", cast.staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(intake, "A-AAAAAAAA", "declined", cast.staff, "Désistement.")
    statuses = dict(intake.applications.values_list("ref", "status"))
    assert statuses == {
        "A-AAAAAAAA": "declined",
        "A-BBBBBBBB": "admitted",
        "A-CCCCCCCC": "admitted",
        "A-DDDDDDDD": "waitlisted",
    }
    promotion = IntakeDecision.objects.filter(application__ref="A-CCCCCCCC").last()
    assert promotion.decision == "admitted" and promotion.author is None
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        intake.applications.get(ref=ref).candidate.email for ref in ("A-AAAAAAAA", "A-CCCCCCCC")
    )


def test_once_the_programme_has_started_a_freed_place_stays_free(cast, intake):
    decide(intake, "A-AAAAAAAA", "admitted", cast.staff)
    decide(intake, "A-CCCCCCCC", "waitlisted", cast.staff)
    intake_decide(
        intake=intake,
        ref="A-AAAAAAAA",
        decision="declined",
        message="",
        author=cast.staff,
        today=intake.starts_on,
    )
    assert intake.applications.get(ref="A-CCCCCCCC").status == "waitlisted"


def test_a_withdrawal_frees_the_place_for_the_waiting_list(cast, intake):
    decide(intake, "A-AAAAAAAA", "admitted", cast.staff)
    decide(intake, "A-BBBBBBBB", "admitted", cast.staff)
    decide(intake, "A-CCCCCCCC", "waitlisted", cast.staff)
    admitted = intake.applications.get(ref="A-BBBBBBBB")
    intake_application_withdraw(application=admitted, by=admitted.candidate)
    assert intake.applications.get(ref="A-CCCCCCCC").status == "admitted"


def test_no_decision_is_taken_before_the_intake_closes(cast):
    intake = factories.IntakeFactory()
    factories.IntakeApplicationFactory(intake=intake, ref="A-AAAAAAAA")
    response = api_for(cast.staff).post(
        url(intake), {"candidate_ref": "A-AAAAAAAA", "decision": "admitted"}, format="json"
    )
    assert response.status_code == 400
    intake.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    intake.save()
    response = api_for(cast.staff).post(
        url(intake), {"candidate_ref": "A-AAAAAAAA", "decision": "admitted"}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"candidate_ref": "A-NOTTHERE", "decision": "admitted"},
        {"candidate_ref": "A-AAAAAAAA", "decision": "hired"},
        {"decision": "admitted"},
        {},
    ],
)
def test_a_bad_decision_is_a_400_with_field_errors(cast, intake, body):
    response = api_for(cast.staff).post(url(intake), body, format="json")
    assert response.status_code == 400
    assert response.json()


def test_an_interview_needs_an_interview_step(cast):
    intake = closed_intake(has_interview=False)
    factories.IntakeApplicationFactory(intake=intake, ref="A-AAAAAAAA")
    response = api_for(cast.staff).post(
        url(intake), {"candidate_ref": "A-AAAAAAAA", "decision": "interview"}, format="json"
    )
    assert response.status_code == 400


def test_only_college_staff_decide(cast, intake):
    body = {"candidate_ref": "A-AAAAAAAA", "decision": "admitted"}
    for user in (cast.candidate, cast.counsellor, cast.employer_member):
        assert api_for(user).post(url(intake), body, format="json").status_code == 403
    assert not IntakeDecision.objects.exists()
