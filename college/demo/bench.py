"""The matching benchmark's synthetic Brussels-scale data set, its in-memory lower bound and its
timed runs (`manage.py bench_matching`, on a scratch database only).

The data set: opted-in job-seekers with about 20 skills each over the reference skills plus
synthetic ones (300+), languages, certificates and conditions; published vacancies of verified
employers built from the real roles' requirement profiles. The runs time ``shortlist(vacancy,
limit=50)`` for random vacancies and ``matches_for(profile, limit=50)`` for random job-seekers,
compute the same shortlists in memory with numpy/scipy sparse matrices (a lower bound for the
SQL) and count where the rankings disagree; then time each sampled vacancy's pool insight
with every what-if (``employers.shortlists.pool``), computed afresh and read again at once.
"""

import datetime
import resource
import statistics
import time
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from scipy import sparse

from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    LanguageCertificate,
    ProfileChange,
)
from college import matching
from college.core import cache_versions
from college.core.public_cache import public_data_changed
from college.matching import score as scoring
from college.matching.pool import POOL_GENERATION_KEY
from college.models import CEFR, Commune, Language, Role, Skill, User
from employers.models import Employer, Vacancy, VacancyLanguage, VacancyRanking, VacancySkill
from employers.shortlists import pool_copy
from employers.shortlists.pool import pool_insight

BENCH_DOMAIN = "bench.invalid"
CHANGES_PER_READ = 10  # job-seekers whose skills change between two reads of a shortlist
BENCH_SKILL_PREFIX = "http://example.invalid/bench/skill/"
EXTRA_SKILLS = 80
EVIDENCE_CHOICES = (
    ["self_declared"] * 5
    + ["counsellor_validated"] * 2
    + ["test_verified"] * 2
    + ["training_certified"]
)
CEFR_VALUES = list(CEFR.values)


def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return round(ordered[index], 2)


# The data set -------------------------------------------------------------------------------


def bench_profiles():
    return CandidateProfile.objects.filter(user__email__endswith=f"@{BENCH_DOMAIN}")


def bench_vacancies():
    return Vacancy.objects.filter(employer__slug__startswith="bench-")


def bench_clear():
    # Millions of rows: deleted in SQL, past the signals that record each change for the
    # kept rankings (dropped here with the data they ranked).
    profiles = bench_profiles().values("pk")
    ProfileChange.objects.filter(profile__in=profiles)._raw_delete(connection.alias)
    for model in (CandidateSkill, CandidateLanguage, LanguageCertificate):
        model.objects.filter(profile__in=profiles)._raw_delete(connection.alias)
    vacancies = bench_vacancies().values("pk")
    VacancyRanking.objects.filter(vacancy__in=vacancies).delete()
    VacancySkill.objects.filter(vacancy__in=vacancies)._raw_delete(connection.alias)
    VacancyLanguage.objects.filter(vacancy__in=vacancies)._raw_delete(connection.alias)
    Vacancy.objects.filter(pk__in=vacancies).delete()
    Employer.objects.filter(slug__startswith="bench-").delete()
    User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").delete()


def insert(model, columns, rows):
    """Fast insertion: COPY on PostgreSQL, executemany elsewhere."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


def bench_build(rng, candidates, vacancies):
    """The data set: `candidates` job-seekers and `vacancies` vacancies, drawn from `rng`."""
    now = timezone.now()
    skills = _make_skills()
    roles = list(Role.objects.with_profile())
    if not roles:
        raise CommandError("No roles: run load_reference_data first.")
    profiles_of_roles = [
        [
            (item.skill_id, item.importance, item.target_level, item.stage)
            for item in role.requirements.all()
        ]
        for role in roles
    ]
    communes = list(Commune.objects.values_list("pk", flat=True))
    languages = dict(Language.objects.values_list("code", "pk"))
    profiles = _make_candidates(rng, candidates, communes)
    _make_candidate_skills(rng, profiles, profiles_of_roles, skills, now)
    _make_candidate_languages(rng, profiles, languages)
    _make_vacancies(rng, vacancies, roles, profiles_of_roles, communes, languages, now)


def _make_skills():
    """Every skill's id, with the synthetic skills added to the reference ones."""
    have = Skill.objects.filter(esco_uri__startswith=BENCH_SKILL_PREFIX).count()
    Skill.objects.bulk_create(
        [
            Skill(
                esco_uri=f"{BENCH_SKILL_PREFIX}{index}",
                skill_type=Skill.Type.SKILL,
                label_fr=f"compétence synthétique {index}",
                label_nl=f"synthetische vaardigheid {index}",
                label_en=f"synthetic skill {index}",
                search_text=f"synthetic skill {index}",
            )
            for index in range(have, EXTRA_SKILLS)
        ]
    )
    return list(Skill.objects.order_by("pk").values_list("pk", flat=True))


