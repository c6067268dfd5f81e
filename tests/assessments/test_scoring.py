"""Scoring of every item type, the pass rule, norms and readiness, against hand-computed values."""

from decimal import Decimal

import pytest

from assessments import scoring
from assessments.models import Item, Option
from assessments.scoring import InvalidAnswer, ScoredItem


def option(pk, *, correct=False, effectiveness=None):
    return Option(pk=pk, key=str(pk), is_correct=correct, effectiveness=effectiveness)


def numeric_item(value, tolerance="0"):
    return Item(
        key="n",
        type=Item.Type.NUMERIC,
        answer_value=Decimal(value),
        answer_tolerance=Decimal(tolerance),
    )


def test_single_choice_gives_one_for_the_key_and_zero_otherwise():
    assert scoring.credit_single_choice(option(1, correct=True)) == 1.0
    assert scoring.credit_single_choice(option(2)) == 0.0


def test_multiple_response_credits_each_option_classified_correctly():
    # Options 1 and 2 are right, 3 and 4 wrong.
    options = [option(1, correct=True), option(2, correct=True), option(3), option(4)]
    assert scoring.credit_multiple_response(options, [1, 2]) == 1.0
    # 1 selected (right), 2 missed, 3 and 4 left out (right): 3 of 4.
    assert scoring.credit_multiple_response(options, [1]) == 0.75
    # 1 and 2 right, 3 wrongly selected, 4 right: 3 of 4.
    assert scoring.credit_multiple_response(options, [1, 2, 3]) == 0.75
    # Everything selected: only 1 and 2 are classified correctly.
    assert scoring.credit_multiple_response(options, [1, 2, 3, 4]) == 0.5
    # Only the wrong ones: nothing right.
    assert scoring.credit_multiple_response(options, [3, 4]) == 0.0


def test_sjt_credit_follows_the_effectiveness_of_the_option():
    assert scoring.credit_sjt(option(1, effectiveness=4)) == 1.0
    assert scoring.credit_sjt(option(2, effectiveness=3)) == pytest.approx(2 / 3)
    assert scoring.credit_sjt(option(3, effectiveness=2)) == pytest.approx(1 / 3)
    assert scoring.credit_sjt(option(4, effectiveness=1)) == 0.0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12.5", Decimal("12.5")),
        ("12,5", Decimal("12.5")),
        (" 12,50 ", Decimal("12.5")),
        ("1 250", Decimal("1250")),
        ("1\u00a0250,75", Decimal("1250.75")),
        ("1\u202f250", Decimal("1250")),
        ("1\u2009250", Decimal("1250")),
        ("-3", Decimal("-3")),
        ("−3,5", Decimal("-3.5")),
        ("3 km/h", Decimal("3")),
        ("3km/h", Decimal("3")),
        ("68 €", Decimal("68")),
        ("€68", Decimal("68")),
        ("85%", Decimal("85")),
        ("85 %", Decimal("85")),
        (",5", None),
        ("", None),
        ("douze", None),
        ("12.5.1", None),
        ("1.250,5", None),
        ("12 5", None),
        ("12 km", None),
        ("1e3", None),
        ("9" * 60, None),
    ],
)
def test_numbers_are_read_with_either_decimal_separator_and_spaced_thousands(typed, expected):
    if expected is None:
        with pytest.raises(InvalidAnswer):
            scoring.parse_number(typed, ["km/h"])
    else:
        assert scoring.parse_number(typed, ["km/h"]) == expected


def test_numeric_answers_within_the_tolerance_earn_the_point():
    exact = numeric_item("12.5")
    assert scoring.credit_numeric(exact, "12,5") == 1.0
    assert scoring.credit_numeric(exact, "12.50") == 1.0
    assert scoring.credit_numeric(exact, "12,6") == 0.0
    rounded = numeric_item("4.8", tolerance="0.1")
    assert scoring.credit_numeric(rounded, "4,9") == 1.0
    assert scoring.credit_numeric(rounded, "4.7") == 1.0
    assert scoring.credit_numeric(rounded, "5") == 0.0


def test_a_numeric_answer_that_is_no_number_is_refused_not_scored():
    with pytest.raises(InvalidAnswer) as error:
        scoring.credit_numeric(numeric_item("3"), "three")
    assert str(error.value.message)


def test_likert_values_are_reversed_for_reverse_keyed_statements():
    plain = Item(key="w1", type=Item.Type.LIKERT, reverse=False)
    reverse = Item(key="w2", type=Item.Type.LIKERT, reverse=True)
    assert scoring.likert_score(plain, 4) == 4.0
    assert scoring.likert_score(plain, "5") == 5.0
    assert scoring.likert_score(reverse, 4) == 2.0
    assert scoring.likert_score(reverse, 1) == 5.0
    for wrong in (0, 6, "x", None):
        with pytest.raises(InvalidAnswer):
            scoring.likert_score(plain, wrong)


