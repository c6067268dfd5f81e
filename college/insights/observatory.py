"""The skills observatory: where the demand for skills and the supply of them meet.

What is counted
===============

* **Demand**: the skill requirements (``VacancySkill``) of the published vacancies
  (``Vacancy.objects.published()``: published, by a verified organisation, not yet closed).
  A requirement at entry counts its vacancy once and the vacancy's posts; a skill "learned in
  training after hiring" is counted apart, never as demand at entry. College staff may narrow
  the demand to a role, a sector (the role's) or a commune (the vacancy's).
* **Supply**: the skills of the job-seekers who consent to be considered, the engine's pool
  without the applicants of one vacancy (:func:`college.matching.pool.default_pool`): opted in
  to blind shortlists, with an active account. Each holds a skill once, at one level and by one
  kind of evidence. Supply is always counted over the whole region, whatever the filters: the
  same figures in every response, so no set of filtered answers splits a group of people.
* **Gaps**: per skill and level asked at entry, the posts asking that level minus the
  job-seekers holding the skill at that level or above; largest first.
* **Catalogue**: the modules in the catalogue that teach a demanded skill, with their next
  cohort that is not cancelled and has not started.
* **Trend**: per month over the last 12 months, the vacancies published and the consenting
  job-seekers who added or updated a skill (people, not skills: one person's many skills
  count once; a skill keeps only the date of its last change).

Suppression (the rule, stated on the pages too)
===============================================

The one rule of :mod:`college.core.suppression`: every count that leaves this module is the
exact count **rounded down to a multiple of 10**; a count under its ``THRESHOLD`` (10), zero
included, is ``FEWER`` (``"<10"``), never a number. Totals are counted as such and rounded
the same way, never added up from exact parts.
The gap is computed from the figures shown only (posts shown minus people shown, ``"<10"``
as 0), so it says nothing the two figures do not. Hence:

* every number in a response is a multiple of 10, so the difference of any two of them is 0
  or at least 10: no subtraction reveals an exact count under 10;
* no count is shown beside more than four parts that add up to it (the four evidence kinds,
  the four levels). With k parts each rounded down, the parts' upper bounds exceed the
  total's lower bound by at least (9·k mod 10), which is not 0 for k under 10, so the rounding
  bounds never pin a part to one number either;
* rows are ordered by the figures shown, then by name, so the order does not rank exact
  counts hidden under ``"<10"``.

Every read takes a fixed number of queries, aggregated in SQL, whatever the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, DateField, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidates.models import CandidateSkill
from college.core.charts import bar_chart, column_chart
from college.core.suppression import FEWER, as_number, shown
from college.matching.pool import default_pool
from college.models import (
    Commune,
    Evidence,
    Level,
    ModuleSkill,
    RequirementStage,
    Role,
    Sector,
    Skill,
)
from employers.models import Vacancy, VacancySkill

LEVELS = tuple(Level.values)
CHART_SKILLS = 10
GAP_ROWS = 20
TREND_MONTHS = 12


@dataclass(frozen=True)
class Filters:
    """Narrows the demand (college staff only); None: no filter."""

    role: Role | None = None
    sector: str | None = None
    commune: Commune | None = None

    def vacancies(self, queryset):
        if self.role is not None:
            queryset = queryset.filter(role=self.role)
        if self.sector:
            queryset = queryset.filter(role__sector=self.sector)
        if self.commune is not None:
            queryset = queryset.filter(commune=self.commune)
        return queryset


@dataclass
class SkillRow:
    skill: Skill
    vacancies: object  # shown figures: int multiple of 10 or FEWER
    posts: object
    training_vacancies: object
    people: object
    by_evidence: dict = field(default_factory=dict)
    posts_by_level: dict = field(default_factory=dict)
    people_by_level: dict = field(default_factory=dict)
    modules: list = field(default_factory=list)

    @property
    def evidence_pairs(self):
        """(label, shown count) by evidence kind, weakest first (empty without the detail)."""
        return [
            (label, self.by_evidence[kind])
            for kind, label in Evidence.choices
            if kind in self.by_evidence
        ]


@dataclass
class GapRow:
    skill: Skill
    level: int
    posts: object
    people: object
    gap: int

    @property
    def level_label(self):
        return Level(self.level).label


@dataclass
class Observatory:
    skills: list
    gaps: list
    detail: bool
    filters: Filters


def consenting_skills():
    """The skills of the job-seekers who consent to be considered (see the module)."""
    # default_pool's applicants are those of one vacancy: none here, only the opted-in.
    return CandidateSkill.objects.filter(profile__in=default_pool(None))


def published_vacancies(filters):
    return filters.vacancies(Vacancy.objects.published())


def _demand_rows(filters):
    """One query: (skill, stage, level) → vacancies and posts asking it."""
    return (
        VacancySkill.objects.filter(vacancy__in=published_vacancies(filters))
        .order_by()
        .values("skill_id", "stage", "min_level")
        .annotate(vacancies=Count("vacancy_id", distinct=True), posts=Sum("vacancy__posts"))
    )


def _supply_rows(skill_ids):
    """One query: (skill, evidence, level) → job-seekers holding it."""
    return (
        consenting_skills()
        .filter(skill_id__in=skill_ids)
        .order_by()
        .values("skill_id", "evidence", "level")
        .annotate(people=Count("profile_id", distinct=True))
    )


def _modules(skill_ids, today):
    """One query: the catalogue's modules teaching these skills, with their next cohort."""
    upcoming = Q(module__cohorts__starts_on__gte=today, module__cohorts__is_cancelled=False)
    return (
        ModuleSkill.objects.filter(skill_id__in=skill_ids, module__is_active=True)
        .select_related("module")
        .annotate(next_cohort=Min("module__cohorts__starts_on", filter=upcoming))
        .order_by("module__position", "module__pk")
    )


