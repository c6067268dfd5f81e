"""The summary of a bench/load.sh run: the ceiling, the mix, and the mix as ratios to the ceiling.

    .venv/bin/python bench/load_report.py var/load/<time>/      # what bench/load.sh runs

Reads the run's folder: ceiling_stats.csv and ceiling.json (the minimal view at saturation,
bench/locust_ceiling.py, before the mix; ceiling_after_stats.csv and ceiling_after.json, the
same right after it, when measured: the reference is their mean, and a run whose two readings
lie more than 10 % apart gets no verdict), locust_stats.csv, locust_failures.csv, warmup.json
and mix.json (the mixed scenario, bench/locustfile.py) and gunicorn.log (each request's
`cpu_ms`, the request log of college/core/middleware.py). Prints Markdown: the ceiling's
throughput, p95 and CPU per request; the mix's table per endpoint; the mix's throughput, p95
and CPU per request beside the ceiling's, as ratios; the server's CPU per view, each as a ratio
to the minimal view's; and the verdict on the goals (ratios travel between machines): the mix
at 40 % or more of the ceiling's throughput, p95 under 300 ms, no failed request, and no view
above 10 times the minimal view's CPU per request.

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
# Two readings of the ceiling (before and after the mix) further apart than this, as a share of
# their mean, leave the run's verdict unsettled: the machine changed speed meanwhile.
DRIFT_LIMIT = 0.10


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


def ceiling_figures(folder, name, tick):
    """The ceiling's phase NAME (bench/load.sh's measure_ceiling): throughput, p50, p95,
    requests and failures, CPU per request and the minimal view's mean `cpu_ms`."""
    run = json.load(open(folder / f"{name}.json"))
    _rows, total = locust_total(folder / f"{name}_stats.csv")
    log = request_log(folder / "gunicorn.log", run["started_at"], run["ended_at"])
    minimal = [
        value for (_m, view, _c), values in log.items() if view == MINIMAL_VIEW for value in values
    ]
    count = int(total["Request Count"])
    # The CPU was read over the requests the server logged between the two readings.
    app, db = cpu_per_request(run, len(minimal) or count, tick)
    return {
        "rps": float(total["Requests/s"]),
        "p50": total["50%"],
        "p95": float(total["95%"]),
        "count": count,
        "errors": int(total["Failure Count"]),
        "app": app,
        "db": db,
        "minimal_cpu_ms": sum(minimal) / len(minimal) if minimal else float("nan"),
    }


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

    # The ceiling, before the mix and (when measured) again after it --------------------------
    ceilings = [ceiling_figures(folder, "ceiling", tick)]
    if (folder / "ceiling_after.json").exists():
        ceilings.append(ceiling_figures(folder, "ceiling_after", tick))
    print(
        f"## Ceiling: /healthz at saturation, {ceiling_run['users']} users for "
        f"{ceiling_run['seconds']} s, {cores} cores\n"
    )
    for label, figures in zip(("before the mix", "after the mix"), ceilings, strict=False):
        print(
            f"{label}: {figures['rps']:.1f} requests/s, p50 {figures['p50']} ms, "
            f"p95 {figures['p95']:.0f} ms, {figures['errors']} failed of {figures['count']}; "
            f"CPU per request: server {figures['app']:.2f} ms (request log "
            f"{figures['minimal_cpu_ms']:.2f} ms), database {figures['db']:.2f} ms\n"
        )
    # The reference: the mean of the two (the machine's speed over the run), and how far the
    # two readings lie apart.
    ceiling_rps = sum(figures["rps"] for figures in ceilings) / len(ceilings)
    ceiling_p95 = sum(figures["p95"] for figures in ceilings) / len(ceilings)
    ceiling_app = sum(figures["app"] for figures in ceilings) / len(ceilings)
    ceiling_db = sum(figures["db"] for figures in ceilings) / len(ceilings)
    minimal_cpu_ms = sum(figures["minimal_cpu_ms"] for figures in ceilings) / len(ceilings)
    ceiling_errors = sum(figures["errors"] for figures in ceilings)
    drift = (
        abs(ceilings[0]["rps"] - ceilings[-1]["rps"]) / ceiling_rps if len(ceilings) > 1 else None
    )
    if drift is not None:
        print(
            f"reference: the mean of the two, {ceiling_rps:.1f} requests/s, minimal view "
            f"{minimal_cpu_ms:.2f} ms; the ceiling moved {100 * drift:.0f} % during the run\n"
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
    if drift is not None and drift > DRIFT_LIMIT:
        verdict = f"UNSETTLED (the ceiling moved {100 * drift:.0f} % during the run, over "
        verdict += f"{100 * DRIFT_LIMIT:.0f} %: run again on a quieter machine)"
    else:
        verdict = "met" if all(ok for ok, _text in checks) else "NOT met"
    print(
        "\ngoals (ratios to the ceiling): "
        + verdict
        + ": "
        + "; ".join(("" if ok else "MISSED ") + text for ok, text in checks)
    )


if __name__ == "__main__":
    main(sys.argv[1])
