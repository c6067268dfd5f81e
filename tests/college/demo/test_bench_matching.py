"""The matching benchmark, with tiny numbers, on the test database."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from college.management.commands.bench_matching import Command

pytestmark = pytest.mark.django_db


def test_bench_matching_prints_the_figures_and_the_rankings_agree(reference_data):
    out = StringIO()
    call_command(
        "bench_matching",
        candidates=200,
        vacancies=20,
        runs=3,
        seed=3,
        scratch=True,
        stdout=out,
        stderr=StringIO(),
    )
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["candidates"] == 200
    assert summary["rankings_agree"] is True
    for key in ("shortlist_ms", "matches_ms", "pool_ms", "pool_kept_ms"):
        assert set(summary[key]) == {"p50", "p95"}
        assert summary[key]["p50"] >= 0
    assert summary["bound_ms"]["p50"] >= 0
    assert summary["peak_rss_mb"] > 0


def test_bench_matching_refuses_a_database_not_named_bench(reference_data, monkeypatch):
    monkeypatch.setattr(Command, "database_name", lambda self: "/srv/passerelle")
    with pytest.raises(CommandError, match="Refusing"):
        call_command("bench_matching", candidates=10, vacancies=2, runs=1, stdout=StringIO())
