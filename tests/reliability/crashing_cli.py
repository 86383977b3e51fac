"""Run ``whosaid`` CLI commands that ``kill -9`` themselves at chosen points: the crash tests' helper.

    python tests/reliability/crashing_cli.py RESULTS.json  < PLAN (JSON on stdin)

The helper warms up first, then reads the plan from stdin, so a test can start it early and send
the plan when it needs it. PLAN is ``{"prefect_api_url": URL or null, "steps": [...]}``, each step
``{"kill_at": POINT or null, "args": [...cli args...], "log": PATH, "watch": PATH}``, run one
after the other. Each step is its own process, forked from this one,
running the real CLI (``whosaid.cli.app(args)``) with stdout/stderr in ``log``; it dies by a real
SIGKILL at POINT:

* ``extract`` — while the second article is being extracted (the first one is done);
* ``load``    — inside the load, at the first write to a fact table: articles are already written
  in the same transaction, facts are not;
* ``publish`` — after the run is complete in its working copy, just before the copy is renamed
  over the warehouse file.

RESULTS.json gets, per step, how the process ended and the SHA-256 of ``watch`` (the warehouse
file) before and after it.

Why fork from a warm process: a fresh ``whosaid run`` spends ~18 s of CPU importing Prefect, spaCy
and Great Expectations before doing anything; importing them once here (no threads are started by
the imports, so forking is safe) makes each crash cost only its run. Why hooks at library
boundaries (the extractor function, DuckDB's ``execute``, ``os.replace``) rather than a switch in
the pipeline's code: every implementation of a stage crosses them, so the test keeps its meaning
while stages are rewritten, and production code carries no test switch. If a point is never reached
the step exits normally, and the test fails saying so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import sys
import time
from contextlib import nullcontext
from pathlib import Path

_FACT_WRITE = re.compile(r"^\s*INSERT\s+INTO\s+fact_", re.I)


def _die(point: str) -> None:
    sys.stderr.write(f"crashing_cli: SIGKILL at {point!r}\n")
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_during_extraction() -> None:
    from whosaid.nlp import pipeline

    real = pipeline.extract_doc
    calls = {"n": 0}

    def extract_doc(doc, article_key):
        calls["n"] += 1
        if calls["n"] == 2:
            _die("extract")
        return real(doc, article_key)

    pipeline.extract_doc = extract_doc


class _KillOnFactWrite:
    """A DuckDB connection that dies on the first INSERT into a fact table."""

    def __init__(self, con):
        self._con = con

    def execute(self, query, *args, **kwargs):
        if isinstance(query, str) and _FACT_WRITE.match(query):
            _die("load")
        return self._con.execute(query, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def _kill_during_load() -> None:
    import duckdb

    real_connect = duckdb.connect
    duckdb.connect = lambda *args, **kwargs: _KillOnFactWrite(real_connect(*args, **kwargs))


def _kill_before_publish() -> None:
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if str(src).endswith(".work"):
            _die("publish")
        return real_replace(src, dst, *args, **kwargs)

    os.replace = replace


HOOKS = {"extract": _kill_during_extraction, "load": _kill_during_load, "publish": _kill_before_publish, None: lambda: None}


def _warm_up() -> None:
    """Import what ``whosaid run`` imports lazily and load what it loads lazily (spaCy model,
    extractors and their lexicons, reference data, language detector) once, before any fork:
    every run then shares one snapshot of code and seeds, even in a tree being edited."""
    import flows.etl  # noqa: F401 — Prefect, stages, feeds
    from whosaid.validate import import_gx

    import_gx()
    import whosaid.cli  # noqa: F401
    from whosaid import ingest, normalize
    from whosaid.nlp.pipeline import extract_texts
    from whosaid.settings import Settings

    sample = "The minister said the council had misled voters. \u201cIt is false,\u201d the mayor replied."
    list(extract_texts([("warm-up", sample)], Settings().spacy_model))
    normalize.reference()
    ingest.detect_language(sample * 10)


def _sha256(path: str | None) -> str | None:
    if not path or not os.path.exists(path):
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _prefect_api(url: str | None):
    """Prefect reads its settings when imported (during the warm-up, before the test knew its
    server's address), so the address is applied as a settings override."""
    if not url:
        return nullcontext()
    from prefect.settings import PREFECT_API_URL, temporary_settings

    return temporary_settings(updates={PREFECT_API_URL: url})


def _run_child(step: dict, prefect_api_url: str | None) -> None:
    """In the forked child: never returns."""
    code = 70
    try:
        fd = os.open(step["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        HOOKS[step["kill_at"]]()
        from whosaid.cli import app

        try:
            with _prefect_api(prefect_api_url):
                app(step["args"], prog_name="whosaid")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 — report, never fall back into the parent's loop
        import traceback

        traceback.print_exc()
        code = 71
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_step(step: dict, prefect_api_url: str | None) -> dict:
    before = _sha256(step.get("watch"))
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        _run_child(step, prefect_api_url)
    _, status = os.waitpid(pid, 0)
    return {
        "kill_at": step["kill_at"],
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "seconds": round(time.perf_counter() - started, 2),
        "watch_before": before,
        "watch_after": _sha256(step.get("watch")),
        "log": step["log"],
    }


def main(results_path: str) -> None:
    started = time.perf_counter()
    _warm_up()
    warm_up_seconds = round(time.perf_counter() - started, 2)
    plan = json.loads(sys.stdin.read())
    steps = [run_step(step, plan.get("prefect_api_url")) for step in plan["steps"]]
    results = {"warm_up_seconds": warm_up_seconds, "steps": steps}
    Path(results_path).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
