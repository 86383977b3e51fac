"""The CLI warms GX and spaCy up while Prefect's server boots only when the run likely extracts
something: a no-op rerun must not pay for them, a run with new files should not wait for them."""

from __future__ import annotations

import os

from whosaid.cli import _likely_new_articles


def _touch(path, mtime):
    path.write_text("x", encoding="utf-8") if not path.exists() else None
    os.utime(path, (mtime, mtime))


def test_new_warehouse_or_feed_url_is_likely_new(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    _touch(inputs / "a.txt", 1_000)
    assert _likely_new_articles([str(inputs)], tmp_path / "absent.duckdb")
    _touch(tmp_path / "w.duckdb", 2_000)
    assert _likely_new_articles([str(inputs), "https://example.com/feed.xml"], tmp_path / "w.duckdb")


def test_unchanged_files_are_not_new_and_a_file_changed_after_the_publish_is(tmp_path):
    inputs = tmp_path / "in" / "nested"
    inputs.mkdir(parents=True)
    _touch(inputs / "a.txt", 1_000)
    _touch(tmp_path / "w.duckdb", 2_000)
    assert not _likely_new_articles([str(tmp_path / "in")], tmp_path / "w.duckdb")
    _touch(inputs / "b.txt", 3_000)
    assert _likely_new_articles([str(tmp_path / "in")], tmp_path / "w.duckdb")


class _BootingServer:
    """Ready after ``boot_checks`` calls of ready(); records wait()."""

    def __init__(self, boot_checks: int):
        self.checks_left, self.waited = boot_checks, False

    def ready(self) -> bool:
        self.checks_left -= 1
        return self.checks_left < 0

    def wait(self, timeout: float) -> None:
        self.waited = True


def _recording_steps(monkeypatch, n: int, failing: int | None = None) -> list[int]:
    from whosaid import cli

    done: list[int] = []

    def step(i):
        def run():
            done.append(i)
            if i == failing:
                raise RuntimeError("model not installed")
        return run

    monkeypatch.setattr(cli, "_warm_up_steps", lambda settings: [step(i) for i in range(n)])
    return done


def test_warm_up_stops_once_the_server_is_ready_and_a_failed_step_does_not_stop_it(monkeypatch):
    from whosaid.cli import _warm_up_while_server_boots
    from whosaid.settings import Settings

    done = _recording_steps(monkeypatch, 5, failing=1)
    server = _BootingServer(boot_checks=3)
    _warm_up_while_server_boots(server, Settings(), likely_new=True)
    assert done == [0, 1, 2] and server.waited  # step 1 failed; the server was ready before step 3

    done = _recording_steps(monkeypatch, 5)
    server = _BootingServer(boot_checks=10)
    _warm_up_while_server_boots(server, Settings(), likely_new=False)
    assert done == [] and server.waited  # nothing new to extract: no warm-up, still waits
