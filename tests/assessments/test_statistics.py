"""Item statistics against values computed by hand, and loaded from the database.

The worked example used throughout: five candidates, four right/wrong items.

            i1  i2  i3  i4   total   total %
    P1       1   1   1   1     4      100
    P2       1   1   1   0     3       75
    P3       1   1   0   0     2       50
    P4       1   0   1   0     2       50
    P5       0   0   0   1     1       25

Facility p (proportion right): i1 4/5 = 0.8, i2 3/5 = 0.6, i3 3/5 = 0.6, i4 2/5 = 0.4.

Point-biserial with the rest score (total minus the item), r = Σdx·dy / √(Σdx²·Σdy²):
    i1: x = 1 1 1 1 0 (mean 0.8), rest = 3 2 1 1 1 (mean 1.6)
        dx = .2 .2 .2 .2 −.8, dy = 1.4 .4 −.6 −.6 −.6
        Σdx·dy = .28 + .08 − .12 − .12 + .48 = 0.6; Σdx² = 0.8; Σdy² = 3.2
        r = 0.6 / √2.56 = 0.6 / 1.6 = 0.375
    i2: x = 1 1 1 0 0 (mean .6), rest = 3 2 1 2 1 (mean 1.8)
        Σdx·dy = .48 + .08 − .32 − .12 + .48 = 0.6; Σdx² = 1.2; Σdy² = 2.8
        r = 0.6 / √3.36 = 0.327327
    i3: x = 1 1 0 1 0, rest = 3 2 2 1 1: the same sums as i2, r = 0.6 / √3.36 = 0.327327
    i4: x = 1 0 0 0 1 (mean .4), rest = 3 3 2 2 0 (mean 2)
        dx = .6 −.4 −.4 −.4 .6, dy = 1 1 0 0 −2
        Σdx·dy = .6 − .4 − 1.2 = −1.0; Σdx² = 1.2; Σdy² = 6
        r = −1 / √7.2 = −0.372678

KR-20 = k/(k−1) · (1 − Σpq / σ²), σ² the population variance of the totals:
    Σpq = .8·.2 + .6·.4 + .6·.4 + .4·.6 = .16 + .24 + .24 + .24 = 0.88
    totals 4 3 2 2 1, mean 2.4, squared deviations 2.56 .36 .16 .16 1.96 = 5.2, σ² = 5.2/5 = 1.04
    KR-20 = 4/3 · (1 − .88/1.04) = 4/3 · .16/1.04 = 0.64/3.12 = 8/39 = 0.205128

SD of the total % (n − 1): the totals % are 25 × the totals, so SD = 25 · √(5.2/4) = 25·√1.3
    = 28.504386. SEM = SD · √(1 − 8/39) = 25 · √(1.3 · 31/39) = 25 · √(31/30) = 25.413251.
"""

import datetime
import math
import random

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import (
    Attempt,
    AttemptItem,
    Battery,
    Competency,
    Item,
    Option,
    Response,
    Section,
    Trait,
)
from assessments.statistics import (
    Administration,
    Flag,
    ItemFacts,
    OptionFacts,
    Reliability,
    analyse,
    battery_statistics,
    choice_rates,
    correlation,
    cronbach_alpha,
    facility,
    histogram,
    item_flags,
    item_rest_correlations,
    item_statistics,
    kr20,
    mean_pairwise_correlation,
    sample_sd,
    standard_error_of_measurement,
    standardised_alpha,
)
from tests import factories

WORKED = [
    [1, 1, 1, 1],
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [1, 0, 1, 0],
    [0, 0, 0, 1],
]
WORKED_P = [0.8, 0.6, 0.6, 0.4]
WORKED_R = [0.375, 0.6 / math.sqrt(3.36), 0.6 / math.sqrt(3.36), -1 / math.sqrt(7.2)]
WORKED_KR20 = 8 / 39
WORKED_SD = 25 * math.sqrt(1.3)
WORKED_SEM = 25 * math.sqrt(31 / 30)


def close(value, expected):
    return value is not None and math.isclose(value, expected, abs_tol=1e-6)


