"""Parallel enrolments never overfill a cohort, and parallel cancellations promote each waiting
person once (PostgreSQL: SQLite serialises writers, so the race cannot happen there)."""

import threading

import pytest
from django.db import connection

from college.models import Enrolment
from college.training.enrolment import cohort_enrol, enrolment_cancel
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")


def run_in_parallel(work, count):
    """Runs `work(index)` in `count` threads released together; returns what each returned."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(index):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            try:
                outcomes[index] = work(index)
            except Exception as error:  # reported by the assertions, with its type
                outcomes[index] = repr(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_twenty_parallel_enrolments_for_five_places_enrol_exactly_five(
    postgresql_only, reference_data
):
    cohort = factories.CohortFactory(capacity=5)
    candidates = factories.CandidateFactory.create_batch(20)

    outcomes = run_in_parallel(
        lambda index: cohort_enrol(cohort=cohort, candidate=candidates[index]).status, 20
    )

    assert sorted(outcomes) == ["enrolled"] * 5 + ["waitlisted"] * 15
    assert cohort.enrolments.filter(status=Enrolment.Status.ENROLLED).count() == 5
    assert cohort.enrolments.filter(status=Enrolment.Status.WAITLISTED).count() == 15


def test_the_same_person_enrolling_in_parallel_gets_one_enrolment(postgresql_only, reference_data):
    cohort = factories.CohortFactory(capacity=5)
    candidate = factories.CandidateFactory()

    outcomes = run_in_parallel(lambda index: cohort_enrol(cohort=cohort, candidate=candidate).pk, 6)

    assert len(set(outcomes)) == 1, outcomes
    assert Enrolment.objects.filter(cohort=cohort, candidate=candidate).count() == 1


def test_parallel_cancellations_promote_as_many_as_places_freed(postgresql_only, reference_data):
    cohort = factories.CohortFactory(capacity=4)
    holders = [
        cohort_enrol(cohort=cohort, candidate=factories.CandidateFactory()) for _ in range(4)
    ]
    waiting = [
        cohort_enrol(cohort=cohort, candidate=factories.CandidateFactory()) for _ in range(6)
    ]
    assert {enrolment.status for enrolment in waiting} == {Enrolment.Status.WAITLISTED}

    outcomes = run_in_parallel(
        lambda index: (
            enrolment_cancel(enrolment=holders[index], by=holders[index].candidate).status
        ),
        4,
    )

    assert outcomes == ["cancelled"] * 4
    enrolled = list(
        cohort.enrolments.filter(status=Enrolment.Status.ENROLLED).values_list("pk", flat=True)
    )
    # The four who asked first got the places, and nobody else.
    assert sorted(enrolled) == sorted(enrolment.pk for enrolment in waiting[:4])
