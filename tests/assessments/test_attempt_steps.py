"""The test runner's hot steps on the API: an attempt's state and an answer. Their bodies are
built without the serializers but must stay byte for byte what the serializers give; the item
bank they read is kept in the process and must follow every edit; their queries stay few and
constant."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer

from assessments import bank_cache, services
from assessments.api import (
    AttemptSerializer,
    CandidateItemSerializer,
    FinishedAttemptSerializer,
    PracticeResponseSerializer,
    ResponseOutputSerializer,
)
from assessments.models import Attempt, AttemptItem, Battery, Item, Option, Passage, Response
from assessments.selectors import item_content, item_feedback
from college.core import cache_versions
from tests import factories
from tests.assessments.test_attempt_api import EVERY_TYPE, detail, signed_in
from tests.assessments.test_attempts import answer_kwargs, tiny_battery

pytestmark = pytest.mark.django_db


def _state_by_serializers(attempt):
    """The state's body as the serializers build it, from the database."""
    attempt = Attempt.objects.select_related("battery", "user").get(pk=attempt.pk)
    data = AttemptSerializer(attempt).data
    current = (
        AttemptItem.objects.select_related("item", "item__passage", "section")
        .prefetch_related("item__options")
        .filter(attempt=attempt, response__isnull=True, served_at__isnull=False)
        .order_by("position")
        .first()
    )
    data["current_item"] = (
        CandidateItemSerializer(item_content(current, attempt)).data if current else None
    )
    data["result"] = None
    return JSONRenderer().render(data)


def _answer_by_serializers(attempt, item):
    response = Response.objects.select_related(
        "attempt_item", "attempt_item__item", "attempt_item__section"
    ).get(attempt_item__attempt=attempt, attempt_item__item=item)
    data = dict(ResponseOutputSerializer(response).data)
    feedback = item_feedback(response.attempt_item, response, attempt.language)
    data["correct"] = None if feedback["verdict"] is None else feedback["verdict"] == "right"
    data["score"] = response.score if item.is_scored else None
    data["explanation"] = feedback["explanation"]
    # The practice serializer declares the same fields in the same order.
    assert list(data) == list(PracticeResponseSerializer().fields)
    return JSONRenderer().render(data)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_state_and_answer_bodies_are_the_serializers_bytes_for_every_item_type(
    api_client, cast, item_bank, language
):
    client = signed_in(api_client, cast.candidate)
    battery = tiny_battery("every-type", sections=EVERY_TYPE)
    moment = timezone.now().replace(microsecond=123456)
    seen = set()
    with time_machine.travel(moment, tick=False):
        started = client.post(
            "/api/v1/attempts/",
            {"battery": battery.slug, "mode": "practice", "language": language},
            format="json",
        ).json()
        attempt = Attempt.objects.get(pk=started["id"])
        while True:
            state = client.get(detail(attempt))
            assert state.status_code == 200
            assert state.content == _state_by_serializers(attempt)
            current = state.json()["current_item"]
            if current is None:
                break
            item = Item.objects.get(pk=current["id"])
            seen.add(item.type)
            answered = client.post(
                f"{detail(attempt)}responses/",
                {"item": item.pk, **answer_kwargs(item, right=len(seen) % 2 == 0)},
                format="json",
            )
            assert answered.status_code == 201, answered.json()
            assert answered.content == _answer_by_serializers(attempt, item)
    assert seen == set(Item.Type.values)


@pytest.mark.parametrize("kind", [Battery.Kind.FIXED, Battery.Kind.ADAPTIVE])
def test_a_start_and_a_resume_are_the_serializers_bytes(api_client, cast, item_bank, kind):
    client = signed_in(api_client, cast.candidate)
    battery = tiny_battery(sections=(("numerical", 4, 30), ("verbal", 2, 5)), kind=kind)
    moment = timezone.now().replace(microsecond=654321)
    with time_machine.travel(moment, tick=False):
        for expected in (201, 200):
            started = client.post(
                "/api/v1/attempts/", {"battery": battery.slug, "language": "nl"}, format="json"
            )
            assert started.status_code == expected
            attempt = Attempt.objects.select_related("battery").get(pk=started.json()["id"])
            assert started.content == JSONRenderer().render(AttemptSerializer(attempt).data)


