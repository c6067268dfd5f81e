"""The one small-group rule: no shown count reveals a count under the threshold, not even by
subtraction, and every report that counts people uses it."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from college.core import suppression
from college.core.suppression import FEWER, THRESHOLD, as_number, is_small, shown
from college.insights import fairness as shortlist_fairness
from college.insights import observatory
from college.intake import fairness as intake_fairness
from employers.shortlists import pool

COUNTS = st.integers(min_value=0, max_value=10**7)


def possible(value):
    """Every exact count a shown figure allows."""
    return range(0, THRESHOLD) if value == FEWER else range(value, value + THRESHOLD)


def test_the_figures_at_the_edges():
    assert [shown(n) for n in (0, 1, 9, 10, 11, 19, 20, 99, 100, 105)] == [
        "<10",
        "<10",
        "<10",
        10,
        10,
        10,
        20,
        90,
        100,
        100,
    ]
    assert FEWER == "<10" and THRESHOLD == 10
    assert as_number(FEWER) == 0 and as_number(40) == 40
    assert is_small(9) and not is_small(10)


@given(COUNTS)
def test_a_shown_count_never_reveals_a_count_under_the_threshold(count):
    value = shown(count)
    if count < THRESHOLD:
        assert value == FEWER
    else:
        assert isinstance(value, int) and value % THRESHOLD == 0
        assert THRESHOLD <= value <= count < value + THRESHOLD
    assert count in possible(value)
    # The figure is all it says: every count it allows is shown the same.
    assert {shown(other) for other in possible(value)} == {value}


@given(COUNTS, COUNTS)
def test_no_difference_of_two_shown_counts_pins_a_small_count(first, second):
    """A subtraction of two figures leaves at least 19 possible differences, so it never
    tells an exact count, and in particular no group under the threshold."""
    shown_first, shown_second = shown(first), shown(second)
    differences = {a - b for a in possible(shown_first) for b in possible(shown_second)}
    assert first - second in differences
    assert len(differences) >= 2 * THRESHOLD - 1
    difference = as_number(shown_first) - as_number(shown_second)
    assert difference == 0 or abs(difference) >= THRESHOLD


@given(st.integers(min_value=0, max_value=2**40))
def test_numpy_counts_are_shown_as_plain_integers(count):
    value = shown(np.int64(count))
    assert value == shown(count) and type(value) in (int, str)


def test_every_report_counting_people_applies_this_rule():
    assert observatory.shown is shown and observatory.FEWER is FEWER
    assert pool.shown is shown and pool.THRESHOLD == THRESHOLD
    assert shortlist_fairness.MIN_GROUP_SIZE == suppression.THRESHOLD
    assert intake_fairness.MIN_GROUP_SIZE == suppression.THRESHOLD
