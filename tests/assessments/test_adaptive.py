"""Adaptive batteries and item calibration against the database (`assessments.adaptive`)."""

import datetime
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import adaptive, irt
from assessments.models import Attempt, AttemptItem, Battery, Item, Response, Section

pytestmark = pytest.mark.django_db


def start_attempt(user, battery, seed=1234, status=Attempt.Status.IN_PROGRESS):
    return Attempt.objects.create(
        battery=battery,
        user=user,
        mode=Attempt.Mode.PRACTICE,
        language="fr",
        seed=seed,
        status=status,
        deadline=timezone.now() + datetime.timedelta(hours=1),
    )


def give(attempt, item, section, score=None):
    """Draws `item` into the attempt, answered with `score` unless it is None."""
    attempt_item = AttemptItem.objects.create(
        attempt=attempt, item=item, section=section, position=attempt.attempt_items.count() + 1
    )
    if score is not None:
        Response.objects.create(attempt_item=attempt_item, score=score)
    return attempt_item


def take(attempt, scores):
    """Answers the items `next_item_for` picks, with these scores in turn; returns the items."""
    items = []
    for score in scores:
        item, section = adaptive.next_item_for(Attempt.objects.get(pk=attempt.pk))
        give(attempt, item, section, score)
        items.append(item)
    return items


@pytest.fixture
def adaptive_battery(item_bank):
    return Battery.objects.get(slug="adaptive-reasoning")


# Item parameters and ability ----------------------------------------------------------------


def test_uncalibrated_items_take_their_difficulty_from_the_authors_label():
    assert adaptive.item_parameters(Item(difficulty=Item.Difficulty.EASY)) == (1.0, -1.0)
    assert adaptive.item_parameters(Item(difficulty=Item.Difficulty.MEDIUM)) == (1.0, 0.0)
    assert adaptive.item_parameters(Item(difficulty=Item.Difficulty.HARD)) == (1.0, 1.0)
    assert adaptive.item_parameters(Item(difficulty="")) == (1.0, 0.0)


def test_calibrated_items_use_their_calibrated_parameters():
    item = Item(difficulty=Item.Difficulty.EASY, irt_a=1.7, irt_b=0.4)
    assert adaptive.item_parameters(item) == (1.7, 0.4)


def test_ability_estimate_uses_the_answered_scored_items_with_half_credit_counting_right(
    cast, adaptive_battery
):
    attempt = start_attempt(cast.candidate, adaptive_battery)
    section = adaptive_battery.sections.first()
    items = list(Item.objects.live().filter(competency="numerical", difficulty="medium")[:4])
    Item.objects.filter(pk=items[0].pk).update(irt_a=2.0, irt_b=0.5)
    give(attempt, items[0], section, 1.0)
    give(attempt, items[1], section, 0.5)  # half credit: right
    give(attempt, items[2], section, 0.25)  # less: wrong
    give(attempt, items[3], section)  # drawn, not answered yet
    likert = Item.objects.live().filter(type=Item.Type.LIKERT).first()
    give(attempt, likert, section, 5.0)  # work-style answers never count

    assert adaptive.estimate_for(attempt) == pytest.approx(
        irt.eap([1, 1, 0], [2.0, 1.0, 1.0], [0.5, 0.0, 0.0])
    )


def test_ability_estimate_without_answers_is_the_prior(cast, adaptive_battery):
    assert adaptive.estimate_for(start_attempt(cast.candidate, adaptive_battery)) == (0.0, 1.0)


# Calibration command ------------------------------------------------------------------------


@pytest.fixture
def simulated_responses(cast, item_bank):
    """300 finished attempts at 12 numerical items with known 2PL parameters; the last two
    items were given in only 40 attempts. Returns the items and their true a and b."""
    rng = np.random.default_rng(11)
    items = list(Item.objects.live().filter(competency="numerical").order_by("key")[:12])
    a = rng.permutation(np.linspace(0.8, 2.0, 12))
    b = np.linspace(-1.5, 1.5, 12)
    battery = Battery.objects.create(
        slug="calibration-test",
        title_fr="Test",
        title_nl="Test",
        title_en="Test",
        description_fr="Test",
        description_nl="Test",
        description_en="Test",
        languages=["fr"],
    )
    section = Section.objects.create(
        battery=battery,
        position=1,
        title_fr="Numérique",
        title_nl="Numeriek",
        title_en="Numerical",
        competency="numerical",
        item_count=12,
        time_limit_seconds=600,
    )
    deadline = timezone.now() + datetime.timedelta(hours=1)
    attempts = Attempt.objects.bulk_create(
        Attempt(
            battery=battery,
            user=cast.candidate,
            mode=Attempt.Mode.EXAM,
            language="fr",
            seed=person,
            status=Attempt.Status.FINISHED if person % 10 else Attempt.Status.EXPIRED,
            deadline=deadline,
        )
        for person in range(300)
    )
    theta = rng.normal(0, 1, 300)
    correct = rng.random((300, 12)) < irt.p2pl(theta[:, None], a, b)
    # Partial credit: 0.75 counts as right and 0.25 as wrong once dichotomised.
    partial = rng.random((300, 12)) < 0.3
    scores = np.where(correct, np.where(partial, 0.75, 1.0), np.where(partial, 0.25, 0.0))
    drawn, answers = [], []
    for person, attempt in enumerate(attempts):
        for column, item in enumerate(items):
            if column >= 10 and person >= 40:
                continue
            drawn.append(
                AttemptItem(attempt=attempt, item=item, section=section, position=column + 1)
            )
            answers.append(scores[person, column])
    drawn = AttemptItem.objects.bulk_create(drawn)
    Response.objects.bulk_create(
        Response(attempt_item=attempt_item, score=score)
        for attempt_item, score in zip(drawn, answers, strict=True)
    )
    # An attempt still in progress does not count.
    unfinished = start_attempt(cast.candidate, battery)
    for item in items:
        give(unfinished, item, section, 1.0)
    return items, a, b


