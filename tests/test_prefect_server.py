"""The temporary Prefect server whosaid starts for a CLI run (whosaid.prefect_server)."""

from __future__ import annotations

import subprocess

from whosaid import prefect_server


class _FakePopen:
    def __init__(self, command, env):
        self.command, self.env = command, env

    def poll(self):
        return 0


def _spawned_env(monkeypatch) -> dict:
    seen = []
    monkeypatch.setattr(subprocess, "Popen", lambda command, env: seen.append(_FakePopen(command, env)) or seen[-1])
    prefect_server._spawn()
    return seen[0].env


def test_temporary_server_skips_block_registration_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("PREFECT_API_BLOCKS_REGISTER_ON_START", raising=False)
    monkeypatch.delenv("PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION", raising=False)
    env = _spawned_env(monkeypatch)
    assert env["PREFECT_API_BLOCKS_REGISTER_ON_START"] == "false"
    assert env["PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION"] == "false"
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
