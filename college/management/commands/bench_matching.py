"""Benchmark of the matching engine at Brussels scale, on a scratch database.

    DATABASE_URL=postgres://…/passerelle_bench python manage.py bench_matching \\
        --candidates 100000 --vacancies 2000 [--runs 30] [--seed 1]

Creates (or reuses, when the same sizes are already there) a synthetic data set: opted-in
job-seekers with about 20 skills each over the reference skills plus synthetic ones (300+),
languages, certificates and conditions; published vacancies of verified employers built from the
real roles' requirement profiles. Then times ``shortlist(vacancy, limit=50)`` for random
vacancies and ``matches_for(profile, limit=50)`` for random job-seekers, computes the same
shortlists in memory with numpy/scipy sparse matrices (a lower bound for the SQL), checks that
the rankings agree, and prints one JSON object on its last line.
"""

import datetime
import json
import random
import resource
import statistics
import time

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
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
from college.core.public_cache import public_data_changed
from college.matching import score as scoring
from college.models import CEFR, Commune, Language, Role, Skill, User
from employers.models import Employer, Vacancy, VacancyLanguage, VacancyRanking, VacancySkill

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


class Command(BaseCommand):
    help = "Times shortlists and matches on a synthetic Brussels-scale data set (scratch DB only)."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=100_000)
        parser.add_argument("--vacancies", type=int, default=2_000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--i-know-this-db-is-scratch",
            action="store_true",
            dest="scratch",
            help="Run even though the database's name does not contain 'bench'.",
        )
        parser.add_argument(
            "--rebuild", action="store_true", help="Recreate the synthetic data set."
        )

    # Safety -----------------------------------------------------------------------------------

    def database_name(self):
        return str(settings.DATABASES["default"].get("NAME") or "")

    def check_scratch(self, options):
        name = self.database_name()
        if options["scratch"] or "bench" in name.rsplit("/", 1)[-1].lower():
            return
        raise CommandError(
            f"Refusing to write synthetic data into database {name!r}: its name does not contain "
            "'bench'. Point DATABASE_URL at a scratch database (e.g. passerelle_bench), or pass "
            "--i-know-this-db-is-scratch."
        )

    # Data set ---------------------------------------------------------------------------------

    def bench_profiles(self):
        return CandidateProfile.objects.filter(user__email__endswith=f"@{BENCH_DOMAIN}")

    def bench_vacancies(self):
        return Vacancy.objects.filter(employer__slug__startswith="bench-")

    def clear(self):
        # Millions of rows: deleted in SQL, past the signals that record each change for the
        # kept rankings (dropped here with the data they ranked).
        profiles = self.bench_profiles().values("pk")
        ProfileChange.objects.filter(profile__in=profiles)._raw_delete(connection.alias)
        for model in (CandidateSkill, CandidateLanguage, LanguageCertificate):
            model.objects.filter(profile__in=profiles)._raw_delete(connection.alias)
        vacancies = self.bench_vacancies().values("pk")
        VacancyRanking.objects.filter(vacancy__in=vacancies).delete()
        VacancySkill.objects.filter(vacancy__in=vacancies)._raw_delete(connection.alias)
        VacancyLanguage.objects.filter(vacancy__in=vacancies)._raw_delete(connection.alias)
        Vacancy.objects.filter(pk__in=vacancies).delete()
        Employer.objects.filter(slug__startswith="bench-").delete()
        User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").delete()

    def insert(self, model, columns, rows):
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

    def build(self, rng, candidates, vacancies):
        now = timezone.now()
        skills = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
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
        skills = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
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
        fr, nl, en = languages["fr"], languages["nl"], languages.get("en")

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
        profiles = CandidateProfile.objects.bulk_create(profile_rows, batch_size=5000)

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

        self.insert(
            CandidateSkill,
            ["profile_id", "skill_id", "level", "evidence", "evidence_note", "updated_at"],
            skill_rows(),
        )

        def language_rows():
            for profile in profiles:
                first, second = (fr, nl) if rng.random() < 0.6 else (nl, fr)
                yield profile.pk, first, "C2"
                if rng.random() < 0.8:
                    yield profile.pk, second, rng.choice(CEFR_VALUES)
                if en and rng.random() < 0.5:
                    yield profile.pk, en, rng.choice(CEFR_VALUES)

        self.insert(CandidateLanguage, ["profile_id", "language_id", "cefr"], language_rows())
        self.insert(
            LanguageCertificate,
            ["profile_id", "language_id", "level"],
            (
                (profile.pk, rng.choice([fr, nl]), rng.choice(["art8", "art9_1", "art9_2"]))
                for profile in profiles
                if rng.random() < 0.1
            ),
        )

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

        self.insert(
            VacancySkill,
            ["vacancy_id", "skill_id", "importance", "min_level", "stage"],
            vacancy_skill_rows(),
        )

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

        self.insert(
            VacancyLanguage,
            ["vacancy_id", "language_id", "min_cefr", "certificate", "is_alternative"],
            vacancy_language_rows(),
        )

    def refresh_statistics(self):
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

    # In-memory lower bound --------------------------------------------------------------------

    def load_memory(self):
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

    def memory_shortlist(self, memory, target, limit):
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

    # Run --------------------------------------------------------------------------------------

    def handle(self, *args, **options):
        self.check_scratch(options)
        rng = random.Random(options["seed"])
        candidates, vacancy_count = options["candidates"], options["vacancies"]
        started = time.perf_counter()
        have = (self.bench_profiles().count(), self.bench_vacancies().count())
        if options["rebuild"] or have != (candidates, vacancy_count):
            if any(have):
                self.stdout.write("Removing the previous synthetic data set…")
                self.clear()
            self.stdout.write(f"Creating {candidates} job-seekers and {vacancy_count} vacancies…")
            with transaction.atomic():
                self.build(rng, candidates, vacancy_count)
            self.stdout.write(f"  done in {time.perf_counter() - started:.1f} s")
            self.refresh_statistics()
        else:
            self.stdout.write("Reusing the synthetic data set already there.")
        memory = self.load_memory()
        vacancy_ids = list(self.bench_vacancies().order_by("pk").values_list("pk", flat=True))
        profile_ids = list(self.bench_profiles().order_by("pk").values_list("pk", flat=True))
        runs = options["runs"]
        picked_vacancies = [rng.choice(vacancy_ids) for _ in range(runs)]
        picked_profiles = [rng.choice(profile_ids) for _ in range(runs)]

        # Shortlists are read from the vacancy's kept ranking (college/matching/rankings.py):
        # built when the vacancy is published (here: its first shortlist, timed as "build"),
        # then kept exact by re-scoring the job-seekers who changed since the last read.
        shortlist_ms, unchanged_ms, build_ms, bound_ms, disagreements = [], [], [], [], 0
        changing = [rng.choice(profile_ids) for _ in range(CHANGES_PER_READ * runs)]
        for vacancy_id in picked_vacancies:
            vacancy = Vacancy.objects.get(pk=vacancy_id)
            VacancyRanking.objects.filter(vacancy=vacancy).delete()
            begin = time.perf_counter()
            result = matching.shortlist(vacancy=vacancy, limit=50)
            build_ms.append(1000 * (time.perf_counter() - begin))
            target = matching.load_vacancy_target(vacancy, labels=False)
            begin = time.perf_counter()
            expected = self.memory_shortlist(memory, target, 50)
            bound_ms.append(1000 * (time.perf_counter() - begin))
            if result != expected:
                disagreements += 1
                self.stderr.write(f"shortlist of vacancy {vacancy_id} disagrees")
            begin = time.perf_counter()
            again = matching.shortlist(vacancy=vacancy, limit=50)
            unchanged_ms.append(1000 * (time.perf_counter() - begin))
            if again != result:
                disagreements += 1
                self.stderr.write(f"kept shortlist of vacancy {vacancy_id} disagrees")
        # Then job-seekers change between two reads (a skill level, through the ORM as the
        # services do, so that the change is recorded); the in-memory copy no longer holds.
        for run, vacancy_id in enumerate(picked_vacancies):
            vacancy = Vacancy.objects.get(pk=vacancy_id)
            for profile_id in changing[run * CHANGES_PER_READ : (run + 1) * CHANGES_PER_READ]:
                row = CandidateSkill.objects.filter(profile_id=profile_id).order_by("?").first()
                if row is not None:
                    row.level = rng.randint(1, 4)
                    row.save(update_fields=["level"])
            begin = time.perf_counter()
            read = matching.shortlist(vacancy=vacancy, limit=50)
            shortlist_ms.append(1000 * (time.perf_counter() - begin))
            if read != matching.computed_shortlist(vacancy=vacancy, limit=50):
                disagreements += 1
                self.stderr.write(f"kept shortlist of vacancy {vacancy_id} disagrees")

        targets = {
            vacancy.pk: matching.load_vacancy_target(vacancy, labels=False)
            for vacancy in Vacancy.objects.published().order_by("pk")
        }
        matches_ms, matches_disagreements = [], 0
        for profile_id in picked_profiles:
            profile = CandidateProfile.objects.get(pk=profile_id)
            begin = time.perf_counter()
            result = matching.matches_for(profile=profile, limit=50)
            matches_ms.append(1000 * (time.perf_counter() - begin))
            candidate = matching.load_candidate(profile, with_diplomas=False)
            expected = sorted(
                ((pk, matching.compute_score(candidate, target)) for pk, target in targets.items()),
                key=lambda item: (-item[1], item[0]),
            )[:50]
            if result != expected:
                matches_disagreements += 1
                self.stderr.write(f"matches of profile {profile_id} disagree")

        summary = {
            "candidates": len(profile_ids),
            "vacancies": len(vacancy_ids),
            "runs": runs,
            "database": connection.vendor,
            "shortlist_ms": {
                "p50": percentile(shortlist_ms, 0.5),
                "p95": percentile(shortlist_ms, 0.95),
            },
            "shortlist_unchanged_ms": {
                "p50": percentile(unchanged_ms, 0.5),
                "p95": percentile(unchanged_ms, 0.95),
            },
            "ranking_build_ms": {
                "p50": percentile(build_ms, 0.5),
                "p95": percentile(build_ms, 0.95),
            },
            "changes_per_read": CHANGES_PER_READ,
            "matches_ms": {
                "p50": percentile(matches_ms, 0.5),
                "p95": percentile(matches_ms, 0.95),
            },
            "bound_ms": {"p50": percentile(bound_ms, 0.5)},
            "rankings_agree": disagreements == 0 and matches_disagreements == 0,
            "shortlist_disagreements": disagreements,
            "matches_disagreements": matches_disagreements,
            "mean_shortlist_ms": round(statistics.fmean(shortlist_ms), 2) if runs else None,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        self.stdout.write(json.dumps(summary))