def _make_candidates(rng, candidates, communes):
    # Users and profiles: bulk_create gives back the keys on PostgreSQL and SQLite.
    users = User.objects.bulk_create(
        [
            User(
                email=f"c{index}@{BENCH_DOMAIN}",
                full_name=f"Bench {index}",
                role=User.Role.CANDIDATE,
                password="!",
            )
            for index in range(candidates)
        ],
        batch_size=5000,
    )
    profile_rows = []
    for user in users:
        outside = rng.random() < 0.12
        profile_rows.append(
            CandidateProfile(
                user=user,
                commune_id=None if outside or rng.random() < 0.05 else rng.choice(communes),
                lives_outside_brussels=outside,
                birth_year=rng.randint(1960, 2007),
                nationality=rng.choice(["belgian", "belgian", "eea", "other", ""]),
                driving_licences=["B"] if rng.random() < 0.5 else [],
                full_time=True,
                shifts=rng.random() < 0.6,
                nights=rng.random() < 0.4,
                weekends=rng.random() < 0.5,
                max_travel_minutes=rng.choice([None, 15, 30, 45, 60, 90]),
                is_visible_in_shortlists=True,
            )
        )
    return CandidateProfile.objects.bulk_create(profile_rows, batch_size=5000)


def _make_candidate_skills(rng, profiles, profiles_of_roles, skills, now):
    """About 20 skills each: up to 12 of one role's requirements, the rest at random."""

    def skill_rows():
        for profile in profiles:
            chosen = {}
            target = rng.choice(profiles_of_roles)
            for skill_id, *_rest in rng.sample(target, min(len(target), 12)):
                chosen[skill_id] = True
            while len(chosen) < 20:
                chosen[rng.choice(skills)] = True
            for skill_id in chosen:
                yield (
                    profile.pk,
                    skill_id,
                    rng.randint(1, 4),
                    rng.choice(EVIDENCE_CHOICES),
                    "",
                    now,
                )

    insert(
        CandidateSkill,
        ["profile_id", "skill_id", "level", "evidence", "evidence_note", "updated_at"],
        skill_rows(),
    )


def _make_candidate_languages(rng, profiles, languages):
    """French or Dutch as a mother tongue, often the other one and English; some certificates."""
    fr, nl, en = languages["fr"], languages["nl"], languages.get("en")

    def language_rows():
        for profile in profiles:
            first, second = (fr, nl) if rng.random() < 0.6 else (nl, fr)
            yield profile.pk, first, "C2"
            if rng.random() < 0.8:
                yield profile.pk, second, rng.choice(CEFR_VALUES)
            if en and rng.random() < 0.5:
                yield profile.pk, en, rng.choice(CEFR_VALUES)

    insert(CandidateLanguage, ["profile_id", "language_id", "cefr"], language_rows())
    insert(
        LanguageCertificate,
        ["profile_id", "language_id", "level"],
        (
            (profile.pk, rng.choice([fr, nl]), rng.choice(["art8", "art9_1", "art9_2"]))
            for profile in profiles
            if rng.random() < 0.1
        ),
    )