def rows():
    # Section 1 (numerical): 1, 0, 1 → 66.67 %; section 2 (verbal): 0.5, unanswered → 25 %.
    # One work-style statement, which never counts.
    return [
        ScoredItem(section=1, competency="numerical", is_scored=True, credit=1.0),
        ScoredItem(section=1, competency="numerical", is_scored=True, credit=0.0),
        ScoredItem(section=1, competency="numerical", is_scored=True, credit=1.0),
        ScoredItem(section=2, competency="verbal", is_scored=True, credit=0.5),
        ScoredItem(section=2, competency="verbal", is_scored=True, credit=None),
        ScoredItem(section=2, competency="work_style", is_scored=False, credit=5.0, trait="t"),
    ]


def test_percentages_count_unanswered_items_as_zero_and_leave_work_style_out():
    overall, sections, competencies = scoring.attempt_percentages(rows())
    assert overall == 50.0  # (1 + 0 + 1 + 0.5 + 0) / 5
    assert sections == {1: 66.67, 2: 25.0}
    assert competencies == {"numerical": 66.67, "verbal": 25.0}


def test_the_work_style_profile_is_a_mean_per_trait_with_a_band():
    profile = scoring.trait_profile(
        [
            ScoredItem(section=1, competency="work_style", is_scored=False, credit=4.0, trait="a"),
            ScoredItem(section=1, competency="work_style", is_scored=False, credit=5.0, trait="a"),
            ScoredItem(section=1, competency="work_style", is_scored=False, credit=2.0, trait="b"),
            ScoredItem(section=1, competency="work_style", is_scored=False, credit=2.0, trait="b"),
            ScoredItem(section=1, competency="work_style", is_scored=False, credit=3.0, trait="c"),
            ScoredItem(section=1, competency="work_style", is_scored=False, credit=None, trait="c"),
        ]
    )
    assert profile == {
        "a": {"mean": 4.5, "count": 2, "band": "high"},
        "b": {"mean": 2.0, "count": 2, "band": "low"},
        "c": {"mean": 3.0, "count": 1, "band": "middle"},
    }
    assert scoring.trait_band(2.5) == "middle"
    assert scoring.trait_band(3.5) == "middle"


@pytest.mark.parametrize(
    ("overall", "sections", "passed"),
    [
        (60.0, {1: 50.0, 2: 70.0}, True),  # exactly on both marks
        (75.0, {1: 100.0, 2: 49.99}, False),  # one part below 50 %
        (59.99, {1: 60.0, 2: 59.98}, False),  # every part fine, the whole below 60 %
        (40.0, {1: 30.0, 2: 50.0}, False),
    ],
)
def test_the_peace_guard_rule_needs_half_of_each_part_and_sixty_percent_overall(
    overall, sections, passed
):
    decision = scoring.pass_decision(overall, sections, pass_percent=60, section_pass_percent=50)
    assert decision is passed


def test_without_a_rule_there_is_no_pass_or_fail():
    assert scoring.pass_decision(90.0, {1: 90.0}) is None
    assert scoring.pass_decision(None, {}, pass_percent=60) is None
    assert scoring.pass_decision(70.0, {1: 10.0}, pass_percent=60) is True


def test_percentile_is_the_mid_rank_among_all_attempts():
    assert scoring.percentile_rank(50.0, []) == 50.0
    # Others 20, 40, 60: one below, none equal → (1 + 0.5) / 4 = 37.5.
    assert scoring.percentile_rank(30.0, [20.0, 40.0, 60.0]) == 37.5
    # Others 20, 40, 40, 80: one below, two equal (+ itself) → (1 + 1.5) / 5 = 50.
    assert scoring.percentile_rank(40.0, [20.0, 40.0, 40.0, 80.0]) == 50.0
    # The best of four distinct scores: (3 + 0.5) / 4 = 87.5.
    assert scoring.percentile_rank(90.0, [10.0, 20.0, 30.0]) == 87.5
    assert scoring.percentile_from_counts(below=3, equal=0, total=3) == 87.5


def test_readiness_compares_the_mean_of_the_last_three_scores_with_the_pass_mark():
    assert scoring.readiness([]) is None
    # Newest first; only the last three count: (70 + 60 + 50) / 3 = 60.
    ready = scoring.readiness([70, 60, 50, 0], pass_percent=60, last_passed=True)
    assert (ready.status, ready.mean, ready.target, ready.percent) == ("ready", 60.0, 60, 100)
    # The same mean, but the newest attempt failed a part: not ready.
    assert scoring.readiness([70, 60, 50], pass_percent=60, last_passed=False).status == "nearly"
    nearly = scoring.readiness([55], pass_percent=60)
    assert (nearly.status, nearly.percent) == ("nearly", 92)
    # Without a pass mark the target is 70 %.
    not_yet = scoring.readiness([40, 50])
    assert (not_yet.status, not_yet.target, not_yet.percent) == ("not_yet", 70, 64)


def test_an_adaptive_score_places_the_ability_in_the_population():
    assert scoring.ability_percent(0.0) == 50.0
    assert scoring.ability_percent(1.0) == pytest.approx(84.13, abs=0.01)
    assert scoring.ability_percent(-1.0) == pytest.approx(15.87, abs=0.01)
