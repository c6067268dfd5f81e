"""Structured logs: one JSON line per request, without personal data."""

import json
import logging

import pytest

from college.core.logs import JsonFormatter
from tests import factories

pytestmark = pytest.mark.django_db


def test_log_lines_are_json_and_drop_fields_that_are_not_allowed():
    record = logging.LogRecord("passerelle", logging.INFO, __file__, 1, "hello", None, None)
    record.status = 200
    record.email = "someone@example.org"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hello" and line["status"] == 200
    assert "email" not in line and "someone@example.org" not in json.dumps(line)


def test_each_request_is_logged_with_route_status_and_role_but_no_identity(client, caplog):
    user = factories.CandidateFactory(email="private.person@example.org")
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="passerelle.requests"):
        client.get("/me/?q=secret-search-words")
    record = next(r for r in caplog.records if r.name == "passerelle.requests")
    formatted = JsonFormatter().format(record)
    line = json.loads(formatted)
    assert line["route"] == "me/" and line["status"] == 200
    assert line["role"] == "candidate" and line["user_id"] == user.pk
    assert "private.person" not in formatted
    assert "secret-search-words" not in formatted


def test_each_request_line_says_its_cpu_time_and_whether_the_public_cache_answered(
    client, caplog, settings, reference_data
):
    settings.PUBLIC_CACHE_SECONDS = 600
    factories.VacancyFactory()
    with caplog.at_level(logging.INFO, logger="passerelle.requests"):
        client.get("/vacancies/")
        client.get("/vacancies/")
        client.get("/healthz")
    lines = [
        json.loads(JsonFormatter().format(record))
        for record in caplog.records
        if record.name == "passerelle.requests"
    ]
    assert [line["public_cache"] for line in lines] == ["miss", "hit", ""]
    assert all(line["cpu_ms"] >= 0 for line in lines)
    assert lines[0]["cpu_ms"] > 0  # rendering the board takes some
