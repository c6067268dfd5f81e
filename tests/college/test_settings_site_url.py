"""SITE_URL is the address in feeds, JSON-LD and e-mails: production must name it, and `make run`
sets it to the address it serves."""

import subprocess

import pytest

from tests.college.test_settings import PRODUCTION, ROOT, read_settings


def test_production_refuses_to_start_without_site_url():
    result = read_settings({**PRODUCTION, "SITE_URL": ""}, "SITE_URL")
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_production_refuses_a_site_url_that_is_not_an_http_address():
    result = read_settings({**PRODUCTION, "SITE_URL": "passerelle.example"}, "SITE_URL")
    assert result.returncode != 0
    assert "SITE_URL must start with http:// or https://" in result.stderr


def test_production_keeps_the_site_url_it_is_given_without_a_trailing_slash():
    result = read_settings({**PRODUCTION, "SITE_URL": "https://passerelle.example/"}, "SITE_URL")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"SITE_URL": "https://passerelle.example"}'


def test_development_defaults_to_the_development_server():
    result = read_settings({}, "SITE_URL")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"SITE_URL": "http://127.0.0.1:8000"}'


def make_run_commands(*arguments):
    """The commands `make run` would execute with these arguments, without running them."""
    result = subprocess.run(
        ["make", "--dry-run", "run", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ((), 'SITE_URL="http://127.0.0.1:8000"'),
        (("HOST=0.0.0.0", "PORT=8080"), 'SITE_URL="http://0.0.0.0:8080"'),
        (("PORT=8123",), 'SITE_URL="http://127.0.0.1:8123"'),
        (("PORT=8080", "SITE_URL=https://demo.example"), 'SITE_URL="https://demo.example"'),
    ],
)
def test_make_run_serves_and_links_on_the_same_address(arguments, expected):
    commands = make_run_commands(*arguments)
    served = [line for line in commands.splitlines() if "runserver" in line or "db_worker" in line]
    assert served, commands
    assert all(expected in line for line in served), served
