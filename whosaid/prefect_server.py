"""Prefect's temporary API server for one CLI run, started as a plain subprocess.

Why not Prefect's own ``SubprocessASGIServer``: using it means importing ``prefect.server.api.server``
in this process — FastAPI, SQLAlchemy, docket and every API router, ~4 s of CPU on an idle 2-core
machine (20 s under load) spent only to learn the command line that starts the server. The server
process imports all of that anyway, on the other core. Here the same command is started directly
(same environment, flags and health check as Prefect 3's), so this process goes on importing
spaCy, Polars and GX while the server boots.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


#: what Prefect's own temporary server sets
PREFECTS_OWN_FLAGS = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
#: Defaults for the temporary server only (the environment overrides them). On every start Prefect
#: imports each installed Prefect collection (prefect-dask pulls in dask.distributed) to see whether
#: its block types changed since it last registered them: the boot to a healthy API took 7.8 s
#: with it and 6.8 s without (3 starts each, 2 cores, load 2-3), on the path of every run.
#: whosaid's flows use no blocks; a real ``prefect server`` (which schedules need) still registers them.
#: Automations (the triggers service and the actions it runs) are off for the same reason: on start
#: the actions service builds a second in-process API app, about 0.4 s of the server's CPU at every
#: boot (``bench/server_first_request.py --set PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED=true``
#: compares). A temporary server lives for one run and has no automations to run.
#: py-key-value (under Prefect's task queue, docket) wraps each of its modules in beartype's runtime
#: type checks as it imports them; its own switch turns the checks off (their violations were only
#: warnings): healthy after 4.71 s instead of 5.08 s, medians of 8 alternating starts
#: (``bench/server_first_request.py --runs 8 --set PY_KEY_VALUE_DISABLE_BEARTYPE=false``).
TEMPORARY_SERVER_DEFAULTS = {
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PY_KEY_VALUE_DISABLE_BEARTYPE": "true",
}


#: the environment variables that set Prefect's flow-run heartbeat (the second is its legacy name)
HEARTBEAT_VARIABLES = ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY")


#: A real API route the watcher asks for once the server is healthy (see :meth:`TemporaryServer.watch`).
WARM_UP_PATH = "/api/admin/version"


@dataclass
class TemporaryServer:
    process: subprocess.Popen
    port: int
    _ready: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def client_settings(self) -> dict[str, object]:
        """Prefect settings for the flow run this server serves: its API URL, and no flow-run
        heartbeats unless the environment asks for them. Heartbeats let a server that outlives a
        run mark it crashed; this one dies with the run, and the heartbeat thread made every run
        wait for its next one-second tick at exit (0.5 s on average, on the path of every run)."""
        updates: dict[str, object] = {"api.url": self.api_url}
        if not any(os.environ.get(name) for name in HEARTBEAT_VARIABLES):
            updates["flows.heartbeat_frequency"] = None
        return updates

    def ready(self) -> bool:
        """True once the API answers at full speed (:meth:`watch` has seen it healthy and warm)."""
        return self._ready.is_set()

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.05):
            if self.process.poll() is not None:
                raise RuntimeError(f"Prefect's temporary server exited with code {self.process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Prefect's temporary server did not answer within {timeout:.0f} s")

    def watch(self, poll_s: float = 0.1) -> None:
        """Poll the health check until the server answers, then ask for one real API route before
        declaring it ready. Runs in a daemon thread from the spawn on, so it costs this process
        nothing but a few socket calls (the GIL is released while they wait).

        Why the extra request: FastAPI builds its routing state for Prefect's hundreds of API routes
        on the first request after start, not at start — 0.5 s of the server's CPU (measured,
        ``bench/server_first_request.py``). Made by the flow's first API call, the run waited
        for it; made here, it overlaps this process's imports and model load."""
        while self.process.poll() is None:
            if self._get("/api/health", timeout=1.0):
                self._get(WARM_UP_PATH, timeout=30.0)
                self._ready.set()
                return
            time.sleep(poll_s)

    def _get(self, path: str, timeout: float) -> bool:
        """One GET; True on 200. Plain ``http.client``: an httpx call builds an SSL context (loading
        the CA bundle, ~70 ms) even for http://."""
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            return connection.getresponse().status == 200
        except (OSError, http.client.HTTPException):  # not up yet, or not speaking HTTP yet
            return False
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_if_needed() -> TemporaryServer | None:
    """Start the temporary server when Prefect would (no API URL configured, ephemeral mode on);
    None otherwise. The caller points Prefect at ``api_url`` and calls ``wait`` before the flow.

    The server is spawned *before* Prefect is imported here (~1 s idle, 4 s on a busy machine, all
    on the critical path of a run), as soon as the environment names no API URL. Whether Prefect
    would really use a temporary server (a profile or prefect.toml may name an API URL, or disable
    ephemeral mode) is checked afterwards, and a server not needed is stopped. The child reads the
    same environment, profile and prefect.toml as this process, so it gets the same settings.
    """
    if os.environ.get("PREFECT_API_URL"):
        return None
    server = _spawn()
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        server.stop()
        return None
    return server


#: The server's app factory: Prefect's own, built with the garbage collector paused (whosaid.prefect_app).
APP_FACTORY = "whosaid.prefect_app:create_app"
#: Prefect's factory as its own temporary server runs it (``bench/server_first_request.py`` compares).
PREFECT_APP_FACTORY = "prefect.server.api.server:create_app"


def _spawn(watch: bool = True, app_factory: str = APP_FACTORY) -> TemporaryServer:
    """Prefect 3's own command for its temporary server (see prefect.server.api.server.SubprocessASGIServer),
    with whosaid's app factory. ``watch=False`` leaves readiness to the caller
    (``bench/server_first_request.py`` times it)."""
    port = _free_port()
    env = {**TEMPORARY_SERVER_DEFAULTS, **os.environ, **PREFECTS_OWN_FLAGS}
    package_root = Path(__file__).resolve().parents[1]  # where ``whosaid`` imports from
    command = [
        sys.executable, "-m", "uvicorn", "--app-dir", str(package_root),
        "--factory", app_factory, "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "error", "--lifespan", "on",
    ]
    server = TemporaryServer(subprocess.Popen(command, env=env), port)
    atexit.register(server.stop)
    if watch:
        threading.Thread(target=server.watch, name="whosaid-prefect-server-watch", daemon=True).start()
    return server
