"""A job-seeker's own intake files: read in the same number of queries however many there are,
and the list says of each exactly what its own page says."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from college.intake.selectors import application_file, my_application_files
from college.intake.services import intake_decide
from college.models import IntakeApplication, IntakeBattery, Role
from tests import factories
from tests.college.intake.support import api_for, batteries, closed_intake, finished_attempt

pytestmark = pytest.mark.django_db

# Every state a file can be in, in turn.
STATUSES = ("submitted", "waitlisted", "declined", "admitted", "withdrawn", "interview")


def applications(cast, count):
    """`count` applications of the cast's job-seeker to intakes of one programme, each counting
    two tests (one taken), in every state in turn."""
    role = Role.objects.get(slug="peace-guard")
    programme = factories.ProgrammeFactory()
    tests = batteries(2)
    finished_attempt(cast.candidate, tests[0], score=70)
    for index in range(count):
        status = STATUSES[index % len(STATUSES)]
        if status == "submitted":
            intake = factories.IntakeFactory(programme=programme, role=role)
        else:
            intake = closed_intake(programme=programme, role=role, has_interview=True)
        for battery in tests:
            IntakeBattery.objects.create(intake=intake, battery=battery, weight=1)
        application = factories.IntakeApplicationFactory(intake=intake, candidate=cast.candidate)
        if status == "withdrawn":
            IntakeApplication.objects.filter(pk=application.pk).update(status=status)
        elif status != "submitted":
            intake_decide(
                intake=intake,
                ref=application.ref,
                decision=status,
                message=f"Message {index}",
                author=cast.staff,
            )


def queries(call):
    call()  # what a first request builds once (translations, the kept rankings)
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_the_files_take_the_same_queries_for_2_or_6_applications(client, cast, reference_data):
    client.force_login(cast.candidate)
    api = api_for(cast.candidate)

    def page():
        assert client.get("/me/intakes/").status_code == 200

    def listing():
        assert api.get("/api/v1/me/intake-applications/").status_code == 200

    applications(cast, 2)
    two = (queries(page), queries(listing))
    applications(cast, 4)
    assert IntakeApplication.objects.filter(candidate=cast.candidate).count() == 6
    response = client.get("/me/intakes/")
    assert len(response.context["files"]) == 6
    assert (queries(page), queries(listing)) == two


def test_the_list_says_what_each_file_says(cast, reference_data):
    applications(cast, 6)
    files = my_application_files(cast.candidate)
    assert {file.status for file in files} == {
        "submitted",
        "decided",
        "withdrawn",
        "interview",
    }
    for file in files:
        application = IntakeApplication.objects.select_related(
            "intake__programme", "intake__role", "candidate__candidate_profile"
        ).get(pk=file.application.pk)
        alone = application_file(application)
        assert (
            alone.status,
            alone.decision,
            alone.outcome,
            alone.reasons,
            alone.next_steps,
            alone.steps_done,
            alone.steps_left,
            alone.message,
        ) == (
            file.status,
            file.decision,
            file.outcome,
            file.reasons,
            file.next_steps,
            file.steps_done,
            file.steps_left,
            file.message,
        )
    declined = next(file for file in files if file.decision == "declined")
    assert declined.message and any(step.kind == "intake" for step in declined.next_steps)
    assert len(declined.steps_done) == 2  # the application and the one test taken
