"""Parallel requests on PostgreSQL: one application per person, never more admitted than
places, one promotion per freed place. SQLite serialises writers, so these skip there."""

import threading

import pytest
from django.db import connection

from college.intake.services import intake_apply, intake_decide
from college.models import IntakeApplication
from tests import factories
from tests.college.intake.support import closed_intake

THREADS = 4


def in_parallel(work, arguments):
    """Runs `work(argument)` in one thread each, released together; their outcomes."""
    barrier = threading.Barrier(len(arguments))
    outcomes, lock = [], threading.Lock()

    def run(argument):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            try:
                outcome = work(argument)
            except Exception as error:  # reported by the assertions, with its type
                outcome = type(error).__name__
            with lock:
                outcomes.append(outcome)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_parallel_applications_of_one_person_make_one_application(postgresql, reference_data):
    intake = factories.IntakeFactory()
    candidate = factories.CandidateFactory()

    def apply(_):
        application, created = intake_apply(
            intake=intake,
            candidate=candidate,
            motivation=dict(factories.MOTIVATION),
            consent=True,
        )
        return ("created" if created else "same", application.pk)

    outcomes = in_parallel(apply, range(THREADS))
    assert sorted(kind for kind, _pk in outcomes) == ["created"] + ["same"] * (THREADS - 1)
    assert len({pk for _kind, pk in outcomes}) == 1
    assert IntakeApplication.objects.filter(intake=intake).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_admissions_never_exceed_the_places(postgresql, reference_data):
    intake = closed_intake(places=2)
    staff = factories.StaffFactory()
    refs = [f"A-PARALLL{index}" for index in range(THREADS)]
    for ref in refs:
        factories.IntakeApplicationFactory(intake=intake, ref=ref)

    def admit(ref):
        intake_decide(intake=intake, ref=ref, decision="admitted", message="", author=staff)
        return "admitted"

    outcomes = in_parallel(admit, refs)
    assert sorted(outcomes) == ["ValidationError"] * (THREADS - 2) + ["admitted"] * 2
    assert intake.applications.filter(status="admitted").count() == 2


@pytest.mark.django_db(transaction=True)
def test_places_freed_in_parallel_each_go_to_one_person_in_rank_order(postgresql, reference_data):
    intake = closed_intake(places=2, aptitude_weight=0, readiness_weight=0)
    staff = factories.StaffFactory()
    for ref, score in (("A-ADMITTD1", 5), ("A-ADMITTD2", 5), ("A-WAITING1", 4), ("A-WAITING2", 3)):
        application = factories.IntakeApplicationFactory(intake=intake, ref=ref)
        application.ratings.create(rater=staff, score=score)
    for ref in ("A-ADMITTD1", "A-ADMITTD2"):
        intake_decide(intake=intake, ref=ref, decision="admitted", message="", author=staff)
    for ref in ("A-WAITING2", "A-WAITING1"):
        intake_decide(intake=intake, ref=ref, decision="waitlisted", message="", author=staff)

    def decline(ref):
        intake_decide(intake=intake, ref=ref, decision="declined", message="", author=staff)
        return "declined"

    assert in_parallel(decline, ["A-ADMITTD1", "A-ADMITTD2"]) == ["declined"] * 2
    statuses = dict(intake.applications.values_list("ref", "status"))
    assert statuses["A-WAITING1"] == statuses["A-WAITING2"] == "admitted"
    for ref in ("A-WAITING1", "A-WAITING2"):
        assert intake.applications.get(ref=ref).decisions.filter(decision="admitted").count() == 1
