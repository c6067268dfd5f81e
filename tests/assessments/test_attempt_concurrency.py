"""Parallel requests on one attempt: one response per item, one open attempt, one next item."""

import threading

import pytest
from django.db import connection

from assessments import services
from assessments.models import Attempt, AttemptItem, Battery, Response
from tests import factories
from tests.assessments.test_attempts import answer_kwargs, tiny_battery

THREADS = 6

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_parallel(work, count=THREADS):
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
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")


def test_parallel_different_answers_to_one_item_make_exactly_one_response(
    postgresql_only, item_bank
):
    user = factories.CandidateFactory()
    attempt = services.attempt_start(user=user, battery=tiny_battery(), mode="exam", language="fr")
    attempt_item = services.attempt_current_item(attempt=attempt)
    options = list(attempt_item.item.options.all())

    def answer(index):
        response, created = services.response_save(
            attempt=attempt, item=attempt_item.item_id, choice=options[index % len(options)].pk
        )
        return response.pk, response.choice_id, created

    outcomes = run_in_parallel(answer)
    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    assert sum(1 for _pk, _choice, created in outcomes if created) == 1
    stored = Response.objects.get(attempt_item=attempt_item)
    # Every request got the one stored response back, with the first answer's choice.
    assert {(pk, choice) for pk, choice, _created in outcomes} == {(stored.pk, stored.choice_id)}


def test_parallel_starts_make_one_open_attempt(postgresql_only, item_bank):
    user = factories.CandidateFactory()
    battery = tiny_battery()

    def start(_index):
        return services.attempt_start(user=user, battery=battery, mode="exam", language="fr").pk

    outcomes = run_in_parallel(start)
    assert len(set(outcomes)) == 1, outcomes
    assert Attempt.objects.filter(user=user).count() == 1
    assert AttemptItem.objects.filter(attempt__user=user).count() == 3


def test_parallel_requests_for_the_next_adaptive_item_append_one_item(postgresql_only, item_bank):
    user = factories.CandidateFactory()
    battery = Battery.objects.get(slug="adaptive-reasoning")
    attempt = services.attempt_start(user=user, battery=battery, mode="exam", language="fr")
    first = services.attempt_current_item(attempt=attempt)
    services.response_save(attempt=attempt, item=first, **answer_kwargs(first.item))

    def next_item(_index):
        return services.attempt_current_item(attempt=Attempt.objects.get(pk=attempt.pk)).pk

    outcomes = run_in_parallel(next_item)
    assert len(set(outcomes)) == 1, outcomes
    assert attempt.attempt_items.count() == 2


def test_parallel_answers_and_finish_leave_results_that_count_every_saved_answer(
    postgresql_only, item_bank
):
    user = factories.CandidateFactory()
    attempt = services.attempt_start(
        user=user, battery=tiny_battery(sections=(("verbal", 5, 5),)), mode="exam", language="fr"
    )
    items = list(attempt.attempt_items.select_related("item").order_by("position"))
    services.attempt_current_item(attempt=attempt)

    def work(index):
        if index == len(items):
            return services.attempt_finish(attempt=attempt).status
        try:
            services.response_save(
                attempt=attempt, item=items[index], **answer_kwargs(items[index].item)
            )
        except services.AttemptClosed:
            return "closed"
        except services.AnswerRefused:
            return "refused"  # not on screen yet: only the first item was served
        return "saved"

    outcomes = run_in_parallel(work, count=len(items) + 1)
    attempt.refresh_from_db()
    saved = Response.objects.filter(attempt_item__attempt=attempt).count()
    assert outcomes.count("saved") == saved <= 1
    # An item not yet served is refused, or finds the attempt closed when the finish came
    # first: never saved, whichever thread the database let through first.
    assert set(outcomes[1 : len(items)]) <= {"refused", "closed"}
    assert outcomes[0] in {"saved", "closed"}
    assert attempt.status == Attempt.Status.FINISHED
    # Answers saved before the finish are in the score; none were saved after it.
    assert attempt.score_percent == saved / len(items) * 100


def test_parallel_answers_to_the_item_on_screen_and_to_items_not_served_save_only_the_first(
    postgresql_only, item_bank
):
    user = factories.CandidateFactory()
    battery = tiny_battery(sections=(("verbal", 2, 5), ("verbal", 2, 5)))
    attempt = services.attempt_start(user=user, battery=battery, mode="exam", language="fr")
    on_screen = services.attempt_current_item(attempt=attempt)
    others = list(attempt.attempt_items.exclude(pk=on_screen.pk).select_related("item"))
    targets = [on_screen, on_screen, on_screen, *others]

    def work(index):
        target = targets[index]
        try:
            services.response_save(attempt=attempt, item=target, **answer_kwargs(target.item))
        except services.AnswerRefused as refusal:
            return refusal.code
        return "saved"

    outcomes = run_in_parallel(work, count=len(targets))
    assert outcomes.count("saved") == 3  # one created, two given the stored response back
    assert outcomes.count("not_served") == len(others)
    assert Response.objects.filter(attempt_item__attempt=attempt).count() == 1


def test_parallel_requests_at_the_end_of_a_part_open_the_next_part_once(postgresql_only, item_bank):
    user = factories.CandidateFactory()
    battery = tiny_battery(sections=(("verbal", 1, 5), ("verbal", 2, 5)))
    attempt = services.attempt_start(user=user, battery=battery, mode="exam", language="fr")
    first = services.attempt_current_item(attempt=attempt)
    services.response_save(attempt=attempt, item=first, **answer_kwargs(first.item))

    def next_item(_index):
        fresh = Attempt.objects.select_related("battery").get(pk=attempt.pk)
        return services.attempt_current_item(attempt=fresh).pk

    outcomes = run_in_parallel(next_item)
    assert len(set(outcomes)) == 1, outcomes
    attempt.refresh_from_db()
    assert attempt.section_position == 2
    served = AttemptItem.objects.filter(attempt=attempt, served_at__isnull=False)
    assert served.count() == 2
