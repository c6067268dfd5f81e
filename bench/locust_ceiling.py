"""The ceiling phase of bench/load.sh (a benchmark, not a test): the minimal view at saturation.

    .venv/bin/locust -f bench/locust_ceiling.py --headless --host http://127.0.0.1:8765 \\
        --users 20 --spawn-rate 20 --run-time 30s

Each user requests `/healthz` (the whole middleware stack and one indexed read of the database,
college/core/views/site.py) again as soon as the answer comes, with no wait: the same gunicorn,
database and cache as the mixed scenario, serving as many requests a second as the machine
allows. The mix of bench/locustfile.py is then measured against this ceiling, in ratios that
hold from one machine to another. Loopback only, as the scenario.
"""

import itertools
import urllib.parse

import gevent
from locust import FastHttpUser, constant, events, task

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_addresses = itertools.count(1)


@events.test_start.add_listener
def on_test_start(environment, **_kwargs):
    host = (environment.host or "").rstrip("/")
    if urllib.parse.urlsplit(host).hostname not in LOOPBACK:
        print(f"ceiling: only against the loopback, not {host!r}")
        environment.process_exit_code = 2
        gevent.spawn_later(0.1, environment.runner.quit)


class Ceiling(FastHttpUser):
    """Requests the minimal view back to back."""

    wait_time = constant(0)

    def on_start(self):
        number = next(_addresses)
        self.headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"10.250.{number // 256 % 256}.{number % 256}",
        }

    @task
    def minimal(self):
        self.client.get("/healthz", headers=self.headers, name="/healthz")
