"""Scheduled runs on a real Prefect server: `prefect server start` on 127.0.0.1 (own PREFECT_HOME),
`whosaid serve` registers the deployment with its cron schedule and executes runs; a triggered run
of the deployment must complete and load the warehouse, and publish its artifacts."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from flows import deployments
from flows.artifacts import ACCUSATIONS_KEY, SUMMARY_KEY
from tests.conftest import SEED_ARTICLE
from whosaid import warehouse

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
CRON = "0 3 * * 1-5"
#: Generous bounds: the server's first start migrates a fresh database, slow on a busy 2-core box.
SERVER_START_TIMEOUT = 180
RUN_TIMEOUT = 240


_IDLE_SERVICES = (
    "SCHEDULER", "LATE_RUNS", "FOREMAN", "CANCELLATION_CLEANUP", "PAUSE_EXPIRATIONS", "REPOSSESSOR",
    "CLEANUP_RECONCILER", "TRIGGERS",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{what}: process exited with {proc.returncode}:\n{_tail(log)}")
        result = predicate()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout} s\n{_tail(log)}")


def _tail(log: Path | None) -> str:
    return log.read_text(errors="replace")[-3000:] if log and log.exists() else ""


def _healthy(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=2, trust_env=False).status_code == 200
    except httpx.HTTPError:
        return False


def _start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    """In its own session, so stopping it also stops whatever it spawned (uvicorn, flow runs)."""
    handle = log.open("wb")
    return subprocess.Popen(args, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture()
def prefect_server(tmp_path):
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect_home"),
        "PREFECT_API_URL": api_url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "DO_NOT_TRACK": "1",
        # Start faster and keep the 2 cores for the run: no block catalogue, no background services
        # this test does not exercise (the schedule's runs are generated on request below).
        "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
        **{f"PREFECT_SERVER_SERVICES_{s}_ENABLED": "false" for s in _IDLE_SERVICES},
    }
    log = tmp_path / "server.log"
    server = _start([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)], env, log)
    try:
        _wait_until(lambda: _healthy(api_url), SERVER_START_TIMEOUT, "prefect server health", server, log)
        yield api_url, env
    finally:
        _stop(server)


def test_served_deployment_keeps_its_schedule_and_runs_to_completion(prefect_server, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api_url, env = prefect_server
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEED_ARTICLE, inputs / SEED_ARTICLE.name)
    wh = tmp_path / "wh" / "whosaid.duckdb"
    name = "serve-test"
    log = tmp_path / "serve.log"
    serve = _start(
        [str(BIN / "whosaid"), "serve", "--input", str(inputs), "--warehouse", str(wh), "--cron", CRON, "--name", name],
        env, log,
    )
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            with get_client(sync_client=True) as client:

                def registered():
                    try:
                        return client.read_deployment_by_name(deployments.full_name(name))
                    except Exception:  # not registered yet  # noqa: BLE001
                        return None

                deployment = _wait_until(registered, 120, "deployment registered", serve, log)
                assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in deployment.schedules] == [
                    (CRON, "UTC", True)
                ]
                assert deployment.parameters == {"inputs": [str(inputs.resolve())], "warehouse_path": str(wh.resolve())}
                assert _next_scheduled_starts(api_url, deployment.id) == _expected_starts(3)

                flow_run = run_deployment(deployments.full_name(name), timeout=RUN_TIMEOUT, poll_interval=1)
                assert flow_run.state is not None and flow_run.state.is_completed(), (flow_run.state, _tail(log))

                artifacts = client.read_artifacts()
                keys = {a.key for a in artifacts if a.flow_run_id == flow_run.id}
                assert {SUMMARY_KEY, ACCUSATIONS_KEY} <= keys
    finally:
        _stop(serve)
    runs = warehouse.query(wh, "SELECT run_id, status, n_articles_new FROM etl_run")[1]
    assert runs == [(str(flow_run.id), "completed", 1)]
    assert warehouse.query(wh, "SELECT count(*) FROM v_accusations WHERE accuser = 'Guo Jiakun'")[1][0][0] >= 2


def _next_scheduled_starts(api_url: str, deployment_id) -> list[datetime]:
    """Ask the server to materialise the schedule's next runs (what its scheduler service does).

    Prefect's server answers 503 for errors a client should retry (SQLite's "database is locked"
    while the serving process writes, say) and Prefect's own client retries them; seen once in CI.
    Retried here too, for up to 30 s.
    """
    deadline = time.monotonic() + 30
    while True:
        response = httpx.post(
            f"{api_url}/deployments/{deployment_id}/schedule", json={"max_runs": 3}, timeout=30, trust_env=False
        )
        if response.status_code != 503 or time.monotonic() > deadline:
            break
        time.sleep(1)
    response.raise_for_status()
    runs = httpx.post(
        f"{api_url}/flow_runs/filter",
        json={"deployments": {"id": {"any_": [str(deployment_id)]}}, "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
              "sort": "EXPECTED_START_TIME_ASC"},
        timeout=30, trust_env=False,
    ).json()
    return [datetime.fromisoformat(r["expected_start_time"]).astimezone(timezone.utc) for r in runs]


def _expected_starts(n: int) -> list[datetime]:
    """The next n weekdays at 03:00 UTC (CRON), computed independently of Prefect."""
    now = datetime.now(timezone.utc)
    day = now.replace(hour=3, minute=0, second=0, microsecond=0)
    starts = []
    while len(starts) < n:
        if day > now and day.weekday() < 5:
            starts.append(day)
        day += timedelta(days=1)
    return starts


def test_serve_refuses_to_start_without_a_server(tmp_path):
    port = _free_port()  # nothing listens there
    env = {**os.environ, "PREFECT_API_URL": f"http://127.0.0.1:{port}/api", "PREFECT_HOME": str(tmp_path)}
    done = subprocess.run(
        [str(BIN / "whosaid"), "serve", "--input", str(SEED_ARTICLE), "--warehouse", str(tmp_path / "w.duckdb")],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert "no Prefect server answering" in done.stderr
