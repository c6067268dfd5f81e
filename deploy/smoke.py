"""Smoke test of a running Passerelle: `python deploy/smoke.py http://127.0.0.1:PORT`.

Run by deploy/prod-check.sh with the same environment as the gunicorn and worker it started:
it talks HTTP to gunicorn like a load balancer would (X-Forwarded-Proto: https) and uses the
ORM only to create its own test users and a vacancy. Prints one line per check and exits 1 when
any check failed.
"""

import datetime
import json
import os
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "college.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from college.models import Commune, Role, User  # noqa: E402
from employers.models import Employer, Vacancy, VacancyRanking  # noqa: E402
from employers.services import vacancy_set_status  # noqa: E402

HTTPS = {"X-Forwarded-Proto": "https"}
TASK_TIMEOUT_SECONDS = 60


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def fetch(base, path, *, method="GET", headers=None, data=None):
    request = urllib.request.Request(base + path, method=method, headers=headers or {})
    if data is not None:
        request.data = json.dumps(data).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with opener.open(request, timeout=30) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


class Checks:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"  ok    {name}")
        else:
            self.failures.append(name)
            print(f"  FAIL  {name}{': ' + detail if detail else ''}")
        return condition


def security_headers(checks, label, response):
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0] for part in csp.split(";") if part.strip()}
    checks.check(
        f"{label}: CSP as configured, without unsafe-inline",
        directives == set(settings.SECURE_CSP) and "unsafe-inline" not in csp,
        csp or "no Content-Security-Policy header",
    )
    hsts = response.headers.get("Strict-Transport-Security", "")
    expected = f"max-age={settings.SECURE_HSTS_SECONDS}"
    checks.check(f"{label}: HSTS {expected}", hsts.startswith(expected), hsts or "no HSTS header")


def make_candidate():
    email = f"smoke-{secrets.token_hex(6)}@passerelle.example"
    password = secrets.token_urlsafe(18)
    User.objects.create_user(email, password, role=User.Role.CANDIDATE)
    return email, password


def publish_vacancy():
    """A verified employer publishes a vacancy: the service enqueues the match alerts and the
    ranking tasks once the transaction commits."""
    suffix = secrets.token_hex(4)
    employer = Employer.objects.create(
        name=f"Smoke test employer {suffix}",
        slug=f"smoke-{suffix}",
        kind=Employer.Kind.MUNICIPAL_PREVENTION,
        is_verified=True,
        verified_at=timezone.now(),
    )
    vacancy = Vacancy.objects.create(
        employer=employer,
        role=Role.objects.get(slug="peace-guard"),
        title_fr="Gardien·ne de la paix (test de fumée)",
        title_nl="Gemeenschapswacht (rooktest)",
        description_fr="Vérification du déploiement.",
        description_nl="Controle van de installatie.",
        commune=Commune.objects.get(nis_code="21015"),
        contract="permanent",
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
        status=Vacancy.Status.DRAFT,
    )
    vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.PUBLISHED)
    return vacancy


def wait_for_tasks(vacancy, since):
    """The two tasks of the publication, once the worker finished them (or the time is up)."""
    paths = {
        "employers.shortlists.tasks.send_match_alerts",
        "employers.shortlists.tasks.build_shortlist_ranking",
    }
    deadline = time.monotonic() + TASK_TIMEOUT_SECONDS
    while True:
        results = [
            result
            for result in DBTaskResult.objects.filter(enqueued_at__gte=since, task_path__in=paths)
            if result.args_kwargs.get("args") == [vacancy.pk]
        ]
        finished = [r for r in results if r.status in {"SUCCESSFUL", "FAILED"}]
        if (len(finished) == len(paths) and len(results) == len(paths)) or (
            time.monotonic() > deadline
        ):
            return results
        connections.close_all()
        time.sleep(0.5)