def _make_vacancies(rng, vacancies, roles, profiles_of_roles, communes, languages, now):
    """Published vacancies of 20 verified employers, each from a real role's requirements."""
    employers = Employer.objects.bulk_create(
        [
            Employer(
                name=f"Bench employer {index}",
                slug=f"bench-{index}",
                kind=Employer.Kind.MUNICIPAL_PREVENTION,
                is_verified=True,
                verified_at=now,
            )
            for index in range(20)
        ]
    )
    closes_on = timezone.localdate() + datetime.timedelta(days=60)
    chosen_roles = [rng.randrange(len(roles)) for _ in range(vacancies)]
    made = Vacancy.objects.bulk_create(
        [
            Vacancy(
                employer=rng.choice(employers),
                role=roles[index],
                title_fr=f"Offre {number}",
                title_nl=f"Vacature {number}",
                description_fr="Synthétique.",
                description_nl="Synthetisch.",
                commune_id=rng.choice(communes),
                contract="permanent",
                shifts=rng.random() < 0.5,
                nights=rng.random() < 0.3,
                weekends=rng.random() < 0.4,
                closes_on=closes_on,
                status=Vacancy.Status.PUBLISHED,
                published_at=now,
                min_age=roles[index].min_age,
                nationality=roles[index].nationality,
            )
            for number, index in enumerate(chosen_roles)
        ],
        batch_size=1000,
    )

    public_data_changed()  # vacancies and their requirements, in bulk

    def vacancy_skill_rows():
        for vacancy, index in zip(made, chosen_roles, strict=True):
            requirements = profiles_of_roles[index]
            for skill_id, importance, level, stage in rng.sample(
                requirements, min(len(requirements), 15)
            ):
                level = min(4, max(1, level + rng.choice([-1, 0, 0, 1])))
                yield vacancy.pk, skill_id, importance, level, stage

    insert(
        VacancySkill,
        ["vacancy_id", "skill_id", "importance", "min_level", "stage"],
        vacancy_skill_rows(),
    )
    fr, nl, en = languages["fr"], languages["nl"], languages.get("en")

    def vacancy_language_rows():
        for vacancy in made:
            if rng.random() < 0.7:
                level = rng.choice(["B1", "B2"])
                certificate = rng.choice(["", "art9_1"])
                yield vacancy.pk, fr, level, certificate, True
                yield vacancy.pk, nl, level, certificate, True
            else:
                yield (
                    vacancy.pk,
                    rng.choice([fr, nl]),
                    rng.choice(["B1", "B2", "C1"]),
                    "",
                    False,
                )
            if en and rng.random() < 0.2:
                yield vacancy.pk, en, "B1", "", False

    insert(
        VacancyLanguage,
        ["vacancy_id", "language_id", "min_cefr", "certificate", "is_alternative"],
        vacancy_language_rows(),
    )


