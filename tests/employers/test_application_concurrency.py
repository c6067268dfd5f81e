"""Parallel submissions of the same application create one application and one consent."""

import threading

import pytest
from django.db import connection

from candidates.models import Consent
from employers.models import Application, ApplicationEvent
from employers.services import AlreadyApplied, application_submit
from tests import factories

THREADS = 4


@pytest.mark.django_db(transaction=True)
def test_parallel_double_submissions_create_one_application(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    profile = factories.CandidateFactory().candidate_profile
    vacancy = factories.VacancyFactory()
    barrier = threading.Barrier(THREADS)
    outcomes = []
    lock = threading.Lock()

    def submit():
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            try:
                application_submit(
                    profile=profile,
                    vacancy=vacancy,
                    motivation="I want this post and I say it more than once.",
                )
            except AlreadyApplied:
                outcome = "already_applied"
            except Exception as error:  # reported below, with its type
                outcome = repr(error)
            else:
                outcome = "applied"
            with lock:
                outcomes.append(outcome)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["already_applied"] * (THREADS - 1) + ["applied"]
    assert Application.objects.filter(profile=profile, vacancy=vacancy).count() == 1
    assert (
        Consent.objects.filter(
            profile=profile, purpose=Consent.Purpose.APPLICATION, given=True
        ).count()
        == 1
    )
    application = Application.objects.get()
    assert application.consent.employer == vacancy.employer
    assert ApplicationEvent.objects.filter(application=application).count() == 1
