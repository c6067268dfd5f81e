"""The score of :mod:`college.matching.score` in SQL, for many candidates or many vacancies.

The statements use the same constants and the same integer arithmetic as
:func:`college.matching.score.combine`, so they give the very same integer on SQLite and
PostgreSQL. :func:`matches_for` ranks the vacancies for one job-seeker in one statement (plus a
few queries that read the fixed side), so ranking 2,000 vacancies never loads them into Python;
:func:`computed_shortlist` ranks a vacancy's pool in one statement.
"""

from __future__ import annotations

from django.db import connection, transaction

from candidates.models import CandidateLanguage, CandidateSkill, LanguageCertificate
from college.matching.load import load_candidate, load_vacancy_target, zone_commune_ids
from college.matching.pool import default_pool
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
    ENTRY,
    EVIDENCE_TENTHS,
    IMPORTANCE_WEIGHTS,
    OUTSIDE_TRAVEL_MINUTES,
    cefr_reach60,
    language_groups,
    level_reach12,
)
from college.models import CEFR
from employers.models import Vacancy, VacancyLanguage, VacancySkill

SCORING_WORK_MEM = "64MB"


def _fetch_scores(sql, params):
    """Runs a scoring statement. On PostgreSQL without JIT compilation: the planner's cost of
    these big CASE expressions triggers JIT, which costs about a second per statement here
    (measured: 1.3 s with JIT against 0.43 s without, for 100,000 candidates)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(row[0]), int(row[1])) for row in cursor.fetchall()]
    with transaction.atomic(), connection.cursor() as cursor:
        # One statement for both settings: the skill credit aggregates ~350,000 rows, whose
        # sort or hash spills to disk at the default 4 MB of work memory.
        cursor.execute(
            "SELECT set_config('jit', 'off', true), set_config('work_mem', %s, true)",
            [SCORING_WORK_MEM],
        )
        cursor.execute(sql, params)
        return [(int(row[0]), int(row[1])) for row in cursor.fetchall()]


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _case(column, mapping, default="0"):
    """CASE column WHEN key THEN value … END, keys and values being safe literals."""
    if not mapping:
        return default
    whens = " ".join(f"WHEN {key} THEN {value}" for key, value in mapping.items())
    return f"(CASE {column} {whens} ELSE {default} END)"


def _str(value):
    """A quoted SQL literal for a value from a fixed set of choices (letters, digits, _)."""
    value = str(value)
    if not value.replace("_", "").isalnum():
        raise ValueError(f"unexpected literal {value!r}")
    return f"'{value}'"


EVIDENCE_CASE = (
    "(CASE {column} "
    + " ".join(f"WHEN '{key}' THEN {value}" for key, value in EVIDENCE_TENTHS.items())
    + " ELSE 0 END)"
)
IMPORTANCE_CASE = (
    "(CASE {column} "
    + " ".join(f"WHEN '{key}' THEN {value}" for key, value in IMPORTANCE_WEIGHTS.items())
    + " ELSE 0 END)"
)


def _score_sql(a, weight_total, b, n, k, d, c):
    """The combine() formula in SQL over integer expressions (identical arithmetic)."""
    a_ = f"(CASE WHEN {weight_total} = 0 THEN 120 ELSE {a} END)"
    w_ = f"(CASE WHEN {weight_total} = 0 THEN 1 ELSE {weight_total} END)"
    b_ = f"(CASE WHEN {n} = 0 THEN 60 ELSE {b} END)"
    n_ = f"(CASE WHEN {n} = 0 THEN 1 ELSE {n} END)"
    k_ = f"(CASE WHEN {d} = 0 THEN 1 ELSE {k} END)"
    d_ = f"(CASE WHEN {d} = 0 THEN 1 ELSE {d} END)"
    denominator = f"(72 * {w_} * {n_} * {d_})"
    numerator = (
        f"(42 * {a_} * {n_} * {d_} + 24 * {b_} * {w_} * {d_}"
        f" + 360 * {k_} * {w_} * {n_} + 36 * {c} * {w_} * {n_} * {d_})"
    )
    return f"((2 * {numerator} + {denominator}) / (2 * {denominator}))"


def _bool(column):
    return f"(CASE WHEN {column} THEN 1 ELSE 0 END)"


def _skills_sql(target, profiles_sql=None):
    """Per candidate holding one of the target's skills: profile_id and the integer part a.

    `profiles_sql`, when given, selects the only profile ids to read (a few job-seekers
    re-scored for a kept ranking, say)."""
    by_skill = {}
    for requirement in target.skills:
        levels = {
            held: requirement.weight * level_reach12(held, requirement.level)
            for held in (1, 2, 3, 4)
        }
        by_skill[int(requirement.skill_id)] = _case("cs.level", levels)
    ids = ", ".join(str(key) for key in by_skill)
    credit = _case("cs.skill_id", by_skill)
    return (
        f"SELECT cs.profile_id AS profile_id, "
        f"SUM({credit} * {EVIDENCE_CASE.format(column='cs.evidence')}) AS a "
        f"FROM {_table(CandidateSkill)} cs WHERE cs.skill_id IN ({ids}) "
        + (f"AND cs.profile_id IN ({profiles_sql}) " if profiles_sql else "")
        + "GROUP BY cs.profile_id"
    )


def _languages_join(target, profiles_sql=None):
    """(LEFT JOIN of the language groups' best reach per candidate, the b expression).

    `profiles_sql`, when given, selects the profile ids the languages are read for."""
    groups = language_groups(target.languages)
    if not groups:
        return "", "0"
    only = f" AND {{alias}}.profile_id IN ({profiles_sql})" if profiles_sql else ""
    language_ids = sorted({int(item.language_id) for item in target.languages})
    certificates = sorted(
        {(int(item.language_id), item.certificate) for item in target.languages if item.certificate}
    )
    union = (
        f"SELECT cl.profile_id AS profile_id, cl.language_id AS language_id, "
        f"cl.cefr AS cefr, '' AS certificate FROM {_table(CandidateLanguage)} cl "
        f"WHERE cl.language_id IN ({', '.join(map(str, language_ids))}){only.format(alias='cl')}"
    )
    if certificates:
        condition = " OR ".join(
            f"(lc.language_id = {language_id} AND lc.level = {_str(level)})"
            for language_id, level in certificates
        )
        union += (
            f" UNION ALL SELECT lc.profile_id, lc.language_id, '', lc.level "
            f"FROM {_table(LanguageCertificate)} lc WHERE ({condition}){only.format(alias='lc')}"
        )
    columns = []
    for index, group in enumerate(groups):
        whens = []
        for item in group:
            reach = {_str(value): cefr_reach60(value, item.min_cefr) for value in CEFR.values}
            value = _case("x.cefr", reach)
            if item.certificate:
                value = (
                    f"(CASE WHEN x.certificate = {_str(item.certificate)} THEN 60 ELSE {value} END)"
                )
            whens.append(f"WHEN {int(item.language_id)} THEN {value}")
        columns.append(f"MAX(CASE x.language_id {' '.join(whens)} ELSE 0 END) AS g{index}")
    languages_sql = (
        f"SELECT x.profile_id AS profile_id, {', '.join(columns)} "
        f"FROM ({union}) x GROUP BY x.profile_id"
    )
    b = " + ".join(f"COALESCE(lg.g{index}, 0)" for index in range(len(groups)))
    return f"LEFT JOIN ({languages_sql}) lg ON lg.profile_id = p.id", b


def _availability_commute_sql(target):
    """(k, d, c): the availability and commute parts over the pool's columns (alias p)."""
    demanded = [name for name in DEMANDS if getattr(target, name)]
    k = " + ".join(_bool(f"p.{name}") for name in demanded) or "0"
    if target.commune_id is None:
        c = str(COMMUTE_SAME_COMMUNE)
    else:
        zone = ", ".join(str(int(item)) for item in sorted(target.zone_commune_ids)) or "NULL"
        c = (
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
    return k, len(demanded), c


def _score_of(target, a, b):
    weight_total = sum(item.weight for item in target.skills)
    k, d, c = _availability_commute_sql(target)
    return _score_sql(a, weight_total, b, len(language_groups(target.languages)), k, d, c)


def _shortlist_sql(target, pool_sql, *, small_pool=False):
    """Every pool member's score: (statement, how many times the pool's parameters repeat).

    With `small_pool`, skills and languages are read for the pool's members only (an index
    lookup per member) rather than for every holder of the target's skills."""
    repeat = 1
    only = None
    if small_pool:
        only = f"SELECT pp.id FROM ({pool_sql}) pp"
    if target.skills:
        skills_join = f"LEFT JOIN ({_skills_sql(target, only)}) sk ON sk.profile_id = p.id"
        a = "COALESCE(sk.a, 0)"
        repeat += 1 if only else 0
    else:
        skills_join = ""
        a = "0"
    languages_join, b = _languages_join(target, only)
    if only and languages_join:
        repeat += 1 + any(item.certificate for item in target.languages)
    score = _score_of(target, a, b)
    sql = f"SELECT p.id AS id, {score} AS score FROM ({pool_sql}) p {skills_join} {languages_join}"
    return sql, repeat


# Pruning: how many candidates, best by skill credit, are scored exactly to find the cutoff
# (at least 4 × limit).
PRUNE_SAMPLE = 200


def _pruned_sql(target, pool_sql, limit):
    """The best `limit` pool members in one statement that scores only those who can make it.

    1. ``pre``: the PRUNE_SAMPLE pool members with the most skill credit ``a``, scored exactly;
       ``s`` is the `limit`-th best of those scores (0 when there are fewer than `limit`).
       At least `limit` pool members score ``s`` or more, so every member of the final
       top `limit` (ties by id included) scores at least ``s``.
    2. ``kept``: the members whose score can still reach ``s``. With every other part at its
       maximum (b = 60 n, k = d, c = 10), ``N ≤ n d (42 a + 2160 W)`` and ``D = 72 W n d``, so
       ``score ≥ s ⟺ 2N ≥ (2s − 1) D`` needs ``84 a + 4320 W ≥ 144 W s − 72 W``, that is
       ``14 a ≥ 12 W (2 s − 61)`` (exact, integer). Members without any of the skills
       (a = 0) are kept only when that bound is ≤ 0 (s ≤ 30).
    3. The kept members are scored fully, languages read for them only.

    Returns (statement, how many times the pool's parameters repeat).
    """
    weight_total = sum(item.weight for item in target.skills)
    columns = (
        "p.id AS id, p.commune_id AS commune_id, p.lives_outside_brussels AS "
        "lives_outside_brussels, p.max_travel_minutes AS max_travel_minutes, "
        "p.shifts AS shifts, p.nights AS nights, p.weekends AS weekends"
    )
    pre_languages, b_pre = _languages_join(target, "SELECT pre.id FROM pre")
    kept_languages, b_kept = _languages_join(target, "SELECT kept.id FROM kept")
    cutoff = "(SELECT COALESCE(MAX(cut.score), 0) FROM cut)"
    sql = (
        f"WITH sk AS ({_skills_sql(target)}), "
        f"skp AS (SELECT {columns}, sk.a AS a FROM sk INNER JOIN ({pool_sql}) p "
        f"ON p.id = sk.profile_id), "
        f"pre AS (SELECT * FROM skp ORDER BY a DESC, id LIMIT {max(PRUNE_SAMPLE, 4 * limit)}), "
        f"cut AS (SELECT {_score_of(target, 'p.a', b_pre)} AS score FROM pre p {pre_languages} "
        f"ORDER BY score DESC LIMIT 1 OFFSET {int(limit) - 1}), "
        f"kept AS (SELECT * FROM skp "
        f"WHERE 14 * skp.a >= {12 * weight_total} * (2 * {cutoff} - 61) "
        f"UNION ALL SELECT {columns}, 0 AS a FROM ({pool_sql}) p WHERE {cutoff} <= 30 "
        f"AND NOT EXISTS (SELECT 1 FROM sk WHERE sk.profile_id = p.id)) "
        f"SELECT p.id AS id, {_score_of(target, 'p.a', b_kept)} AS score "
        f"FROM kept p {kept_languages}"
    )
    return sql, 2


def _pool_sql(pool):
    columns = [
        "id",
        "commune_id",
        "lives_outside_brussels",
        "max_travel_minutes",
        "shifts",
        "nights",
        "weekends",
    ]
    query = pool.order_by().values(*columns).query
    sql, params = query.sql_with_params()
    return sql, params


def computed_shortlist(*, vacancy, limit=50, pool=None, small_pool=False):
    """`shortlist` computed from scratch in SQL, never from a kept ranking.

    `small_pool`: the pool holds a few job-seekers (see _shortlist_sql)."""
    target = load_vacancy_target(vacancy, labels=False)
    if pool is None:
        pool = default_pool(vacancy)
    pool_sql, params = _pool_sql(pool)
    if limit is not None and int(limit) > 0 and target.skills and not small_pool:
        sql, repeat = _pruned_sql(target, pool_sql, int(limit))
    else:
        sql, repeat = _shortlist_sql(target, pool_sql, small_pool=small_pool)
    sql = f"SELECT id, score FROM ({sql}) s ORDER BY score DESC, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _fetch_scores(sql, tuple(params) * repeat)


def _matches_sql(candidate, vacancies_sql, zone):
    # Skills: per vacancy, W = Σ weight, a = Σ weight × reach12(held, min level) × evidence.
    importance = IMPORTANCE_CASE.format(column="vs.importance")
    if candidate.skills:
        by_skill = {}
        for skill_id, held in candidate.skills.items():
            reach = {
                required: level_reach12(held.level, required) * EVIDENCE_TENTHS[held.evidence]
                for required in (1, 2, 3, 4)
            }
            by_skill[int(skill_id)] = _case("vs.min_level", reach)
        credit = f"{importance} * {_case('vs.skill_id', by_skill)}"
    else:
        credit = "0"
    skills_sql = (
        f"SELECT vs.vacancy_id AS vacancy_id, SUM({importance}) AS w, SUM({credit}) AS a "
        f"FROM {_table(VacancySkill)} vs WHERE vs.stage = {_str(ENTRY)} "
        f"AND vs.vacancy_id IN (SELECT v0.id FROM ({vacancies_sql}) v0) GROUP BY vs.vacancy_id"
    )
    # Languages: reach per requirement row from the candidate's level or certificate.
    by_language = {}
    for language_id, cefr in candidate.languages.items():
        reach = {_str(value): cefr_reach60(cefr, value) for value in CEFR.values}
        by_language[int(language_id)] = _case("vl.min_cefr", reach)
    reach = _case("vl.language_id", by_language)
    if candidate.certificates:
        condition = " OR ".join(
            f"(vl.language_id = {int(language_id)} AND vl.certificate = {_str(level)})"
            for language_id, level in sorted(candidate.certificates)
        )
        reach = f"(CASE WHEN {condition} THEN 60 ELSE {reach} END)"
    alternative = _bool("vl.is_alternative")
    languages_sql = (
        f"SELECT vl.vacancy_id AS vacancy_id, "
        f"SUM(1 - {alternative}) + MAX({alternative}) AS n, "
        f"SUM((1 - {alternative}) * {reach}) + MAX({alternative} * {reach}) AS b "
        f"FROM {_table(VacancyLanguage)} vl WHERE vl.vacancy_id IN (SELECT v1.id FROM "
        f"({vacancies_sql}) v1) GROUP BY vl.vacancy_id"
    )
    k = " + ".join(
        f"(CASE WHEN v.{name} THEN {1 if getattr(candidate, name) else 0} ELSE 0 END)"
        for name in DEMANDS
    )
    d = " + ".join(_bool(f"v.{name}") for name in DEMANDS)
    if candidate.commune_id is not None:
        other = (
            COMMUTE_BRUSSELS_FAR
            if (candidate.max_travel_minutes or 0) >= BRUSSELS_TRAVEL_MINUTES
            else COMMUTE_BRUSSELS_NEAR
        )
        zone_ids = ", ".join(str(int(item)) for item in sorted(zone)) or "NULL"
        c = (
            f"(CASE WHEN v.commune_id = {int(candidate.commune_id)} THEN {COMMUTE_SAME_COMMUNE} "
            f"WHEN v.commune_id IN ({zone_ids}) THEN {COMMUTE_SAME_ZONE} ELSE {other} END)"
        )
    elif candidate.lives_outside_brussels:
        c = str(
            COMMUTE_OUTSIDE_FAR
            if (candidate.max_travel_minutes or 0) >= OUTSIDE_TRAVEL_MINUTES
            else COMMUTE_OUTSIDE_NEAR
        )
    else:
        c = str(COMMUTE_UNKNOWN)
    parts = (
        f"SELECT v.id AS id, COALESCE(sk.a, 0) AS a, COALESCE(sk.w, 0) AS w, "
        f"COALESCE(lg.b, 0) AS b, COALESCE(lg.n, 0) AS n, {k} AS k, {d} AS d, {c} AS c "
        f"FROM ({vacancies_sql}) v "
        f"LEFT JOIN ({skills_sql}) sk ON sk.vacancy_id = v.id "
        f"LEFT JOIN ({languages_sql}) lg ON lg.vacancy_id = v.id"
    )
    score = _score_sql("t.a", "t.w", "t.b", "t.n", "t.k", "t.d", "t.c")
    return f"SELECT t.id AS id, {score} AS score FROM ({parts}) t"


def matches_for(*, profile, vacancies=None, limit=None) -> list[tuple[int, int]]:
    """(vacancy id, score) for the job-seeker, best first, ties by vacancy id.

    Over published vacancies by default. Five queries whatever the number of vacancies: the
    profile's skills, languages, certificates, its police zone's communes, then one statement.
    """
    candidate = load_candidate(profile, with_diplomas=False)
    zone = zone_commune_ids(candidate.commune_id)
    if vacancies is None:
        vacancies = Vacancy.objects.published()
    vacancies_sql, params = (
        vacancies.order_by().values("id", "commune_id", *DEMANDS).query.sql_with_params()
    )
    sql = _matches_sql(candidate, vacancies_sql, zone)
    sql = f"SELECT id, score FROM ({sql}) s ORDER BY score DESC, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _fetch_scores(sql, tuple(params) * 3)