def refresh_statistics():
    """Planner statistics, and on PostgreSQL the visibility map index-only scans need."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in (
            CandidateSkill,
            CandidateLanguage,
            LanguageCertificate,
            CandidateProfile,
            VacancySkill,
            VacancyLanguage,
            Vacancy,
            User,
        ):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


# The in-memory lower bound --------------------------------------------------------------------


def load_memory():
    """Everything the shortlist reads, as numpy arrays and sparse matrices."""
    pool = CandidateProfile.objects.filter(is_visible_in_shortlists=True)
    rows = list(
        pool.order_by("pk").values_list(
            "pk",
            "commune_id",
            "lives_outside_brussels",
            "max_travel_minutes",
            "shifts",
            "nights",
            "weekends",
        )
    )
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    position = {pk: index for index, pk in enumerate(ids.tolist())}
    skill_ids = sorted(Skill.objects.values_list("pk", flat=True))
    column = {pk: index for index, pk in enumerate(skill_ids)}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT profile_id, skill_id, level, evidence FROM "
            f"{connection.ops.quote_name(CandidateSkill._meta.db_table)}"
        )
        data = [row for row in cursor.fetchall() if row[0] in position]
    rows_index = np.array([position[row[0]] for row in data], dtype=np.int64)
    cols_index = np.array([column[row[1]] for row in data], dtype=np.int64)
    levels = np.array([row[2] for row in data], dtype=np.int64)
    tenths = np.array([matching.EVIDENCE_TENTHS[row[3]] for row in data], dtype=np.int64)
    shape = (len(ids), len(skill_ids))
    by_level = {}
    for required in (1, 2, 3, 4):
        values = 12 * np.minimum(levels, required) // required * tenths
        by_level[required] = sparse.csr_matrix(
            (values, (rows_index, cols_index)), shape=shape, dtype=np.int64
        )
    language_ids = sorted(Language.objects.values_list("pk", flat=True))
    language_column = {pk: index for index, pk in enumerate(language_ids)}
    ranks = np.zeros((len(ids), len(language_ids)), dtype=np.int64)
    for profile_id, language_id, cefr in CandidateLanguage.objects.values_list(
        "profile_id", "language_id", "cefr"
    ):
        if profile_id in position:
            ranks[position[profile_id], language_column[language_id]] = CEFR.rank(cefr)
    certificates = {}
    for profile_id, language_id, level in LanguageCertificate.objects.values_list(
        "profile_id", "language_id", "level"
    ):
        if profile_id in position:
            certificates.setdefault((language_id, level), []).append(position[profile_id])
    certificates = {key: np.array(value, dtype=np.int64) for key, value in certificates.items()}
    commune = np.array([row[1] if row[1] is not None else -1 for row in rows], dtype=np.int64)
    return {
        "ids": ids,
        "column": column,
        "by_level": by_level,
        "ranks": ranks,
        "language_column": language_column,
        "certificates": certificates,
        "commune": commune,
        "outside": np.array([bool(row[2]) for row in rows]),
        "travel": np.array([row[3] or 0 for row in rows], dtype=np.int64),
        "demands": {
            name: np.array([bool(row[4 + index]) for row in rows])
            for index, name in enumerate(scoring.DEMANDS)
        },
    }


def memory_shortlist(memory, target, limit):
    count = len(memory["ids"])
    a = np.zeros(count, dtype=np.int64)
    for required in (1, 2, 3, 4):
        weights = np.zeros(len(memory["column"]), dtype=np.int64)
        for item in target.skills:
            if item.level == required:
                weights[memory["column"][item.skill_id]] = item.weight
        if weights.any():
            a += memory["by_level"][required] @ weights
    weight_total = sum(item.weight for item in target.skills)
    groups = scoring.language_groups(target.languages)
    b = np.zeros(count, dtype=np.int64)
    for group in groups:
        best = np.zeros(count, dtype=np.int64)
        for item in group:
            required = CEFR.rank(item.min_cefr)
            held = memory["ranks"][:, memory["language_column"][item.language_id]]
            reach = 60 * np.minimum(held, required) // required
            if item.certificate:
                holders = memory["certificates"].get((item.language_id, item.certificate))
                if holders is not None:
                    reach[holders] = 60
            best = np.maximum(best, reach)
        b += best
    demanded = [name for name in scoring.DEMANDS if getattr(target, name)]
    k = np.zeros(count, dtype=np.int64)
    for name in demanded:
        k += memory["demands"][name]
    commune = memory["commune"]
    travel = memory["travel"]
    c = np.where(
        memory["outside"],
        np.where(
            travel >= scoring.OUTSIDE_TRAVEL_MINUTES,
            scoring.COMMUTE_OUTSIDE_FAR,
            scoring.COMMUTE_OUTSIDE_NEAR,
        ),
        scoring.COMMUTE_UNKNOWN,
    )
    in_brussels = commune >= 0
    c = np.where(
        in_brussels,
        np.where(
            travel >= scoring.BRUSSELS_TRAVEL_MINUTES,
            scoring.COMMUTE_BRUSSELS_FAR,
            scoring.COMMUTE_BRUSSELS_NEAR,
        ),
        c,
    )
    c = np.where(in_brussels & np.isin(commune, list(target.zone_commune_ids)), 9, c)
    c = np.where(commune == target.commune_id, 10, c)
    n, d = len(groups), len(demanded)
    if weight_total == 0:
        a, weight_total = np.full(count, 120, dtype=np.int64), 1
    if n == 0:
        b, n = np.full(count, 60, dtype=np.int64), 1
    if d == 0:
        k, d = np.ones(count, dtype=np.int64), 1
    denominator = 72 * weight_total * n * d
    numerator = (
        42 * a * n * d + 24 * b * weight_total * d + 360 * k * weight_total * n
    ) + 36 * c * weight_total * n * d
    scores = (2 * numerator + denominator) // (2 * denominator)
    top = min(limit, count)
    # The limit-th best score; everything at or above it, then ties by id.
    if top == 0:
        return []
    threshold = np.partition(scores, count - top)[count - top]
    keep = np.nonzero(scores >= threshold)[0]
    order = np.lexsort((memory["ids"][keep], -scores[keep]))[:top]
    return [(int(memory["ids"][keep[i]]), int(scores[keep[i]])) for i in order]


# The timed runs ------------------------------------------------------------------------------


@dataclass
class Timings:
    """Milliseconds per read, and the reads whose ranking disagreed with a recomputation."""

    shortlist_ms: list = field(default_factory=list)  # after job-seekers changed
    unchanged_ms: list = field(default_factory=list)  # the kept ranking, nothing changed
    build_ms: list = field(default_factory=list)  # the first read, which builds the ranking
    bound_ms: list = field(default_factory=list)  # the in-memory lower bound
    matches_ms: list = field(default_factory=list)
    pool_ms: list = field(default_factory=list)  # a pool insight computed afresh
    pool_kept_ms: list = field(default_factory=list)  # the same read again at once
    pool_copy_build_ms: float = 0.0  # the process's copy of the pool, built once
    disagreements: int = 0
    matches_disagreements: int = 0


def bench_run(rng, *, runs, warn):
    """Times `runs` shortlists and matches on the data set there; the figures as one dict.

    `warn` is called with a line for each ranking that disagrees with its recomputation."""
    memory = load_memory()
    vacancy_ids = list(bench_vacancies().order_by("pk").values_list("pk", flat=True))
    profile_ids = list(bench_profiles().order_by("pk").values_list("pk", flat=True))
    picked_vacancies = [rng.choice(vacancy_ids) for _ in range(runs)]
    picked_profiles = [rng.choice(profile_ids) for _ in range(runs)]
    changing = [rng.choice(profile_ids) for _ in range(CHANGES_PER_READ * runs)]
    timings = Timings()
    _time_first_reads(timings, memory, picked_vacancies, warn)
    _time_reads_after_changes(timings, rng, picked_vacancies, changing, warn)
    _time_matches(timings, picked_profiles, warn)
    _time_pool_insights(timings, picked_vacancies)
    return _summary(timings, candidates=len(profile_ids), vacancies=len(vacancy_ids), runs=runs)


def _elapsed_ms(begin):
    return 1000 * (time.perf_counter() - begin)


def _time_first_reads(timings, memory, vacancy_ids, warn):
    """Shortlists are read from the vacancy's kept ranking (see the engine, "Rankings"): built
    when the vacancy is published (here: its first shortlist, timed as "build"), then read
    again unchanged; both are checked against the in-memory lower bound's ranking."""
    for vacancy_id in vacancy_ids:
        vacancy = Vacancy.objects.get(pk=vacancy_id)
        VacancyRanking.objects.filter(vacancy=vacancy).delete()
        begin = time.perf_counter()
        result = matching.shortlist(vacancy=vacancy, limit=50)
        timings.build_ms.append(_elapsed_ms(begin))
        target = matching.load_vacancy_target(vacancy, labels=False)
        begin = time.perf_counter()
        expected = memory_shortlist(memory, target, 50)
        timings.bound_ms.append(_elapsed_ms(begin))
        if result != expected:
            timings.disagreements += 1
            warn(f"shortlist of vacancy {vacancy_id} disagrees")
        begin = time.perf_counter()
        again = matching.shortlist(vacancy=vacancy, limit=50)
        timings.unchanged_ms.append(_elapsed_ms(begin))
        if again != result:
            timings.disagreements += 1
            warn(f"kept shortlist of vacancy {vacancy_id} disagrees")