# The pure functions -------------------------------------------------------------------------


def test_facility_is_the_proportion_right_for_each_item_of_the_worked_example():
    for column, expected in enumerate(WORKED_P):
        assert close(facility([row[column] for row in WORKED]), expected)
    assert facility([]) is None


def test_point_biserials_with_the_rest_score_match_the_hand_computation():
    assert WORKED_R[1] == pytest.approx(0.327327, abs=1e-6)
    assert WORKED_R[3] == pytest.approx(-0.372678, abs=1e-6)
    for value, expected in zip(item_rest_correlations(WORKED), WORKED_R, strict=True):
        assert close(value, expected)


def test_correlation_is_undefined_without_variation_or_without_two_pairs():
    assert correlation([1, 1, 1], [0, 1, 2]) is None
    assert correlation([1], [1]) is None
    assert correlation([], []) is None
    assert close(correlation([1, 2, 3], [2, 4, 6]), 1.0)


def test_kr20_matches_the_hand_computation_and_equals_alpha_on_right_wrong_items():
    assert WORKED_KR20 == pytest.approx(0.205128, abs=1e-6)
    assert close(kr20(WORKED), WORKED_KR20)
    assert close(cronbach_alpha(WORKED), WORKED_KR20)


def test_kr20_refuses_partial_credit():
    with pytest.raises(ValueError):
        kr20([[0.5, 1], [1, 0]])


def test_cronbach_alpha_with_partial_credit_matches_the_hand_computation():
    """Four candidates, three partially scored items.

            i1   i2   i3   total
        A    1    1   .5    2.5
        B   .5    1   .5    2
        C   .5   .5    0    1
        D    0    0    0    0

    Sample variances (n − 1 = 3), as sums of squared deviations / 3:
        i1: mean .5, SS = .25 + 0 + 0 + .25 = .5
        i2: mean .625, SS = .140625·2 + .015625 + .390625 = .6875
        i3: mean .25, SS = .0625·4 = .25
        total: mean 1.375, SS = 1.265625 + .390625 + .140625 + 1.890625 = 3.6875
    alpha = 3/2 · (1 − 1.4375/3.6875) = 1.5 · 2.25/3.6875 = 1.5 · 36/59 = 54/59 = 0.915254
    """
    matrix = [[1, 1, 0.5], [0.5, 1, 0.5], [0.5, 0.5, 0], [0, 0, 0]]
    assert close(cronbach_alpha(matrix), 54 / 59)
    assert 54 / 59 == pytest.approx(0.915254, abs=1e-6)


def test_alpha_is_undefined_for_one_item_one_person_or_no_variation():
    assert cronbach_alpha([[1], [0]]) is None
    assert cronbach_alpha([[1, 0]]) is None
    assert cronbach_alpha([[1, 1], [1, 1]]) is None
    assert kr20([[1, 1], [1, 1]]) is None


def test_sd_and_sem_of_the_worked_example():
    totals = [100, 75, 50, 50, 25]
    assert WORKED_SD == pytest.approx(28.504386, abs=1e-6)
    assert WORKED_SEM == pytest.approx(25.413251, abs=1e-6)
    assert close(sample_sd(totals), WORKED_SD)
    assert close(standard_error_of_measurement(sample_sd(totals), WORKED_KR20), WORKED_SEM)


def test_sem_is_undefined_without_sd_or_with_a_reliability_out_of_range():
    assert standard_error_of_measurement(None, 0.8) is None
    assert standard_error_of_measurement(10, None) is None
    assert standard_error_of_measurement(10, -0.2) is None
    assert standard_error_of_measurement(0.0, 0.5) == 0.0
    assert sample_sd([70]) is None


