"""CPU per request of the load scenario's views, as ratios to a minimal view (a benchmark).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/passerelle_bench_load \\
        REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/views_cpu.py \\
        [--requests 50] [--warmup 10] [--only shortlist_page,shortlist_api] [--json]

Reads the database `bench/load.sh` (or `manage.py scale_demo`, at any size) prepared: the demo
data, the c<n>@bench.invalid job-seekers, the e<n>@bench.invalid employers and the demo
organisations' kept rankings. Each view is requested through Django's test client in this one
process, with the settings `bench/load.sh` gives gunicorn (DEBUG off; Redis for the cache, the
sessions and the public cache when REDIS_URL is set): `--warmup` requests first (templates
compiled, catalogues loaded, what is kept between reads filled), then `--requests` measured.

For each view it prints the mean CPU time per request that the request log gives (`cpu_ms`,
college/core/middleware.py: the figure `bench/load.sh` sums per view), its ratio to the minimal
view's, and the process's own CPU time per request (the test client's work included). The
minimal view is `/healthz`: the whole middleware stack, one indexed read of the database, a
small JSON answer. CPU time, not elapsed time: other processes on the machine barely change
it, so the figures hold on a busy machine, and their ratios from one machine to another.

The views: the minimal one; the board and a vacancy's page from the public cache (hits, when
REDIS_URL is set); a vacancy's page and one vacancy on the API as misses of the public cache
(the public data's version moves on before each request, outside the measure, as any edit of
any public data does; ten vacancies read in turn, their own data unchanged), and the same as
the first read after the vacancy's own data changed (its employer's edit, and the task it
enqueues run as the worker runs it, both outside the measure: see `vacancy_changed`); the
employer's shortlist page and the shortlist API (e0@bench.invalid, on the demo organisation's
vacancies with a kept ranking, in turn); a practice attempt's state and an answer on the API
(c0@bench.invalid), starting one and finishing one after four answers. Only on a scratch
database (its name contains "bench"): it signs people in and writes attempts.
"""

import argparse
import cProfile
import json
import logging
import os
import pathlib
import pstats
import random
import secrets
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOAD_EMPLOYER = "e0@bench.invalid"
LOAD_CANDIDATE = "c0@bench.invalid"
GOAL_RATIO = (
    10  # no view above 10 times the minimal view's CPU: the heavy views are where load goes
)


def production_like_environment():
    """The settings `bench/load.sh` gives gunicorn, for a test client in this process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "college.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("SITE_URL", "https://testserver")
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
    os.environ.setdefault("TRUSTED_PROXIES", "1")
    for scope in ("LOGIN", "TOKEN", "MFA"):
        os.environ.setdefault(f"RATE_LIMIT_{scope}", "100000/hour")
    # One job-seeker makes every attempt request here (load.sh spreads them over many): the
    # throttle still counts each request, but must not refuse the run's some thousand a minute.
    os.environ.setdefault("API_USER_RATE", "100000/minute")


class CpuLog(logging.Handler):
    """Keeps the request log's `cpu_ms` of each request."""

    def __init__(self):
        super().__init__()
        self.values = []

    def emit(self, record):
        value = getattr(record, "cpu_ms", None)
        if value is not None:
            self.values.append(value)


