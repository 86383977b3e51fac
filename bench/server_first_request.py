"""What Prefect's temporary server costs before a run can use it: the boot to a healthy API, then
the first API request, which is slow because FastAPI builds its routing state for every route on
the first request, not at start. whosaid's watcher (``whosaid.prefect_server.TemporaryServer.watch``)
makes that request itself while the CLI is still importing.

Starts the server with the command and environment whosaid uses (``prefect_server._spawn``), but
without its watcher, so the first request is timed here:

    .venv/bin/python bench/server_first_request.py [--runs 3] [--delay 2]

``--delay`` waits that long after the health check, so the first request's time is not the tail of
the boot. Each row: health after, first request, second request, stop (SIGTERM to exit).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whosaid import prefect_server  # noqa: E402


def get(port: int, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        status = connection.getresponse().status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - start


def one_run(delay: float) -> dict[str, float]:
    t0 = time.perf_counter()
    server = prefect_server._spawn(watch=False)
    while get(server.port, "/api/health")[0] != 200:
        if server.process.poll() is not None:
            raise SystemExit(f"server exited with code {server.process.returncode}")
        time.sleep(0.05)
    healthy = time.perf_counter() - t0
    time.sleep(delay)
    first = get(server.port, prefect_server.WARM_UP_PATH)[1]
    second = get(server.port, prefect_server.WARM_UP_PATH)[1]
    t1 = time.perf_counter()
    server.stop()
    return {"healthy": healthy, "first": first, "second": second, "stop": time.perf_counter() - t1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delay", type=float, default=2.0, help="seconds between health and the first request")
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    rows = [one_run(args.delay) for _ in range(args.runs)]
    print("| run | healthy after | first API request | second | stop |")
    print("|---|---|---|---|---|")
    for i, r in enumerate(rows, 1):
        print(f"| {i} | {r['healthy']:.2f} s | {r['first']:.3f} s | {r['second']:.3f} s | {r['stop']:.2f} s |")
    print(f"| median | {statistics.median(r['healthy'] for r in rows):.2f} s "
          f"| {statistics.median(r['first'] for r in rows):.3f} s "
          f"| {statistics.median(r['second'] for r in rows):.3f} s | {statistics.median(r['stop'] for r in rows):.2f} s |")


if __name__ == "__main__":
    main()
