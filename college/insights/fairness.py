"""The fairness report for college staff: who reaches employers' shortlists, by group.

Definition
==========

For each published vacancy (at most :data:`MAX_VACANCIES`, the most recently published first):

* its **pool** is the matching engine's default pool (:func:`college.matching.default_pool`):
  the job-seekers who opted in to blind shortlists, and those who applied to the vacancy;
* its **shortlist** is the top :data:`SHORTLIST_SIZE` of :func:`college.matching.shortlist`
  over that pool, exactly as employers see it.

The **shortlist rate** of a group is the number of its members in the shortlist divided by the
number of its members in the pool. **Overall**, all vacancies are pooled: the rate of a group is
the sum over vacancies of its shortlisted members divided by the sum of its pool members (a
person in the pools of several vacancies counts once per vacancy).

Groups, one table per dimension:

* **diploma level**: the highest level listed on the profile, whatever its recognition in
  Belgium (CEB < CE1D < vocational training certificate < CESS < bachelor < master; a vocational
  certificate counts above CE1D and below CESS), or "no diploma listed";
* **recognition of the highest diploma**: Belgian or recognised, foreign with recognition
  pending, foreign not recognised (the diploma that sets the level above; at the same level
  the best recognition counts). People with no diploma listed are not in this table;
* **gender** as the person gave it (woman, man, other); not given is left out;
* **age band**, the age reached this calendar year from the birth year (under 26, 26–35,
  36–45, 46 and over); no birth year is left out.

**Adverse impact** (the four-fifths rule): within a dimension, each group's rate is divided by
the highest rate among the groups shown (the reference group); a ratio under 0.8 is flagged.
A flag is a signal to look at, not proof of discrimination.

**Small groups are suppressed**: a group with fewer than :data:`MIN_GROUP_SIZE` people in the
pool shows no figure at all and is never the reference group. Overall, the threshold counts
distinct people, not pool places (one person in 37 pools is still one person). No total is
given per dimension, so a suppressed group cannot be recovered by subtraction.

Aggregates only: the functions that read the database return counts, rates and ratios per
group and per vacancy; no profile id, name or attribute of a person leaves this module.

The pure part (:func:`highest_diploma`, :func:`person_groups`, :func:`group_counts`,
:func:`tables`, :func:`dimension_table`) never touches the database; the age bands, the diploma
order, the rates and ratios and the small-group rule are the ones every fairness report shares
(:mod:`college.reference.adverse_impact`).
:func:`fairness_report` loads everything: a constant number of queries for the vacancies and
the pool's attributes, plus the engine's shortlist (a few queries) per vacancy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import CandidateProfile, Education
from college.matching import shortlist
from college.reference import adverse_impact
from college.reference.adverse_impact import (
    AGE_DIMENSION,
    DIPLOMA_RANK,
    MIN_GROUP_SIZE,
    NO_DIPLOMA,
    DimensionTable,
    Rate,
    age_band,
    floor2,
)
from employers.models import Application, Vacancy

SHORTLIST_SIZE = 50
MAX_VACANCIES = 200

# Recognition groups, best first.
RECOGNISED, PENDING, NOT_RECOGNISED = "recognised", "pending", "not_recognised"
RECOGNITION_GROUP = {
    "belgian": RECOGNISED,
    "recognised": RECOGNISED,
    "pending": PENDING,
    "not_recognised": NOT_RECOGNISED,
}
RECOGNITION_ORDER = (RECOGNISED, PENDING, NOT_RECOGNISED)
GENDERS = ("woman", "man", "other")

DIMENSIONS = {
    "diploma": (
        _("Highest diploma level"),
        (
            (NO_DIPLOMA, _("No diploma listed")),
            ("ceb", _("Primary school certificate (CEB)")),
            ("ce1d", _("Lower secondary (CE1D)")),
            ("cess", _("Upper secondary (CESS)")),
            ("vocational", _("Vocational training certificate")),
            ("bachelor", _("Bachelor")),
            ("master", _("Master")),
        ),
    ),
    "recognition": (
        _("Recognition of the highest diploma"),
        (
            (RECOGNISED, _("Belgian or recognised in Belgium")),
            (PENDING, _("Foreign, recognition pending")),
            (NOT_RECOGNISED, _("Foreign, not recognised")),
        ),
    ),
    "gender": (
        _("Gender"),
        (("woman", _("Woman")), ("man", _("Man")), ("other", _("Other"))),
    ),
    "age": AGE_DIMENSION,
}


# Pure part: a person's groups -------------------------------------------------------------------


def highest_diploma(diplomas: Iterable[tuple[str, str]]):
    """(level group, recognition group) of the highest (level, recognition) pair.

    No diploma: (``"none"``, None). Unknown levels are ignored. At the same level, the best
    recognition counts.
    """
    best = None
    for level, recognition in diplomas:
        if level not in DIPLOMA_RANK:
            continue
        group = RECOGNITION_GROUP.get(recognition, NOT_RECOGNISED)
        key = (DIPLOMA_RANK[level], -RECOGNITION_ORDER.index(group))
        if best is None or key > best[0]:
            best = (key, level, group)
    if best is None:
        return NO_DIPLOMA, None
    return best[1], best[2]


def gender_group(gender):
    return gender if gender in GENDERS else None


def person_groups(*, gender, birth_year, diplomas, year) -> dict[str, str | None]:
    """One person's group in each dimension (None: left out of that dimension)."""
    level, recognition = highest_diploma(diplomas)
    return {
        "diploma": level,
        "recognition": recognition,
        "gender": gender_group(gender),
        "age": age_band(birth_year, year=year),
    }


