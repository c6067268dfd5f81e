"""Settings come from the environment, with safe development defaults and a strict production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from college.settings import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "a-real-random-looking-secret-key-for-tests-0123456789",
    "ALLOWED_HOSTS": "passerelle.example",
    "EMAIL_HOST": "smtp.passerelle.example",
    "SITE_URL": "https://passerelle.example",
}


def read_settings(env, *names):
    """Imports the settings in a fresh interpreter with exactly `env`, returns the named values."""
    code = (
        "import json, college.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    clean_env = {key: value for key, value in os.environ.items() if key not in _KNOBS}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


_KNOBS = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "SITE_URL",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("OFF", False),
        ("", True),
    ],
)
def test_booleans_are_read_in_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", True) is expected


def test_a_misspelt_boolean_is_refused_rather_than_guessed(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOME_FLAG", False)


def test_integers_and_lists_are_parsed(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "42")
    monkeypatch.setenv("SOME_LIST", "a.example, b.example,,")
    assert env_int("SOME_NUMBER", 0) == 42
    assert env_list("SOME_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("SOME_NUMBER", "forty")
    with pytest.raises(ImproperlyConfigured):
        env_int("SOME_NUMBER", 0)


def test_development_defaults_use_sqlite_under_var_and_the_console_mailer():
    result = read_settings({}, "DEBUG", "DATABASES", "MAILERS", "SESSION_COOKIE_SECURE")
    assert result.returncode == 0, result.stderr
    assert '"DEBUG": true' in result.stdout
    assert "sqlite3" in result.stdout and "var/passerelle.sqlite3" in result.stdout
    assert "console.EmailBackend" in result.stdout
    assert '"SESSION_COOKIE_SECURE": false' in result.stdout


def test_production_refuses_to_start_with_the_development_secret_key():
    result = read_settings({"DEBUG": "0", "ALLOWED_HOSTS": "passerelle.example"}, "DEBUG")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = read_settings({**PRODUCTION, "ALLOWED_HOSTS": ""}, "DEBUG")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_turns_on_https_hsts_and_secure_cookies():
    result = read_settings(
        PRODUCTION,
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_PRELOAD",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '{"SECURE_SSL_REDIRECT": true, "SECURE_HSTS_SECONDS": 31536000, '
        '"SESSION_COOKIE_SECURE": true, "CSRF_COOKIE_SECURE": true, "SECURE_HSTS_PRELOAD": true}'
    )


def test_database_redis_and_smtp_come_from_the_environment():
    result = read_settings(
        {
            "DATABASE_URL": "postgres://app@db.internal:5432/passerelle",
            "REDIS_URL": "redis://cache.internal:6379/0",
            "EMAIL_HOST": "smtp.internal",
        },
        "DATABASES",
        "CACHES",
        "SESSION_ENGINE",
        "MAILERS",
    )
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout
    assert '"NAME": "passerelle"' in result.stdout
    assert "RedisCache" in result.stdout and "cache.internal" in result.stdout
    assert "sessions.backends.cache" in result.stdout
    assert "smtp.EmailBackend" in result.stdout and "smtp.internal" in result.stdout


def test_deploy_checks_pass_with_production_settings(tmp_path):
    clean_env = {key: value for key, value in os.environ.items() if key not in _KNOBS}
    # A database of its own: a fresh checkout has no var/ folder for the default SQLite file.
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean_env, **PRODUCTION, **database},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