def test_standardised_alpha_from_the_mean_inter_item_correlation_of_the_worked_example():
    """Pairwise correlations (population formulas, r = cov / (sd·sd)):
        sd(i1) = √.16 = .4; sd(i2) = sd(i3) = sd(i4) = √.24
        r12 = (.6 − .8·.6) / (.4·√.24) = .12/.195959 = √6/4 = 0.612372; r13 = √6/4
        r14 = (.2 − .32) / (.4·√.24) = −√6/4
        r23 = (.4 − .36)/.24 = 1/6; r24 = r34 = (.2 − .24)/.24 = −1/6
    r̄ = (√6/4 − 1/6) / 6 = 0.074284; k = 4:
    standardised alpha = 4·r̄ / (1 + 3·r̄) = 0.242987
    """
    mean_r, pairs = mean_pairwise_correlation(WORKED, min_pairs=2)
    expected_r = (math.sqrt(6) / 4 - 1 / 6) / 6
    assert pairs == 6
    assert close(mean_r, expected_r)
    assert close(standardised_alpha(mean_r, 4), 4 * expected_r / (1 + 3 * expected_r))
    assert standardised_alpha(mean_r, 4) == pytest.approx(0.242987, abs=1e-6)


def test_pairwise_correlations_use_only_the_attempts_that_drew_both_items():
    """Three items A, B, C; each attempt drew two of them (None: not drawn).

    A and B together in rows 1–3: A = 1 0 1, B = 1 0 0: cov = 1/3 − 2/9 = 1/9,
        var = 2/9 each, r = 0.5
    B and C in rows 4–6: the same values, r = 0.5
    A and C in rows 7–9: A = 1 0 1, C = 1 1 0: cov = 1/3 − 4/9 = −1/9, r = −0.5
    r̄ = (0.5 + 0.5 − 0.5) / 3 = 1/6; with k = 2: 2·(1/6) / (1 + 1/6) = 2/7.
    With a tenth attempt (A = 1, B = 1), AB rests on 4 rows: A = 1 0 1 1, B = 1 0 0 1,
        cov = .5 − .75·.5 = .125, var(A) = .1875, var(B) = .25, r = .125/√.046875 = 1/√3,
        and r̄ weighted by rows = (4/√3 + 3·0.5 − 3·0.5) / 10 = 0.230940.
    """
    rows = [
        [1, 1, None],
        [0, 0, None],
        [1, 0, None],
        [None, 1, 1],
        [None, 0, 0],
        [None, 1, 0],
        [1, None, 1],
        [0, None, 1],
        [1, None, 0],
    ]
    mean_r, pairs = mean_pairwise_correlation(rows, min_pairs=3)
    assert pairs == 3
    assert close(mean_r, 1 / 6)
    assert close(standardised_alpha(mean_r, 2), 2 / 7)

    mean_r, _pairs = mean_pairwise_correlation([*rows, [1, 1, None]], min_pairs=3)
    assert close(mean_r, (4 / math.sqrt(3)) / 10)
    # Pairs seen together too rarely are left out.
    assert mean_pairwise_correlation(rows, min_pairs=4) == (None, 0)


def test_standardised_alpha_is_undefined_for_one_item_or_a_strongly_negative_mean():
    assert standardised_alpha(0.3, 1) is None
    assert standardised_alpha(None, 10) is None
    assert standardised_alpha(-0.5, 4) is None


def test_choice_rates_are_shares_of_the_respondents_with_the_no_answers():
    rates, no_answer = choice_rates([["a"], ["a"], ["c"], [], ["a", "b"]], ["a", "b", "c", "d"])
    assert rates == {"a": 0.6, "b": 0.2, "c": 0.2, "d": 0.0}
    assert no_answer == 0.2
    assert choice_rates([], ["a"]) == ({"a": None}, None)


def test_flags_follow_the_thresholds():
    assert item_flags(10, 0.5, 0.5) == [Flag.TOO_FEW]
    # Too few answers: nothing else is judged.
    assert item_flags(29, 0.05, -0.3, unused_options=2) == [Flag.TOO_FEW]
    assert item_flags(30, 0.5, 0.35) == []
    assert item_flags(30, 0.5, 0.19) == [Flag.POOR_DISCRIMINATION]
    assert item_flags(30, 0.5, None) == []
    assert item_flags(30, 0.19, 0.3) == [Flag.VERY_HARD]
    assert item_flags(30, 0.2, 0.3) == []
    assert item_flags(30, 0.91, 0.3) == [Flag.VERY_EASY]
    assert item_flags(30, 0.9, 0.3) == []
    assert item_flags(30, 0.5, 0.3, unused_options=1) == [Flag.UNUSED_OPTION]
    assert item_flags(5, 0.5, 0.1, min_responses=5) == [Flag.POOR_DISCRIMINATION]


