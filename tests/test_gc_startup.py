"""Start-up with the cyclic garbage collector paused (whosaid.gc_startup, whosaid.prefect_app)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest

from whosaid.gc_startup import collector_paused


@pytest.fixture()
def collector_state():
    """Put the collector back as it was: enabled, nothing frozen by the test."""
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    gc.enable() if was_enabled else gc.disable()


class _Cycle:
    def __init__(self):
        self.me = self


def test_the_collector_is_paused_in_the_block_and_resumed_after(collector_state):
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_what_start_up_made_is_frozen_and_later_garbage_is_still_collected(collector_state):
    gc.enable()
    gc.unfreeze()
    with collector_paused():
        kept = [_Cycle() for _ in range(100)]
    assert gc.get_freeze_count() >= len(kept)
    assert not any(gc.is_tracked(obj) and obj in gc.get_objects(generation=2) for obj in kept[:3])

    later = _Cycle()
    del later  # a cycle made after start-up: only the collector frees it
    assert gc.collect() >= 1


def test_a_collector_that_was_off_stays_off(collector_state):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_an_error_in_the_block_still_resumes_the_collector(collector_state):
    gc.enable()
    with pytest.raises(RuntimeError):
        with collector_paused():
            raise RuntimeError("start-up failed")
    assert gc.isenabled()


def test_the_factory_builds_prefects_app_and_leaves_the_collector_on():
    """In a fresh interpreter, as the server's uvicorn process runs it."""
    script = (
        "import gc, json\n"
        "from whosaid.prefect_app import create_app\n"
        "app = create_app()\n"
        "paths = {getattr(r, 'path', '') for r in app.routes}\n"
        "print(json.dumps({'type': type(app).__module__ + '.' + type(app).__name__, 'api': '/api' in paths,\n"
        "                  'enabled': gc.isenabled(), 'frozen': gc.get_freeze_count()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["type"] == "fastapi.applications.FastAPI"
    assert seen["api"]  # Prefect's API app is mounted under /api
    assert seen["enabled"]
    assert seen["frozen"] > 100_000  # Prefect's modules and app, out of the collector's way


def test_a_cli_run_warms_up_with_the_collector_paused_and_runs_the_flow_with_it_on(
    tmp_path, monkeypatch, collector_state
):
    """The CLI's start-up (server spawn, imports, warm-up) is paused; the flow's work is collected."""
    import typer
    from typer.testing import CliRunner

    import flows.etl
    from whosaid import cli, prefect_server

    gc.enable()
    seen: dict[str, bool] = {}
    monkeypatch.setattr(prefect_server, "start_if_needed", lambda: None)
    monkeypatch.setattr(cli, "_warm_up_while_server_boots", lambda *a: seen.setdefault("warm_up", gc.isenabled()))

    def flow(**kwargs):
        seen["flow"] = gc.isenabled()
        raise typer.Exit(5)  # stop here: the test is about start-up, not the run

    monkeypatch.setattr(flows.etl, "etl_flow", flow)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Somebody said something.", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["run", "-i", str(inputs), "-w", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 5, result.output
    assert seen == {"warm_up": False, "flow": True}
    assert gc.isenabled() and gc.get_freeze_count() > 0