def _time_reads_after_changes(timings, rng, vacancy_ids, changing, warn):
    """Job-seekers change between two reads (a skill level, through the ORM as the services
    do, so that the change is recorded); the kept ranking re-scores them. The in-memory copy
    no longer holds: each read is checked against the engine's own recomputation."""
    for run, vacancy_id in enumerate(vacancy_ids):
        vacancy = Vacancy.objects.get(pk=vacancy_id)
        for profile_id in changing[run * CHANGES_PER_READ : (run + 1) * CHANGES_PER_READ]:
            row = CandidateSkill.objects.filter(profile_id=profile_id).order_by("?").first()
            if row is not None:
                row.level = rng.randint(1, 4)
                row.save(update_fields=["level"])
        begin = time.perf_counter()
        read = matching.shortlist(vacancy=vacancy, limit=50)
        timings.shortlist_ms.append(_elapsed_ms(begin))
        if read != matching.computed_shortlist(vacancy=vacancy, limit=50):
            timings.disagreements += 1
            warn(f"kept shortlist of vacancy {vacancy_id} disagrees")


def _time_matches(timings, profile_ids, warn):
    """Each job-seeker's best vacancies, checked against every published vacancy's score."""
    targets = {
        vacancy.pk: matching.load_vacancy_target(vacancy, labels=False)
        for vacancy in Vacancy.objects.published().order_by("pk")
    }
    for profile_id in profile_ids:
        profile = CandidateProfile.objects.get(pk=profile_id)
        begin = time.perf_counter()
        result = matching.matches_for(profile=profile, limit=50)
        timings.matches_ms.append(_elapsed_ms(begin))
        candidate = matching.load_candidate(profile, with_diplomas=False)
        expected = sorted(
            ((pk, matching.compute_score(candidate, target)) for pk, target in targets.items()),
            key=lambda item: (-item[1], item[0]),
        )[:50]
        if result != expected:
            timings.matches_disagreements += 1
            warn(f"matches of profile {profile_id} disagree")


