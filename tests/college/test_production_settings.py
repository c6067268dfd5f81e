"""Production settings: connection pooling, the read replica, Redis sessions, gunicorn's workers
and the environment template that documents every variable the settings read."""

import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "college" / "settings.py"
ENV_TEMPLATE = ROOT / "deploy" / "passerelle.env.example"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
POSTGRES = "postgres://passerelle@db.internal:5432/passerelle"
REPLICA = "postgres://passerelle@replica.internal:5432/passerelle"
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 10 + "a-real-random-looking-secret-key-for-tests-0123456789",
    "ALLOWED_HOSTS": "passerelle.example",
    "EMAIL_HOST": "smtp.passerelle.example",
    "SITE_URL": "https://passerelle.example",
}


def variables_read(source):
    """Every environment variable named in `source` (os.environ.get and the env_* helpers)."""
    pattern = r"""(?:os\.environ\.get|os\.environ\[|env_bool|env_int|env_list)\(?\s*["']([A-Z_]+)"""
    return set(re.findall(pattern, source))


SETTINGS_VARIABLES = variables_read(SETTINGS.read_text())


def read_settings(env, *names):
    """Imports the settings in a fresh interpreter with exactly `env` (on top of a clean
    environment), returns the named values, or the error when the settings refused to load."""
    code = (
        "import json, college.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))"
    )
    clean = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode:
        return {"error": result.stderr.strip().splitlines()[-1]}
    return json.loads(result.stdout)


# --- Connection pooling ---------------------------------------------------------------------------


def test_the_pool_is_psycopgs_with_sizes_from_the_environment_and_no_persistent_connections():
    values = read_settings(
        {
            "DATABASE_URL": POSTGRES,
            "DATABASE_POOL": "1",
            "DATABASE_POOL_MAX_SIZE": "8",
        },
        "DATABASES",
    )
    default = values["DATABASES"]["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert default["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    assert default["CONN_MAX_AGE"] == 0
    assert default["CONN_HEALTH_CHECKS"] is True  # the pool checks a connection before lending it


def test_without_the_flag_there_is_no_pool():
    values = read_settings({"DATABASE_URL": POSTGRES}, "DATABASES")
    assert "pool" not in values["DATABASES"]["default"].get("OPTIONS", {})


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": POSTGRES, "DATABASE_POOL": "1", "DATABASE_CONN_MAX_AGE": "60"},
            "DATABASE_POOL needs DATABASE_CONN_MAX_AGE=0",
        ),
        ({"DATABASE_POOL": "1"}, "DATABASE_POOL needs a PostgreSQL DATABASE_URL"),
        ({"DATABASE_REPLICA_URL": REPLICA}, "DATABASE_REPLICA_URL needs a PostgreSQL"),
        ({"SESSION_STORE": "cache"}, "needs REDIS_URL"),
        ({"SESSION_STORE": "files"}, "SESSION_STORE must be one of cache, cached_db, db"),
    ],
)
def test_an_impossible_database_or_session_setup_is_refused_with_a_clear_message(env, message):
    assert message in read_settings(env, "DATABASES")["error"]


# --- The read replica -----------------------------------------------------------------------------


def test_a_replica_adds_its_alias_the_router_and_the_pinning_middleware():
    values = read_settings(
        {"DATABASE_URL": POSTGRES, "DATABASE_REPLICA_URL": REPLICA, "DATABASE_POOL": "1"},
        "DATABASES",
        "DATABASE_ROUTERS",
        "MIDDLEWARE",
        "DATABASE_REPLICA_PIN_SECONDS",
    )
    replica = values["DATABASES"]["replica"]
    assert replica["HOST"] == "replica.internal"
    assert replica["OPTIONS"]["pool"]["max_size"] == 4
    assert replica["TEST"]["MIRROR"] == "default"  # tests never build a second database
    assert values["DATABASE_ROUTERS"] == ["college.core.db_router.PrimaryReplicaRouter"]
    middleware = values["MIDDLEWARE"]
    pinning = middleware.index("college.core.db_router.ReplicaPinningMiddleware")
    # Before sessions and authentication, so that every query of the request is routed.
    assert pinning < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert pinning < middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert values["DATABASE_REPLICA_PIN_SECONDS"] == 10


def test_without_a_replica_there_is_one_database_and_no_router():
    values = read_settings(
        {"DATABASE_URL": POSTGRES}, "DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE"
    )
    assert set(values["DATABASES"]) == {"default"}
    assert values["DATABASE_ROUTERS"] is None
    assert "college.core.db_router.ReplicaPinningMiddleware" not in values["MIDDLEWARE"]


# --- Redis: cache, sessions, rate limits ----------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "engine"),
    [
        ({"REDIS_URL": "redis://cache.internal:6379/0"}, "cache"),
        ({"REDIS_URL": "redis://cache.internal:6379/0", "SESSION_STORE": "cached_db"}, "cached_db"),
        ({}, "db"),
    ],
)
def test_sessions_are_kept_where_the_configuration_says(env, engine):
    values = read_settings(env, "SESSION_ENGINE", "CACHES")
    assert values["SESSION_ENGINE"] == f"django.contrib.sessions.backends.{engine}"
    backend = values["CACHES"]["default"]["BACKEND"]
    if "REDIS_URL" in env:
        # The cache holds the rate-limit counters too: one Redis shared by every app server.
        assert backend == "college.core.redis_cache.RedisCache"  # Django's, one client a pool
        assert values["CACHES"]["default"]["LOCATION"] == env["REDIS_URL"]
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_production_redirects_to_https_except_the_health_check_and_trusts_the_proxy_header():
    values = read_settings(
        {**PRODUCTION, "DATABASE_URL": POSTGRES, "REDIS_URL": "redis://cache.internal:6379/0"},
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_REDIRECT_EXEMPT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "STORAGES",
        "SESSION_ENGINE",
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert any(re.match(pattern, "healthz") for pattern in values["SECURE_REDIRECT_EXEMPT"])
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cache"
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


# --- gunicorn and the environment template --------------------------------------------------------


def gunicorn_settings(monkeypatch, **env):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_runs_four_workers_per_core(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    cores = len(os.sched_getaffinity(0))
    assert conf["workers"] == 4 * cores
    assert conf["default_workers"](4) == 16
    assert conf["wsgi_app"] == "college.wsgi:application"
    assert conf["preload_app"] is False  # each worker opens its own database pool
    assert conf["control_socket_disable"] is True  # no socket shared by every gunicorn in $HOME
    assert conf["bind"] == ["127.0.0.1:8000"]


def test_gunicorn_workers_and_address_can_be_set(monkeypatch):
    conf = gunicorn_settings(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_BIND="10.0.0.5:8000")
    assert conf["workers"] == 3
    assert conf["bind"] == ["10.0.0.5:8000"]


def test_the_environment_template_documents_every_variable_the_settings_read():
    template = ENV_TEMPLATE.read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", template, flags=re.MULTILINE))
    needed = SETTINGS_VARIABLES | variables_read(GUNICORN_CONF.read_text())
    assert {"DATABASE_URL", "DATABASE_POOL", "DATABASE_REPLICA_URL", "REDIS_URL"} <= needed
    assert needed - documented == set(), "add these to deploy/passerelle.env.example"
