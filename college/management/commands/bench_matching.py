"""Benchmark of the matching engine at Brussels scale, on a scratch database.

    DATABASE_URL=postgres://…/passerelle_bench python manage.py bench_matching \\
        --candidates 100000 --vacancies 2000 [--runs 30] [--seed 1]

Creates (or reuses, when the same sizes are already there) a synthetic data set, times
shortlists and matches on it against an in-memory lower bound (college/demo/bench.py), checks
that the rankings agree, times the sampled vacancies' pool insights (`pool_ms`), and prints one
JSON object on its last line.
"""

import json
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from college.demo.bench import (
    bench_build,
    bench_clear,
    bench_profiles,
    bench_run,
    bench_vacancies,
    refresh_statistics,
)


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

    def handle(self, *args, **options):
        self.check_scratch(options)
        rng = random.Random(options["seed"])
        self.ensure_data_set(rng, options)
        summary = bench_run(rng, runs=options["runs"], warn=self.stderr.write)
        self.stdout.write(json.dumps(summary))

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

    def ensure_data_set(self, rng, options):
        """The data set of the sizes asked for: the one there when it has them, else a new one."""
        candidates, vacancy_count = options["candidates"], options["vacancies"]
        started = time.perf_counter()
        have = (bench_profiles().count(), bench_vacancies().count())
        if not options["rebuild"] and have == (candidates, vacancy_count):
            self.stdout.write("Reusing the synthetic data set already there.")
            return
        if any(have):
            self.stdout.write("Removing the previous synthetic data set…")
            bench_clear()
        self.stdout.write(f"Creating {candidates} job-seekers and {vacancy_count} vacancies…")
        with transaction.atomic():
            bench_build(rng, candidates, vacancy_count)
        self.stdout.write(f"  done in {time.perf_counter() - started:.1f} s")
        refresh_statistics()