def test_histogram_puts_a_perfect_score_in_the_last_band():
    bins = histogram([0, 9.99, 10, 55, 100])
    assert [entry["count"] for entry in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]
    assert bins[-1] == {"low": 90, "high": 100, "count": 1}


# The analysis of administrations (no database) ---------------------------------------------

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def single_choice(item_id, key, correct="a", keys="abcd"):
    return ItemFacts(
        id=item_id,
        key=key,
        type="single_choice",
        competency="numerical",
        options=tuple(
            OptionFacts(id=item_id * 10 + index, key=letter, is_keyed=letter == correct)
            for index, letter in enumerate(keys)
        ),
    )


def administrations_from(matrix, items, choices=None, section=1):
    """One attempt per row; a cell None is an unanswered item; choices[(row, column)] an id."""
    records = []
    for row_index, row in enumerate(matrix):
        for column, score in enumerate(row):
            item = items[column]
            choice = (choices or {}).get((row_index, column))
            if choice is None and score is not None and item.options:
                keyed = [o.id for o in item.options if o.is_keyed]
                wrong = [o.id for o in item.options if not o.is_keyed]
                choice = keyed[0] if score == 1 else wrong[-1]
            records.append(
                Administration(
                    attempt=row_index,
                    item=item.id,
                    section=section,
                    position=column + 1,
                    score=score,
                    choice=choice if score is not None else None,
                    answered_at=None
                    if score is None
                    else T0 + datetime.timedelta(minutes=column + 1),
                    started_at=T0,
                )
            )
    return records


def test_the_analysis_of_the_worked_example_gives_the_hand_computed_figures():
    items = [single_choice(i, f"w{i}") for i in range(1, 5)]
    summary = analyse(administrations_from(WORKED, items), {item.id: item for item in items})
    assert summary.attempt_count == 5
    assert close(summary.mean, 60)
    assert close(summary.sd, WORKED_SD)
    assert summary.reliability_method == Reliability.KR20
    assert close(summary.reliability, WORKED_KR20)
    assert close(summary.sem, WORKED_SEM)
    assert summary.items_per_attempt == 4
    for result, p, r in zip(summary.items, WORKED_P, WORKED_R, strict=True):
        assert result.n == 5
        assert close(result.facility, p)
        assert close(result.discrimination, r)
        # One minute between answers: the median time per item.
        assert result.median_seconds == 60
    # i1 (key a): four chose a, P5 the last wrong option, d; b and c nobody.
    first = summary.items[0]
    assert [(o.key, o.count, o.rate) for o in first.options] == [
        ("a", 4, 0.8),
        ("b", 0, 0.0),
        ("c", 0, 0.0),
        ("d", 1, 0.2),
    ]
    assert first.no_answer_rate == 0
    # Five answers are too few to judge.
    assert all(result.flags == [Flag.TOO_FEW] for result in summary.items)


def test_skipped_items_count_as_wrong_and_items_not_reached_are_left_out():
    items = [single_choice(i, f"s{i}") for i in range(1, 5)]
    matrix = [[1, None, 1, None], [1, 1, 0, 1]]
    summary = analyse(administrations_from(matrix, items), {item.id: item for item in items})
    by_key = {result.key: result for result in summary.items}
    # s2 was skipped in the first attempt (s3 came after it): wrong, and "no answer".
    assert by_key["s2"].n == 2
    assert by_key["s2"].facility == 0.5
    assert by_key["s2"].no_answer_rate == 0.5
    # s4 was never reached in the first attempt: only the second one counts.
    assert by_key["s4"].n == 1
    assert by_key["s4"].facility == 1
    # The totals are the scores the candidates got: 2/4 and 3/4.
    assert close(summary.mean, 62.5)
    # The first attempt did not reach every item: no common set, so no exact alpha.
    assert summary.reliability_method != Reliability.KR20