def test_calibrate_items_recovers_simulated_parameters(simulated_responses):
    """300 persons × 10 items is a small calibration: the tolerance is looser than the pure
    recovery test's. RMSE(b) < 0.35, RMSE(a) < 0.5, correlation(b, b̂) > 0.95 (measured with this
    seed: 0.18, 0.31 and 0.99)."""
    items, a, b = simulated_responses
    Item.objects.filter(pk=items[11].pk).update(irt_a=1.1, irt_b=0.2)
    out = StringIO()

    call_command("calibrate_items", "--min-n", "50", stdout=out)

    calibrated = Item.objects.in_bulk([item.pk for item in items])
    fitted = [calibrated[item.pk] for item in items[:10]]
    assert all(item.calibration_n == 300 and item.calibrated_at for item in fitted)
    a_hat = np.array([item.irt_a for item in fitted])
    b_hat = np.array([item.irt_b for item in fitted])
    assert np.sqrt(np.mean((b_hat - b[:10]) ** 2)) < 0.35
    assert np.sqrt(np.mean((a_hat - a[:10]) ** 2)) < 0.5
    assert np.corrcoef(b[:10], b_hat)[0, 1] > 0.95
    # 40 responses is under --min-n: those items are left as they were.
    assert (calibrated[items[10].pk].irt_a, calibrated[items[10].pk].calibration_n) == (None, 0)
    assert (calibrated[items[11].pk].irt_a, calibrated[items[11].pk].irt_b) == (1.1, 0.2)
    assert calibrated[items[11].pk].calibrated_at is None
    report = out.getvalue()
    assert "numerical" in report and "10 items calibrated; 2 skipped" in report


def test_calibrate_items_dry_run_writes_nothing(simulated_responses):
    items, _, _ = simulated_responses
    out = StringIO()

    call_command("calibrate_items", "--dry-run", stdout=out)

    assert not Item.objects.filter(pk__in=[item.pk for item in items], irt_a__isnull=False)
    assert not Item.objects.filter(calibrated_at__isnull=False).exists()
    assert "Dry run: 10 items would be calibrated" in out.getvalue()


def test_calibrate_items_for_another_competency_leaves_these_items_alone(simulated_responses):
    items, _, _ = simulated_responses
    out = StringIO()

    call_command("calibrate_items", "--competency", "verbal", stdout=out)

    assert not Item.objects.filter(calibrated_at__isnull=False).exists()
    assert "No responses" in out.getvalue()


def test_calibrate_items_with_a_lower_minimum_calibrates_the_rarer_items_too(simulated_responses):
    items, _, _ = simulated_responses

    call_command("calibrate_items", "--min-n", "40", stdout=StringIO())

    assert Item.objects.get(pk=items[10].pk).calibration_n == 40
    assert Item.objects.filter(calibrated_at__isnull=False).count() == 12


# Next item ----------------------------------------------------------------------------------


def test_next_item_is_a_live_item_of_the_batterys_competencies_not_yet_drawn(
    cast, adaptive_battery
):
    attempt = start_attempt(cast.candidate, adaptive_battery)
    first, section = adaptive.next_item_for(attempt)
    give(attempt, first, section)  # drawn, not answered yet

    item, section = adaptive.next_item_for(Attempt.objects.get(pk=attempt.pk))

    assert item != first
    assert item.status == Item.Status.LIVE
    assert item.competency in {"numerical", "verbal", "logical"}
    assert section.battery == adaptive_battery and section.competency == item.competency