# Pure part: counting and ratios ---------------------------------------------------------------


def group_counts(people: Iterable[Mapping[str, str | None]]) -> dict[str, Counter]:
    """How many of `people` (each a {dimension: group} mapping) fall in each group."""
    return adverse_impact.group_counts(people, DIMENSIONS)


def add_counts(total: Mapping[str, Counter], more: Mapping[str, Counter]) -> dict[str, Counter]:
    return {
        dimension: total.get(dimension, Counter()) + more.get(dimension, Counter())
        for dimension in DIMENSIONS
    }


def tables(pool, shortlisted, people=None) -> tuple[DimensionTable, ...]:
    """The tables of every dimension from group counts ({dimension: Counter}).

    `people`: the distinct people per group, for the suppression threshold; by default the
    pool counts (right for one vacancy, where each person is in the pool once).
    """
    people = pool if people is None else people
    return tuple(
        dimension_table(
            dimension,
            {
                group: (pool[dimension][group], shortlisted[dimension][group], count)
                for group, count in people[dimension].items()
            },
        )
        for dimension in DIMENSIONS
    )


@dataclass(frozen=True)
class GroupRow(Rate):
    """One group of a dimension in this report's words: its pool, its shortlisted members and
    the impact ratio. A suppressed group carries no figure at all."""

    @property
    def pool(self):
        return self.total

    @property
    def shortlisted(self):
        return self.selected

    @property
    def impact_ratio(self):
        return self.ratio

    @property
    def impact_ratio_display(self):
        """The ratio rounded down to two decimals, so that a flagged 0.799 never reads 0.80."""
        return self.ratio_display


def dimension_table(dimension, counts: Mapping[str, tuple[int, int, int]]) -> DimensionTable:
    """The table of a dimension from {group: (pool n, shortlisted n, distinct people)}.

    Every group of the dimension is listed, in its fixed order. A group with fewer than
    MIN_GROUP_SIZE distinct people is suppressed. The reference is the highest rate among the
    groups shown (the first in order on a tie); when it is 0, no ratio can be computed
    (:func:`college.reference.adverse_impact.rates`).
    """
    label, groups = DIMENSIONS[dimension]
    return DimensionTable(
        key=dimension, label=label, rows=adverse_impact.rates(groups, counts, row=GroupRow)
    )


def worst_of(tables: Iterable[DimensionTable]):
    """The lowest impact ratio over the tables with two groups or more to compare (or None)."""
    ratios = [table.worst_ratio for table in tables if table.comparable]
    return min(ratios) if ratios else None


# Reading the database ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VacancyReport:
    vacancy_id: int
    title: str
    employer_name: str
    published_at: object
    tables: tuple[DimensionTable, ...]

    @property
    def worst_ratio(self):
        return worst_of(self.tables)

    @property
    def worst_ratio_display(self):
        ratio = self.worst_ratio
        return None if ratio is None else floor2(ratio)

    @property
    def flagged(self):
        return any(table.flagged for table in self.tables)


