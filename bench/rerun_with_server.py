"""A rerun on unchanged input against a running Prefect server (how scheduled runs work).

Without PREFECT_API_URL every ``whosaid run`` boots Prefect's temporary server (~7 s on 2 cores),
which is most of a no-op rerun. Scheduled runs (``whosaid serve``) talk to a real server instead;
this measures that case: it starts ``prefect server start`` on a free port with a private
PREFECT_HOME, runs ``whosaid run`` once to register, then times reruns.

    .venv/bin/python bench/rerun_with_server.py INPUT_DIR WAREHOUSE [--runs 3]

WAREHOUSE must already hold INPUT_DIR (e.g. the bench's ``--workdir`` corpus0.duckdb; it is copied,
never written).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

WHOSAID = str(Path(sys.executable).parent / "whosaid")
PREFECT = str(Path(sys.executable).parent / "prefect")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, timeout: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"Prefect server at {url} did not come up in {timeout} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path)
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="whosaid-rerun-"))
    warehouse = work / "w.duckdb"
    shutil.copy(args.warehouse, warehouse)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(work / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_LOGGING_LEVEL": "WARNING"}
    server = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        boot = wait_healthy(api)
        run_env = {**env, "PREFECT_API_URL": api}
        cmd = [WHOSAID, "run", "--input", str(args.input), "--warehouse", str(warehouse), "--show", "0"]
        subprocess.run(cmd, env=run_env, check=True, capture_output=True)  # registers the flow
        walls = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(cmd, env=run_env, check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"Prefect server up in {boot:.1f} s; rerun on unchanged input ({args.input}): "
              + ", ".join(f"{w:.1f} s" for w in walls) + f" (best {min(walls):.1f} s; load {load})")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