FINISHED_BATTERIES = {
    "rule": {
        "sections": (("verbal", 2, 10), ("abstract", 2, 10)),
        "pass_percent": 60,
        "section_pass_percent": 50,
    },
    "work-style": {"sections": (("work_style", 4, 5),)},
    "evidence": {"sections": (("verbal", 3, 10),), "evidence_threshold": 60},
    "adaptive": {
        "sections": (("numerical", 48, 30),),
        "kind": Battery.Kind.ADAPTIVE,
        "max_items": 4,
    },
}


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize("name", list(FINISHED_BATTERIES))
def test_a_finish_is_the_serializers_bytes(api_client, cast, item_bank, language, name):
    client = signed_in(api_client, cast.candidate)
    options = dict(FINISHED_BATTERIES[name])
    if name == "evidence":
        options["skills"] = [factories.SkillFactory(), factories.SkillFactory()]
    battery = tiny_battery(f"finish-{name}", **options)
    moment = timezone.now().replace(microsecond=345678)
    with time_machine.travel(moment, tick=False):
        started = client.post(
            "/api/v1/attempts/",
            {"battery": battery.slug, "mode": "exam", "language": language},
            format="json",
        ).json()
        attempt = Attempt.objects.get(pk=started["id"])
        for answered in range(3):
            current = client.get(detail(attempt)).json()["current_item"]
            item = Item.objects.get(pk=current["id"])
            posted = client.post(
                f"{detail(attempt)}responses/",
                {"item": item.pk, **answer_kwargs(item, right=answered != 1)},
                format="json",
            )
            assert posted.status_code == 201
        for _again in range(2):
            finished = client.post(f"{detail(attempt)}finish/", HTTP_ACCEPT_LANGUAGE=language)
            assert finished.status_code == 200
            stored = Attempt.objects.select_related("battery", "user").get(pk=attempt.pk)
            with translation.override(language):
                expected = JSONRenderer().render(FinishedAttemptSerializer(stored).data)
            assert finished.content == expected
    body = finished.json()
    assert body["status"] == "finished"
    if name == "evidence":
        assert body["evidence"]["outcome"] == "verified" and len(body["verified_skills"]) == 2
    if name == "work-style":
        assert body["traits"]