class Views:
    """The requests of each measured view, each a function of no argument returning a response."""

    def __init__(self, django_modules, rng):
        self.m = django_modules
        self.rng = rng
        m = django_modules
        self.anonymous = m.Client(HTTP_ACCEPT_LANGUAGE="fr")
        vacancies = list(m.Vacancy.objects.published().values_list("pk", flat=True)[:500])
        if not vacancies:
            raise SystemExit("No published vacancy: run manage.py scale_demo first.")
        self.vacancies = vacancies
        self.popular = vacancies[:10]
        self.changed = None
        self.visitor = 0
        employer = m.User.objects.get(email=LOAD_EMPLOYER)
        self.employer_vacancies = list(
            m.VacancyRanking.objects.filter(vacancy__employer__memberships__user=employer)
            .values_list("vacancy_id", flat=True)
            .order_by("vacancy_id")
            .distinct()
        )
        if not self.employer_vacancies:
            raise SystemExit(f"No kept ranking for {LOAD_EMPLOYER}'s vacancies: run scale_demo.")
        self.employer = m.Client(HTTP_ACCEPT_LANGUAGE="fr")
        self.employer.force_login(employer)
        session = self.employer.session
        session[m.mfa.SESSION_KEY] = employer.pk
        session.save()
        token, _created = m.Token.objects.get_or_create(user=employer)
        self.employer_api = m.Client(
            HTTP_ACCEPT_LANGUAGE="fr", HTTP_AUTHORIZATION=f"Token {token.key}"
        )
        candidate = m.User.objects.get(email=LOAD_CANDIDATE)
        token, _created = m.Token.objects.get_or_create(user=candidate)
        self.candidate_api = m.Client(
            HTTP_ACCEPT_LANGUAGE="fr", HTTP_AUTHORIZATION=f"Token {token.key}"
        )
        self.attempt = None
        self.item = None
        self.tests = None
        self.turn = 0

    def next_of(self, values):
        self.turn += 1
        return values[self.turn % len(values)]

    def get(self, client, path):
        if client is self.anonymous:
            # Each anonymous request from a visitor of its own (the proxy's X-Forwarded-For, as
            # bench/load.sh sends), so the per-client API throttle counts visitors, not the run.
            self.visitor += 1
            visitor = (
                f"10.{self.visitor >> 16 & 255}.{self.visitor >> 8 & 255}.{self.visitor & 255}"
            )
            return client.get(path, secure=True, HTTP_X_FORWARDED_FOR=visitor)
        return client.get(path, secure=True)

    def public_data_changed(self):
        self.m.cache_versions.move_on(self.m.public_cache.VERSION_KEY)

    # The views --------------------------------------------------------------------------------

    def minimal(self):
        return self.get(self.anonymous, "/healthz")

    def board_hit(self):
        return self.get(self.anonymous, "/vacancies/")

    def vacancy_page_hit(self):
        return self.get(self.anonymous, f"/vacancies/{self.vacancies[0]}/")

    # A public cache miss: the public data's version moved on (any edit of any public data does
    # it), the vacancy's own data unchanged since it was last read. The vacancies read in turn
    # are as many as the warm-up's requests, so the measured reads find their shared part kept.
    def vacancy_page_miss(self):
        return self.get(self.anonymous, f"/vacancies/{self.next_of(self.popular)}/")

    def vacancy_api_miss(self):
        return self.get(self.anonymous, f"/api/v1/vacancies/{self.next_of(self.popular)}/")

    # The first read after the vacancy's own data changed, as its employer's edit changes it
    # (`vacancy_update`, the service the editor and the API call: every field written again,
    # `updated_at` moved on, so nothing kept before fits it; the public data's version moves on
    # at the commit). The edit enqueues the task that renders the vacancy's shared parts in every
    # language; the task worker (`manage.py db_worker --interval 1`) runs it within a second of
    # the commit, so it is run here, outside the measure, as the worker runs it (with any other
    # task queued in this scratch database). A reader within that second renders everything
    # again, as every first reader did before (about 30x).
    def vacancy_changed(self):
        self.changed = self.next_of(self.vacancies)
        vacancy = self.m.Vacancy.objects.select_related("employer").get(pk=self.changed)
        self.m.vacancy_update(
            employer=vacancy.employer, vacancy=vacancy, data={"posts": vacancy.posts}
        )
        self.m.call_command("db_worker", batch=True, reload=False, verbosity=0)

    def vacancy_page_changed(self):
        return self.get(self.anonymous, f"/vacancies/{self.changed}/")

    def vacancy_api_changed(self):
        return self.get(self.anonymous, f"/api/v1/vacancies/{self.changed}/")

    def shortlist_page(self):
        vacancy = self.next_of(self.employer_vacancies)
        return self.get(self.employer, f"/employer/vacancies/{vacancy}/shortlist/")

    def shortlist_api(self):
        vacancy = self.next_of(self.employer_vacancies)
        return self.get(self.employer_api, f"/api/v1/vacancies/{vacancy}/shortlist/")

    # A practice attempt, as the load scenario's candidates take it.

    def _start_attempt(self):
        if self.tests is None:
            listing = self.get(self.candidate_api, "/api/v1/tests/").json()
            self.tests = [item["slug"] for item in listing["results"]]
        response = self.candidate_api.post(
            "/api/v1/attempts/",
            {"test": self.rng.choice(self.tests), "mode": "practice"},
            content_type="application/json",
            secure=True,
        )
        self.attempt = response.json()["id"]
        self.item = None

    def _prepare_attempt_start(self):
        # The scenario's candidates finish an attempt before they start the next one.
        if self.attempt is not None:
            self.candidate_api.post(f"/api/v1/attempts/{self.attempt}/finish/", secure=True)
            self.attempt = None
        if self.tests is None:
            listing = self.get(self.candidate_api, "/api/v1/tests/").json()
            self.tests = [item["slug"] for item in listing["results"]]

    def attempt_start(self):
        response = self.candidate_api.post(
            "/api/v1/attempts/",
            {"test": self.rng.choice(self.tests), "mode": "practice"},
            content_type="application/json",
            secure=True,
        )
        self.attempt = response.json().get("id")
        self.item = None
        return response

    def _prepare_attempt_finish(self):
        # A new attempt with four answers, as the scenario's candidates give 4 to 12.
        self._prepare_attempt_start()
        self.attempt_start()
        for _answer in range(4):
            self.attempt_state()
            if self.item is None:
                break
            self.attempt_response()

    def attempt_finish(self):
        response = self.candidate_api.post(f"/api/v1/attempts/{self.attempt}/finish/", secure=True)
        self.attempt = None
        self.item = None
        return response

    def _prepare_attempt_state(self):
        if self.attempt is None:
            self._start_attempt()

    def attempt_state(self):
        response = self.get(self.candidate_api, f"/api/v1/attempts/{self.attempt}/")
        self.item = response.json().get("current_item")
        return response

    def _prepare_attempt_response(self):
        if self.attempt is None:
            self._start_attempt()
        if self.item is None:
            self.attempt_state()
        for _attempt in range(5):
            if self.item is not None:
                return
            # No item left to answer: the attempt is finished (as the scenario's candidates
            # do), and a new one started.
            self.candidate_api.post(f"/api/v1/attempts/{self.attempt}/finish/", secure=True)
            self._start_attempt()
            self.attempt_state()
        raise RuntimeError(f"no item to answer in five new attempts of {LOAD_CANDIDATE}")

    def attempt_response(self):
        item, rng = self.item, self.rng
        if item["respond_with"] == "choice":
            body = {"item": item["id"], "choice": rng.choice(item["options"])["id"]}
        elif item["respond_with"] == "choices":
            picked = rng.sample(item["options"], rng.randint(1, len(item["options"])))
            body = {"item": item["id"], "choices": [option["id"] for option in picked]}
        elif item.get("scale"):
            body = {"item": item["id"], "value": str(rng.choice(item["scale"])["value"])}
        else:
            body = {"item": item["id"], "value": str(rng.randint(1, 60))}
        response = self.candidate_api.post(
            f"/api/v1/attempts/{self.attempt}/responses/",
            body,
            content_type="application/json",
            secure=True,
        )
        self.item = None
        return response


