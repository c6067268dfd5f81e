"""The intake pages: public list and detail, applying, the person's file and way forward,
the blind rating, deciding in the browser and the fairness page."""

import datetime

import pytest
from django.utils import timezone

from college.intake.services import intake_decide
from college.models import IntakeApplication, MotivationRating
from tests import factories
from tests.college.intake.support import closed_intake

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def test_the_public_pages_list_open_intakes_with_their_steps(client):
    intake = factories.IntakeFactory(has_interview=True)
    closed = closed_intake()
    page = client.get("/intakes/", headers=EN).content.decode()
    assert f"/intakes/{intake.pk}/" in page and f"/intakes/{closed.pk}/" not in page
    detail = client.get(f"/intakes/{intake.pk}/", headers=EN).content.decode()
    assert "Motivation" in detail and "Interview" in detail and "Sign in to apply" in detail


def test_a_job_seeker_applies_with_guided_questions_and_consent_and_sees_their_file(client, cast):
    intake = factories.IntakeFactory()
    client.force_login(cast.candidate)
    form = client.get(f"/intakes/{intake.pk}/apply/", headers=EN).content.decode()
    assert "Why this programme, and why now?" in form
    refused = client.post(f"/intakes/{intake.pk}/apply/", dict(factories.MOTIVATION))
    assert refused.status_code == 400  # no consent
    response = client.post(
        f"/intakes/{intake.pk}/apply/", {**factories.MOTIVATION, "consent": "on"}
    )
    application = IntakeApplication.objects.get(candidate=cast.candidate)
    assert response.status_code == 302
    assert response["Location"] == f"/me/intakes/{application.pk}/"
    page = client.get(response["Location"], headers=EN).content.decode()
    assert "Application and motivation sent" in page
    assert "Decisions come after the closing date" in page


def test_admissible_but_no_place_is_said_as_such_with_a_way_forward(client, cast):
    intake = closed_intake()
    following = factories.IntakeFactory(programme=intake.programme)
    application = factories.IntakeApplicationFactory(intake=intake, candidate=cast.candidate)
    intake_decide(
        intake=intake,
        ref=application.ref,
        decision="waitlisted",
        message="Merci pour votre candidature.",
        author=cast.staff,
    )
    client.force_login(cast.candidate)
    page = client.get(f"/me/intakes/{application.pk}/", headers=EN).content.decode()
    assert "Admissible but no place" in page
    assert "Merci pour votre candidature." in page
    assert f"/intakes/{following.pk}/" in page  # the invitation to the next intake


def test_two_staff_members_rate_blind_to_each_other(client, cast):
    intake = closed_intake()
    application = factories.IntakeApplicationFactory(intake=intake)
    first, second, third = cast.staff, factories.StaffFactory(), factories.StaffFactory()
    client.force_login(first)
    page = client.get(f"/staff/intakes/{intake.pk}/rate/", headers=EN).content.decode()
    assert application.ref in page and application.candidate.full_name not in page
    client.post(f"/staff/intakes/{intake.pk}/rate/", {"ref": application.ref, "score": "2"})
    client.force_login(second)
    page = client.get(f"/staff/intakes/{intake.pk}/rate/", headers=EN).content.decode()
    assert application.ref in page and "Your rating" in page
    assert "checked" not in page  # nothing of the first rating shows
    client.post(f"/staff/intakes/{intake.pk}/rate/", {"ref": application.ref, "score": "5"})
    client.force_login(third)
    page = client.get(f"/staff/intakes/{intake.pk}/rate/", headers=EN).content.decode()
    assert "Nothing left for you to rate" in page
    assert sorted(MotivationRating.objects.values_list("score", flat=True)) == [2, 5]


def test_staff_decide_in_the_browser_and_the_ranking_shows_it(client, cast):
    intake = closed_intake()
    application = factories.IntakeApplicationFactory(intake=intake)
    client.force_login(cast.staff)
    response = client.post(
        f"/staff/intakes/{intake.pk}/decide/",
        {"candidate_ref": application.ref, "decision": "admitted", "message": "Bravo."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "admitted"
    page = client.get(f"/staff/intakes/{intake.pk}/", headers=EN).content.decode()
    assert "1 place left of 2." in page


def test_the_fairness_page_suppresses_small_groups(client, cast):
    intake = closed_intake()
    factories.IntakeApplicationFactory(intake=intake)
    client.force_login(cast.staff)
    page = client.get(f"/staff/intakes/{intake.pk}/fairness/", headers=EN).content.decode()
    assert "fewer than 10 — not shown" in page


def test_a_deadline_passed_closes_the_apply_form(client, cast):
    intake = factories.IntakeFactory(
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
        opens_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    client.force_login(cast.candidate)
    page = client.get(f"/intakes/{intake.pk}/apply/", headers=EN).content.decode()
    assert "does not take applications now" in page
    client.post(f"/intakes/{intake.pk}/apply/", {**factories.MOTIVATION, "consent": "on"})
    assert not IntakeApplication.objects.exists()