def skills_observatory(*, filters=None, detail=False):
    """Demand against supply per demanded skill, the largest gaps and the catalogue's cover.

    `detail` (college staff) adds the supply by evidence kind and honours `filters`; without
    it the filters are ignored: the public sees the aggregate of every published vacancy.
    Four queries whatever the data.
    """
    filters = (filters or Filters()) if detail else Filters()
    today = timezone.localdate()
    entry = {}
    training = {}
    for row in _demand_rows(filters):
        if row["stage"] == RequirementStage.TRAINING:
            training[row["skill_id"]] = training.get(row["skill_id"], 0) + row["vacancies"]
            continue
        counts = entry.setdefault(
            row["skill_id"], {"vacancies": 0, "posts": 0, "by_level": dict.fromkeys(LEVELS, 0)}
        )
        counts["vacancies"] += row["vacancies"]
        counts["posts"] += row["posts"] or 0
        counts["by_level"][row["min_level"]] += row["posts"] or 0
    skill_ids = set(entry) | set(training)
    supply = {}
    for row in _supply_rows(skill_ids):
        counts = supply.setdefault(
            row["skill_id"],
            {"people": 0, "by_evidence": dict.fromkeys(Evidence.values, 0), "by_level": {}},
        )
        counts["people"] += row["people"]
        counts["by_evidence"][row["evidence"]] += row["people"]
        counts["by_level"][row["level"]] = counts["by_level"].get(row["level"], 0) + row["people"]
    modules = {}
    for outcome in _modules(skill_ids, today):
        modules.setdefault(outcome.skill_id, []).append(outcome)
    skills = {skill.pk: skill for skill in Skill.objects.filter(pk__in=skill_ids)}

    rows = []
    for skill_id, skill in skills.items():
        demand = entry.get(skill_id, {"vacancies": 0, "posts": 0, "by_level": {}})
        held = supply.get(skill_id, {"people": 0, "by_evidence": {}, "by_level": {}})
        at_least = {
            level: sum(n for held_level, n in held["by_level"].items() if held_level >= level)
            for level in LEVELS
        }
        rows.append(
            SkillRow(
                skill=skill,
                vacancies=shown(demand["vacancies"]),
                posts=shown(demand["posts"]),
                training_vacancies=shown(training.get(skill_id, 0)),
                people=shown(held["people"]),
                by_evidence=(
                    {kind: shown(held["by_evidence"].get(kind, 0)) for kind in Evidence.values}
                    if detail
                    else {}
                ),
                posts_by_level={level: shown(demand["by_level"].get(level, 0)) for level in LEVELS},
                people_by_level={level: shown(at_least[level]) for level in LEVELS},
                modules=modules.get(skill_id, []),
            )
        )
    rows.sort(
        key=lambda row: (
            -as_number(row.vacancies),
            -as_number(row.posts),
            -as_number(row.training_vacancies),
            row.skill.label.casefold(),
            row.skill.pk,
        )
    )
    return Observatory(skills=rows, gaps=gaps(rows), detail=detail, filters=filters)