def test_attempts_without_a_single_answer_are_left_out():
    items = [single_choice(i, f"e{i}") for i in range(1, 3)]
    matrix = [[None, None], [1, 0], [0, 0]]
    summary = analyse(administrations_from(matrix, items), {item.id: item for item in items})
    assert summary.attempt_count == 2
    assert [result.n for result in summary.items] == [2, 2]


def test_the_rest_score_comes_from_the_same_section_only():
    """Two sections of two items. Within each section the other item's credit is the rest."""
    items = [single_choice(i, f"r{i}") for i in range(1, 5)]
    facts = {item.id: item for item in items}
    records = []
    rows = [[1, 1, 0, 1], [0, 0, 1, 0], [1, 0, 1, 1], [0, 1, 0, 0]]
    for attempt, row in enumerate(rows):
        for column, score in enumerate(row):
            records.append(
                Administration(
                    attempt=attempt,
                    item=column + 1,
                    section=1 if column < 2 else 2,
                    position=column + 1,
                    score=score,
                    choice=None,
                )
            )
    summary = analyse(records, facts)
    by_key = {result.key: result for result in summary.items}
    assert close(by_key["r1"].discrimination, correlation([1, 0, 1, 0], [1, 0, 0, 1]))
    assert close(by_key["r3"].discrimination, correlation([0, 1, 1, 0], [1, 0, 1, 0]))


def test_flags_are_raised_from_thirty_answers():
    """30 attempts: f1 everyone right (very easy, b/c/d never chosen), f2 right for the weak
    half only, f3–f5 right for the strong half only (the wrong answer is always d)."""
    items = [single_choice(n, f"f{n}") for n in range(1, 6)]
    matrix = []
    for index in range(30):
        strong = index % 2 == 0
        matrix.append([1, 0 if strong else 1, *([1 if strong else 0] * 3)])
    summary = analyse(administrations_from(matrix, items), {item.id: item for item in items})
    by_key = {result.key: result for result in summary.items}
    assert Flag.VERY_EASY in by_key["f1"].flags
    assert Flag.UNUSED_OPTION in by_key["f1"].flags
    assert by_key["f1"].discrimination is None  # no variation: r is undefined
    assert Flag.POOR_DISCRIMINATION in by_key["f2"].flags
    assert close(by_key["f2"].discrimination, -1.0)
    assert Flag.UNUSED_OPTION in by_key["f2"].flags  # b and c never chosen
    # f3: p = .5 and r = 1 (rest .75 for the strong, .5 for the weak), but b and c unused.
    assert close(by_key["f3"].discrimination, 1.0)
    assert by_key["f3"].flags == [Flag.UNUSED_OPTION]
    assert len(summary.flagged_items) == 5


def test_no_division_by_zero_with_no_data_one_attempt_one_item_or_equal_scores():
    empty = analyse([], {})
    assert (empty.attempt_count, empty.mean, empty.sd, empty.reliability, empty.sem) == (
        0,
        None,
        None,
        None,
        None,
    )
    assert [entry["count"] for entry in empty.histogram] == [0] * 10

    items = [single_choice(1, "o1")]
    one = analyse(administrations_from([[1]], items), {1: items[0]})
    assert (one.attempt_count, one.mean, one.sd, one.reliability) == (1, 100, None, None)
    assert one.items[0].discrimination is None

    same = analyse(administrations_from([[1], [1], [1]], items), {1: items[0]})
    assert same.sd == 0
    assert same.reliability is None and same.sem is None

    two = [single_choice(1, "o1"), single_choice(2, "o2")]
    equal = analyse(
        administrations_from([[1, 0], [0, 1], [1, 0]], two), {item.id: item for item in two}
    )
    assert equal.sd == 0
    assert equal.reliability is None and equal.sem is None


