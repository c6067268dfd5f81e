"""Exam conditions the server keeps: only a served item of the part open now can be answered,
within that part's time (extra time included) and the attempt's; a part that runs out closes
and the next one opens. Pages and API."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from assessments import services
from assessments.models import Attempt, Response, TimeAccommodation
from tests.assessments.test_attempts import answer_kwargs, candidate_client, tiny_battery

pytestmark = pytest.mark.django_db

THREE_PARTS = (("verbal", 2, 5), ("verbal", 2, 3), ("verbal", 2, 4))


def start(user, sections=THREE_PARTS, at=None):
    return services.attempt_start(
        user=user, battery=tiny_battery(sections=sections), mode="exam", language="fr"
    )


def part_items(attempt, position):
    return list(
        attempt.attempt_items.filter(section__position=position)
        .select_related("item", "section")
        .order_by("position")
    )


def test_an_item_of_a_later_part_cannot_be_answered_while_the_first_is_on_screen(cast, item_bank):
    attempt = start(cast.candidate)
    services.attempt_current_item(attempt=attempt)
    later = part_items(attempt, 3)[0]
    with pytest.raises(services.AnswerRefused) as refusal:
        services.response_save(attempt=attempt, item=later, **answer_kwargs(later.item))
    assert refusal.value.code == "not_served"
    assert not Response.objects.exists()


def test_the_first_part_opens_at_the_start_with_its_own_time(cast, item_bank):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        attempt = start(cast.candidate)
    assert attempt.section_position == 1
    assert attempt.section_deadline == now + datetime.timedelta(minutes=5)
    assert attempt.deadline == now + datetime.timedelta(minutes=12)


def test_a_part_that_runs_out_closes_and_the_next_opens_when_it_ran_out(cast, item_bank):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        attempt = start(cast.candidate)
        first = services.attempt_current_item(attempt=attempt)
        services.response_save(attempt=attempt, item=first, **answer_kwargs(first.item))
        left_behind = services.attempt_current_item(attempt=attempt)
    with time_machine.travel(now + datetime.timedelta(minutes=6), tick=False):
        with pytest.raises(services.AnswerRefused) as refusal:
            services.response_save(
                attempt=attempt, item=left_behind, **answer_kwargs(left_behind.item)
            )
        assert refusal.value.code == "section_closed"
        current = services.attempt_current_item(attempt=attempt)
    assert current.section.position == 2
    attempt.refresh_from_db()
    # Part 2 opened at 5:00, when part 1 ran out, for its 3 minutes.
    assert attempt.section_deadline == now + datetime.timedelta(minutes=8)
    assert Response.objects.count() == 1


def test_parts_that_ran_out_while_nobody_looked_are_skipped_in_order(cast, item_bank):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        attempt = start(cast.candidate)
    with time_machine.travel(now + datetime.timedelta(minutes=9), tick=False):
        current = services.attempt_current_item(attempt=attempt)
    assert current.section.position == 3
    attempt.refresh_from_db()
    assert attempt.section_deadline == now + datetime.timedelta(minutes=12)


def test_finishing_a_part_early_opens_the_next_at_once_with_its_full_time(cast, item_bank):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        attempt = start(cast.candidate)
    with time_machine.travel(now + datetime.timedelta(minutes=1), tick=False):
        for _ in range(2):
            current = services.attempt_current_item(attempt=attempt)
            services.response_save(attempt=attempt, item=current, **answer_kwargs(current.item))
        current = services.attempt_current_item(attempt=attempt)
    assert current.section.position == 2
    attempt.refresh_from_db()
    assert attempt.section_deadline == now + datetime.timedelta(minutes=4)


def test_extra_time_lengthens_each_part(cast, item_bank):
    TimeAccommodation.objects.create(user=cast.candidate, multiplier=Decimal("1.5"))
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        attempt = start(cast.candidate)
    assert attempt.section_deadline == now + datetime.timedelta(minutes=7, seconds=30)
    with time_machine.travel(now + datetime.timedelta(minutes=7), tick=False):
        current = services.attempt_current_item(attempt=attempt)
        response, created = services.response_save(
            attempt=attempt, item=current, **answer_kwargs(current.item)
        )
    assert created and current.section.position == 1


def test_the_page_refuses_an_item_not_served_and_keeps_nothing(cast, item_bank):
    attempt = start(cast.candidate)
    client = candidate_client(cast.candidate)
    url = reverse("assessments:attempt", args=[attempt.pk])
    assert client.get(url).status_code == 200
    later = part_items(attempt, 2)[0]
    payload = {"item": later.item_id, **answer_kwargs(later.item)}
    response = client.post(url, payload, follow=True)
    assert "has not been shown to you yet" in response.content.decode()
    assert not Response.objects.exists()


def test_the_api_answers_409_with_a_code_for_an_item_not_served_or_a_closed_part(
    api_client, cast, item_bank
):
    token = Token.objects.create(user=cast.candidate)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        attempt = start(cast.candidate)
        url = f"/api/v1/attempts/{attempt.pk}/"
        shown = api_client.get(f"{url}next/").json()
        later = part_items(attempt, 2)[0]
        refused = api_client.post(
            f"{url}responses/",
            {"item": later.item_id, **answer_kwargs(later.item)},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert refused.status_code == 409
        assert refused.json()["code"] == "not_served" and refused.json()["detail"]
        state = api_client.get(url).json()
        assert state["section"]["position"] == 1 and state["section"]["seconds_left"] == 300
    with time_machine.travel(now + datetime.timedelta(minutes=5, seconds=1), tick=False):
        item = attempt.attempt_items.get(item_id=shown["id"]).item
        late = api_client.post(
            f"{url}responses/", {"item": item.pk, **answer_kwargs(item)}, format="json"
        )
        assert late.status_code == 409 and late.json()["code"] == "section_closed"
        assert api_client.get(f"{url}next/").json()["section"]["position"] == 2
    assert Attempt.objects.get(pk=attempt.pk).status == Attempt.Status.IN_PROGRESS
