"""The demo data scaled to Brussels size, for load figures (bench/load.sh), on a scratch database.

    DATABASE_URL=postgres://…/passerelle_bench_load python manage.py scale_demo \\
        [--candidates 100000] [--vacancies 2000] [--load-candidates 200] [--password …]

1. `seed_demo`'s data (reference data, item bank, the demo accounts, employers, vacancies,
   job-seekers, applications, training), whatever DEBUG says: the database must be a scratch
   one (its name contains "bench"), which replaces seed_demo's guard;
2. `bench_matching`'s synthetic data set (job-seekers with about 20 skills, published vacancies
   of verified employers), built only when its sizes differ from what is there;
3. a password for the first `--load-candidates` synthetic job-seekers (c0@bench.invalid, …),
   so that the load scenario's candidates can take practice tests each under their own account;
   and `--load-employers` members (e0@bench.invalid, …) of the two demo employers'
   organisations, in turn, each with the demo authenticator (DEMO_MFA_SECRET) set up: a code
   serves once, so the scenario's employers each sign in under their own account;
4. the kept rankings (college/matching/rankings.py) of every vacancy whose shortlist the load
   scenario reads: the published vacancies of the demo employers' organisations. Rankings are
   built when a vacancy is published; the seeds write in bulk, past that, so they are built
   here before timing, as a live system would have them.

Prints one JSON line: what is there and the vacancies whose rankings were built.
"""

import datetime
import json
import random
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from college import matching
from college.core.public_cache import public_data_changed
from college.demo.bench import (
    BENCH_DOMAIN,
    bench_build,
    bench_clear,
    bench_profiles,
    bench_vacancies,
    refresh_statistics,
)
from college.demo.data import DEMO_MFA_SECRET, DemoSeeder
from college.management.commands import bench_matching
from college.models import MfaDevice, User
from employers.models import Membership, Vacancy, VacancyRanking

LOAD_EMPLOYERS = ("employer@passerelle.example", "employer2@passerelle.example")


class Command(BaseCommand):
    help = "Demo data plus 100,000 job-seekers and 2,000 vacancies, for load tests (scratch DB)."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=100_000)
        parser.add_argument("--vacancies", type=int, default=2_000)
        parser.add_argument(
            "--load-candidates",
            type=int,
            default=200,
            help="Synthetic job-seekers given the password, for the scenario's candidates.",
        )
        parser.add_argument(
            "--load-employers",
            type=int,
            default=60,
            help="Members of the demo employers' organisations, for the scenario's employers.",
        )
        parser.add_argument("--password", default="passerelle-demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--i-know-this-db-is-scratch",
            action="store_true",
            dest="scratch",
            help="Run even though the database's name does not contain 'bench'.",
        )

    def handle(self, *args, **options):
        builder = bench_matching.Command(stdout=self.stdout, stderr=self.stderr)
        builder.check_scratch(options)
        started = time.perf_counter()

        self.stdout.write("Demo data (seed_demo)…")
        DemoSeeder(options["password"], log=self.stdout.write).run()

        wanted = (options["candidates"], options["vacancies"])
        have = (bench_profiles().count(), bench_vacancies().count())
        if have != wanted:
            if any(have):
                self.stdout.write("Removing the previous synthetic data set…")
                bench_clear()
            self.stdout.write(f"Creating {wanted[0]} job-seekers and {wanted[1]} vacancies…")
            with transaction.atomic():
                bench_build(random.Random(options["seed"]), *wanted)
        else:
            self.stdout.write("Reusing the synthetic data set already there.")
        self.spread_publication()
        refresh_statistics()

        password = make_password(options["password"])
        count = options["load_candidates"]
        emails = [f"c{index}@{BENCH_DOMAIN}" for index in range(count)]
        User.objects.filter(email__in=emails).update(password=password)
        organisations = list(
            Membership.objects.filter(user__email__in=LOAD_EMPLOYERS)
            .order_by("user__email")
            .values_list("employer_id", flat=True)
        )
        self.load_employers(options["load_employers"], organisations, password)
        vacancies = list(
            Vacancy.objects.published().filter(employer__in=organisations).order_by("pk")
        )
        VacancyRanking.objects.filter(vacancy__in=vacancies).delete()
        build_ms = []
        for vacancy in vacancies:
            begin = time.perf_counter()
            matching.ranking_build(vacancy)
            build_ms.append(round(1000 * (time.perf_counter() - begin)))
        self.stdout.write(
            json.dumps(
                {
                    "candidates": bench_profiles().count(),
                    "vacancies_published": Vacancy.objects.published().count(),
                    "load_candidates": User.objects.filter(email__in=emails).count(),
                    "load_employers": MfaDevice.objects.filter(
                        user__email__endswith=f"@{BENCH_DOMAIN}",
                        user__role=User.Role.EMPLOYER,
                    ).count(),
                    "rankings_built": [vacancy.pk for vacancy in vacancies],
                    "ranking_build_ms": build_ms,
                    "seconds": round(time.perf_counter() - started, 1),
                }
            )
        )

    def spread_publication(self):
        """Publication times over the last 60 days, as on a live board (the builder gives every
        synthetic vacancy the same one, which makes "newest first" sort them all each time)."""
        now = timezone.now()
        vacancies = list(bench_vacancies().only("pk"))
        for vacancy in vacancies:
            vacancy.published_at = now - datetime.timedelta(
                days=vacancy.pk % 60, seconds=vacancy.pk * 7919 % 86400
            )
        # In bulk, past the signals: these vacancies' requirements do not change.
        Vacancy.objects.bulk_update(vacancies, ["published_at"], batch_size=1000)
        public_data_changed()

    @transaction.atomic
    def load_employers(self, count, organisations, password):
        """e<n>@bench.invalid: members of the demo organisations, in turn, authenticator set up."""
        now = timezone.now()
        for index in range(count):
            user, _created = User.objects.update_or_create(
                email=f"e{index}@{BENCH_DOMAIN}",
                defaults={
                    "full_name": f"Load employer {index}",
                    "role": User.Role.EMPLOYER,
                    "password": password,
                },
            )
            Membership.objects.update_or_create(
                user=user, defaults={"employer_id": organisations[index % len(organisations)]}
            )
            MfaDevice.objects.update_or_create(
                user=user,
                defaults={"secret": DEMO_MFA_SECRET, "confirmed_at": now, "last_used_step": 0},
            )