def test_work_style_statements_get_their_agreement_distribution_not_a_facility():
    statement = ItemFacts(id=9, key="ws-x", type="likert", competency="work_style", reverse=True)
    records = [
        Administration(attempt=n, item=9, section=1, position=1, score=6 - value, value=str(value))
        for n, value in enumerate([5, 4, 4, 1])
    ]
    summary = analyse(records, {9: statement})
    result = summary.items[0]
    assert result.facility is None and result.discrimination is None
    assert result.mean_value == 3.5
    assert [(value, count) for value, count, _rate in result.scale] == [
        (1, 1),
        (2, 0),
        (3, 0),
        (4, 2),
        (5, 1),
    ]
    assert summary.attempt_count == 0  # no scored item: no total score


# Loading from the database -----------------------------------------------------------------


def make_battery(slug="stats-test", sections=(Competency.NUMERICAL,), position=100):
    battery = Battery.objects.create(
        slug=slug,
        position=position,
        title_fr=f"Test {slug}",
        title_nl=f"Test {slug}",
        title_en=f"Statistics test {slug}",
        description_fr="-",
        description_nl="-",
        description_en="-",
        languages=["fr", "nl"],
    )
    created = [
        Section.objects.create(
            battery=battery,
            position=position,
            title_fr=f"Partie {position}",
            title_nl=f"Deel {position}",
            title_en=f"Part {position}",
            competency=competency,
            item_count=4,
            time_limit_seconds=600,
        )
        for position, competency in enumerate(sections, start=1)
    ]
    return battery, created


def make_item(key, *, type=Item.Type.SINGLE_CHOICE, correct=("a",), keys="abcd", **fields):
    item = Item.objects.create(
        key=key,
        competency=fields.pop("competency", Competency.NUMERICAL),
        type=type,
        status=Item.Status.LIVE,
        stem_fr=f"Question {key}",
        stem_nl=f"Vraag {key}",
        stem_en=f"Question {key} in English",
        **fields,
    )
    if type in (Item.Type.SINGLE_CHOICE, Item.Type.MULTIPLE_RESPONSE, Item.Type.SJT):
        for position, letter in enumerate(keys):
            Option.objects.create(
                item=item,
                key=letter,
                position=position,
                label_fr=f"Réponse {letter}",
                label_nl=f"Antwoord {letter}",
                label_en=f"Answer {letter}",
                is_correct=letter in correct and type != Item.Type.SJT,
                effectiveness=(4 - position) if type == Item.Type.SJT else None,
            )
    return item


def record_attempt(battery, user, answers, *, status=Attempt.Status.FINISHED, started_at=None):
    """An attempt with its drawn items and answers, straight through the ORM.

    `answers`: (item, section, score or None, chosen option key or None) in the order shown.
    """
    started_at = started_at or timezone.now() - datetime.timedelta(hours=1)
    attempt = Attempt.objects.create(
        battery=battery,
        user=user,
        mode=Attempt.Mode.EXAM,
        language="fr",
        seed=1,
        status=status,
        started_at=started_at,
        deadline=started_at + datetime.timedelta(minutes=30),
        finished_at=None if status == Attempt.Status.IN_PROGRESS else timezone.now(),
    )
    options = {}
    for position, (item, section, score, chosen) in enumerate(answers, start=1):
        if item.pk not in options:
            options[item.pk] = {option.key: option for option in item.options.all()}
        attempt_item = AttemptItem.objects.create(
            attempt=attempt,
            item=item,
            section=section,
            position=position,
            option_order=[option.pk for option in options[item.pk].values()],
        )
        if score is None:
            continue
        choice = options[item.pk].get(chosen) if isinstance(chosen, str) else None
        Response.objects.create(
            attempt_item=attempt_item,
            choice=choice,
            choices=[options[item.pk][key].pk for key in chosen]
            if isinstance(chosen, tuple)
            else [],
            score=score,
            answered_at=started_at + datetime.timedelta(seconds=30 * position),
        )
    return attempt


WORKED_CHOICES = [  # the options chosen in the worked example (the key of each item is "a")
    ["a", "a", "a", "a"],
    ["a", "a", "a", "b"],
    ["a", "a", "c", "c"],
    ["a", "b", "a", "c"],
    ["c", "d", "b", "a"],
]


