"""A vacancy's pool insight: who the engine considers, and what each requirement costs in people.

Reads only (selectors). For the vacancy as saved, or as the editor holds it before saving
(:func:`target_from_editor`): the counts follow the employer's edits.

Definitions
-----------

* **Considered**: the vacancy's pool, the same people its blind shortlist ranks
  (:func:`college.matching.default_pool`: job-seekers who consent to blind shortlists, and
  those who applied to the vacancy and have not withdrawn, with an active account).
* **Eligible**: the engine's eligibility is not ``not_yet`` (:func:`college.matching.
  compute_eligibility`): minimum age, nationality, driving licence, and a diploma only where
  the law requires one (the legal alternative route counts as eligible).
* **Score bands**: how many of the considered people fall in each band of the one fit scale
  (:mod:`college.reference.fit`), by the engine's score for this vacancy.
* **Reached**: eligible *and* "Close" or better (a score of at least 60, the engine's
  :func:`~college.reference.fit.is_good_fit`): the people worth inviting now.
* **Requirements** and what **meets** each, in the engine's own terms:

  - a skill required at entry: held at the level asked or higher with evidence above
    self-declared (the engine's ``matched`` line);
  - a language (or the "either … or" group, as one requirement): the engine's ``met`` line
    (the CEFR level asked, or the Brussels certificate named);
  - availability (when the vacancy demands shifts, nights or weekends): every one accepted;
  - the commune: the commute is within reach, that is the engine's commute part is 0.7 or
    more (the vacancy's commune or police zone, or travelling 30 minutes in Brussels, an hour
    from outside);
  - each legal condition (minimum age, nationality, driving licence, diploma): met in the
    engine's eligibility.

  Skills taught after hiring (stage ``training``) are never a barrier and not listed.
* **What-ifs** ("how many *more* would be reached"): the people not reached now who would be
  reached after one change, everything else as it is, scored by the engine's formula:

  - a skill one level lower (none below level 1), or made "learned in training", counted as
    held at the level asked with training-certified evidence by everyone (the employer's
    school teaches it to every recruit). Counting it so rather than leaving it out of the
    average keeps every what-if monotone: the engine's score never falls when a part rises;
  - a language one CEFR step lower (every language of an "either … or" group), none below A1;
  - availability: the demands dropped (the engine's availability part becomes 1);
  - the commune: the commute no longer counted (its part becomes 1, as for the commune
    itself);
  - a legal condition dropped: shown for understanding, **never suggested**; the law sets
    it.

  Each change raises one part of the score or drops a condition, never lowers anything, so
  the set reached after it contains the set reached now: relaxing never lowers a count.
* **Suggestions**: the (at most three) changes that reach the most people more, legal
  conditions never among them, with how many of those people follow a college course that
  teaches the skill or language now; and the cohorts the college runs that end before the
  vacancy's closing date and teach what is asked.

Suppression
-----------

No count ever leaves this module exactly: :func:`~college.core.suppression.shown`, the one
rule of :mod:`college.core.suppression`, turns a count under its ``THRESHOLD`` (10) into
``"<10"`` and rounds every other one *down to a multiple of 10*.
Two shown counts ``x`` and ``y`` then bound the true ones to ``[x, x + 9]`` and ``[y, y + 9]``:
their difference is known only to an interval of 19 values, so no subtraction (or sum) of
counts of one response gives an exact count, small or not. A suggestion is made only for a
change reaching at least the threshold, and suggestions are ordered by their shown counts
(ties by a fixed order), so their order discloses nothing finer either.

Speed
-----

The counts are computed over the process's copy of the pool's matching data
(:mod:`employers.shortlists.pool_copy`: numpy arrays kept up to date from the ProfileChange
log), with numpy over every considered person: the score's integer parts
(:mod:`college.matching.score`), the matched skills as a bit mask, eligibility and what each
change does to the score, then sums. Every test of "score ≥ f" is exact integer arithmetic:
``score ≥ f ⟺ 2N ≥ (2f − 1) D`` with ``N`` and ``D`` from
:func:`college.matching.score.score_fraction`. Queries: the copy's two for the changes and five
to read again the profiles changed (over none when none did), one statement for the vacancy's
applicants and who follows a course for a requirement (read each time: an enrolment records no
profile change), the vacancy's target, the newest profile change and two small catalogue
queries, whatever the requirements and the pool. The same counts in one SQL statement
(:func:`_counts`) are kept: a test checks the two agree. The counts are kept a minute for the
same requirements and the same pool (:func:`_kept_counts`): the editor asks again at every
pause in typing, mostly after texts that change no count.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field, replace

import numpy as np
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates.models import (
    CandidateLanguage,
    CandidateSkill,
    Education,
    LanguageCertificate,
    ProfileChange,
)
from college import matching
from college.core import cache_versions
from college.core.suppression import THRESHOLD, as_number, shown
from college.matching.load import zone_commune_ids
from college.matching.pool import POOL_GENERATION_KEY
from college.matching.score import (
    BRUSSELS_TRAVEL_MINUTES,
    COMMUTE_BRUSSELS_FAR,
    COMMUTE_BRUSSELS_NEAR,
    COMMUTE_OUTSIDE_FAR,
    COMMUTE_OUTSIDE_NEAR,
    COMMUTE_SAME_COMMUNE,
    COMMUTE_SAME_ZONE,
    COMMUTE_UNKNOWN,
    DEMANDS,
    DIPLOMA_RANK,
    EDUCATION_RANK,
    EVIDENCE_TENTHS,
    LICENCE_MET_BY,
    OUTSIDE_TRAVEL_MINUTES,
    RECOGNISED,
    LanguageRequirement,
    SkillRequirement,
    cefr_reach60,
    language_groups,
    level_reach12,
)
from college.models import CEFR, Cohort, Enrolment, Module, ModuleSkill, Role
from college.reference.fit import FIT_BANDS, is_good_fit
from employers.models import Application
from employers.shortlists import pool_copy

REACHED_FLOOR = FIT_BANDS[1][0]  # "Close": the floor is_good_fit uses
# A commute part of 0.7 or more is "within reach" (see the module docstring).
COMMUTE_WITHIN_REACH = COMMUTE_OUTSIDE_FAR
MAX_SUGGESTIONS = 3
MAX_COHORTS = 5
POOL_WORK_MEM = "64MB"
# Bits of the "follows a course" mask: one a requirement, in a signed 64-bit integer.
MAX_MASK_BITS = 62
assert is_good_fit(REACHED_FLOOR) and not is_good_fit(REACHED_FLOOR - 1)


def shown_value(count):
    """The shown count as a number for ordering: 0 for "<10"."""
    return as_number(shown(count))


# The requirements -----------------------------------------------------------------------------

SKILL, LANGUAGE, AVAILABILITY, COMMUNE, LEGAL = (
    "skill",
    "language",
    "availability",
    "commune",
    ("legal"),
)


@dataclass
class Requirement:
    """One requirement of the target with its exact counts (never shown as they are)."""

    key: str
    kind: str
    label: str
    asked: str
    relaxed: str = ""  # what the one-step relaxation asks instead; "" when none exists
    can_train: bool = False  # a skill: may be made "learned in training"
    met: int = 0
    more_relaxed: int | None = None
    following_relaxed: int = 0
    more_training: int | None = None
    following_training: int = 0
    skill: SkillRequirement | None = None
    languages: tuple = ()
    bit: int = 0  # its bit in the "follows a course" mask, 0 when it has none

    @property
    def is_legal(self):
        return self.kind == LEGAL


@dataclass
class PoolInsight:
    considered: int
    eligible: int
    reached: int
    bands: list  # of (key, words, floor, count)
    requirements: list
    suggestions: list = field(default_factory=list)
    cohorts: list = field(default_factory=list)
    closes_on: datetime.date | None = None


def _lower_cefr(value):
    rank = CEFR.rank(value)
    return CEFR.values[rank - 2] if rank > 1 else None


def _language_label(group):
    return " / ".join(item.name for item in group)


def _requirements(target):
    """The target's requirements, in the editor's order: skills, languages, working times,
    commune, legal conditions."""
    requirements = []
    for item in target.skills:
        requirements.append(
            Requirement(
                key=f"skill:{item.skill_id}",
                kind=SKILL,
                label=item.label,
                asked=_("level %(level)s") % {"level": item.level},
                relaxed=_("level %(level)s") % {"level": item.level - 1} if item.level > 1 else "",
                can_train=True,
                skill=item,
            )
        )
    for group in language_groups(target.languages):
        lower = [_lower_cefr(item.min_cefr) for item in group]
        asked = " / ".join(f"{item.name} {item.min_cefr}" for item in group)
        relaxed = ""
        if any(lower):
            relaxed = " / ".join(
                f"{item.name} {value or item.min_cefr}"
                for item, value in zip(group, lower, strict=True)
            )
        requirements.append(
            Requirement(
                key="language:" + "-".join(str(item.language_id) for item in group),
                kind=LANGUAGE,
                label=_language_label(group),
                asked=asked,
                relaxed=relaxed,
                languages=tuple(group),
            )
        )
    demanded = [name for name in DEMANDS if getattr(target, name)]
    if demanded:
        names = {"shifts": _("shifts"), "nights": _("nights"), "weekends": _("weekends")}
        requirements.append(
            Requirement(
                key=AVAILABILITY,
                kind=AVAILABILITY,
                label=_("Working times"),
                asked=", ".join(str(names[name]) for name in demanded),
                relaxed=_("no demand"),
            )
        )
    if target.commune_id is not None:
        requirements.append(
            Requirement(
                key=COMMUNE,
                kind=COMMUNE,
                label=_("Place of work"),
                asked=_("within reach"),
                relaxed=_("commute not counted"),
            )
        )
    for key, label, asked in _legal_conditions(target):
        requirements.append(
            Requirement(
                key=f"legal:{key}", kind=LEGAL, label=label, asked=asked, relaxed=_("dropped")
            )
        )
    bit = 1
    for requirement in requirements:
        if requirement.kind in (SKILL, LANGUAGE) and bit < 2**MAX_MASK_BITS:
            requirement.bit = bit
            bit *= 2
    return requirements


def _legal_conditions(target):
    """(key, label, what is asked) for each legal condition the target sets."""
    conditions = []
    if target.min_age:
        conditions.append(("age", _("Minimum age"), _("%(age)s years") % {"age": target.min_age}))
    if target.nationality and target.nationality != Role.Nationality.ANY:
        conditions.append(
            ("nationality", _("Nationality"), str(Role.Nationality(target.nationality).label))
        )
    if target.driving_licence:
        conditions.append(("licence", _("Driving licence"), target.driving_licence))
    if target.diploma_required and DIPLOMA_RANK.get(target.required_diploma, 0) > 0:
        conditions.append(("diploma", _("Diploma"), _("required by law")))
    return conditions


# The statement ---------------------------------------------------------------------------------


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _str(value):
    value = str(value)
    if not value.replace("_", "").isalnum():
        raise ValueError(f"unexpected literal {value!r}")
    return f"'{value}'"


def _flag(condition):
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _legal_sql(target, today):
    """{key: SQL condition on the pool's row p} for each legal condition (see score.py)."""
    conditions = {}
    if target.min_age:
        conditions["age"] = (
            f"(p.birth_year IS NOT NULL AND {int(today.year)} - p.birth_year >= "
            f"{int(target.min_age)})"
        )
    if target.nationality and target.nationality != Role.Nationality.ANY:
        accepted = (
            ["belgian"]
            if target.nationality == Role.Nationality.BELGIAN
            else [
                "belgian",
                "eea",
            ]
        )
        conditions["nationality"] = f"p.nationality IN ({', '.join(map(_str, accepted))})"
    if target.driving_licence:
        met_by = sorted(LICENCE_MET_BY.get(target.driving_licence, {target.driving_licence}))
        # The JSON list's text holds each category in double quotes, on SQLite and PostgreSQL.
        conditions["licence"] = (
            "("
            + " OR ".join(
                f"CAST(p.driving_licences AS TEXT) LIKE '%%\"{_str(item)[1:-1]}\"%%'"
                for item in met_by
            )
            + ")"
        )
    if target.diploma_required and DIPLOMA_RANK.get(target.required_diploma, 0) > 0:
        if target.alternative_route:
            conditions["diploma"] = "1 = 1"
        else:
            needed = DIPLOMA_RANK[target.required_diploma]
            levels = [level for level, rank in EDUCATION_RANK.items() if rank >= needed]
            conditions["diploma"] = (
                f"EXISTS (SELECT 1 FROM {_table(Education)} ed WHERE ed.profile_id = p.id "
                f"AND ed.recognition IN ({', '.join(map(_str, sorted(RECOGNISED)))}) "
                f"AND ed.level IN ({', '.join(map(_str, levels))}))"
            )
    return conditions


def _commute_sql(target):
    """The engine's commute part in tenths, over the pool's row p (as in matching.sql)."""
    if target.commune_id is None:
        return str(COMMUTE_SAME_COMMUNE)
    zone = ", ".join(str(int(item)) for item in sorted(target.zone_commune_ids)) or "NULL"
    return (
        f"(CASE WHEN p.commune_id = {int(target.commune_id)} THEN {COMMUTE_SAME_COMMUNE} "
        f"WHEN p.commune_id IN ({zone}) THEN {COMMUTE_SAME_ZONE} "
        f"WHEN p.commune_id IS NOT NULL THEN (CASE WHEN p.max_travel_minutes >= "
        f"{BRUSSELS_TRAVEL_MINUTES} THEN {COMMUTE_BRUSSELS_FAR} "
        f"ELSE {COMMUTE_BRUSSELS_NEAR} END) "
        f"WHEN p.lives_outside_brussels THEN (CASE WHEN p.max_travel_minutes >= "
        f"{OUTSIDE_TRAVEL_MINUTES} THEN {COMMUTE_OUTSIDE_FAR} "
        f"ELSE {COMMUTE_OUTSIDE_NEAR} END) "
        f"ELSE {COMMUTE_UNKNOWN} END)"
    )


def _credit_table(target, scale):
    """One row per (skill, level, evidence): the credit, what one level lower and training
    add (times `scale`, the factor of `a` in 2N), and the skill's bit when the line is
    matched (a skill appears once per person, so the bits sum to a mask)."""
    rows = []
    for index, item in enumerate(target.skills):
        weight = item.weight
        for level in (1, 2, 3, 4):
            for evidence, tenths in EVIDENCE_TENTHS.items():
                credit = weight * level_reach12(level, item.level) * tenths
                lower = credit
                if item.level > 1:
                    lower = weight * level_reach12(level, item.level - 1) * tenths
                trained = weight * 120
                met = level >= item.level and evidence != "self_declared"
                rows.append(
                    f"SELECT {int(item.skill_id)} AS skill_id, {level} AS level, "
                    f"{_str(evidence)} AS evidence, {credit} AS credit, "
                    f"{scale * (lower - credit)} AS d_lower, {scale * (trained - credit)} "
                    f"AS d_trained, {2**index if met else 0} AS met_bit, "
                    f"{scale * trained} AS unheld"
                )
    return " UNION ALL ".join(rows)


def _languages_sql(target, groups):
    """Per pool member holding a language asked: each group's best reach now (gN) and with
    every level one step lower (rN), out of 60."""
    language_ids = sorted({int(item.language_id) for item in target.languages})
    certificates = sorted(
        {(int(item.language_id), item.certificate) for item in target.languages if item.certificate}
    )
    union = (
        f"SELECT cl.profile_id AS profile_id, cl.language_id AS language_id, "
        f"cl.cefr AS cefr, '' AS certificate FROM {_table(CandidateLanguage)} cl "
        f"WHERE cl.language_id IN ({', '.join(map(str, language_ids))})"
    )
    if certificates:
        condition = " OR ".join(
            f"(lc.language_id = {language_id} AND lc.level = {_str(level)})"
            for language_id, level in certificates
        )
        union += (
            f" UNION ALL SELECT lc.profile_id, lc.language_id, '', lc.level "
            f"FROM {_table(LanguageCertificate)} lc WHERE ({condition})"
        )
    columns = []
    for index, group in enumerate(groups):
        for prefix, lowered in (("g", False), ("r", True)):
            whens = []
            for item in group:
                minimum = item.min_cefr
                if lowered:
                    minimum = _lower_cefr(minimum) or minimum
                reach = {_str(value): cefr_reach60(value, minimum) for value in CEFR.values}
                value = (
                    "(CASE x.cefr "
                    + " ".join(f"WHEN {key} THEN {points}" for key, points in reach.items())
                    + " ELSE 0 END)"
                )
                if item.certificate:
                    value = (
                        f"(CASE WHEN x.certificate = {_str(item.certificate)} THEN 60 "
                        f"ELSE {value} END)"
                    )
                whens.append(f"WHEN {int(item.language_id)} THEN {value}")
            columns.append(
                f"MAX(CASE x.language_id {' '.join(whens)} ELSE 0 END) AS {prefix}{index}"
            )
    return (
        f"SELECT x.profile_id AS profile_id, {', '.join(columns)} "
        f"FROM ({union}) x GROUP BY x.profile_id"
    )


def _following_sql(requirements, today):
    """Per user: the mask of the requirements they follow a course for now (a live enrolment
    in a cohort not cancelled and not ended, of a module teaching that skill or language)."""
    live = (
        f"e.status = {_str(Enrolment.Status.ENROLLED)} AND co.is_cancelled = "
        f"{'false' if connection.vendor == 'postgresql' else '0'} "
        f"AND co.ends_on >= '{today.isoformat()}'"
    )
    parts = []
    skills = {r.skill.skill_id: r.bit for r in requirements if r.kind == SKILL and r.bit}
    if skills:
        bit = "(CASE ms.skill_id " + " ".join(
            f"WHEN {int(key)} THEN {value}" for key, value in skills.items()
        )
        parts.append(
            f"SELECT DISTINCT e.candidate_id AS user_id, {bit} ELSE 0 END) AS bit "
            f"FROM {_table(Enrolment)} e JOIN {_table(Cohort)} co ON co.id = e.cohort_id "
            f"JOIN {_table(ModuleSkill)} ms ON ms.module_id = co.module_id "
            f"WHERE {live} AND ms.skill_id IN ({', '.join(str(int(k)) for k in skills)})"
        )
    languages = {}
    for requirement in requirements:
        if requirement.kind == LANGUAGE and requirement.bit:
            for item in requirement.languages:
                languages.setdefault(int(item.language_id), []).append(requirement.bit)
    if languages:
        bit = "(CASE m.language_taught_id " + " ".join(
            f"WHEN {key} THEN {sum(bits)}" for key, bits in languages.items()
        )
        parts.append(
            f"SELECT DISTINCT e.candidate_id AS user_id, {bit} ELSE 0 END) AS bit "
            f"FROM {_table(Enrolment)} e JOIN {_table(Cohort)} co ON co.id = e.cohort_id "
            f"JOIN {_table(Module)} m ON m.id = co.module_id "
            f"WHERE {live} AND m.language_taught_id IN ({', '.join(map(str, languages))})"
        )
    if not parts:
        return None
    return (
        f"SELECT f.user_id AS user_id, CAST(SUM(f.bit) AS BIGINT) AS mask "
        f"FROM ({' UNION '.join(parts)}) f GROUP BY f.user_id"
    )


def _pool_sql(vacancy):
    columns = [
        "id",
        "user_id",
        "commune_id",
        "lives_outside_brussels",
        "max_travel_minutes",
        "shifts",
        "nights",
        "weekends",
        "birth_year",
        "nationality",
        "driving_licences",
    ]
    query = matching.default_pool(vacancy).order_by().values(*columns).query
    return query.sql_with_params()


def _run(sql, params):
    """The statement, on PostgreSQL without JIT and with room to hash (see matching.sql)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT set_config('jit', 'off', true), set_config('work_mem', %s, true)",
                [POOL_WORK_MEM],
            )
        cursor.execute(sql, params)
        return cursor.fetchall()


def _counts(vacancy, target, requirements, today):
    """Fills every requirement's exact counts; returns (considered, eligible, reached, bands).

    In one SQL statement: a reference for :func:`_counts_in_memory`, the one in use (a test
    checks they agree); at 100,000 job-seekers it takes over a second."""
    weight_total = sum(item.weight for item in target.skills)
    groups = language_groups(target.languages)
    demanded = [name for name in DEMANDS if getattr(target, name)]
    w_ = weight_total or 1
    n_ = len(groups) or 1
    d_ = len(demanded) or 1
    # 2N = A·a + B·b + K·k + C·c, D = 72 W n d (score.score_fraction, empty parts filled).
    scale_a, scale_b, scale_k, scale_c = (
        84 * n_ * d_,
        48 * w_ * d_,
        720 * w_ * n_,
        72 * w_ * n_ * d_,
    )
    denominator = 72 * w_ * n_ * d_

    def floor_of(score, denominator=denominator):
        return (2 * score - 1) * denominator

    pool_sql, params = _pool_sql(vacancy)
    a = "COALESCE(sk.a, 0)" if weight_total else "120"
    met_mask = "COALESCE(sk.met_mask, 0)" if weight_total else "0"
    skill_ids = ", ".join(str(int(item.skill_id)) for item in target.skills)
    joins = []
    ctes = [f"p AS ({pool_sql})"]
    if weight_total:
        ctes.append(f"t AS ({_credit_table(target, scale_a)})")
        # CASE expressions rather than a join to t: the planner then knows how many rows
        # come, and hashes them by person instead of sorting them.
        credit = (
            "(CASE cs.skill_id "
            + " ".join(
                f"WHEN {int(item.skill_id)} THEN (CASE cs.level "
                + " ".join(
                    f"WHEN {level} THEN {item.weight * level_reach12(level, item.level)}"
                    for level in (1, 2, 3, 4)
                )
                + " ELSE 0 END)"
                for item in target.skills
            )
            + " ELSE 0 END) * (CASE cs.evidence "
            + " ".join(f"WHEN {_str(key)} THEN {value}" for key, value in EVIDENCE_TENTHS.items())
            + " ELSE 0 END)"
        )
        met_bit = (
            "(CASE WHEN cs.evidence = 'self_declared' THEN 0 ELSE (CASE cs.skill_id "
            + " ".join(
                f"WHEN {int(item.skill_id)} THEN (CASE WHEN cs.level >= {int(item.level)} "
                f"THEN {2**index} ELSE 0 END)"
                for index, item in enumerate(target.skills)
            )
            + " ELSE 0 END) END)"
        )
        ctes.append(
            f"sk AS (SELECT cs.profile_id AS profile_id, SUM({credit}) AS a, "
            f"CAST(SUM({met_bit}) AS BIGINT) AS met_mask "
            f"FROM {_table(CandidateSkill)} cs "
            f"WHERE cs.skill_id IN ({skill_ids}) GROUP BY cs.profile_id)"
        )
        joins.append("LEFT JOIN sk ON sk.profile_id = p.id")
    if groups:
        ctes.append(f"lg AS ({_languages_sql(target, groups)})")
        joins.append("LEFT JOIN lg ON lg.profile_id = p.id")
        b = " + ".join(f"COALESCE(lg.g{index}, 0)" for index in range(len(groups)))
    else:
        b = "60"
    following = _following_sql(requirements, today)
    if following:
        ctes.append(f"fm AS ({following})")
        joins.append("LEFT JOIN fm ON fm.user_id = p.user_id")
        mask = "COALESCE(fm.mask, 0)"
    else:
        mask = "0"
    k = " + ".join(_flag(f"p.{name}") for name in demanded) if demanded else "1"
    c = _commute_sql(target)
    legal = _legal_sql(target, today)
    eligible = " AND ".join(legal.values()) or "1 = 1"
    group_columns = []
    for index in range(len(groups)):
        group_columns.append(f"COALESCE(lg.g{index}, 0) AS g{index}")
        group_columns.append(f"COALESCE(lg.r{index}, 0) AS r{index}")
    legal_columns = [f"{_flag(condition)} AS legal_{key}" for key, condition in legal.items()]
    ctes.append(
        "per AS (SELECT p.id AS id, "
        f"{_flag(eligible)} AS eligible, "
        f"{scale_a} * {a} + {scale_b} * ({b}) + {scale_k} * ({k}) + {scale_c} * {c} AS s, "
        f"{84 * n_} * {a} + {48 * w_} * ({b}) + {720 * w_ * n_} + {72 * w_ * n_} * {c} "
        "AS s_free, "
        f"{a} AS a, ({b}) AS b, ({k}) AS k, {c} AS c, {mask} AS mask, {met_mask} AS met_mask"
        + "".join(f", {column}" for column in group_columns + legal_columns)
        + f" FROM p {' '.join(joins)})"
    )
    # The one row over every person: (name, expression) in order.
    reach = floor_of(REACHED_FLOOR)
    not_reached = f"per.eligible = 1 AND per.s < {reach}"
    totals = [
        ("considered", "1"),
        ("eligible", "per.eligible"),
        ("reached", _flag(f"per.eligible = 1 AND per.s >= {reach}")),
    ]
    for floor, key, *_rest in FIT_BANDS[:-1]:
        totals.append((f"band_{key}", _flag(f"per.s >= {floor_of(floor)}")))
    index = 0
    for requirement in requirements:
        key = requirement.key
        if requirement.kind == LANGUAGE:
            group = f"g{index}"
            relaxed = f"per.s + {scale_b} * (per.r{index} - per.g{index})"
            totals.append((f"met:{key}", _flag(f"per.{group} >= 60")))
            if requirement.relaxed:
                gain = f"{not_reached} AND {relaxed} >= {reach}"
                totals.append((f"more:{key}", _flag(gain)))
                totals.append(
                    (f"follow:{key}", _flag(f"{gain} AND (per.mask & {requirement.bit}) <> 0"))
                    if requirement.bit
                    else (f"follow:{key}", "0")
                )
            index += 1
        elif requirement.kind == AVAILABILITY:
            totals.append((f"met:{key}", _flag(f"per.k = {len(demanded)}")))
            # Demands dropped: d = 0, filled as k = d = 1; D changes with d.
            free_floor = (2 * REACHED_FLOOR - 1) * 72 * w_ * n_
            totals.append((f"more:{key}", _flag(f"{not_reached} AND per.s_free >= {free_floor}")))
        elif requirement.kind == COMMUNE:
            totals.append((f"met:{key}", _flag(f"per.c >= {COMMUTE_WITHIN_REACH}")))
            relaxed = f"per.s + {scale_c} * ({COMMUTE_SAME_COMMUNE} - per.c)"
            totals.append((f"more:{key}", _flag(f"{not_reached} AND {relaxed} >= {reach}")))
        elif requirement.kind == LEGAL:
            name = key.split(":", 1)[1]
            totals.append((f"met:{key}", f"per.legal_{name}"))
            others = " AND ".join(f"per.legal_{other} = 1" for other in legal if other != name)
            gain = f"per.legal_{name} = 0 AND per.s >= {reach}" + (
                f" AND {others}" if others else ""
            )
            totals.append((f"more:{key}", _flag(gain)))
    # People not reached whom `unheld` more skill credit would reach: training a skill
    # they do not hold, for each weight; and those of them following a course for it.
    unheld = set()
    skill_index = 0
    for requirement in requirements:
        if requirement.kind != SKILL:
            continue
        totals.append((f"met:{requirement.key}", _flag(f"(per.met_mask & {2**skill_index}) <> 0")))
        skill_index += 1
        credit = scale_a * requirement.skill.weight * 120
        condition = f"{not_reached} AND per.s + {credit} >= {reach}"
        if credit not in unheld:
            unheld.add(credit)
            totals.append((f"unheld:{credit}", _flag(condition)))
        if requirement.bit:
            totals.append(
                (
                    f"unheld_follow:{requirement.key}",
                    _flag(f"{condition} AND (per.mask & {requirement.bit}) <> 0"),
                )
            )
    names = [name for name, _expression in totals]
    skill_names = []
    if weight_total:
        max_weight = max(item.weight for item in target.skills)
        bits = {r.skill.skill_id: r.bit for r in requirements if r.kind == SKILL}
        follows = (
            "(CASE cs.skill_id "
            + " ".join(f"WHEN {int(key)} THEN {value}" for key, value in bits.items())
            + " ELSE 0 END)"
        )
        following_now = f"(per.mask & {follows}) <> 0"
        lower_gain = f"{not_reached} AND per.s + t.d_lower >= {reach}"
        train_gain = f"{not_reached} AND per.s + t.d_trained >= {reach}"
        would_unheld = f"{not_reached} AND per.s + t.unheld >= {reach}"
        skill_columns = [
            ("more_lower", _flag(lower_gain)),
            ("follow_lower", _flag(f"{lower_gain} AND {following_now}")),
            ("more_trained_held", _flag(train_gain)),
            ("follow_trained_held", _flag(f"{train_gain} AND {following_now}")),
            ("unheld_held", _flag(would_unheld)),
            ("unheld_follow_held", _flag(f"{would_unheld} AND {following_now}")),
        ]
        skill_names = [name for name, _expression in skill_columns]
    width = max(len(names), len(skill_names))

    def padded(expressions):
        return ", ".join(
            f"SUM({expression}) AS c{position}" for position, expression in enumerate(expressions)
        ) + "".join(f", 0 AS c{position}" for position in range(len(expressions), width))

    sql = (
        f"WITH {', '.join(ctes)} "
        f"SELECT 0 AS skill_id, {padded([expression for _name, expression in totals])} FROM per"
    )
    if weight_total:
        sql += (
            f" UNION ALL SELECT cs.skill_id, "
            f"{padded([expression for _name, expression in skill_columns])} "
            f"FROM per JOIN {_table(CandidateSkill)} cs ON cs.profile_id = per.id "
            f"AND cs.skill_id IN ({skill_ids}) JOIN t ON t.skill_id = cs.skill_id "
            f"AND t.level = cs.level AND t.evidence = cs.evidence "
            # Only people one skill could bring to "Close": not reached, eligible, and
            # short of it by less than the most one skill's training adds.
            f"WHERE {not_reached} AND per.s + {scale_a * 120 * max_weight} >= {reach} "
            f"GROUP BY cs.skill_id"
        )
    rows = _run(sql, tuple(params))
    values = {}
    by_skill = {}
    for row in rows:
        skill_id, numbers = row[0], [int(value or 0) for value in row[1:]]
        if skill_id == 0:
            values = dict(zip(names, numbers, strict=False))
        else:
            by_skill[int(skill_id)] = dict(zip(skill_names, numbers, strict=False))
    if not values:  # an empty pool: SUM over no row gives NULL, read above as 0
        values = dict.fromkeys(names, 0)
    for requirement in requirements:
        key = requirement.key
        if requirement.kind == SKILL:
            skill = by_skill.get(int(requirement.skill.skill_id), {})
            requirement.met = values[f"met:{key}"]
            if requirement.relaxed:
                requirement.more_relaxed = skill.get("more_lower", 0)
                requirement.following_relaxed = skill.get("follow_lower", 0)
            credit = scale_a * requirement.skill.weight * 120
            # Not holding the skill: counted over everyone, less the holders counted so.
            requirement.more_training = (
                values[f"unheld:{credit}"] - skill.get("unheld_held", 0)
            ) + skill.get("more_trained_held", 0)
            requirement.following_training = (
                values.get(f"unheld_follow:{key}", 0) - skill.get("unheld_follow_held", 0)
            ) + skill.get("follow_trained_held", 0)
        else:
            requirement.met = values[f"met:{key}"]
            if requirement.relaxed:
                requirement.more_relaxed = values.get(f"more:{key}", 0)
                requirement.following_relaxed = values.get(f"follow:{key}", 0)
    bands = []
    above = 0
    for floor, key, words, _meaning in FIT_BANDS:
        at_least = values[f"band_{key}"] if floor > 0 else values["considered"]
        bands.append((key, str(words), floor, at_least - above))
        above = at_least
    return values["considered"], values["eligible"], values["reached"], bands


# The same counts over the process's copy of the pool ------------------------------------------


def _members(vacancy, requirements, today):
    """The vacancy's applicants (profile ids, -1 in the second column) and who follows a
    course for a requirement ((user id, mask)): one statement whatever the requirements."""
    applicants, params = (
        Application.objects.filter(vacancy=vacancy)
        .exclude(reason=Application.Reason.WITHDRAWN)
        .order_by()
        .values_list("profile_id")
        .query.sql_with_params()
    )
    sql = f"SELECT ap.profile_id, -1 FROM ({applicants}) ap"
    following = _following_sql(requirements, today)
    if following:
        sql += f" UNION ALL SELECT fm.user_id, fm.mask FROM ({following}) fm"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _counts_in_memory(vacancy, target, requirements, today):
    """:func:`_counts` over :func:`pool_copy.pool_copy`: the same integers, computed with numpy
    over every considered person (see "Speed")."""
    with pool_copy.current() as copy:
        return _counted(copy, vacancy, target, requirements, today)


def _counted(copy, vacancy, target, requirements, today):
    dense = copy.dense
    applied = np.zeros(copy.size, np.bool_)
    mask_of_row = np.zeros(copy.size, np.int64)
    for key, value in _members(vacancy, requirements, today):
        if value == -1:
            row = copy.row_of.get(key)
            if row is not None:
                applied[row] = True
        else:
            row = copy.row_of_user.get(key)
            if row is not None:
                mask_of_row[row] |= int(value)
    rows = np.flatnonzero(dense["alive"] & (dense["visible"] | applied))
    count = len(rows)
    position = np.full(copy.size, -1, np.int64)
    position[rows] = np.arange(count)

    weight_total = sum(item.weight for item in target.skills)
    groups = language_groups(target.languages)
    demanded = [name for name in DEMANDS if getattr(target, name)]
    w_, n_, d_ = weight_total or 1, len(groups) or 1, len(demanded) or 1
    scale_a, scale_b, scale_k, scale_c = (
        84 * n_ * d_,
        48 * w_ * d_,
        720 * w_ * n_,
        72 * w_ * n_ * d_,
    )
    denominator = 72 * w_ * n_ * d_

    def floor_of(score):
        return (2 * score - 1) * denominator

    def total(condition):
        return int(np.count_nonzero(condition))

    zeros = np.zeros(count, np.int64)
    # Skills: each one's credit now and one level lower, per person; the matched mask.
    credits, lowers = [], []
    met_mask = zeros.copy()
    evidence_tenths = np.array(
        [EVIDENCE_TENTHS.get(value, 0) for value in pool_copy.EVIDENCES] + [0], np.int64
    )
    self_declared = pool_copy.EVIDENCES.index("self_declared")
    for index, item in enumerate(target.skills):
        credit, lower = zeros.copy(), zeros.copy()
        column = copy.skills.get(item.skill_id)
        if column is not None and len(column.rows):
            at = position[column.rows]
            held = at >= 0
            at = at[held]
            level = column.level[held].astype(np.int64)
            evidence = column.evidence[held].astype(np.int64)
            tenths = evidence_tenths[evidence]
            reach = np.array([level_reach12(value, item.level) for value in range(5)], np.int64)
            credit[at] = item.weight * reach[level] * tenths
            if item.level > 1:
                reach = np.array(
                    [level_reach12(value, item.level - 1) for value in range(5)], np.int64
                )
                lower[at] = item.weight * reach[level] * tenths
            else:
                lower[at] = credit[at]
            met = (level >= item.level) & (evidence != self_declared)
            met_mask[at[met]] |= 2**index
        credits.append(credit)
        lowers.append(lower)
    a = sum(credits, zeros.copy()) if weight_total else np.full(count, 120, np.int64)
    # Languages: each group's best reach now (g) and with every level one step lower (r).
    reached_now, reached_lower = [], []
    for group in groups:
        best, best_lower = zeros.copy(), zeros.copy()
        for item in group:
            ranks = copy.languages.get(item.language_id)
            certified = (
                copy.certificates.get((item.language_id, item.certificate))
                if item.certificate
                else None
            )
            for lowered, result in ((False, best), (True, best_lower)):
                minimum = item.min_cefr
                if lowered:
                    minimum = _lower_cefr(minimum) or minimum
                value = zeros.copy()
                if ranks is not None:
                    points = np.array(
                        [0] + [cefr_reach60(value, minimum) for value in CEFR.values], np.int64
                    )
                    value = points[ranks[rows]]
                if certified is not None:
                    value = np.where(certified[rows], 60, value)
                np.maximum(result, value, out=result)
        reached_now.append(best)
        reached_lower.append(best_lower)
    b = sum(reached_now, zeros.copy()) if groups else np.full(count, 60, np.int64)
    k = (
        sum((dense[name][rows].astype(np.int64) for name in demanded), zeros.copy())
        if demanded
        else np.ones(count, np.int64)
    )
    c = _commute_array(target, dense, rows)
    legal = _legal_arrays(target, today, copy, rows)
    eligible = np.ones(count, np.bool_)
    for condition in legal.values():
        eligible &= condition
    mask = mask_of_row[rows]
    s = scale_a * a + scale_b * b + scale_k * k + scale_c * c
    reach = floor_of(REACHED_FLOOR)
    not_reached = eligible & (s < reach)
    considered, eligible_count = count, total(eligible)
    reached = total(eligible & (s >= reach))
    group_index = skill_index = 0
    for requirement in requirements:
        if requirement.kind == SKILL:
            credit, lower = credits[skill_index], lowers[skill_index]
            requirement.met = total(met_mask & 2**skill_index)
            follows = (mask & requirement.bit) != 0 if requirement.bit else None
            if requirement.relaxed:
                gain = not_reached & (s + scale_a * (lower - credit) >= reach)
                requirement.more_relaxed = total(gain)
                requirement.following_relaxed = total(gain & follows) if requirement.bit else 0
            trained = requirement.skill.weight * 120
            gain = not_reached & (s + scale_a * (trained - credit) >= reach)
            requirement.more_training = total(gain)
            requirement.following_training = total(gain & follows) if requirement.bit else 0
            skill_index += 1
        elif requirement.kind == LANGUAGE:
            now, lower = reached_now[group_index], reached_lower[group_index]
            requirement.met = total(now >= 60)
            if requirement.relaxed:
                gain = not_reached & (s + scale_b * (lower - now) >= reach)
                requirement.more_relaxed = total(gain)
                requirement.following_relaxed = (
                    total(gain & ((mask & requirement.bit) != 0)) if requirement.bit else 0
                )
            group_index += 1
        elif requirement.kind == AVAILABILITY:
            requirement.met = total(k == len(demanded))
            s_free = 84 * n_ * a + 48 * w_ * b + 720 * w_ * n_ + 72 * w_ * n_ * c
            free_floor = (2 * REACHED_FLOOR - 1) * 72 * w_ * n_
            requirement.more_relaxed = total(not_reached & (s_free >= free_floor))
            requirement.following_relaxed = 0
        elif requirement.kind == COMMUNE:
            requirement.met = total(c >= COMMUTE_WITHIN_REACH)
            gain = not_reached & (s + scale_c * (COMMUTE_SAME_COMMUNE - c) >= reach)
            requirement.more_relaxed = total(gain)
            requirement.following_relaxed = 0
        elif requirement.kind == LEGAL:
            name = requirement.key.split(":", 1)[1]
            requirement.met = total(legal[name])
            others = np.ones(count, np.bool_)
            for other, condition in legal.items():
                if other != name:
                    others &= condition
            requirement.more_relaxed = total(~legal[name] & (s >= reach) & others)
            requirement.following_relaxed = 0
    bands = []
    above = 0
    for floor, key, words, _meaning in FIT_BANDS:
        at_least = total(s >= floor_of(floor)) if floor > 0 else considered
        bands.append((key, str(words), floor, at_least - above))
        above = at_least
    return considered, eligible_count, reached, bands


def _commute_array(target, dense, rows):
    """The engine's commute part in tenths per considered person (as :func:`_commute_sql`)."""
    count = len(rows)
    if target.commune_id is None:
        return np.full(count, COMMUTE_SAME_COMMUNE, np.int64)
    commune = dense["commune"][rows]
    travel = dense["travel"][rows]
    known = commune != pool_copy.NONE_ID
    zone = np.isin(commune, np.array(sorted(target.zone_commune_ids), np.int64)) & known
    brussels = np.where(
        travel >= BRUSSELS_TRAVEL_MINUTES, COMMUTE_BRUSSELS_FAR, COMMUTE_BRUSSELS_NEAR
    )
    outside = np.where(travel >= OUTSIDE_TRAVEL_MINUTES, COMMUTE_OUTSIDE_FAR, COMMUTE_OUTSIDE_NEAR)
    return np.select(
        [commune == int(target.commune_id), zone, known, dense["outside"][rows]],
        [COMMUTE_SAME_COMMUNE, COMMUTE_SAME_ZONE, brussels, outside],
        COMMUTE_UNKNOWN,
    ).astype(np.int64)


def _legal_arrays(target, today, copy, rows):
    """{key: met per considered person} for each legal condition (as :func:`_legal_sql`)."""
    dense = copy.dense
    conditions = {}
    if target.min_age:
        birth_year = dense["birth_year"][rows]
        conditions["age"] = (birth_year != pool_copy.NONE_ID) & (
            today.year - birth_year.astype(np.int64) >= int(target.min_age)
        )
    if target.nationality and target.nationality != Role.Nationality.ANY:
        accepted = (
            ["belgian"] if target.nationality == Role.Nationality.BELGIAN else ["belgian", "eea"]
        )
        codes = [copy.nationalities[value] for value in accepted if value in copy.nationalities]
        conditions["nationality"] = np.isin(dense["nationality"][rows], np.array(codes, np.int64))
    if target.driving_licence:
        met_by = LICENCE_MET_BY.get(target.driving_licence, {target.driving_licence})
        bits = sum(copy.licence_bits.get(category, 0) for category in met_by)
        conditions["licence"] = (dense["licences"][rows] & bits) != 0
    if target.diploma_required and DIPLOMA_RANK.get(target.required_diploma, 0) > 0:
        if target.alternative_route:
            conditions["diploma"] = np.ones(len(rows), np.bool_)
        else:
            needed = DIPLOMA_RANK[target.required_diploma]
            conditions["diploma"] = dense["diploma"][rows] >= needed
    return conditions


# Counts kept between reads ----------------------------------------------------------------------

KEPT_SECONDS = 60
COUNTED = ("met", "more_relaxed", "following_relaxed", "more_training", "following_training")


def _target_key(vacancy, target, today):
    """What the counts depend on, labels aside: the requirements, the pool's last change."""
    last_change = ProfileChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    parts = (
        vacancy.pk,
        today.isoformat(),
        last_change,
        cache_versions.current(POOL_GENERATION_KEY),
        tuple((s.skill_id, s.importance, s.level) for s in target.skills),
        tuple(
            (x.language_id, x.min_cefr, x.certificate, x.is_alternative) for x in target.languages
        ),
        target.shifts,
        target.nights,
        target.weekends,
        target.commune_id,
        tuple(sorted(target.zone_commune_ids)),
        target.min_age,
        target.nationality,
        target.driving_licence,
        target.diploma_required,
        target.required_diploma,
        bool(target.alternative_route),
    )
    return "pool-insight:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _kept_counts(vacancy, target, requirements, today):
    """:func:`_counts`, kept a minute for the same requirements and the same pool.

    The editor asks again at every pause in typing, mostly for texts that change no count
    (a title, a description, the pay): those reads cost one query. A job-seeker's change of
    skills, languages, diplomas, conditions, sharing or account appends a ProfileChange, which
    changes the key; what it does not record (an enrolment) shows within the minute."""
    key = _target_key(vacancy, target, today)
    kept = cache.get(key)
    if kept is not None:
        totals, counted = kept
        for requirement in requirements:
            for name, value in zip(COUNTED, counted.get(requirement.key, ()), strict=False):
                setattr(requirement, name, value)
        considered, eligible, reached, band_counts = totals
        words = {band_key: str(band_words) for _f, band_key, band_words, _m in FIT_BANDS}
        bands = [
            (band_key, words[band_key], floor, count) for band_key, floor, count in band_counts
        ]
        return considered, eligible, reached, bands
    considered, eligible, reached, bands = _counts_in_memory(vacancy, target, requirements, today)
    counted = {
        requirement.key: tuple(getattr(requirement, name) for name in COUNTED)
        for requirement in requirements
    }
    band_counts = [(band_key, floor, count) for band_key, _words, floor, count in bands]
    cache.set(key, ((considered, eligible, reached, band_counts), counted), KEPT_SECONDS)
    return considered, eligible, reached, bands


# Suggestions and training ---------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    requirement: str
    change: str  # "relaxed" or "training"
    more: int
    following: int
    text: str


def _suggestion_text(requirement, change, more, following):
    count = shown(more)
    if change == "training":
        text = ngettext(
            "“%(skill)s” learned in training reaches %(count)s more person",
            "“%(skill)s” learned in training reaches %(count)s more people",
            count,
        ) % {"skill": requirement.label, "count": count}
    elif requirement.kind == AVAILABILITY:
        text = ngettext(
            "No demand of %(demands)s reaches %(count)s more person",
            "No demand of %(demands)s reaches %(count)s more people",
            count,
        ) % {"demands": requirement.asked, "count": count}
    elif requirement.kind == COMMUNE:
        text = ngettext(
            "Not counting the commute reaches %(count)s more person",
            "Not counting the commute reaches %(count)s more people",
            count,
        ) % {"count": count}
    elif requirement.kind == SKILL:
        text = ngettext(
            "“%(skill)s” at %(relaxed)s instead of %(asked)s reaches %(count)s more person",
            "“%(skill)s” at %(relaxed)s instead of %(asked)s reaches %(count)s more people",
            count,
        ) % {
            "skill": requirement.label,
            "relaxed": requirement.relaxed,
            "asked": requirement.asked,
            "count": count,
        }
    else:
        text = ngettext(
            "%(relaxed)s instead of %(asked)s reaches %(count)s more person",
            "%(relaxed)s instead of %(asked)s reaches %(count)s more people",
            count,
        ) % {"relaxed": requirement.relaxed, "asked": requirement.asked, "count": count}
    if following >= THRESHOLD:
        following_count = shown(following)
        text += ngettext(
            "; %(count)s of them is following a college course that teaches it",
            "; %(count)s of them are following a college course that teaches it",
            following_count,
        ) % {"count": following_count}
    return capfirst(text) + "."


def _suggestions(requirements):
    """The changes reaching the most people more, never a legal condition (see above)."""
    offered = []
    for order, requirement in enumerate(requirements):
        if requirement.is_legal:
            continue
        if requirement.more_relaxed is not None and requirement.more_relaxed >= THRESHOLD:
            offered.append((requirement, "relaxed", requirement.more_relaxed, order, 0))
        if requirement.more_training is not None and requirement.more_training >= THRESHOLD:
            offered.append((requirement, "training", requirement.more_training, order, 1))
    offered.sort(key=lambda item: (-shown_value(item[2]), item[3], item[4]))
    suggestions = []
    for requirement, change, more, _order, _kind in offered[:MAX_SUGGESTIONS]:
        following = (
            requirement.following_training
            if change == "training"
            else requirement.following_relaxed
        )
        suggestions.append(
            Suggestion(
                requirement=requirement.key,
                change=change,
                more=more,
                following=following,
                text=_suggestion_text(requirement, change, more, following),
            )
        )
    return suggestions


@dataclass(frozen=True)
class CohortOffer:
    module: str
    url: str
    code: str
    starts_on: datetime.date
    ends_on: datetime.date
    capacity: int
    requirements: tuple  # keys of the requirements it teaches
    teaches: str


def _cohorts(target, requirements, closes_on, today):
    """Cohorts open for enrolment that end by the closing date and teach a requirement (a
    skill to the level asked, a language to the level asked): two queries."""
    if closes_on is None:
        return []
    skills = {r.skill.skill_id: r for r in requirements if r.kind == SKILL}
    languages = {}
    for requirement in requirements:
        if requirement.kind == LANGUAGE:
            for item in requirement.languages:
                languages[item.language_id] = (requirement, item)
    if not skills and not languages:
        return []
    outcomes = {}
    rows = ModuleSkill.objects.filter(skill_id__in=list(skills), module__is_active=True)
    for row in rows.order_by("module_id", "skill_id"):
        if row.level >= skills[row.skill_id].skill.level:
            outcomes.setdefault(row.module_id, []).append(skills[row.skill_id])
    cohorts = (
        Cohort.objects.filter(
            is_cancelled=False,
            enrolment_closes_on__gte=today,
            ends_on__lte=closes_on,
            module__is_active=True,
        )
        .filter(Q(module_id__in=list(outcomes)) | Q(module__language_taught_id__in=list(languages)))
        .select_related("module")
        .order_by("ends_on", "starts_on", "code")
    )
    offers = []
    for cohort in cohorts:
        module = cohort.module
        covered = list(outcomes.get(module.pk, []))
        if module.language_taught_id in languages:
            requirement, item = languages[module.language_taught_id]
            if CEFR.rank(module.cefr_reached) >= CEFR.rank(item.min_cefr):
                covered.append(requirement)
        if not covered:
            continue
        offers.append(
            CohortOffer(
                module=module.title,
                url=f"/training/{module.local_slug}/",
                code=cohort.code,
                starts_on=cohort.starts_on,
                ends_on=cohort.ends_on,
                capacity=cohort.capacity,
                requirements=tuple(r.key for r in covered),
                teaches=", ".join(r.label for r in covered),
            )
        )
        if len(offers) >= MAX_COHORTS:
            break
    return offers


# Entry points ----------------------------------------------------------------------------------


def pool_insight(*, vacancy, target=None, closes_on=None, today=None) -> PoolInsight:
    """The pool insight of `vacancy`, for `target` (its requirements as the editor holds them)
    or, by default, as saved. Exact counts: show them only through :func:`shown`."""
    today = today or timezone.localdate()
    if target is None:
        target = matching.load_vacancy_target(vacancy)
    if closes_on is None:
        closes_on = vacancy.closes_on
    requirements = _requirements(target)
    considered, eligible, reached, bands = _kept_counts(vacancy, target, requirements, today)
    return PoolInsight(
        considered=considered,
        eligible=eligible,
        reached=reached,
        bands=bands,
        requirements=requirements,
        suggestions=_suggestions(requirements),
        cohorts=_cohorts(target, requirements, closes_on, today),
        closes_on=closes_on,
    )


def target_from_editor(vacancy, *, form, skills, languages):
    """The vacancy's target as the editor's bound forms hold it, before saving: each valid
    field replaces the saved one; rows with errors are left out."""
    target = matching.load_vacancy_target(vacancy)
    cleaned = getattr(form, "cleaned_data", {}) or {}
    changes = {}
    for name in ("shifts", "nights", "weekends", "min_age", "nationality", "driving_licence"):
        if name in cleaned:
            changes[name] = cleaned[name] if cleaned[name] is not None else None
    if "driving_licence" in changes:
        changes["driving_licence"] = changes["driving_licence"] or ""
    if "min_age" in changes and not changes["min_age"]:
        changes["min_age"] = None
    commune = cleaned.get("commune")
    if commune is not None:
        changes["commune_id"] = commune.pk
        changes["zone_commune_ids"] = zone_commune_ids(commune.pk)
    if "diploma_required" in cleaned:
        changes["diploma_required"] = bool(cleaned["diploma_required"])
        changes["required_diploma"] = cleaned.get("required_diploma") or target.required_diploma
        if changes["diploma_required"] and not target.alternative_route:
            changes["alternative_route"] = vacancy.role.alternative_route
    entry, taught = [], []
    for row in _valid_rows(skills):
        requirement = SkillRequirement(
            skill_id=row["skill"].pk,
            importance=row["importance"],
            level=int(row["min_level"]),
            label=row["skill"].label,
            esco_uri=row["skill"].esco_uri,
        )
        (entry if (row.get("stage") or "entry") == "entry" else taught).append(requirement)
    changes["skills"] = tuple(entry)
    changes["taught"] = tuple(taught)
    language_rows = sorted(
        _valid_rows(languages), key=lambda row: (row["language"].position, row["language"].pk)
    )
    changes["languages"] = tuple(
        LanguageRequirement(
            language_id=row["language"].pk,
            min_cefr=row["min_cefr"],
            certificate=row.get("certificate") or "",
            is_alternative=bool(row.get("is_alternative")),
            code=row["language"].code,
            name=row["language"].name,
        )
        for row in language_rows
    )
    closes_on = cleaned.get("closes_on") or vacancy.closes_on
    return replace(target, **changes), closes_on


def _valid_rows(formset):
    rows = []
    seen = set()
    for row in formset.forms:
        data = getattr(row, "cleaned_data", None)
        if not data or data.get("DELETE") or row.errors:
            continue
        item = data.get("skill") or data.get("language")
        if item is None or item.pk in seen:
            continue
        seen.add(item.pk)
        rows.append(data)
    return rows


# What leaves: every count through shown() ------------------------------------------------------


def _what_if(change, more, following):
    if more is None:
        return None
    return {"change": change, "more": shown(more), "following": shown(following)}


def insight_data(insight: PoolInsight) -> dict:
    """The insight as every response carries it (API and page): counts only through
    :func:`shown`, so no response holds an exact count (see "Suppression")."""
    return {
        "threshold": THRESHOLD,
        "considered": shown(insight.considered),
        "eligible": shown(insight.eligible),
        "reached": shown(insight.reached),
        "bands": [
            {"band": key, "label": words, "floor": floor, "count": shown(count)}
            for key, words, floor, count in insight.bands
        ],
        "requirements": [
            {
                "key": requirement.key,
                "kind": requirement.kind,
                "label": requirement.label,
                "asked": requirement.asked,
                "is_legal": requirement.is_legal,
                "met": shown(requirement.met),
                "if_relaxed": _what_if(
                    requirement.relaxed, requirement.more_relaxed, requirement.following_relaxed
                ),
                "if_training": _what_if(
                    _("learned in training"),
                    requirement.more_training,
                    requirement.following_training,
                ),
            }
            for requirement in insight.requirements
        ],
        "suggestions": [
            {
                "requirement": suggestion.requirement,
                "change": suggestion.change,
                "more": shown(suggestion.more),
                "following": shown(suggestion.following),
                "text": suggestion.text,
            }
            for suggestion in insight.suggestions
        ],
        "training": [
            {
                "module": offer.module,
                "url": offer.url,
                "cohort": offer.code,
                "starts_on": offer.starts_on,
                "ends_on": offer.ends_on,
                "places": offer.capacity,
                "requirements": list(offer.requirements),
                "teaches": offer.teaches,
            }
            for offer in insight.cohorts
        ],
        "closes_on": insight.closes_on,
    }