# key, what, the method of Views, what to do before each request (outside the measure)
VIEWS = [
    ("minimal", "/healthz (the minimal view)", "minimal", None),
    ("board_hit", "the board, public cache hit", "board_hit", None),
    ("vacancy_page_hit", "a vacancy's page, public cache hit", "vacancy_page_hit", None),
    ("vacancy_page_miss", "a vacancy's page, public cache miss", "vacancy_page_miss", "miss"),
    ("vacancy_api_miss", "one vacancy (API), public cache miss", "vacancy_api_miss", "miss"),
    (
        "vacancy_page_changed",
        "a vacancy's page, first read after the vacancy changed",
        "vacancy_page_changed",
        "vacancy_changed",
    ),
    (
        "vacancy_api_changed",
        "one vacancy (API), first read after the vacancy changed",
        "vacancy_api_changed",
        "vacancy_changed",
    ),
    ("shortlist_page", "the employer's shortlist page", "shortlist_page", None),
    ("shortlist_api", "the shortlist API", "shortlist_api", None),
    ("attempt_state", "an attempt's state (API)", "attempt_state", "_prepare_attempt_state"),
    (
        "attempt_response",
        "an answer (API, POST)",
        "attempt_response",
        "_prepare_attempt_response",
    ),
    ("attempt_start", "a new attempt (API, POST)", "attempt_start", "_prepare_attempt_start"),
    (
        "attempt_finish",
        "finishing an attempt, four answers (API, POST)",
        "attempt_finish",
        "_prepare_attempt_finish",
    ),
]


def measure(views, method, before, cpu_values, *, requests, warmup, profiler=None):
    request = getattr(views, method)
    prepare = None
    if before == "miss":
        prepare = views.public_data_changed
    elif before:
        prepare = getattr(views, before)
    logged, process = [], []
    for index in range(warmup + requests):
        if prepare is not None:
            prepare()
        del cpu_values[:]
        profiling = profiler is not None and index >= warmup
        if profiling:
            profiler.enable()
        started = time.process_time()
        response = request()
        spent = time.process_time() - started
        if profiling:
            profiler.disable()
        if response.status_code >= 400:
            raise RuntimeError(f"{method}: {response.status_code} {response.content[:300]!r}")
        if index >= warmup:
            process.append(1000 * spent)
            logged.append(cpu_values[-1] if cpu_values else 1000 * spent)
    return {
        "cpu_ms": round(statistics.fmean(logged), 2),
        "cpu_ms_p50": round(statistics.median(logged), 2),
        "process_ms": round(statistics.fmean(process), 2),
        "queries": None,
    }