@pytest.fixture
def worked_battery(reference_data):
    """The worked example in the database: five candidates, four items, one section."""
    battery, (section,) = make_battery()
    items = [make_item(f"tst-{n:03d}") for n in range(1, 5)]
    for row, chosen in zip(WORKED, WORKED_CHOICES, strict=True):
        user = factories.CandidateFactory()
        record_attempt(
            battery,
            user,
            [
                (item, section, score, key)
                for item, score, key in zip(items, row, chosen, strict=True)
            ],
        )
    return battery, section, items


@pytest.mark.django_db
def test_battery_statistics_from_the_database_match_the_worked_example(worked_battery):
    battery, _section, items = worked_battery
    summary = battery_statistics(battery)
    assert summary.attempt_count == summary.closed_attempt_count == 5
    assert close(summary.mean, 60)
    assert close(summary.sd, WORKED_SD)
    assert summary.reliability_method == Reliability.KR20
    assert close(summary.reliability, WORKED_KR20)
    assert close(summary.sem, WORKED_SEM)
    assert [result.key for result in summary.items] == [item.key for item in items]
    for result, p, r in zip(summary.items, WORKED_P, WORKED_R, strict=True):
        assert close(result.facility, p)
        assert close(result.discrimination, r)
        assert result.median_seconds == 30
        assert result.item.key == result.key
    first, fourth = summary.items[0], summary.items[3]
    assert [(o.key, o.rate) for o in first.options] == [
        ("a", 0.8),
        ("b", 0.0),
        ("c", 0.2),
        ("d", 0.0),
    ]
    assert [(o.key, o.rate) for o in fourth.options] == [
        ("a", 0.4),
        ("b", 0.2),
        ("c", 0.4),
        ("d", 0.0),
    ]


@pytest.mark.django_db
def test_open_attempts_and_attempts_without_answers_do_not_count(worked_battery):
    battery, section, items = worked_battery
    user = factories.CandidateFactory()
    record_attempt(battery, user, [(items[0], section, 0.0, "b")], status="in_progress")
    record_attempt(battery, user, [(item, section, None, None) for item in items], status="expired")
    summary = battery_statistics(battery)
    assert summary.attempt_count == 5
    assert summary.closed_attempt_count == 6
    assert close(summary.reliability, WORKED_KR20)


@pytest.mark.django_db
def test_multiple_response_partial_credit_gives_alpha_and_selection_rates(reference_data):
    """The 4 × 3 partial-credit matrix of the alpha test, as multiple-response answers."""
    battery, (section,) = make_battery("stats-alpha")
    items = [
        make_item(f"tmr-{n}", type=Item.Type.MULTIPLE_RESPONSE, correct=("a", "b"))
        for n in range(1, 4)
    ]
    matrix = [[1, 1, 0.5], [0.5, 1, 0.5], [0.5, 0.5, 0], [0, 0, 0]]
    # Credit = share of the four options classified right, with a and b correct:
    # ab → 4/4 = 1; ac → a, d right, b, c wrong → 2/4 = .5; cd → all four wrong → 0.
    selections = {1: ("a", "b"), 0.5: ("a", "c"), 0: ("c", "d")}
    for row in matrix:
        record_attempt(
            battery,
            factories.CandidateFactory(),
            [
                (item, section, score, selections[score])
                for item, score in zip(items, row, strict=True)
            ],
        )
    summary = battery_statistics(battery)
    assert summary.reliability_method == Reliability.ALPHA
    assert close(summary.reliability, 54 / 59)
    first = summary.items[0]
    # i1 credits 1, .5, .5, 0: selections ab, ac, ac, cd.
    assert [(o.key, o.count, o.rate) for o in first.options] == [
        ("a", 3, 0.75),
        ("b", 1, 0.25),
        ("c", 3, 0.75),
        ("d", 1, 0.25),
    ]


