"""Adverse impact by group: rates compared by the four-fifths rule, small groups withheld.

One approach for every fairness report: the shortlist report (:mod:`college.insights.fairness`:
who reaches employers' shortlists) and an intake's admission rates (:mod:`college.intake.
fairness`). Each report says who is counted and in which groups; this module holds what they
share, so that the two reports read the same way:

* the groups common to both: the **age band** (the age reached in a given year from the birth
  year: under 26, 26–35, 36–45, 46 and over; unknown or not yet born: left out) and the
  **highest diploma level** listed (CEB < CE1D < vocational training certificate < CESS <
  bachelor < master, or "no diploma listed");
* the **rate** of a group is its selected people (shortlisted, admitted) divided by its
  total (pool, applicants);
* the **ratio** of a group is its rate divided by the highest rate among the groups shown, the
  **reference** (the first in the given order on a tie); under :data:`FOUR_FIFTHS` it is
  flagged, a signal to look at, not proof of discrimination. When the highest rate is 0 no
  ratio can be computed and there is no reference;
* **small groups are withheld** by the one small-group rule (:mod:`college.core.suppression`):
  a group of fewer than :data:`MIN_GROUP_SIZE` distinct people shows no figure at all and is
  never the reference. The reports give no total beside the groups, so that a withheld group
  cannot be recovered by subtraction.

Pure: nothing here reads the database.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from candidates.models import Education
from college.core.suppression import THRESHOLD, is_small

MIN_GROUP_SIZE = THRESHOLD
FOUR_FIFTHS = Fraction(4, 5)

# Age bands: (key, lowest age, highest age or None).
AGE_BANDS = (("under_26", None, 25), ("26_35", 26, 35), ("36_45", 36, 45), ("46_plus", 46, None))
AGE_DIMENSION = (
    _("Age band"),
    (
        ("under_26", _("Under 26")),
        ("26_35", _("26 to 35")),
        ("36_45", _("36 to 45")),
        ("46_plus", _("46 and over")),
    ),
)

NO_DIPLOMA = "none"
# Diploma levels, lowest first (ties cannot happen: every level has its own rank); a vocational
# training certificate counts above CE1D and below CESS.
DIPLOMA_ORDER = tuple(
    level.value
    for level in (
        Education.Level.PRIMARY,
        Education.Level.LOWER_SECONDARY,
        Education.Level.VOCATIONAL,
        Education.Level.UPPER_SECONDARY,
        Education.Level.BACHELOR,
        Education.Level.MASTER,
    )
)
DIPLOMA_RANK = {level: rank for rank, level in enumerate(DIPLOMA_ORDER, start=1)}


# A person's groups ----------------------------------------------------------------------------


def age_band(birth_year, *, year):
    """The band of the age reached in `year` (year − birth year); None when unknown."""
    if birth_year is None:
        return None
    age = year - birth_year
    if age < 0:
        return None
    for key, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return key
    return None  # pragma: no cover — the bands cover every age from 0


def highest_level(levels: Iterable[str]):
    """The highest of diploma `levels` (unknown ones ignored), or :data:`NO_DIPLOMA`."""
    ranked = [DIPLOMA_RANK[level] for level in levels if level in DIPLOMA_RANK]
    return DIPLOMA_ORDER[max(ranked) - 1] if ranked else NO_DIPLOMA


def group_counts(people: Iterable[Mapping[str, str | None]], dimensions) -> dict[str, Counter]:
    """How many of `people` (each a {dimension: group} mapping, None: left out of that
    dimension) fall in each group of each of `dimensions`."""
    counts = {dimension: Counter() for dimension in dimensions}
    for groups in people:
        for dimension, group in groups.items():
            if group is not None:
                counts[dimension][group] += 1
    return counts


# Rates and ratios -----------------------------------------------------------------------------


def floor2(value: Fraction) -> float:
    """Rounded down to two decimals, so that a flagged 0.799 never reads 0.80."""
    return math.floor(value * 100) / 100


@dataclass(frozen=True)
class Rate:
    """One group of a dimension. A withheld (suppressed) group carries no figure at all."""

    key: str
    label: str
    suppressed: bool
    total: int | None = None
    selected: int | None = None
    rate: Fraction | None = None
    ratio: Fraction | None = None
    is_reference: bool = False

    @property
    def flagged(self):
        return self.ratio is not None and self.ratio < FOUR_FIFTHS

    @property
    def rate_percent(self):
        """The rate in percent, one decimal (for display)."""
        return None if self.rate is None else round(float(self.rate) * 100, 1)

    @property
    def ratio_display(self):
        """The ratio rounded down to two decimals (:func:`floor2`)."""
        return None if self.ratio is None else floor2(self.ratio)


@dataclass(frozen=True)
class DimensionTable:
    key: str
    label: str
    rows: tuple[Rate, ...]

    @property
    def shown(self):
        return tuple(row for row in self.rows if not row.suppressed)

    @property
    def reference(self):
        return next((row for row in self.rows if row.is_reference), None)

    @property
    def worst_ratio(self):
        ratios = [row.ratio for row in self.rows if row.ratio is not None]
        return min(ratios) if ratios else None

    @property
    def flagged(self):
        return any(row.flagged for row in self.rows)

    @property
    def comparable(self):
        """At least two groups shown with a ratio: the four-fifths rule can say something."""
        return sum(1 for row in self.rows if row.ratio is not None) >= 2


def rates(groups, counts: Mapping[str, tuple[int, int, int]], *, row=Rate) -> tuple[Rate, ...]:
    """Every group of `groups` (((key, label), …) in display order) from `counts`
    ({group: (total, selected, distinct people)}; a group absent is 0), as `row` instances.

    A group of fewer than MIN_GROUP_SIZE distinct people, or with no total, is suppressed. The
    reference is the highest rate among the groups shown (the first in order on a tie); when
    it is 0, no ratio can be computed.
    """
    shown = {}
    for key, _label in groups:
        total, selected, people = counts.get(key, (0, 0, 0))
        if not is_small(people) and total:
            shown[key] = (total, selected, Fraction(selected, total))
    reference = None
    for key, _label in groups:
        if key in shown and (reference is None or shown[key][2] > shown[reference][2]):
            reference = key
    reference_rate = shown[reference][2] if reference is not None else None
    rows = []
    for key, label in groups:
        if key not in shown:
            rows.append(row(key=key, label=label, suppressed=True))
            continue
        total, selected, rate = shown[key]
        rows.append(
            row(
                key=key,
                label=label,
                suppressed=False,
                total=total,
                selected=selected,
                rate=rate,
                ratio=rate / reference_rate if reference_rate else None,
                is_reference=key == reference and bool(reference_rate),
            )
        )
    return tuple(rows)