def main(base):
    checks = Checks()
    started = time.monotonic()
    print(f"Smoke test of {base} (DEBUG={settings.DEBUG})")

    health = fetch(base, "/healthz")
    checks.check(
        "healthz answers 200 over plain HTTP (exempt from the HTTPS redirect)",
        health.status == 200 and health.json().get("status") == "ok",
        f"{health.status} {health.text[:200]}",
    )
    plain = fetch(base, "/")
    checks.check(
        "plain HTTP is redirected to HTTPS",
        plain.status == 301 and plain.headers.get("Location", "").startswith("https://"),
        f"{plain.status} {plain.headers.get('Location')}",
    )

    home = fetch(base, "/", headers=HTTPS)
    checks.check("home page 200 behind the proxy", home.status == 200, str(home.status))
    security_headers(checks, "home", home)
    board = fetch(base, "/vacancies/", headers=HTTPS)
    checks.check("vacancy board 200", board.status == 200, str(board.status))
    security_headers(checks, "board", board)
    again = fetch(base, "/vacancies/", headers=HTTPS)
    checks.check(
        "the public cache answers the board's second anonymous read",
        again.status == 200 and again.headers.get("X-Public-Cache") == "hit",
        f"{again.status} X-Public-Cache: {again.headers.get('X-Public-Cache')}",
    )

    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home.text)
    if checks.check("home page links a hashed stylesheet", bool(stylesheet)):
        static = fetch(base, stylesheet.group(1), headers=HTTPS)
        checks.check(
            f"whitenoise serves {stylesheet.group(1)} with a far-future cache",
            static.status == 200
            and "text/css" in static.headers.get("Content-Type", "")
            and "immutable" in static.headers.get("Cache-Control", ""),
            f"{static.status} {static.headers.get('Content-Type')} "
            f"{static.headers.get('Cache-Control')}",
        )

    # A session login through the HTML form: the session lives in Redis (SESSION_STORE=cache).
    login_page = fetch(base, "/accounts/login/", headers=HTTPS)
    cookies = SimpleCookie()
    for value in login_page.headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    token_field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text)
    email, password = make_candidate()
    if checks.check(
        "login page 200 with a CSRF token", bool(token_field and "csrftoken" in cookies)
    ):
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token_field.group(1),
                "username": email,
                "password": password,
            }
        ).encode()
        request = urllib.request.Request(
            base + "/accounts/login/",
            data=body,
            method="POST",
            headers={
                **HTTPS,
                "Cookie": f"csrftoken={cookies['csrftoken'].value}",
                "Referer": base.replace("http://", "https://") + "/accounts/login/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            answer = opener.open(request, timeout=30)
            status, headers = answer.status, answer.headers
        except urllib.error.HTTPError as error:
            status, headers = error.code, error.headers
        after = SimpleCookie()
        for value in headers.get_all("Set-Cookie") or []:
            after.load(value)
        session = after.get(settings.SESSION_COOKIE_NAME)
        checks.check(
            "a candidate logs in through the form (302 and a secure session cookie)",
            status == 302 and session is not None and session["secure"],
            f"{status} {headers.get('Location')} {list(after)}",
        )
        if session is not None and settings.SESSION_ENGINE.endswith(".cache"):
            checks.check(
                "the session is stored in the Redis cache",
                cache.get(f"django.contrib.sessions.cache{session.value}") is not None,
            )
        if "replica" in settings.DATABASES:
            checks.check(
                "the writer is pinned to the primary database (cookie set after the POST)",
                "passerelle_primary" in after,
                str(list(after)),
            )

    token_response = fetch(
        base,
        "/api/v1/auth/token/",
        method="POST",
        headers=HTTPS,
        data={"email": email, "password": password},
    )
    token = token_response.json().get("token") if token_response.status in {200, 201} else None
    checks.check(
        "API token created for a new user",
        bool(token),
        f"{token_response.status} {token_response.text[:200]}",
    )

    since = timezone.now()
    vacancy = publish_vacancy()
    fresh = fetch(base, "/vacancies/", headers=HTTPS)
    checks.check(
        "the board shows a vacancy at once when it is published (the public cache refreshed)",
        fresh.status == 200 and "test de fumée" in fresh.text,
        f"{fresh.status} X-Public-Cache: {fresh.headers.get('X-Public-Cache')}",
    )
    if token:
        listing = fetch(
            base, "/api/v1/vacancies/", headers={**HTTPS, "Authorization": f"Token {token}"}
        )
        body = listing.json() if listing.status == 200 else {}
        checks.check(
            "API vacancy list (paginated) holds the vacancy just published",
            {"count", "next", "previous", "results"} <= set(body)
            and vacancy.pk in [item["id"] for item in body.get("results", [])],
            f"{listing.status} {listing.text[:200]}",
        )
        anonymous = fetch(base, "/api/v1/me/profile/", headers=HTTPS)
        checks.check("API refuses an anonymous profile read (401)", anonymous.status == 401)
        user = User.objects.get(email=email)
        checks.check(
            "API rate-limit counters are kept in the shared cache",
            cache.get(f"throttle_user_{user.pk}") is not None,
        )

    if "replica" in settings.DATABASES:
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                [settings.DATABASES["replica"]["OPTIONS"].get("application_name", "")],
            )
            replica_connections = cursor.fetchone()[0]
        checks.check(
            "gunicorn workers read through the replica alias (its connections are open)",
            replica_connections > 0,
            f"{replica_connections} connections",
        )

    results = wait_for_tasks(vacancy, since)
    for result in results:
        checks.check(
            f"task {result.task_name} run by a worker ({result.status})",
            result.status == "SUCCESSFUL" and bool(result.worker_ids),
            f"{result.exception_class_path} {result.traceback[-300:] if result.traceback else ''}",
        )
    checks.check(
        "both publication tasks were enqueued and finished",
        len(results) == 2 and all(r.status == "SUCCESSFUL" for r in results),
        f"{len(results)} found",
    )
    checks.check(
        "the ranking task built the vacancy's ranking",
        VacancyRanking.objects.filter(vacancy=vacancy).exists(),
    )

    total = checks.passed + len(checks.failures)
    seconds = time.monotonic() - started
    if checks.failures:
        print(f"Smoke test FAILED: {len(checks.failures)} of {total} checks in {seconds:.1f} s:")
        for name in checks.failures:
            print(f"  - {name}")
        return 1
    print(f"Smoke test passed: {total} checks in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python deploy/smoke.py http://127.0.0.1:PORT")
    sys.exit(main(sys.argv[1].rstrip("/")))
