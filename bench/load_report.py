"""The summary of a bench/load.sh run: the ceiling, the mix, and the mix as ratios to the ceiling.

    .venv/bin/python bench/load_report.py var/load/<time>/      # what bench/load.sh runs

Reads the run's folder: ceiling_stats.csv and ceiling.json (the minimal view at saturation,
bench/locust_ceiling.py), locust_stats.csv, locust_failures.csv, warmup.json and mix.json (the
mixed scenario, bench/locustfile.py) and gunicorn.log (each request's `cpu_ms`, the request log
of college/core/middleware.py). Prints Markdown: the ceiling's throughput, p95 and CPU per
request; the mix's table per endpoint; the mix's throughput, p95 and CPU per request beside the
ceiling's, as ratios; the server's CPU per view, each as a ratio to the minimal view's; and the
verdict on the goals (ratios travel between machines): the mix at 40 % or more of the
ceiling's throughput, p95 under 300 ms, no failed request, and no view above 10 times the
minimal view's CPU per request.

Signing in (the login form, the second step, a token) is listed but left out of the last goal:
it hashes a password with Argon2 on purpose, to slow down guessing.
"""

import collections
import csv
import datetime
import json
import pathlib
import sys

THROUGHPUT_GOAL = 0.40
P95_GOAL_MS = 300
VIEW_CPU_GOAL = 10
PASSWORD_VIEWS = {"login", "mfa_verify", "api:token"}
MINIMAL_VIEW = "healthz"


def locust_total(path):
    rows = list(csv.DictReader(open(path)))
    return rows, next(row for row in rows if row["Name"] == "Aggregated")


def cpu_per_request(figures, count, tick):
    """Server (gunicorn) and database CPU ms per request between two /proc readings."""
    before, after = figures["before"], figures["after"]
    count = max(1, count)
    app = (after["app"] - before["app"]) * tick / count
    db = sum(ticks - before["db"].get(pid, 0) for pid, ticks in after["db"].items()) * tick / count
    return app, db


def request_log(path, start, end):
    """cpu_ms of each request answered between start and end (epoch seconds), per view."""
    rows = collections.defaultdict(list)
    for line in open(path):
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        if entry.get("message") != "request" or "cpu_ms" not in entry:
            continue
        when = datetime.datetime.fromisoformat(entry["time"]).timestamp()
        if not start <= when <= end:
            continue
        key = (entry["method"], entry["view"] or "(no view)", entry.get("public_cache") or "")
        rows[key].append(entry["cpu_ms"])
    return rows


def ratio(value, reference):
    return value / reference if reference else float("nan")


