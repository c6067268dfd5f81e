"""The shared adverse-impact rule: both fairness reports compute rates, ratios and suppression
through it, and so give the same figures for the same counts."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from candidates.models import Education
from college.core.suppression import THRESHOLD
from college.insights import fairness as shortlist_fairness
from college.intake import fairness as intake_fairness
from college.reference import adverse_impact
from college.reference.adverse_impact import (
    DIPLOMA_ORDER,
    FOUR_FIFTHS,
    MIN_GROUP_SIZE,
    NO_DIPLOMA,
    age_band,
    highest_level,
    rates,
)

GROUPS = (("woman", "Woman"), ("man", "Man"), ("other", "Other"))


@st.composite
def group_counts(draw):
    """{group: (total, selected)} with selected ≤ total, some groups absent."""
    counts = {}
    for key, _label in GROUPS:
        if draw(st.booleans()):
            total = draw(st.integers(0, 60))
            counts[key] = (total, draw(st.integers(0, total)))
    return counts


def test_the_diploma_order_ranks_every_level_a_profile_may_list():
    assert sorted(DIPLOMA_ORDER) == sorted(Education.Level.values)
    assert all(type(level) is str for level in DIPLOMA_ORDER)
    assert DIPLOMA_ORDER.index("vocational") == DIPLOMA_ORDER.index("ce1d") + 1
    assert DIPLOMA_ORDER.index("cess") == DIPLOMA_ORDER.index("vocational") + 1


def test_highest_level():
    assert highest_level([]) == NO_DIPLOMA
    assert highest_level(["unknown"]) == NO_DIPLOMA
    assert highest_level(["cess", "ceb", "vocational"]) == "cess"
    assert highest_level(["master", "bachelor"]) == "master"


def test_age_bands_at_their_edges():
    assert [age_band(2030 - age, year=2030) for age in (0, 25, 26, 35, 36, 45, 46, 99)] == [
        "under_26",
        "under_26",
        "26_35",
        "26_35",
        "36_45",
        "36_45",
        "46_plus",
        "46_plus",
    ]
    assert age_band(None, year=2030) is None and age_band(2031, year=2030) is None


def test_the_threshold_is_the_one_small_group_rule():
    assert MIN_GROUP_SIZE == THRESHOLD == 10


@given(group_counts())
def test_rates_ratios_and_suppression(counts):
    rows = rates(GROUPS, {key: (total, sel, total) for key, (total, sel) in counts.items()})
    assert [row.key for row in rows] == [key for key, _label in GROUPS]
    shown = [row for row in rows if not row.suppressed]
    for row in rows:
        total, selected = counts.get(row.key, (0, 0))
        if total < MIN_GROUP_SIZE:
            # Withheld: no figure at all, never the reference.
            assert row.suppressed and not row.is_reference and not row.flagged
            assert (row.total, row.selected, row.rate, row.ratio) == (None,) * 4
        else:
            assert (row.total, row.selected, row.rate) == (
                total,
                selected,
                Fraction(selected, total),
            )
    best = max((row.rate for row in shown), default=None)
    references = [row for row in rows if row.is_reference]
    if not best:
        assert not references and all(row.ratio is None for row in rows)
    else:
        # The first group shown at the highest rate is the reference; every ratio is ≤ 1.
        assert references == [next(row for row in shown if row.rate == best)]
        for row in shown:
            assert row.ratio == row.rate / best <= 1
            assert row.flagged == (row.ratio < FOUR_FIFTHS)
            assert row.ratio_display <= float(row.ratio) < row.ratio_display + 0.01


@given(group_counts())
def test_both_reports_give_the_same_figures_for_the_same_counts(counts):
    shortlist = shortlist_fairness.dimension_table(
        "gender", {key: (total, sel, total) for key, (total, sel) in counts.items()}
    )
    intake = intake_fairness.dimension_table("sex", "Sex", GROUPS, counts)
    assert [
        (row.key, row.suppressed, row.pool, row.shortlisted, row.rate, row.impact_ratio)
        for row in shortlist.rows
    ] == [
        (row.key, row.suppressed, row.applicants, row.admitted, row.rate, row.ratio)
        for row in intake.rows
    ]
    assert [row.is_reference for row in shortlist.rows] == [row.is_reference for row in intake.rows]
    assert shortlist.flagged == intake.flagged
    assert isinstance(intake, adverse_impact.DimensionTable)
