"""Passerelle's load scenario (a benchmark, not a test): run it through bench/load.sh.

    .venv/bin/locust -f bench/locustfile.py --headless --host http://127.0.0.1:8765 \\
        --users 250 --spawn-rate 50 --run-time 60s

Four kinds of visitors, weighted as a live site would see them (mostly public reads):

* Visitor (weight 12): the public board with filters, a vacancy's page, the Atom feed;
* ApiClient (weight 6): job boards and HR tools on the API: vacancies (filtered, one vacancy),
  the skills search, the training modules;
* Candidate (weight 2): a job-seeker taking a practice test through the API under their own
  account (c<n>@bench.invalid, made by `manage.py scale_demo`): a token, the tests offered,
  start an attempt, answer 4 to 12 items (one request per item, with thinking time between),
  finish and read the result;
* Employer (weight 1): a member of a demo organisation reading its vacancies' shortlists, on the
  API (token) and on the page, signed in through the login form and the two-step verification
  (each under its own account e<n>@bench.invalid, made by `manage.py scale_demo` with the demo
  authenticator: a code serves once per account).

Every simulated visitor sends its own X-Forwarded-For address (10.x.y.z), as a reverse proxy
would for real clients, so that the per-client rate limits apply per visitor and not to the
whole load; and X-Forwarded-Proto: https, as the TLS-terminating proxy of the production setup
does (no redirect to HTTPS; secure cookies, which the client is told to send back over the
loopback).

Loopback only: the scenario refuses any other host. Settings from the environment:
LOAD_PASSWORD (default passerelle-demo), LOAD_CANDIDATES (how many c<n>@bench.invalid accounts
have the password, default 200), LOAD_EMPLOYERS (how many e<n>@bench.invalid, default 60),
LOAD_MFA_SECRET (their authenticator's secret, default the demo one), LOAD_WARMUP_SECONDS (a
warm-up at the start of the run, left out of the figures: when it ends, the statistics start
again from zero and its own figures are written as JSON to LOAD_WARMUP_REPORT, if set).
"""

import itertools
import json
import os
import random
import re
import time
import urllib.parse
import urllib.request

import gevent
import pyotp
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

PASSWORD = os.environ.get("LOAD_PASSWORD", "passerelle-demo")
LOAD_CANDIDATES = int(os.environ.get("LOAD_CANDIDATES", "200"))
LOAD_EMPLOYERS = int(os.environ.get("LOAD_EMPLOYERS", "60"))
TOTP = pyotp.TOTP(os.environ.get("LOAD_MFA_SECRET", "PASSERELLEDEMOKEY234567PASSERELL"))
WARMUP_SECONDS = float(os.environ.get("LOAD_WARMUP_SECONDS", "0"))
WARMUP_REPORT = os.environ.get("LOAD_WARMUP_REPORT", "")
ORGANISATIONS = 2  # e<n>@bench.invalid belongs to the demo organisation n % 2
LANGUAGES = ("fr",) * 5 + ("nl",) * 4 + ("en",)
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

BOARD_QUERIES = [
    {},
    {"q": "agent"},
    {"q": "gardien"},
    {"q": "veiligheid"},
    {"sector": "police"},
    {"sector": "municipal_prevention"},
    {"role": "peace-guard"},
    {"role": "security-guard", "ordering": "closes_on"},
    {"commune": "1000"},
    {"commune": "1030", "contract": "permanent"},
    {"language": "nl", "cefr": "B1"},
    {"ordering": "-posts"},
    {"page": "2"},
    {"page": "5"},
]
API_QUERIES = [
    {},
    {"q": "agent"},
    {"role": "police-agent"},
    {"sector": "public_transport"},
    {"commune": "1000"},
    {"contract": "permanent", "ordering": "closes_on"},
    {"language": "fr"},
    {"diploma_required": "false"},
    {"page": "3", "page_size": "50"},
]
SKILL_QUERIES = ["comm", "conflict", "premiers", "veilig", "report", "patrol", "sécurité", "de-esc"]

# Filled once before the load starts (test_start), by plain requests outside the statistics.
DATA = {"vacancies": [], "shortlists": {}, "batteries": []}
_addresses = itertools.count(1)
_candidates = itertools.count(0)
_employers = itertools.count(ORGANISATIONS)  # e0 and e1 read the vacancy lists in test_start


def _setup_request(host, path, *, token=None, body=None):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.255.255.254"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(host + path, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _code(offset=0):
    return TOTP.at(time.time(), counter_offset=offset)


def _token(host, email, otp=None):
    body = {"email": email, "password": PASSWORD}
    if otp:
        body["otp"] = otp
    return _setup_request(host, "/api/v1/auth/token/", body=body)["token"]