def gaps(rows):
    """Per skill and level asked at entry: shown posts minus shown people at that level or
    above, the shortages only, largest first (see the module: from shown figures only)."""
    found = []
    for row in rows:
        for level in LEVELS:
            posts = row.posts_by_level[level]
            if posts == FEWER:
                continue
            people = row.people_by_level[level]
            gap = as_number(posts) - as_number(people)
            if gap > 0:
                found.append(GapRow(row.skill, level, posts, people, gap))
    found.sort(key=lambda item: (-item.gap, -item.posts, item.skill.label.casefold(), item.level))
    return found[:GAP_ROWS]


# Charts -----------------------------------------------------------------------------------------


def _fewer_text():
    return _("fewer than 10")


def demand_supply_chart(rows):
    """Vacancies asking and job-seekers holding the most demanded skills, as shown figures."""
    chart = bar_chart(
        [
            {
                "label": row.skill.label,
                "values": [as_number(row.vacancies), as_number(row.people)],
                "shown": [row.vacancies, row.people],
            }
            for row in rows[:CHART_SKILLS]
        ],
        series=[_("Vacancies asking it"), _("Job-seekers holding it")],
    )
    for drawn, row in zip(chart["rows"], rows[:CHART_SKILLS], strict=True):
        for bar, value in zip(drawn["bars"], (row.vacancies, row.people), strict=True):
            if value == FEWER:
                bar["value"], bar["text"] = FEWER, _fewer_text()
    return chart


def month_starts(today, count=TREND_MONTHS):
    """The first days of the last `count` months, oldest first, this month last."""
    index = today.year * 12 + today.month - 1
    return [
        datetime.date(month // 12, month % 12 + 1, 1)
        for month in range(index - count + 1, index + 1)
    ]


def _per_month(queryset, field_name, since, counted="pk"):
    return dict(
        queryset.filter(**{f"{field_name}__gte": since})
        .annotate(month=TruncMonth(field_name, output_field=DateField()))
        .order_by()
        .values_list("month")
        .annotate(count=Count(counted, distinct=True))
        .values_list("month", "count")
    )


def trend(*, filters=None, detail=False):
    """Per month over the last 12: vacancies published (filtered for staff) and consenting
    job-seekers who added or updated a skill, as shown figures. Two queries."""
    filters = (filters or Filters()) if detail else Filters()
    today = timezone.localdate()
    months = month_starts(today)
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    published = _per_month(
        filters.vacancies(
            Vacancy.objects.filter(published_at__isnull=False, employer__is_verified=True)
        ),
        "published_at",
        since,
    )
    people = _per_month(consenting_skills(), "updated_at", since, counted="profile_id")
    return [
        {
            "month": month,
            "vacancies": shown(published.get(month, 0)),
            "job_seekers": shown(people.get(month, 0)),
        }
        for month in months
    ]


def trend_chart(months):
    chart = column_chart(
        [
            {
                "label": date_format(item["month"], "M"),
                "sub": str(item["month"].year) if index == 0 or item["month"].month == 1 else "",
                "full_label": date_format(item["month"], "YEAR_MONTH_FORMAT"),
                "values": [as_number(item["vacancies"]), as_number(item["job_seekers"])],
            }
            for index, item in enumerate(months)
        ],
        series=[_("Vacancies published"), _("Job-seekers who added or updated a skill")],
    )
    # The template writes each value as text: a suppressed one says so instead of 0.
    for group, item in zip(chart["groups"], months, strict=True):
        texts = [
            _fewer_text() if value == FEWER else value
            for value in (item["vacancies"], item["job_seekers"])
        ]
        group["values"] = texts
        for bar, text in zip(group["bars"], texts, strict=True):
            bar["value"] = text
    return chart


def filter_choices():
    """The roles and communes the staff filters offer (two queries) and the sectors."""
    return {
        "roles": list(Role.objects.order_by("title_fr", "pk")),
        "sectors": list(Sector.choices),
        "communes": list(Commune.objects.order_by("name_fr", "pk")),
    }