@dataclass(frozen=True)
class FairnessReport:
    overall: tuple[DimensionTable, ...]
    vacancies: tuple[VacancyReport, ...]
    truncated: bool  # more published vacancies than MAX_VACANCIES: the oldest were left out
    year: int
    limit: int = MAX_VACANCIES
    shortlist_size: int = SHORTLIST_SIZE
    min_group_size: int = MIN_GROUP_SIZE

    def vacancy(self, vacancy_id):
        return next((item for item in self.vacancies if item.vacancy_id == vacancy_id), None)

    @property
    def flagged_vacancy_count(self):
        return sum(1 for item in self.vacancies if item.flagged)


def _published_vacancies(limit):
    rows = list(
        Vacancy.objects.published()
        .select_related("employer")
        .order_by("-published_at", "-pk")[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def _pool_attributes(vacancy_ids, *, year):
    """Every pool member's groups, the visible ones, and each vacancy's applicants: 3 queries.

    The union of the pools is the engine's default pool for all the vacancies at once: the
    people visible in shortlists, and the people who applied to one of the vacancies.
    """
    # The same rules as the engine's default pool: withdrawn applications and deactivated
    # accounts do not count.
    applied = Application.objects.filter(
        vacancy_id__in=vacancy_ids, profile__user__is_active=True
    ).exclude(reason=Application.Reason.WITHDRAWN)
    applicants = {}
    for vacancy_id, profile_id in applied.values_list("vacancy_id", "profile_id"):
        applicants.setdefault(vacancy_id, set()).add(profile_id)
    members = CandidateProfile.objects.filter(
        Q(is_visible_in_shortlists=True) | Q(pk__in=applied.values("profile_id")),
        user__is_active=True,
    )
    diplomas = {}
    for profile_id, level, recognition in Education.objects.filter(
        profile__in=members.values("pk")
    ).values_list("profile_id", "level", "recognition"):
        diplomas.setdefault(profile_id, []).append((level, recognition))
    groups, visible = {}, set()
    for profile_id, gender, birth_year, is_visible in members.values_list(
        "pk", "gender", "birth_year", "is_visible_in_shortlists"
    ):
        groups[profile_id] = person_groups(
            gender=gender,
            birth_year=birth_year,
            diplomas=diplomas.get(profile_id, ()),
            year=year,
        )
        if is_visible:
            visible.add(profile_id)
    return groups, visible, applicants


def fairness_report(*, limit=MAX_VACANCIES, shortlist_size=SHORTLIST_SIZE, today=None):
    """The report over the `limit` most recently published vacancies.

    Queries: one for the vacancies, three for the pools' attributes, then the engine's
    shortlist for each vacancy (a few queries each). The work in Python is proportional to the
    pool once, plus each vacancy's applicants and shortlist: the visible people's counts are
    shared by every vacancy's pool.
    """
    year = (today or timezone.localdate()).year
    vacancies, truncated = _published_vacancies(limit)
    groups, visible, applicants = _pool_attributes([v.pk for v in vacancies], year=year)
    visible_counts = group_counts(groups[profile_id] for profile_id in visible)
    empty = group_counts(())
    pool_total, shortlisted_total, in_some_pool = empty, empty, set(visible)
    reports = []
    for vacancy in vacancies:
        extra = applicants.get(vacancy.pk, set()) - visible
        in_some_pool |= extra
        pool = add_counts(visible_counts, group_counts(groups[pk] for pk in extra))
        shortlisted = group_counts(
            groups[profile_id]
            for profile_id, _score in shortlist(vacancy=vacancy, limit=shortlist_size)
            if profile_id in groups
        )
        pool_total = add_counts(pool_total, pool)
        shortlisted_total = add_counts(shortlisted_total, shortlisted)
        reports.append(
            VacancyReport(
                vacancy_id=vacancy.pk,
                title=vacancy.title,
                employer_name=vacancy.employer.name,
                published_at=vacancy.published_at,
                tables=tables(pool, shortlisted),
            )
        )
    people = group_counts(groups[profile_id] for profile_id in in_some_pool)
    return FairnessReport(
        overall=tables(pool_total, shortlisted_total, people) if vacancies else (),
        vacancies=tuple(reports),
        truncated=truncated,
        year=year,
        limit=limit,
        shortlist_size=shortlist_size,
    )
