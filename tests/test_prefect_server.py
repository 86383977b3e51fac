"""The temporary Prefect server whosaid starts for a CLI run (whosaid.prefect_server)."""

from __future__ import annotations

import http.server
import subprocess
import threading

import pytest

from whosaid import prefect_server


class _FakePopen:
    def __init__(self, command, env):
        self.command, self.env = command, env

    def poll(self):
        return 0


def _spawned(monkeypatch) -> _FakePopen:
    seen = []
    monkeypatch.setattr(subprocess, "Popen", lambda command, env: seen.append(_FakePopen(command, env)) or seen[-1])
    prefect_server._spawn()
    return seen[0]


def _spawned_env(monkeypatch) -> dict:
    return _spawned(monkeypatch).env


def test_the_temporary_server_runs_prefects_app_through_whosaids_factory(monkeypatch):
    """whosaid.prefect_app builds Prefect's app with the garbage collector paused (test_gc_startup)."""
    command = _spawned(monkeypatch).command
    assert command[command.index("--factory") + 1] == "whosaid.prefect_app:create_app"


def test_temporary_server_skips_block_registration_automations_and_type_checks_unless_told_otherwise(monkeypatch):
    for name in prefect_server.TEMPORARY_SERVER_DEFAULTS:
        monkeypatch.delenv(name, raising=False)
    env = _spawned_env(monkeypatch)
    assert env["PREFECT_API_BLOCKS_REGISTER_ON_START"] == "false"
    assert env["PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION"] == "false"
    assert env["PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED"] == "false"
    assert env["PY_KEY_VALUE_DISABLE_BEARTYPE"] == "true"
    assert env["PREFECT__SERVER_EPHEMERAL"] == "1"


def test_the_environment_overrides_the_temporary_server_defaults(monkeypatch):
    monkeypatch.setenv("PREFECT_API_BLOCKS_REGISTER_ON_START", "true")
    monkeypatch.setenv("PREFECT__SERVER_EPHEMERAL", "0")  # Prefect's own flags are not the user's to change
    env = _spawned_env(monkeypatch)
    assert env["PREFECT_API_BLOCKS_REGISTER_ON_START"] == "true"
    assert env["PREFECT__SERVER_EPHEMERAL"] == "1"


def _client_settings(monkeypatch) -> dict:
    from prefect.settings import get_current_settings, temporary_settings

    server = prefect_server.TemporaryServer(process=_FakePopen([], {}), port=4321)
    with temporary_settings(updates=server.client_settings()):
        settings = get_current_settings()
        return {"api_url": settings.api.url, "heartbeat": settings.flows.heartbeat_frequency}


def test_a_run_on_the_temporary_server_sends_no_heartbeats(monkeypatch):
    for name in prefect_server.HEARTBEAT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert _client_settings(monkeypatch) == {"api_url": "http://127.0.0.1:4321/api", "heartbeat": None}


def test_heartbeats_the_environment_asks_for_are_kept(monkeypatch):
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")
    assert _client_settings(monkeypatch)["heartbeat"] == 60


class _Alive:
    returncode = None

    def poll(self):
        return self.returncode


@pytest.fixture()
def fake_api():
    """A local HTTP server standing in for Prefect's API: records the paths asked for and answers
    /api/health with ``state["health"]``, anything else with 200."""
    state = {"health": 200, "paths": []}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — http.server's name
            state["paths"].append(self.path)
            self.send_response(state["health"] if self.path == "/api/health" else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], state
    httpd.shutdown()


def test_the_server_is_ready_once_healthy_and_asked_for_a_real_route(fake_api):
    port, state = fake_api
    server = prefect_server.TemporaryServer(process=_Alive(), port=port)
    state["health"] = 503
    watcher = threading.Thread(target=server.watch, kwargs={"poll_s": 0.01}, daemon=True)
    watcher.start()
    with pytest.raises(RuntimeError, match="did not answer"):
        server.wait(0.3)
    assert not server.ready() and prefect_server.WARM_UP_PATH not in state["paths"]
    state["health"] = 200
    server.wait(5)
    assert server.ready()
    assert state["paths"][-2:] == ["/api/health", prefect_server.WARM_UP_PATH]


def test_waiting_on_a_server_that_exited_says_so(fake_api):
    port, _ = fake_api
    process = _Alive()
    process.returncode = 3
    server = prefect_server.TemporaryServer(process=process, port=port)
    server.watch(poll_s=0.01)  # returns at once: the process is gone
    with pytest.raises(RuntimeError, match="exited with code 3"):
        server.wait(5)


def test_the_bench_counts_the_server_whosaid_starts_and_not_the_cli(monkeypatch):
    """bench/proctree tells the server apart from the CLI by its command line."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "proctree.py"
    spec = importlib.util.spec_from_file_location("proctree", path)
    proctree = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "proctree", proctree)  # its dataclasses look their module up
    spec.loader.exec_module(proctree)

    class _Proc:
        def __init__(self, command):
            self.command = command

        def cmdline(self):
            return self.command

    server_command = _spawned(monkeypatch).command
    cli_command = [sys.executable, ".venv/bin/whosaid", "run", "--input", "seeds/articles"]
    assert proctree.is_prefect_server(_Proc(server_command))
    assert not proctree.is_prefect_server(_Proc(cli_command))
