from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch(
        "college.core.views.site.connection.cursor", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_reads_the_database_once(client, django_assert_num_queries):
    # The ceiling of bench/load.sh: the middleware stack and one indexed read, no more.
    with django_assert_num_queries(1) as captured:
        assert client.get("/healthz").status_code == 200
    assert "django_migrations" in captured.captured_queries[0]["sql"]