def test_next_item_balances_content_across_the_first_six_items(cast, adaptive_battery):
    attempt = start_attempt(cast.candidate, adaptive_battery)

    items = take(attempt, [1, 0, 1, 1, 0, 1])

    competencies = [item.competency for item in items]
    assert {code: competencies.count(code) for code in set(competencies)} == {
        "numerical": 2,
        "verbal": 2,
        "logical": 2,
    }
    assert len(set(items)) == 6


def test_next_item_is_reproducible_for_the_same_seed(cast, adaptive_battery):
    scores = [1, 1, 0, 1, 0, 0, 1, 1, 0, 1]
    first = take(start_attempt(cast.candidate, adaptive_battery, seed=99), scores)
    second = take(start_attempt(cast.other_candidate, adaptive_battery, seed=99), scores)
    others = [
        take(start_attempt(cast.candidate, adaptive_battery, seed=seed), scores)
        for seed in (1, 2, 3)
    ]

    assert first == second
    assert any(other != first for other in others)


def test_next_item_follows_the_ability_estimate(cast, adaptive_battery):
    # Each competency's items spread from easy (b = −3) to hard (b = +3).
    for competency in ("numerical", "verbal", "logical"):
        items = list(Item.objects.filter(competency=competency).order_by("key"))
        for item, difficulty in zip(items, np.linspace(-3, 3, len(items)), strict=True):
            item.irt_a, item.irt_b = 1.5, float(difficulty)
        Item.objects.bulk_update(items, ["irt_a", "irt_b"])
    strong = start_attempt(cast.candidate, adaptive_battery, seed=5)
    weak = start_attempt(cast.other_candidate, adaptive_battery, seed=5)

    strong_items = take(strong, [1] * 8)
    weak_items = take(weak, [0] * 8)

    # The last items suit each estimate: hard for the strong candidate, easy for the weak one.
    assert adaptive.estimate_for(strong)[0] > 2 and adaptive.estimate_for(weak)[0] < -2
    assert all(Item.objects.get(pk=item.pk).irt_b > 1 for item in strong_items[-3:])
    assert all(Item.objects.get(pk=item.pk).irt_b < -1 for item in weak_items[-3:])


def test_next_item_stops_at_the_maximum_length(cast, adaptive_battery):
    adaptive_battery.max_items = 7
    adaptive_battery.save()
    attempt = start_attempt(cast.candidate, adaptive_battery)

    take(attempt, [1, 0] * 3 + [1])

    assert adaptive.next_item_for(Attempt.objects.get(pk=attempt.pk)) is None


def test_next_item_stops_when_the_standard_error_reaches_the_target_after_five_items(
    cast, adaptive_battery
):
    # Very discriminating items centred on the candidate measure precisely after a few answers.
    Item.objects.filter(competency__in=["numerical", "verbal", "logical"]).update(
        irt_a=4.0, irt_b=0.0
    )
    attempt = start_attempt(cast.candidate, adaptive_battery)

    take(attempt, [1, 0, 1, 0])
    _, se = adaptive.estimate_for(attempt)
    assert se <= adaptive_battery.se_target
    assert adaptive.next_item_for(Attempt.objects.get(pk=attempt.pk)) is not None  # only 4

    take(attempt, [1])
    assert adaptive.next_item_for(Attempt.objects.get(pk=attempt.pk)) is None


def test_next_item_stops_when_the_pool_is_exhausted(cast, adaptive_battery):
    for competency in ("numerical", "verbal", "logical"):
        keep = Item.objects.live().filter(competency=competency).order_by("key").first()
        Item.objects.filter(competency=competency).exclude(pk=keep.pk).update(
            status=Item.Status.REVIEWED
        )
    attempt = start_attempt(cast.candidate, adaptive_battery)

    take(attempt, [1, 1, 1])

    assert adaptive.next_item_for(Attempt.objects.get(pk=attempt.pk)) is None


def test_next_item_refuses_a_fixed_battery(cast, item_bank):
    attempt = start_attempt(cast.candidate, Battery.objects.get(slug="police-cognitive"))
    with pytest.raises(ValueError):
        adaptive.next_item_for(attempt)


def test_next_item_query_count_does_not_grow_with_the_answers(cast, adaptive_battery):
    early = start_attempt(cast.candidate, adaptive_battery, seed=1)
    late = start_attempt(cast.other_candidate, adaptive_battery, seed=2)
    take(early, [1])
    take(late, [1, 0] * 6)

    with CaptureQueriesContext(connection) as one_answer:
        assert adaptive.next_item_for(Attempt.objects.get(pk=early.pk)) is not None
    with CaptureQueriesContext(connection) as twelve_answers:
        assert adaptive.next_item_for(Attempt.objects.get(pk=late.pk)) is not None

    # The attempt and its battery (the test reads them), the drawn items with their answers,
    # the items' calibration; texts and sections come from the bank kept in the process.
    assert len(twelve_answers) == len(one_answer) == 4
