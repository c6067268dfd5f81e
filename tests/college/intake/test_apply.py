"""Applying to an intake through the API: once per person, with consent, within the dates."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from college.models import IntakeApplication
from tests import factories
from tests.college.intake.support import api_for, batteries, closed_intake

pytestmark = pytest.mark.django_db

BODY = {"motivation": dict(factories.MOTIVATION), "consent": True}


def url(intake):
    return f"/api/v1/intakes/{intake.pk}/applications/"


def test_a_job_seeker_applies_once_and_applying_again_returns_the_same_application(cast):
    intake = factories.IntakeFactory()
    client = api_for(cast.candidate)
    first = client.post(url(intake), BODY, format="json")
    assert first.status_code == 201
    again = client.post(url(intake), {"motivation": {}, "consent": False}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert IntakeApplication.objects.filter(intake=intake).count() == 1
    body = first.json()
    assert body["status"] == "submitted" and body["decision"] is None
    assert set(body) >= {"status", "decision", "reasons", "next_steps", "steps_left"}


def test_applying_without_consent_is_refused_with_a_field_error(cast):
    intake = factories.IntakeFactory()
    response = api_for(cast.candidate).post(url(intake), {**BODY, "consent": False}, format="json")
    assert response.status_code == 400
    assert "consent" in response.json()
    assert not IntakeApplication.objects.exists()


def test_a_motivation_that_skips_a_question_is_refused_question_by_question(cast):
    intake = factories.IntakeFactory()
    motivation = {**factories.MOTIVATION, "why": "Parce que."}
    del motivation["commitment"]
    response = api_for(cast.candidate).post(
        url(intake), {"motivation": motivation, "consent": True}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"why", "commitment"}


@pytest.mark.parametrize(
    ("opens", "closes"), [(1, 10), (-10, -1)], ids=["not open yet", "closed yesterday"]
)
def test_nobody_applies_outside_the_intakes_dates(cast, opens, closes):
    today = timezone.localdate()
    intake = factories.IntakeFactory(
        opens_on=today + datetime.timedelta(days=opens),
        closes_on=today + datetime.timedelta(days=closes),
    )
    response = api_for(cast.candidate).post(url(intake), BODY, format="json")
    assert response.status_code == 400
    assert "intake" in response.json()


def test_the_closing_day_still_takes_applications(cast):
    intake = factories.IntakeFactory(closes_on=timezone.localdate())
    assert api_for(cast.candidate).post(url(intake), BODY, format="json").status_code == 201


def test_only_job_seekers_apply(cast):
    intake = factories.IntakeFactory()
    for user in (cast.counsellor, cast.staff, cast.employer_member):
        assert api_for(user).post(url(intake), BODY, format="json").status_code == 403
    assert APIClient().post(url(intake), BODY, format="json").status_code == 401


def test_the_open_intakes_are_listed_with_their_steps_in_plain_words(cast, item_bank):
    intake = factories.IntakeFactory(has_interview=True)
    battery = batteries(1)[0]
    intake.batteries.create(battery=battery, weight=1)
    closed_intake()
    body = APIClient().get("/api/v1/intakes/?lang=en").json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    assert [row["id"] for row in body["results"]] == [intake.pk]
    row = body["results"][0]
    assert set(row) >= {"id", "programme", "places", "closes_on", "steps"}
    assert [step["kind"] for step in row["steps"]] == ["test", "motivation", "interview"]
    assert row["steps"][0]["title"] == battery.title_en


def test_my_applications_are_mine_only(cast):
    mine = factories.IntakeApplicationFactory(candidate=cast.candidate)
    factories.IntakeApplicationFactory(candidate=cast.other_candidate, intake=mine.intake)
    body = api_for(cast.candidate).get("/api/v1/me/intake-applications/").json()
    assert body["count"] == 1 and [row["id"] for row in body["results"]] == [mine.pk]


def test_the_intake_lists_are_paginated_as_every_list_of_the_api(cast):
    opened = [factories.IntakeFactory() for _ in range(3)]
    first = APIClient().get("/api/v1/intakes/?page_size=2").json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    second = APIClient().get(first["next"]).json()
    assert second["next"] is None and len(second["results"]) == 1
    listed = [row["id"] for row in first["results"] + second["results"]]
    assert sorted(listed) == sorted(intake.pk for intake in opened)
    assert APIClient().get("/api/v1/intakes/?page_size=101").status_code == 400
    assert APIClient().get("/api/v1/intakes/?page=9").status_code == 404


def test_a_job_seeker_cannot_open_another_persons_file(client, cast):
    theirs = factories.IntakeApplicationFactory(candidate=cast.other_candidate)
    client.force_login(cast.candidate)
    assert client.get(f"/me/intakes/{theirs.pk}/").status_code == 404