def count_queries(views, method, before, connection_module):
    """Database queries of one more request (outside the measure)."""
    request = getattr(views, method)
    if before == "miss":
        views.public_data_changed()
    elif before:
        getattr(views, before)()
    with connection_module.CaptureQueriesContext(connection_module.connection) as captured:
        request()
    return len(captured.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="measured requests per view")
    parser.add_argument("--warmup", type=int, default=10, help="requests per view left out")
    parser.add_argument("--only", default="", help="comma-separated view keys (and the minimal)")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    parser.add_argument(
        "--no-warmup",
        action="store_true",
        help="skip the server worker's start (college/core/warmup.py), to measure without it",
    )
    parser.add_argument(
        "--profile", default="", help="a view key: cProfile its measured requests (top 40 lines)"
    )
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    production_like_environment()
    # Imported here: Django reads the environment prepared just above.
    import django

    django.setup()
    # Imported here: these need the settings django.setup() loaded.
    from types import SimpleNamespace

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from college.core import cache_versions, mfa, public_cache
    from college.core.warmup import freeze_startup_objects, warm_up
    from college.models import User
    from employers.models import Vacancy, VacancyRanking
    from employers.services import vacancy_update

    name = str(settings.DATABASES["default"].get("NAME") or "")
    if "bench" not in name.rsplit("/", 1)[-1].lower():
        sys.exit(f"Refusing to run on database {name!r}: its name must contain 'bench'.")
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest, as load.sh
    if connection.vendor == "postgresql":
        # Planner statistics as autovacuum keeps them (it may be off on a development machine):
        # the attempts and answers earlier runs wrote would otherwise be read in full.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    if not options.no_warmup:
        # What gunicorn's workers do before their first request (deploy/gunicorn.conf.py).
        warm_up()
        freeze_startup_objects()
    handler = CpuLog()
    request_log = logging.getLogger("passerelle.requests")
    request_log.addHandler(handler)
    request_log.setLevel(logging.INFO)
    request_log.propagate = False  # the figures, not a line per request
    modules = SimpleNamespace(
        Client=Client,
        Token=Token,
        User=User,
        Vacancy=Vacancy,
        VacancyRanking=VacancyRanking,
        vacancy_update=vacancy_update,
        call_command=call_command,
        mfa=mfa,
        cache_versions=cache_versions,
        public_cache=public_cache,
    )
    queries = SimpleNamespace(connection=connection, CaptureQueriesContext=CaptureQueriesContext)
    views = Views(modules, random.Random(1))
    only = {key for key in options.only.split(",") if key}
    results = {}
    for key, label, method, before in VIEWS:
        if only and key != "minimal" and key not in only:
            continue
        if not public_cache.enabled() and key.endswith("_hit"):
            continue
        profiler = cProfile.Profile(time.process_time) if key == options.profile else None
        figures = measure(
            views,
            method,
            before,
            handler.values,
            requests=options.requests,
            warmup=options.warmup,
            profiler=profiler,
        )
        if profiler is not None:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        figures["queries"] = count_queries(views, method, before, queries)
        figures["label"] = label
        results[key] = figures
    minimal = results["minimal"]["cpu_ms"]
    for figures in results.values():
        figures["ratio"] = round(figures["cpu_ms"] / minimal, 1)
    summary = {
        "database": name,
        "public_cache": public_cache.enabled(),
        "requests": options.requests,
        "warmup": options.warmup,
        "minimal_cpu_ms": minimal,
        "views": results,
        "goal_met": all(figures["ratio"] <= GOAL_RATIO for figures in results.values()),
    }
    if options.json:
        print(json.dumps(summary))
        return
    print(
        f"CPU per request, test client, {options.requests} requests per view after "
        f"{options.warmup} left out; public cache {'on' if summary['public_cache'] else 'off'}\n"
    )
    print("| view | CPU ms (request log) | × minimal view | process CPU ms | queries |")
    print("|---|---:|---:|---:|---:|")
    for figures in results.values():
        print(
            f"| {figures['label']} | {figures['cpu_ms']:.1f} | {figures['ratio']:.1f} "
            f"| {figures['process_ms']:.1f} | {figures['queries']} |"
        )
    worst = max(results.values(), key=lambda figures: figures["ratio"])
    print(
        f"\ngoal (every view ≤ {GOAL_RATIO}× the minimal view's CPU): "
        + ("met" if summary["goal_met"] else f"NOT met ({worst['label']}: {worst['ratio']}×)")
    )


if __name__ == "__main__":
    main()
