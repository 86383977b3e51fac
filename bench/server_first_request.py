"""What Prefect's temporary server costs before a run can use it: the boot to a healthy API, then
the first API request, which is slow because FastAPI builds its routing state for every route on
the first request, not at start. whosaid's watcher (``whosaid.prefect_server.TemporaryServer.watch``)
makes that request itself while the CLI is still importing.

Starts the server with the command and environment whosaid uses (``prefect_server._spawn``), but
without its watcher, so the first request is timed here:

    .venv/bin/python bench/server_first_request.py [--runs 3] [--delay 2] [--set NAME=VALUE ...]

``--delay`` waits that long after the health check, so the first request's time is not the tail of
the boot. ``--set`` adds a variant whose server gets those environment variables (e.g.
``--set PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED=true``, Prefect's default); ``--prefect-factory``
adds one that runs Prefect's own app factory, without whosaid's paused garbage collector
(``whosaid.prefect_app``). Variants alternate run by run. Each row: health after (wall, and the
server's CPU by then), first request, second, stop.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whosaid import prefect_server  # noqa: E402


def get(port: int, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - start


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far."""
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def one_run(delay: float, env: dict[str, str], app_factory: str = prefect_server.APP_FACTORY) -> dict[str, float]:
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)  # the spawn passes this process's environment on
    try:
        t0 = time.perf_counter()
        server = prefect_server._spawn(watch=False, app_factory=app_factory)
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
    while get(server.port, "/api/health")[0] != 200:
        if server.process.poll() is not None:
            raise SystemExit(f"server exited with code {server.process.returncode}")
        time.sleep(0.05)
    healthy, cpu = time.perf_counter() - t0, cpu_seconds(server.process.pid)
    time.sleep(delay)
    first = get(server.port, prefect_server.WARM_UP_PATH)[1]
    second = get(server.port, prefect_server.WARM_UP_PATH)[1]
    t1 = time.perf_counter()
    server.stop()
    return {"healthy": healthy, "cpu": cpu, "first": first, "second": second, "stop": time.perf_counter() - t1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delay", type=float, default=2.0, help="seconds between health and the first request")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a variant's environment")
    parser.add_argument("--prefect-factory", action="store_true", help="a variant with Prefect's own app factory")
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    variants = {"whosaid's": ({}, prefect_server.APP_FACTORY)}
    if args.set:
        variants[" ".join(args.set)] = (dict(item.split("=", 1) for item in args.set), prefect_server.APP_FACTORY)
    if args.prefect_factory:
        variants["Prefect's app factory"] = ({}, prefect_server.PREFECT_APP_FACTORY)
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    for _ in range(args.runs):
        for name, (env, factory) in variants.items():
            rows[name].append(one_run(args.delay, env, factory))
    print("| server | runs | healthy after (median) | its CPU by then | first API request | second | stop |")
    print("|---|---|---|---|---|---|---|")
    for name, runs in rows.items():
        med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        print(f"| {name} | {len(runs)} | {med['healthy']:.2f} s | {med['cpu']:.2f} s | {med['first']:.3f} s "
              f"| {med['second']:.3f} s | {med['stop']:.2f} s |")


if __name__ == "__main__":
    main()