def test_a_stored_answer_sent_again_is_the_serializers_bytes_too(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="practice", language="nl"
    )
    item = client.get(detail(attempt)).json()["current_item"]
    item = Item.objects.get(pk=item["id"])
    url = f"{detail(attempt)}responses/"
    first = client.post(url, {"item": item.pk, **answer_kwargs(item)}, format="json")
    again = client.post(url, {"item": item.pk, **answer_kwargs(item, right=False)}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.content == first.content == _answer_by_serializers(attempt, item)


def _current(client, attempt):
    return client.get(detail(attempt)).json()["current_item"]


def test_every_edit_of_the_bank_shows_at_the_next_step(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    battery = tiny_battery(sections=(("reading_fr", 2, 10),))
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="practice", language="fr"
    )
    current = _current(client, attempt)
    item = Item.objects.select_related("passage").get(pk=current["id"])

    item.stem_fr = "Une question réécrite ?"
    item.save()
    assert _current(client, attempt)["stem"] == "Une question réécrite ?"

    option = Option.objects.get(pk=current["options"][0]["id"])
    option.label_fr = "Une option réécrite"
    option.save()
    assert _current(client, attempt)["options"][0]["label"] == "Une option réécrite"

    passage = Passage.objects.get(pk=item.passage_id)
    passage.title = "Un texte renommé"
    passage.save()
    assert _current(client, attempt)["media"]["passage"]["title"] == "Un texte renommé"

    section = battery.sections.get()
    section.title_fr = "Une partie renommée"
    section.save()
    assert _current(client, attempt)["section"]["title"] == "Une partie renommée"

    battery.slug = "tiny-renamed"
    battery.save()
    assert client.get(detail(attempt)).json()["battery"] == "tiny-renamed"

    option.delete()
    assert option.pk not in [entry["id"] for entry in _current(client, attempt)["options"]]


def test_a_write_in_another_process_shows_once_the_version_moves_on(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="practice", language="en"
    )
    current = _current(client, attempt)
    # A bulk update sends no signal: this process keeps what it read...
    Item.objects.filter(pk=current["id"]).update(stem_en="Written elsewhere")
    assert _current(client, attempt)["stem"] != "Written elsewhere"
    # ...until the version in the shared cache moves on, as a writer's signal does.
    cache_versions.move_on(bank_cache.VERSION_KEY)
    assert _current(client, attempt)["stem"] == "Written elsewhere"


def test_the_version_moves_on_again_when_the_writing_transaction_commits(
    cast, item_bank, django_capture_on_commit_callbacks
):
    item = Item.objects.first()
    before = cache_versions.current(bank_cache.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item.save()
    at_once = cache_versions.current(bank_cache.VERSION_KEY)
    assert at_once != before and len(callbacks) == 1
    callbacks[0]()
    assert cache_versions.current(bank_cache.VERSION_KEY) not in (before, at_once)


def test_the_answer_uses_the_edited_key_at_once(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    attempt = services.attempt_start(
        user=cast.candidate,
        battery=tiny_battery(sections=(("verbal", 2, 5),)),
        mode="practice",
        language="fr",
    )
    current = _current(client, attempt)
    item = Item.objects.get(pk=current["id"])
    wrong = next(option for option in item.options.all() if not option.is_correct)
    Option.objects.filter(item=item).exclude(pk=wrong.pk).update(is_correct=False)
    wrong.is_correct = True
    wrong.save()
    body = client.post(
        f"{detail(attempt)}responses/", {"item": item.pk, "choice": wrong.pk}, format="json"
    ).json()
    assert body["correct"] is True and body["score"] == 1.0


def _queries(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code < 300, response.content
    return len(captured)


@pytest.mark.parametrize("items", [2, 20])
def test_a_step_makes_a_constant_number_of_queries_whatever_the_attempts_size(
    api_client, cast, item_bank, items
):
    client = signed_in(api_client, cast.candidate)
    battery = tiny_battery(sections=(("numerical", items, 30),))
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="practice", language="fr"
    )
    client.get(detail(attempt))  # the bank read after its last change, the item served
    # The token, the attempt, its items.
    assert _queries(lambda: client.get(detail(attempt))) == 3
    item = Item.objects.get(pk=_current(client, attempt)["id"])
    url = f"{detail(attempt)}responses/"
    payload = {"item": item.pk, **answer_kwargs(item)}
    # The token, the attempt, the item with its answer and the attempt's state, then the
    # transaction (two: its start and end), the lock and the insert.
    assert _queries(lambda: client.post(url, payload, format="json")) == 7
    # The next state serves the next item: one update more.
    assert _queries(lambda: client.get(detail(attempt))) == 4


def test_an_adaptive_step_still_appends_and_serves_one_item(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    battery = tiny_battery(
        "adaptive", sections=(("numerical", 48, 30),), kind=Battery.Kind.ADAPTIVE, max_items=3
    )
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="fr"
    )
    for answered in range(3):
        state = client.get(detail(attempt)).json()
        assert state["progress"] == {"answered": answered, "total": 3}
        assert client.get(detail(attempt)).json()["current_item"] == state["current_item"]
        item = Item.objects.get(pk=state["current_item"]["id"])
        posted = client.post(
            f"{detail(attempt)}responses/", {"item": item.pk, **answer_kwargs(item)}, format="json"
        )
        assert posted.status_code == 201
    final = client.get(detail(attempt)).json()
    assert final["current_item"] is None and final["progress"] == {"answered": 3, "total": 3}
    assert attempt.attempt_items.count() == 3


@pytest.mark.parametrize("answers", [1, 8])
def test_an_adaptive_step_that_chooses_the_next_item_makes_a_constant_number_of_queries(
    api_client, cast, item_bank, answers
):
    client = signed_in(api_client, cast.candidate)
    battery = tiny_battery(
        "adaptive", sections=(("numerical", 48, 30),), kind=Battery.Kind.ADAPTIVE, max_items=12
    )
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="fr"
    )
    for _answer in range(answers):
        item = Item.objects.get(pk=_current(client, attempt)["id"])
        posted = client.post(
            f"{detail(attempt)}responses/", {"item": item.pk, **answer_kwargs(item)}, format="json"
        )
        assert posted.status_code == 201
    # The token, the attempt, its items; then the choice under the attempt's lock: the
    # transaction (its start and end), the lock, the items with their answers, the items'
    # calibration, the insert of the chosen item (served as it is written).
    assert _queries(lambda: client.get(detail(attempt))) == 9
    assert attempt.attempt_items.count() == answers + 1
    assert attempt.attempt_items.filter(served_at__isnull=True).count() == 0


def test_an_answer_once_the_part_ran_out_opens_the_next_part_and_is_refused(
    api_client, cast, item_bank
):
    client = signed_in(api_client, cast.candidate)
    battery = tiny_battery(sections=(("verbal", 2, 5), ("numerical", 2, 5)))
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="fr"
    )
    item = Item.objects.get(pk=_current(client, attempt)["id"])
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        refused = client.post(
            f"{detail(attempt)}responses/", {"item": item.pk, **answer_kwargs(item)}, format="json"
        )
    assert refused.status_code == 409 and refused.json()["code"] == "section_closed"
    attempt.refresh_from_db()
    assert attempt.section_position == 2
    assert not Response.objects.exists()
