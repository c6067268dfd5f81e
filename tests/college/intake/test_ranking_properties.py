"""Properties of the pure ranking: a strict order, scores within 0–100, and more of any
component never lowers a score."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from college.intake.ranking import (
    APTITUDE,
    MOTIVATION,
    BatteryResult,
    Component,
    RankedApplication,
    aptitude,
    motivation,
    rank,
    weighted_score,
)

percent = st.fractions(min_value=0, max_value=100)
weights = st.integers(min_value=0, max_value=100)


def row(ref, aptitude_value, motivation_value, aptitude_weight=60, motivation_weight=40):
    components = (
        Component(APTITUDE, aptitude_weight, aptitude_value),
        Component(MOTIVATION, motivation_weight, motivation_value),
    )
    return RankedApplication(
        application_id=0,
        ref=ref,
        status="submitted",
        score=weighted_score(components),
        components=components,
        eligibility="eligible",
        eligibility_missing=(),
        reasons=(),
    )


@given(st.lists(st.tuples(percent, percent), min_size=1, max_size=30))
def test_ranks_are_1_to_n_with_scores_never_rising(values):
    rows = rank(row(f"A-{index:08d}", a, m) for index, (a, m) in enumerate(values))
    assert [item.rank for item in rows] == list(range(1, len(values) + 1))
    assert all(rows[i].score >= rows[i + 1].score for i in range(len(rows) - 1))
    assert all(0 <= item.score <= 100 for item in rows)


@given(percent, percent, percent, weights, weights)
def test_more_of_a_component_never_lowers_the_score(low, high, other, w1, w2):
    low, high = min(low, high), max(low, high)
    if not w1 + w2:
        return
    assert row("A", high, other, w1, w2).score >= row("A", low, other, w1, w2).score


@given(st.lists(st.tuples(st.integers(1, 5), percent.map(lambda v: v)), min_size=1, max_size=4))
def test_aptitude_and_motivation_stay_within_0_and_100(pairs):
    tests = tuple(
        BatteryResult(battery_id=i, title="", weight=weight, value=value)
        for i, (weight, value) in enumerate(pairs)
    )
    assert 0 <= aptitude(tests) <= 100
    ratings = tuple(weight for weight, _value in pairs[:2])
    assert 0 <= motivation(ratings) <= 100
    assert motivation((5, 5)) == 100 and motivation((1,)) == 0 and motivation(()) == Fraction(0)