@pytest.mark.django_db
def test_random_draws_give_the_standardised_alpha_from_pairwise_correlations(reference_data):
    battery, (section,) = make_battery("stats-random")
    items = [make_item(f"trd-{n}") for n in range(1, 9)]
    generator = random.Random(6)
    matrix_rows = []
    for _attempt in range(60):
        ability = generator.gauss(0, 1)
        drawn = generator.sample(items, 4)
        answers = []
        row = {}
        for item in drawn:
            difficulty = (int(item.key[-1]) - 4.5) / 3
            right = generator.random() < 1 / (1 + math.exp(-(1.7 * (ability - difficulty))))
            answers.append((item, section, 1.0 if right else 0.0, "a" if right else "b"))
            row[item.pk] = 1.0 if right else 0.0
        matrix_rows.append(row)
        record_attempt(battery, factories.CandidateFactory(), answers)

    # The pairwise r̄ computed independently: one pair at a time, over the rows with both.
    correlations, weights = [], []
    for i, first in enumerate(items):
        for second in items[i + 1 :]:
            pairs = [
                (row[first.pk], row[second.pk])
                for row in matrix_rows
                if first.pk in row and second.pk in row
            ]
            if len(pairs) < 5:
                continue
            x, y = np.array(pairs).T
            if x.std() == 0 or y.std() == 0:
                continue
            correlations.append(np.corrcoef(x, y)[0, 1])
            weights.append(len(pairs))
    mean_r = float(np.average(correlations, weights=weights))

    summary = battery_statistics(battery)
    assert summary.reliability_method == Reliability.PAIRWISE
    assert summary.items_per_attempt == 4
    assert close(summary.reliability, 4 * mean_r / (1 + 3 * mean_r))
    assert 0 < summary.reliability < 1
    assert close(summary.sem, summary.sd * math.sqrt(1 - summary.reliability))


@pytest.mark.django_db
def test_loading_a_battery_takes_the_same_queries_for_5_and_50_attempts(reference_data):
    def run(slug, count):
        battery, (section,) = make_battery(slug)
        items = [make_item(f"{slug[-3:]}-{n}") for n in range(4)]
        user = factories.CandidateFactory()
        for index in range(count):
            record_attempt(
                battery,
                user,
                [(item, section, float((index + n) % 2), "a") for n, item in enumerate(items)],
            )
        with CaptureQueriesContext(connection) as queries:
            battery_statistics(battery)
        return len(queries)

    assert run("qry-few", 5) == run("qry-lot", 50)


@pytest.mark.django_db
def test_item_statistics_gives_a_row_per_battery_and_the_whole(worked_battery):
    battery, _section, items = worked_battery
    other, (other_section,) = make_battery("stats-other", position=200)
    extra = make_item("tst-900")
    for score in (1.0, 0.0):
        record_attempt(
            other,
            factories.CandidateFactory(),
            [
                (items[0], other_section, score, "a" if score else "b"),
                (extra, other_section, 1.0, "a"),
            ],
        )
    rows, overall = item_statistics(items[0])
    assert [(row_battery.slug, row.n) for row_battery, row in rows] == [
        ("stats-test", 5),
        ("stats-other", 2),
    ]
    assert close(rows[0][1].facility, 0.8)
    assert overall.n == 7
    assert close(overall.facility, 5 / 7)


@pytest.mark.django_db
def test_work_style_statements_from_the_database_are_described_not_scored(reference_data):
    battery, (section,) = make_battery("stats-ws", sections=(Competency.WORK_STYLE,))
    trait = Trait.objects.create(
        code="test-trait",
        label_fr="Trait",
        label_nl="Trek",
        label_en="Trait",
        feedback_low_fr="-",
        feedback_low_nl="-",
        feedback_low_en="-",
        feedback_high_fr="-",
        feedback_high_nl="-",
        feedback_high_en="-",
    )
    statement = make_item(
        "tws-1", type=Item.Type.LIKERT, competency=Competency.WORK_STYLE, trait=trait, reverse=True
    )
    for value in (5, 4, 2):
        attempt = record_attempt(
            battery, factories.CandidateFactory(), [(statement, section, 6 - value, None)]
        )
        Response.objects.filter(attempt_item__attempt=attempt).update(value=str(value))
    summary = battery_statistics(battery)
    assert summary.attempt_count == 0 and summary.mean is None
    (result,) = summary.items
    assert close(result.mean_value, 11 / 3)
    assert result.facility is None