@events.test_start.add_listener
def on_test_start(environment, **_kwargs):
    host = (environment.host or "").rstrip("/")
    try:
        if urllib.parse.urlsplit(host).hostname not in LOOPBACK:
            raise ValueError(f"the load scenario only runs against the loopback, not {host!r}")
        load_ids(host)
        if WARMUP_SECONDS > 0:
            gevent.spawn_later(WARMUP_SECONDS, end_warmup, environment)
    except Exception as error:  # noqa: BLE001 - any failure here makes the run meaningless
        print(f"load scenario: setup failed: {error!r}")
        environment.process_exit_code = 2
        gevent.spawn_later(0.1, environment.runner.quit)


def end_warmup(environment):
    """The warm-up is over: its figures go to LOAD_WARMUP_REPORT, the statistics restart."""
    stats = environment.runner.stats
    total = stats.total
    report = {
        "seconds": WARMUP_SECONDS,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "requests_per_second": round(total.total_rps, 1),
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "ended_at": time.time(),
    }
    stats.reset_all()
    if WARMUP_REPORT:
        with open(WARMUP_REPORT, "w") as file:
            json.dump(report, file)
    print(f"load scenario: warm-up over, statistics restart: {report}")


def load_ids(host):
    """Published vacancies, the demo organisations' shortlists and the practice tests."""
    first = _setup_request(host, "/api/v1/vacancies/?page_size=100&ordering=title")
    pages = max(1, -(-first["count"] // 100))
    ids = [item["id"] for item in first["results"]]
    for page in random.Random(1).sample(range(2, pages + 1), min(pages - 1, 6)):
        listing = _setup_request(
            host, f"/api/v1/vacancies/?page_size=100&ordering=title&page={page}"
        )
        ids += [item["id"] for item in listing["results"]]
    DATA["vacancies"] = ids
    for organisation in range(ORGANISATIONS):
        token = _token(host, f"e{organisation}@bench.invalid", otp=_code())
        mine = _setup_request(host, "/api/v1/vacancies/?mine=true&page_size=100", token=token)
        DATA["shortlists"][organisation] = [
            item["id"] for item in mine["results"] if item.get("published_at")
        ]
    token = _token(host, "c0@bench.invalid")
    tests = _setup_request(host, "/api/v1/tests/", token=token)
    DATA["batteries"] = [item["slug"] for item in tests["results"]]
    print(
        f"load scenario: {len(ids)} vacancies sampled, shortlists "
        f"{ {key: len(value) for key, value in DATA['shortlists'].items()} }, "
        f"tests {DATA['batteries']}"
    )


class Browser(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 2.5)

    def on_start(self):
        number = next(_addresses)
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.language = random.choice(LANGUAGES)
        self.auth = None

    def headers(self, **extra):
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Accept-Language": self.language,
        }
        if self.auth:
            headers["Authorization"] = self.auth
        headers.update(extra)
        return headers

    def get(self, path, name, **kwargs):
        response = self.client.get(path, headers=self.headers(), name=name, **kwargs)
        self.unsecure_cookies()
        return response

    def post_json(self, path, body, name, **kwargs):
        response = self.client.post(path, json=body, headers=self.headers(), name=name, **kwargs)
        self.unsecure_cookies()
        return response

    def unsecure_cookies(self):
        # The server marks its cookies Secure (it is told the request came over HTTPS); the
        # client talks plain HTTP to the loopback and must send them back all the same. Any
        # response may set one again: the session's, when its last-seen time moves on.
        for cookie in self.client.cookiejar:
            cookie.secure = False

    def token(self, email, otp=None):
        body = {"email": email, "password": PASSWORD}
        if otp:
            body["otp"] = otp
        with self.client.post(
            "/api/v1/auth/token/",
            json=body,
            headers=self.headers(),
            name="POST /api/v1/auth/token/",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"token for {email}: {response.status_code} {response.text}")
                raise StopUser()
            self.auth = f"Token {response.json()['token']}"


class Visitor(Browser):
    """Someone looking for a job on the public board."""

    weight = 12

    @task(5)
    def board(self):
        query = random.choice(BOARD_QUERIES)
        self.get("/vacancies/?" + urllib.parse.urlencode(query), name="/vacancies/ [filters]")

    @task(4)
    def vacancy(self):
        self.get(f"/vacancies/{random.choice(DATA['vacancies'])}/", name="/vacancies/{id}/")

    @task(1)
    def feed(self):
        self.get("/vacancies/feed/", name="/vacancies/feed/")


class ApiClient(Browser):
    """A job board or an HR tool reading the public API."""

    weight = 6

    @task(4)
    def vacancies(self):
        query = random.choice(API_QUERIES)
        self.get(
            "/api/v1/vacancies/?" + urllib.parse.urlencode(query),
            name="/api/v1/vacancies/ [filters]",
        )

    @task(2)
    def vacancy(self):
        self.get(
            f"/api/v1/vacancies/{random.choice(DATA['vacancies'])}/", name="/api/v1/vacancies/{id}/"
        )

    @task(3)
    def skills(self):
        self.get(
            "/api/v1/skills/?" + urllib.parse.urlencode({"q": random.choice(SKILL_QUERIES)}),
            name="/api/v1/skills/?q=",
        )

    @task(1)
    def modules(self):
        self.get("/api/v1/modules/", name="/api/v1/modules/")


class Candidate(Browser):
    """A job-seeker taking practice tests through the API, one request per step."""

    weight = 2

    def on_start(self):
        super().on_start()
        self.email = f"c{next(_candidates) % LOAD_CANDIDATES}@bench.invalid"
        self.token(self.email)
        self.get("/api/v1/tests/", name="/api/v1/tests/")
        self.attempt = None

    @task
    def step(self):
        if self.attempt is None:
            self.start_attempt()
        elif self.left > 0:
            self.answer_item()
        else:
            self.finish_attempt()

    def start_attempt(self):
        with self.post_json(
            "/api/v1/attempts/",
            {"test": random.choice(DATA["batteries"]), "mode": "practice"},
            name="POST /api/v1/attempts/",
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"start: {response.status_code} {response.text[:200]}")
                return
            self.attempt = response.json()["id"]
            self.left = random.randint(4, 12)

    def answer_item(self):
        with self.get(
            f"/api/v1/attempts/{self.attempt}/",
            name="/api/v1/attempts/{id}/",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"attempt: {response.status_code}")
                self.attempt = None
                return
            item = response.json()["current_item"]
        if item is None:
            self.left = 0
            return
        if item["respond_with"] == "choice":
            body = {"item": item["id"], "choice": random.choice(item["options"])["id"]}
        elif item["respond_with"] == "choices":
            picked = random.sample(item["options"], random.randint(1, len(item["options"])))
            body = {"item": item["id"], "choices": [option["id"] for option in picked]}
        elif item.get("scale"):
            body = {"item": item["id"], "value": str(random.choice(item["scale"])["value"])}
        else:
            body = {"item": item["id"], "value": str(random.randint(1, 60))}
        with self.post_json(
            f"/api/v1/attempts/{self.attempt}/responses/",
            body,
            name="POST /api/v1/attempts/{id}/responses/",
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"answer: {response.status_code} {response.text[:200]}")
        self.left -= 1

    def finish_attempt(self):
        with self.post_json(
            f"/api/v1/attempts/{self.attempt}/finish/",
            None,
            name="POST /api/v1/attempts/{id}/finish/",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "competencies" not in response.json():
                response.failure(f"finish: {response.status_code} {response.text[:200]}")
        self.attempt = None


class Employer(Browser):
    """A member of a demo organisation reading its vacancies' shortlists."""

    weight = 1

    def on_start(self):
        super().on_start()
        number = next(_employers) % LOAD_EMPLOYERS
        self.email = f"e{number}@bench.invalid"
        self.vacancies = DATA["shortlists"][number % ORGANISATIONS]
        if not self.vacancies:
            raise StopUser()
        self.log_in()
        self.token(self.email, otp=_code(1))  # the login's code serves once: the next one

    def log_in(self):
        page = self.client.get("/accounts/login/", headers=self.headers(), name="/accounts/login/")
        self.unsecure_cookies()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
        if match is None:
            raise StopUser()
        referer = f"https://{urllib.parse.urlsplit(self.host).netloc}/accounts/login/"
        with self.client.post(
            "/accounts/login/",
            data=urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": match.group(1),
                    "username": self.email,
                    "password": PASSWORD,
                }
            ),
            headers=self.headers(
                Referer=referer, **{"Content-Type": "application/x-www-form-urlencoded"}
            ),
            name="POST /accounts/login/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login: {response.status_code}")
                raise StopUser()
        self.unsecure_cookies()
        # The employer's space sends a member who owes the second step to its form.
        page = self.client.get(
            "/employer/", headers=self.headers(), name="/employer/ (to the second step)"
        )
        self.unsecure_cookies()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
        verify = urllib.parse.urlsplit(page.url or "")
        if match is None or "mfa" not in verify.path:
            raise StopUser()
        verify_path = verify.path + (f"?{verify.query}" if verify.query else "")
        with self.client.post(
            verify_path,
            data=urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), "code": _code()}),
            headers=self.headers(
                Referer=referer.replace("/accounts/login/", verify_path),
                **{"Content-Type": "application/x-www-form-urlencoded"},
            ),
            name="POST (second step)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"verify: {response.status_code}")
                raise StopUser()
        self.unsecure_cookies()

    @task(3)
    def shortlist_api(self):
        self.get(
            f"/api/v1/vacancies/{random.choice(self.vacancies)}/shortlist/",
            name="/api/v1/vacancies/{id}/shortlist/",
        )

    @task(2)
    def shortlist_page(self):
        # The page is read with the session alone, as a browser would.
        auth, self.auth = self.auth, None
        try:
            with self.get(
                f"/employer/vacancies/{random.choice(self.vacancies)}/shortlist/",
                name="/employer/vacancies/{id}/shortlist/",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"shortlist page: {response.status_code}")
        finally:
            self.auth = auth
        self.unsecure_cookies()