def _time_pool_insights(timings, vacancy_ids):
    """Each vacancy's pool insight, every what-if included, computed afresh (the counts kept
    between reads are forgotten first), then read again as the editor does at a pause.

    The process's copy of the pool is built first, as a worker does once at its first
    insight (timed apart), and kept: the pool generation survives the cache's clearing."""
    begin = time.perf_counter()
    pool_copy.forget()
    pool_copy.pool_copy()
    timings.pool_copy_build_ms = _elapsed_ms(begin)
    for vacancy_id in vacancy_ids:
        vacancy = Vacancy.objects.get(pk=vacancy_id)
        generation = cache_versions.current(POOL_GENERATION_KEY)
        cache.clear()
        cache.set(POOL_GENERATION_KEY, generation, timeout=None)
        begin = time.perf_counter()
        pool_insight(vacancy=vacancy)
        timings.pool_ms.append(_elapsed_ms(begin))
        begin = time.perf_counter()
        pool_insight(vacancy=vacancy)
        timings.pool_kept_ms.append(_elapsed_ms(begin))


def _spread(values):
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95)}


def _summary(timings, *, candidates, vacancies, runs):
    return {
        "candidates": candidates,
        "vacancies": vacancies,
        "runs": runs,
        "database": connection.vendor,
        "shortlist_ms": _spread(timings.shortlist_ms),
        "shortlist_unchanged_ms": _spread(timings.unchanged_ms),
        "ranking_build_ms": _spread(timings.build_ms),
        "changes_per_read": CHANGES_PER_READ,
        "matches_ms": _spread(timings.matches_ms),
        "bound_ms": {"p50": percentile(timings.bound_ms, 0.5)},
        "pool_ms": _spread(timings.pool_ms),
        "pool_kept_ms": _spread(timings.pool_kept_ms),
        "pool_copy_build_ms": round(timings.pool_copy_build_ms),
        "rankings_agree": timings.disagreements == 0 and timings.matches_disagreements == 0,
        "shortlist_disagreements": timings.disagreements,
        "matches_disagreements": timings.matches_disagreements,
        "mean_shortlist_ms": round(statistics.fmean(timings.shortlist_ms), 2) if runs else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