def main(folder):
    folder = pathlib.Path(folder)
    if not (folder / "ceiling.json").exists():
        sys.exit("No ceiling in this run (CEILING_TIME=0): nothing to compare the mix with.")
    ceiling_run = json.load(open(folder / "ceiling.json"))
    mix_run = json.load(open(folder / "mix.json"))
    warmup = json.load(open(folder / "warmup.json"))
    tick = 1000 / ceiling_run["clock_ticks"]
    cores = ceiling_run["cores"]

    # The ceiling ---------------------------------------------------------------------------
    _rows, ceiling = locust_total(folder / "ceiling_stats.csv")
    ceiling_rps, ceiling_p95 = float(ceiling["Requests/s"]), float(ceiling["95%"])
    ceiling_count, ceiling_errors = int(ceiling["Request Count"]), int(ceiling["Failure Count"])
    minimal_log = request_log(
        folder / "gunicorn.log", ceiling_run["started_at"], ceiling_run["ended_at"]
    )
    minimal_cpu = [
        value
        for (_m, view, _c), values in minimal_log.items()
        if view == MINIMAL_VIEW
        for value in values
    ]
    minimal_cpu_ms = sum(minimal_cpu) / len(minimal_cpu) if minimal_cpu else float("nan")
    # The CPU was read over the requests the server logged between the two readings.
    ceiling_app, ceiling_db = cpu_per_request(ceiling_run, len(minimal_cpu) or ceiling_count, tick)
    print(
        f"## Ceiling: /healthz at saturation, {ceiling_run['users']} users for "
        f"{ceiling_run['seconds']} s, {cores} cores\n"
    )
    print(
        f"{ceiling_rps:.1f} requests/s, p50 {ceiling['50%']} ms, p95 {ceiling['95%']} ms, "
        f"{ceiling_errors} failed of {ceiling_count}; CPU per request: server {ceiling_app:.2f} ms "
        f"(request log {minimal_cpu_ms:.2f} ms), database {ceiling_db:.2f} ms\n"
    )

    # The mix -------------------------------------------------------------------------------
    rows, total = locust_total(folder / "locust_stats.csv")
    users, run_time = mix_run["users"], mix_run["seconds"]
    if warmup.get("seconds"):
        print(
            f"## Mix\n\nwarm-up, left out: {warmup['seconds']:.0f} s, {users} users arriving "
            f"{mix_run['spawn_rate']} a second, empty caches: {warmup['requests']} requests, "
            f"{warmup['failures']} failed, {warmup['requests_per_second']} requests/s, "
            f"p50 {warmup['p50_ms']} ms, p95 {warmup['p95_ms']} ms\n"
        )
    else:
        print("## Mix\n")
    print(f"measured: {users} users for {run_time} s, {cores} cores\n")
    print("| endpoint | requests | failures | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in sorted(rows, key=lambda row: -int(row["Request Count"])):
        name = (
            row["Name"]
            if row["Name"] == "Aggregated"
            else f"{row['Type']} {row['Name']}".replace("GET ", "")
        )
        name = name.replace("POST POST ", "POST ")
        print(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} "
            f"| {row['95%']} | {float(row['Max Response Time']):.0f} |"
        )
    rps, p95, errors = float(total["Requests/s"]), float(total["95%"]), int(total["Failure Count"])
    count = int(total["Request Count"])
    app, db = cpu_per_request(mix_run, count, tick)
    locust_cpu = mix_run["locust_cpu_seconds"] * 1000 / max(1, count)
    print(
        f"\noverall: {rps:.1f} requests/s, p50 {total['50%']} ms, p95 {total['95%']} ms, "
        f"{errors} failed of {count}"
    )
    print(
        f"CPU per request: server {app:.1f} ms, database {db:.1f} ms (backends alive at the end), "
        f"locust {locust_cpu:.1f} ms; so {cores} cores serve at most about "
        f"{cores * 1000 / (app + db + locust_cpu):.0f} requests/s with this mix "
        f"({cores * 1000 / (app + db):.0f} with the load generated elsewhere)"
    )
    for row in csv.DictReader(open(folder / "locust_failures.csv")):
        print(f"failure: {row['Method']} {row['Name']} x{row['Occurrences']}: {row['Error'][:200]}")

    # Ratios --------------------------------------------------------------------------------
    print("\n## The mix against the ceiling (same run, same machine)\n")
    print("| | ceiling (/healthz) | mix | mix / ceiling |")
    print("|---|---:|---:|---:|")
    for label, reference, value, digits in (
        ("throughput, requests/s", ceiling_rps, rps, 2),
        ("p95, ms", ceiling_p95, p95, 1),
        ("server CPU per request, ms", ceiling_app, app, 1),
        ("database CPU per request, ms", ceiling_db, db, 1),
    ):
        print(f"| {label} | {reference:.2f} | {value:.2f} | {ratio(value, reference):.{digits}f} |")

    # The mix's users wait 0.5 to 2.5 s between steps (1.5 s on average): they cannot offer more
    # than about users / 1.5 requests a second, whatever the server could do (bench/load.sh
    # chooses them to offer 45 % of the ceiling). What this machine could do with this mix at
    # saturation is its CPU bound: the cores over the CPU per request of the server, the
    # database and the load generator, all on this machine as in the ceiling's phase.
    offered = users / 1.5
    saturation = cores * 1000 / (app + db + locust_cpu)
    print(
        f"\nThe scenario's {users} users offer about {offered:.0f} requests/s "
        f"({100 * ratio(offered, ceiling_rps):.0f} % of the ceiling; waits of 0.5–2.5 s); "
        f"{THROUGHPUT_GOAL:.0%} of the ceiling is {THROUGHPUT_GOAL * ceiling_rps:.0f} requests/s"
        + (
            f": too few users to reach it whatever the server does (about "
            f"{THROUGHPUT_GOAL * ceiling_rps * 1.5:.0f} users would offer it)."
            if offered < THROUGHPUT_GOAL * ceiling_rps
            else "."
        )
    )
    print(
        f"CPU bound: with the server, the database and the load generator on these {cores} cores, "
        f"as for the ceiling, the mix would saturate at about {saturation:.0f} requests/s, "
        f"{100 * ratio(saturation, ceiling_rps):.0f} % of the ceiling's throughput."
    )

    measured = request_log(folder / "gunicorn.log", warmup.get("ended_at", 0), mix_run["ended_at"])
    spent = sum(sum(values) for values in measured.values()) or 1
    print(
        f"\nWhere the server's CPU goes (request log `cpu_ms`, measured part), each view against "
        f"the minimal view's {minimal_cpu_ms:.2f} ms:\n"
    )
    print("| view | public cache | requests | CPU ms each (mean) | × minimal view | share |")
    print("|---|---|---:|---:|---:|---:|")
    worst = []
    for (method, view, cached), values in sorted(measured.items(), key=lambda item: -sum(item[1])):
        mean = sum(values) / len(values)
        times = ratio(mean, minimal_cpu_ms)
        note = " (signing in: left out of the goal)" if view in PASSWORD_VIEWS else ""
        if view not in PASSWORD_VIEWS:
            worst.append((times, f"{method} {view} {cached}".strip()))
        print(
            f"| {method} {view}{note} | {cached or '-'} | {len(values)} | {mean:.1f} | {times:.1f} "
            f"| {100 * sum(values) / spent:.1f} % |"
        )
    worst.sort(reverse=True)
    costliest, costliest_view = worst[0] if worst else (float("nan"), "-")
    share = ratio(rps, ceiling_rps)
    checks = [
        (
            share >= THROUGHPUT_GOAL,
            f"throughput {100 * share:.0f} % of the ceiling (goal ≥ {100 * THROUGHPUT_GOAL:.0f} %)",
        ),
        (p95 < P95_GOAL_MS, f"p95 {p95:.0f} ms (goal < {P95_GOAL_MS} ms)"),
        (errors == 0 and ceiling_errors == 0, f"{errors} failed (goal: none)"),
        (
            costliest <= VIEW_CPU_GOAL,
            f"costliest view {costliest_view}: {costliest:.1f}× the minimal view's CPU "
            f"(goal ≤ {VIEW_CPU_GOAL}×)",
        ),
    ]
    print(
        "\ngoals (ratios to the ceiling): "
        + ("met" if all(ok for ok, _text in checks) else "NOT met")
        + ": "
        + "; ".join(("" if ok else "MISSED ") + text for ok, text in checks)
    )


if __name__ == "__main__":
    main(sys.argv[1])
