"""bench/load_report.py: the mix reported as ratios to the ceiling, and the verdict on the goals.

A run's folder is written by hand here (what bench/load.sh leaves: locust's CSV files, the
ceiling's and the mix's JSON, gunicorn's request log) so that the arithmetic is checked without
a server.
"""

import datetime
import importlib.util
import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
STATS_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
)


@pytest.fixture(scope="module")
def report():
    spec = importlib.util.spec_from_file_location("load_report", ROOT / "bench" / "load_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stats_row(name, count, rps, p50, p95, failures=0, kind="GET"):
    return (
        f"{kind},{name},{count},{failures},{p50},{p50},1,{p95 * 2},100,{rps},0,"
        f"{p50},{p50},{p50},{p50},{p95},{p95},{p95},{p95},{p95},{p95},{p95 * 2}\n"
    )


def log_line(when, view, cpu_ms, cached=""):
    return json.dumps(
        {
            "time": datetime.datetime.fromtimestamp(when, datetime.UTC).isoformat(),
            "message": "request",
            "method": "GET",
            "view": view,
            "public_cache": cached,
            "cpu_ms": cpu_ms,
        }
    )


def write_ceiling(folder, name, *, at, rps, minimal_cpu_ms=0.5):
    """A ceiling's phase NAME (bench/load.sh's measure_ceiling) from `at` to `at` + 10 s: `rps`
    requests/s, 10 requests in the log at `minimal_cpu_ms` each, 1 ms of server CPU and 0.2 ms
    of database CPU per request (clock ticks of 10 ms)."""
    (folder / f"{name}.json").write_text(
        json.dumps(
            {
                "started_at": at,
                "ended_at": at + 10,
                "before": {"app": 0, "db": {"1": 0}},
                # 10 requests logged: 1 ms (0.1 tick) each for the server, 0.2 ms for the db.
                "after": {"app": 1, "db": {"1": 0.2}},
                "users": 20,
                "seconds": 10,
                "cores": 2,
                "clock_ticks": 100,
            }
        )
    )
    (folder / f"{name}_stats.csv").write_text(
        STATS_HEADER
        + stats_row("/healthz", 5000, rps, 20, 40)
        + stats_row("Aggregated", 5000, rps, 20, 40, kind="")
    )
    log = folder / "gunicorn.log"
    head = "" if log.exists() else "[gunicorn] started\n"
    with open(log, "a") as out:
        out.write(head + "\n".join(log_line(at + 5, "healthz", minimal_cpu_ms) for _ in range(10)))
        out.write("\n")


def write_run(folder, *, mix_rps, mix_p95, view_cpu_ms, failures=0):
    """A ceiling of 500 requests/s (0.5 ms per /healthz in the log, 1 ms of server CPU per
    request), then a mix at `mix_rps` whose one view costs `view_cpu_ms`."""
    write_ceiling(folder, "ceiling", at=1000, rps=500)
    (folder / "warmup.json").write_text(json.dumps({"seconds": 0, "ended_at": 2000}))
    count = 100
    (folder / "mix.json").write_text(
        json.dumps(
            {
                "ended_at": 2100,
                "before": {"app": 0, "db": {"1": 0}},
                "after": {"app": count * view_cpu_ms / 10, "db": {"1": count * 0.1}},
                "users": 500,
                "seconds": 60,
                "spawn_rate": 10,
                "locust_cpu_seconds": 0.1,
            }
        )
    )
    (folder / "locust_stats.csv").write_text(
        STATS_HEADER
        + stats_row("/vacancies/{id}/", count, mix_rps, 30, mix_p95, failures)
        + stats_row("Aggregated", count, mix_rps, 30, mix_p95, failures, kind="")
    )
    (folder / "locust_failures.csv").write_text("Method,Name,Error,Occurrences\n")
    lines = [log_line(2050, "employers:vacancy_detail", view_cpu_ms, "miss") for _ in range(count)]
    lines += [log_line(2050, "login", 200.0)]  # signing in: listed, left out of the goal
    with open(folder / "gunicorn.log", "a") as log:
        log.write("\n".join(lines) + "\n")


def test_a_mix_within_every_goal_is_reported_as_ratios_and_met(report, tmp_path, capsys):
    write_run(tmp_path, mix_rps=250, mix_p95=120, view_cpu_ms=4.0)
    report.main(tmp_path)
    out = capsys.readouterr().out
    assert "| throughput, requests/s | 500.00 | 250.00 | 0.50 |" in out
    assert "| p95, ms | 40.00 | 120.00 | 3.0 |" in out
    assert "| server CPU per request, ms | 1.00 | 4.00 | 4.0 |" in out
    assert "| GET employers:vacancy_detail | miss | 100 | 4.0 | 8.0 |" in out
    assert "(signing in: left out of the goal)" in out
    assert "goals (ratios to the ceiling): met" in out


def test_each_missed_goal_is_named(report, tmp_path, capsys):
    write_run(tmp_path, mix_rps=150, mix_p95=450, view_cpu_ms=6.0, failures=2)
    report.main(tmp_path)
    verdict = capsys.readouterr().out.splitlines()[-1]
    assert verdict.startswith("goals (ratios to the ceiling): NOT met")
    assert "MISSED throughput 30 % of the ceiling" in verdict
    assert "MISSED p95 450 ms" in verdict
    assert "MISSED 2 failed" in verdict
    assert "MISSED costliest view GET employers:vacancy_detail miss: 12.0×" in verdict


def test_too_few_users_for_the_throughput_goal_is_said(report, tmp_path, capsys):
    write_run(tmp_path, mix_rps=250, mix_p95=120, view_cpu_ms=4.0)
    mix = json.loads((tmp_path / "mix.json").read_text())
    mix["users"] = 30
    (tmp_path / "mix.json").write_text(json.dumps(mix))
    report.main(tmp_path)
    assert "too few users to reach it whatever the server does" in capsys.readouterr().out


def test_the_reference_is_the_mean_of_the_ceiling_before_and_after_the_mix(
    report, tmp_path, capsys
):
    write_run(tmp_path, mix_rps=250, mix_p95=120, view_cpu_ms=4.0)
    # 4 % apart from the first: the run holds.
    write_ceiling(tmp_path, "ceiling_after", at=3000, rps=480, minimal_cpu_ms=0.3)
    report.main(tmp_path)
    out = capsys.readouterr().out
    assert "after the mix: 480.0 requests/s" in out
    assert "reference: the mean of the two, 490.0 requests/s, minimal view 0.40 ms" in out
    assert "the ceiling moved 4 % during the run" in out
    assert "| throughput, requests/s | 490.00 | 250.00 | 0.51 |" in out
    assert "| GET employers:vacancy_detail | miss | 100 | 4.0 | 10.0 |" in out
    assert out.splitlines()[-1].startswith("goals (ratios to the ceiling): met")


def test_a_ceiling_that_moved_during_the_run_leaves_the_verdict_unsettled(report, tmp_path, capsys):
    write_run(tmp_path, mix_rps=250, mix_p95=120, view_cpu_ms=4.0)
    write_ceiling(tmp_path, "ceiling_after", at=3000, rps=400)  # 22 % apart
    report.main(tmp_path)
    verdict = capsys.readouterr().out.splitlines()[-1]
    assert verdict.startswith("goals (ratios to the ceiling): UNSETTLED (the ceiling moved 22 %")
