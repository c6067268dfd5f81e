"""The practice-test API: batteries, attempts, the next item (never its key), responses, finish."""

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from assessments import services
from assessments.models import Attempt, Battery, Item, Response
from tests import factories
from tests.assessments.test_attempts import answer_kwargs, tiny_battery

pytestmark = pytest.mark.django_db

TESTS = "/api/v1/tests/"
BATTERIES = "/api/v1/batteries/"
ATTEMPTS = "/api/v1/attempts/"
# Anything that would say how an item is scored, at any depth of the item payload.
SCORING_WORDS = ("correct", "effectiveness", "key", "answer", "explanation", "tolerance", "score")


def detail(attempt):
    return f"{ATTEMPTS}{attempt.pk}/"


def signed_in(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api_client


def all_keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from all_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from all_keys(inner)


def test_a_candidate_lists_the_batteries_under_both_names(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    body = client.get(TESTS, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == Battery.objects.filter(is_active=True).count()
    police = next(row for row in body["results"] if row["slug"] == "police-cognitive")
    assert police["minutes"] == 32 and police["item_count"] == 24
    assert police["pass_percent"] == 60 and police["section_pass_percent"] == 50
    assert [section["items"] for section in police["sections"]] == [8, 8, 8]
    assert client.get(BATTERIES).json()["count"] == body["count"]


def test_the_battery_list_makes_the_same_number_of_queries_for_one_or_many_batteries(
    api_client, cast, item_bank
):
    client = signed_in(api_client, cast.candidate)
    Battery.objects.exclude(slug="work-style").update(is_active=False)
    with CaptureQueriesContext(connection) as one:
        assert client.get(TESTS).json()["count"] == 1
    Battery.objects.update(is_active=True)
    for index in range(3):
        tiny_battery(f"extra-{index}", sections=(("verbal", 2, 5), ("abstract", 2, 5)))
    active = Battery.objects.count()
    with CaptureQueriesContext(connection) as many:
        assert client.get(TESTS).json()["count"] == active
    assert len(one) == len(many)


def test_starting_an_attempt_returns_its_deadline_and_progress(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    response = client.post(
        ATTEMPTS, {"battery": "police-cognitive", "mode": "exam", "language": "nl"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["battery"] == "police-cognitive" and body["status"] == "in_progress"
    assert body["progress"] == {"answered": 0, "total": 24}
    assert 32 * 60 - 5 <= body["seconds_left"] <= 32 * 60
    attempt = Attempt.objects.get(pk=body["id"])
    assert (attempt.mode, attempt.language) == ("exam", "nl")
    # Starting again resumes the open attempt.
    again = client.post(ATTEMPTS, {"test": "police-cognitive"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "battery"),
        ({"battery": "no-such-test"}, "battery"),
        ({"battery": "peace-guard-exam", "language": "en"}, "language"),
        ({"battery": "peace-guard-exam", "language": "de"}, "language"),
        ({"battery": "peace-guard-exam", "mode": "cheat"}, "mode"),
        ({"battery": ["a", "b"]}, "battery"),
        ({"test": 10**30}, "battery"),
    ],
)
def test_a_bad_start_is_a_400_and_starts_nothing(api_client, cast, item_bank, payload, field):
    response = signed_in(api_client, cast.candidate).post(ATTEMPTS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Attempt.objects.exists()


# A section of every item type the bank has (competency, items, minutes).
EVERY_TYPE = (
    ("numerical", 48, 60),
    ("logical", 34, 60),
    ("situational", 2, 10),
    ("abstract", 2, 10),
    ("reading_fr", 2, 10),
    ("work_style", 2, 10),
    ("cyber_analysis", 17, 60),
    ("cyber_codes", 17, 60),
)


def test_the_next_item_never_carries_what_scores_it_for_any_item_type(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    battery = tiny_battery(
        "every-type",
        sections=EVERY_TYPE,
    )
    attempt_id = client.post(ATTEMPTS, {"battery": battery.slug, "mode": "exam"}, format="json")
    attempt = Attempt.objects.get(pk=attempt_id.json()["id"])
    seen = set()
    while True:
        response = client.get(f"{detail(attempt)}next/")
        if response.status_code == 204:
            break
        payload = response.json()
        item = Item.objects.get(pk=payload["id"])
        seen.add(payload["type"])
        keys = set(all_keys(payload))
        assert not {key for key in keys if any(word in key for word in SCORING_WORDS)}, keys
        text = json.dumps(payload, ensure_ascii=False)
        for explanation in (item.explanation_fr, item.explanation_nl, item.explanation_en):
            assert not explanation or explanation not in text
        assert payload["type"] == item.type and payload["stem"]
        assert payload["position"] and payload["section"]["title"]
        if item.type == Item.Type.NUMERIC:
            assert payload["respond_with"] == "value" and payload["media"]["unit"] == item.unit_fr
        if item.sequence:
            assert len(payload["media"]["figures"]) == len(item.sequence)
            assert all(option["svg"] and option["alt"] for option in payload["options"])
        if item.passage_id:
            assert payload["media"]["passage"]["title"] == item.passage.title
        if item.type == Item.Type.LIKERT:
            assert [point["value"] for point in payload["scale"]] == [1, 2, 3, 4, 5]
        if item.type == Item.Type.TYPED:
            assert payload["respond_with"] == "value" and not payload["options"]
            for answers in item.accepted_answers.values():
                assert not any(f'"{answer}"' in text for answer in answers), answers
        if item.type == Item.Type.MARK:
            assert payload["respond_with"] == "choices" and payload["media"]["exhibit"]
            # The parts keep the order of the e-mail or the log.
            assert [o["label"] for o in payload["options"]] == [
                option.label_fr for option in item.options.order_by("position")
            ]
        attempt_item = attempt.attempt_items.get(item=item)
        assert [option["id"] for option in payload["options"]] == attempt_item.option_order
        # The attempt's own state also names the item, without its key.
        state = client.get(detail(attempt)).json()
        assert state["current_item"]["id"] == item.pk and state["result"] is None
        saved = client.post(
            f"{detail(attempt)}responses/",
            {"item": item.pk, **answer_kwargs(item)},
            format="json",
        )
        assert saved.status_code == 201, saved.json()
        # Exam mode keeps correctness and explanation for the end.
        assert "correct" not in saved.json() and "explanation" not in saved.json()
    assert seen == set(Item.Type.values)


def test_practice_mode_says_after_each_answer_whether_it_was_right_and_why(
    api_client, cast, item_bank
):
    client = signed_in(api_client, cast.candidate)
    tiny_battery(sections=(("verbal", 2, 5),))
    attempt = client.post(ATTEMPTS, {"battery": "tiny", "language": "en"}, format="json").json()
    url = f"{ATTEMPTS}{attempt['id']}/"
    first = client.get(f"{url}next/").json()
    item = Item.objects.get(pk=first["id"])
    wrong = client.post(
        f"{url}responses/", {"item": item.pk, **answer_kwargs(item, right=False)}, format="json"
    ).json()
    assert wrong["correct"] is False and wrong["score"] == 0.0
    assert wrong["explanation"] == item.explanation_en
    second = client.get(f"{url}next/").json()
    assert second["id"] != item.pk
    other = Item.objects.get(pk=second["id"])
    right = client.post(
        f"{url}responses/", {"item": other.pk, **answer_kwargs(other)}, format="json"
    ).json()
    assert right["correct"] is True and right["score"] == 1.0
    assert client.get(f"{url}next/").status_code == 204


def test_the_same_item_twice_returns_the_stored_response_with_200(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="exam", language="fr"
    )
    item = services.attempt_current_item(attempt=attempt).item
    url = f"{detail(attempt)}responses/"
    first = client.post(url, {"item": item.pk, **answer_kwargs(item, right=True)}, format="json")
    again = client.post(url, {"item": item.pk, **answer_kwargs(item, right=False)}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Response.objects.get().score == 1.0


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"item": "x", "choice": 1},
        {"item": 1},
        {"item": 10**30, "choice": 1},
        {"item": "ITEM", "choice": 10**30},
        {"item": "ITEM", "choice": "abc"},
        {"item": "ITEM", "choices": "not a list"},
        {"item": "ITEM", "choices": list(range(1, 40))},
        {"item": "ITEM", "value": "x" * 51},
        {"item": "ITEM", "choice": "FOREIGN"},
        {"item": "ITEM", "value": "12"},
    ],
)
def test_bad_answers_are_a_400_and_save_nothing(api_client, cast, item_bank, payload):
    client = signed_in(api_client, cast.candidate)
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="exam", language="fr"
    )
    item = services.attempt_current_item(attempt=attempt).item
    foreign = Item.objects.get(key="log-001").options.first().pk
    payload = {
        key: {"ITEM": item.pk, "FOREIGN": foreign}.get(value, value)
        if isinstance(value, str)
        else value
        for key, value in payload.items()
    }
    response = client.post(f"{detail(attempt)}responses/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert isinstance(response.json(), dict)
    assert not Response.objects.exists()


def test_a_numeric_answer_with_a_comma_is_accepted_and_words_are_refused(
    api_client, cast, item_bank
):
    client = signed_in(api_client, cast.candidate)
    attempt = services.attempt_start(
        user=cast.candidate,
        battery=tiny_battery(sections=(("numerical", 48, 60),)),
        mode="practice",
        language="fr",
    )
    # Answered in order until a numeric item is on screen.
    current = services.attempt_current_item(attempt=attempt)
    while current.item.type != Item.Type.NUMERIC:
        services.response_save(attempt=attempt, item=current, **answer_kwargs(current.item))
        current = services.attempt_current_item(attempt=attempt)
    numeric = current.item
    url = f"{detail(attempt)}responses/"
    refused = client.post(url, {"item": numeric.pk, "value": "douze"}, format="json")
    assert refused.status_code == 400 and "value" in refused.json()
    typed = format(numeric.answer_value.normalize(), "f").replace(".", ",")
    saved = client.post(url, {"item": numeric.pk, "value": typed}, format="json")
    assert saved.status_code == 201 and saved.json()["correct"] is True


def test_an_item_that_is_not_in_the_attempt_is_a_404(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="exam", language="fr"
    )
    outside = Item.objects.live().exclude(pk__in=attempt.attempt_items.values("item")).first()
    response = client.post(
        f"{detail(attempt)}responses/", {"item": outside.pk, "value": "1"}, format="json"
    )
    assert response.status_code == 404


def test_an_answer_after_the_deadline_is_a_409_and_the_attempt_closes(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = services.attempt_start(
            user=cast.candidate,
            battery=tiny_battery(sections=(("verbal", 2, 1),)),
            mode="exam",
            language="fr",
        )
        first = services.attempt_current_item(attempt=attempt)
        url = f"{detail(attempt)}responses/"
        client.post(url, {"item": first.item_id, **answer_kwargs(first.item)}, format="json")
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        second = attempt.attempt_items.order_by("position").last()
        late = client.post(
            url, {"item": second.item_id, **answer_kwargs(second.item)}, format="json"
        )
        assert late.status_code == 409 and late.json()["status"] == "expired"
        assert client.get(f"{detail(attempt)}next/").status_code == 409
        state = client.get(detail(attempt)).json()
    assert state["status"] == "expired" and state["current_item"] is None
    assert state["result"]["score"] == 50.0
    assert Response.objects.count() == 1


def test_finishing_returns_the_scores_per_competency_and_section(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    battery = tiny_battery(
        "rule",
        sections=(("verbal", 2, 10), ("abstract", 2, 10)),
        pass_percent=60,
        section_pass_percent=50,
    )
    attempt = services.attempt_start(
        user=cast.candidate, battery=battery, mode="exam", language="en"
    )
    for attempt_item, right in zip(
        attempt.attempt_items.order_by("position"), (True, False, True, True), strict=True
    ):
        services.attempt_current_item(attempt=attempt)
        services.response_save(
            attempt=attempt, item=attempt_item, **answer_kwargs(attempt_item.item, right=right)
        )
    response = client.post(f"{detail(attempt)}finish/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "finished" and body["score"] == 75.0 and body["passed"] is True
    assert body["percentile"] == 50.0
    assert {row["competency"]: row["score"] for row in body["competencies"]} == {
        "verbal": 50.0,
        "abstract": 100.0,
    }
    assert [(row["position"], row["score"], row["passed"]) for row in body["sections"]] == [
        (1, 50.0, True),
        (2, 100.0, True),
    ]
    assert body["traits"] == [] and body["verified_skills"] == []
    again = client.post(f"{detail(attempt)}finish/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.json() == body


def test_a_finished_work_style_inventory_returns_traits_and_no_pass(api_client, cast, item_bank):
    client = signed_in(api_client, cast.candidate)
    attempt = services.attempt_start(
        user=cast.candidate,
        battery=tiny_battery("ws", sections=(("work_style", 6, 5),)),
        mode="exam",
        language="en",
    )
    for attempt_item in attempt.attempt_items.order_by("position"):
        services.attempt_current_item(attempt=attempt)
        services.response_save(attempt=attempt, item=attempt_item, value="3")
    body = client.post(f"{detail(attempt)}finish/").json()
    assert body["score"] is None and body["passed"] is None and body["competencies"] == []
    assert body["traits"] and all(trait["band"] == "middle" for trait in body["traits"])
    assert all(trait["mean"] == 3.0 and trait["feedback"] for trait in body["traits"])


def test_another_candidates_attempt_is_a_404_everywhere(api_client, cast, item_bank):
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="exam", language="fr"
    )
    item = attempt.attempt_items.first().item
    client = signed_in(api_client, cast.other_candidate)
    assert client.get(detail(attempt)).status_code == 404
    assert client.get(f"{detail(attempt)}next/").status_code == 404
    response = client.post(
        f"{detail(attempt)}responses/", {"item": item.pk, **answer_kwargs(item)}, format="json"
    )
    assert response.status_code == 404
    assert client.post(f"{detail(attempt)}finish/").status_code == 404
    assert not Response.objects.exists()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS


@pytest.mark.parametrize("role", ["counsellor", "employer_member", "staff"])
def test_other_roles_get_a_403(api_client, cast, item_bank, role):
    attempt = services.attempt_start(
        user=cast.candidate, battery=tiny_battery(), mode="exam", language="fr"
    )
    client = signed_in(api_client, getattr(cast, role))
    assert client.get(TESTS).status_code == 403
    assert client.post(ATTEMPTS, {"battery": "tiny"}, format="json").status_code == 403
    assert client.get(detail(attempt)).status_code == 403
    assert client.post(f"{detail(attempt)}finish/").status_code == 403


def test_anonymous_callers_get_a_401(api_client, item_bank):
    assert api_client.get(TESTS).status_code == 401
    assert api_client.post(ATTEMPTS, {"battery": "tiny"}, format="json").status_code == 401


def test_the_schema_documents_the_attempt_endpoints(api_client, item_bank):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/tests/",
        "/api/v1/attempts/",
        "/api/v1/attempts/{id}/",
        "/api/v1/attempts/{id}/next/",
        "/api/v1/attempts/{id}/responses/",
        "/api/v1/attempts/{id}/finish/",
    ):
        assert path in schema["paths"], path
    responses = schema["paths"]["/api/v1/attempts/{id}/responses/"]["post"]["responses"]
    assert {"200", "201", "400", "404", "409"} <= set(responses)


def test_a_full_score_through_the_api_verifies_the_batterys_skills(api_client, item_bank):
    user = factories.CandidateFactory()
    skill = factories.SkillFactory()
    tiny_battery("ev", sections=(("verbal", 2, 10),), evidence_threshold=100, skills=[skill])
    client = signed_in(api_client, user)
    attempt = client.post(ATTEMPTS, {"battery": "ev"}, format="json").json()
    for _ in range(2):
        item = Item.objects.get(pk=client.get(f"{ATTEMPTS}{attempt['id']}/next/").json()["id"])
        client.post(
            f"{ATTEMPTS}{attempt['id']}/responses/",
            {"item": item.pk, **answer_kwargs(item)},
            format="json",
        )
    body = client.post(f"{ATTEMPTS}{attempt['id']}/finish/").json()
    assert body["score"] == 100.0
    assert [row["id"] for row in body["verified_skills"]] == [skill.pk]
    assert user.candidate_profile.skills.get(skill=skill).evidence == "test_verified"
