"""Where the wall time of a cold ``whosaid run`` goes: imports, Prefect server, spaCy, GX, the work.

Runs the real CLI (``whosaid.cli.app``) in this process with timers hooked onto a few functions
*after* their modules are imported, so import order and code paths stay those of ``whosaid run``:

- every module import: wall time of its module body, exclusive of the imports nested in it, summed
  by top-level package (prefect, spacy, great_expectations, ...) and by thread;
- ``whosaid.prefect_server``: spawning Prefect's temporary API server, and waiting for its /health;
- ``spacy.load``; the GX contexts whosaid creates (``validate._gx_context``, ``_docs_context``).

Everything else on the main thread is "the work" (ingest, NLP, Polars, GX validation, DuckDB) plus
Prefect's per-flow/per-task orchestration. Writes a JSON report to ``--out``.

    .venv/bin/python bench/coldstart_probe.py --out probe.json -- run --input seeds/articles -w /tmp/w.duckdb
"""

from __future__ import annotations

import time

T0_WALL = time.time()
T0 = time.perf_counter()

import atexit  # noqa: E402
import functools  # noqa: E402
import importlib.abc  # noqa: E402
import importlib.machinery  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

PRE_LOADED = {m.split(".")[0] for m in sys.modules}  # interpreter start-up and this script's imports

#: Loaders whose instances belong to one module, so wrapping ``exec_module`` on them is local.
_PER_MODULE_LOADERS = (importlib.machinery.SourceFileLoader, importlib.machinery.SourcelessFileLoader,
                       importlib.machinery.ExtensionFileLoader)

events: list[dict] = []  # {"kind", "name", "thread", "start", "end", "exclusive"}
_stack = threading.local()


def _now() -> float:
    return time.perf_counter() - T0


class _WatchImports(importlib.abc.MetaPathFinder):
    """Times every module body as it is first imported (any thread), by top-level package."""

    def find_spec(self, name, path, target=None):
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        if isinstance(spec.loader, _PER_MODULE_LOADERS):
            spec.loader.exec_module = _timed_exec(name, spec.loader.exec_module)
        return spec


def _timed_exec(name: str, exec_module):
    @functools.wraps(exec_module)
    def wrapper(module):
        stack = _stack.__dict__.setdefault("frames", [])
        frame = {"nested": 0.0}
        stack.append(frame)
        start = _now()
        try:
            exec_module(module)
        finally:
            end = _now()
            stack.pop()
            inclusive = end - start
            if stack:
                stack[-1]["nested"] += inclusive
            events.append(
                {
                    "kind": "import",
                    "name": name.split(".")[0],
                    "thread": threading.current_thread().name,
                    "start": start,
                    "end": end,
                    "exclusive": inclusive - frame["nested"],
                }
            )
            _patch_after_import(name, module)

    return wrapper


def _timed_call(kind: str, name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = _now()
        try:
            return fn(*args, **kwargs)
        finally:
            events.append(
                {"kind": kind, "name": name, "thread": threading.current_thread().name, "start": start, "end": _now()}
            )

    return wrapper


def _patch_after_import(name: str, module) -> None:
    if name == "whosaid.prefect_server":
        module.start_if_needed = _timed_call("phase", "Prefect temporary server spawn", module.start_if_needed)
        cls = module.TemporaryServer
        cls.wait = _timed_call("phase", "waiting for Prefect's temporary server", cls.wait)
    elif name == "prefect.server.api.server":  # Prefect's own ephemeral start (flows run outside the CLI)
        cls = module.SubprocessASGIServer
        cls.start = _timed_call("phase", "Prefect temporary server start", cls.start)
    elif name == "spacy":
        module.load = _timed_call("phase", "spaCy model load", module.load)
    elif name == "whosaid.validate":
        module._gx_context = _timed_call("phase", "GX context (validation)", module._gx_context)
        module._docs_context = _timed_call("phase", "GX context (data docs)", module._docs_context)


def summarize(app_start: float, app_end: float, exit_time: float) -> dict:
    """Main-thread attribution: each phase minus the imports nested in it, imports by package,
    and the rest ("the work"). Background-thread phases are listed but overlap the main thread."""
    main = threading.main_thread().name
    imports_main = [e for e in events if e["kind"] == "import" and e["thread"] == main]
    phases = [e for e in events if e["kind"] == "phase"]

    def imports_within(phase: dict) -> float:
        return sum(
            e["exclusive"] for e in imports_main if e["thread"] == phase["thread"] and phase["start"] <= e["start"] and e["end"] <= phase["end"]
        )

    by_package: dict[str, float] = {}
    for e in imports_main:
        by_package[e["name"]] = by_package.get(e["name"], 0.0) + e["exclusive"]
    main_phases = {}
    background = []
    for p in phases:
        wall = p["end"] - p["start"]
        if p["thread"] == main:
            main_phases[p["name"]] = main_phases.get(p["name"], 0.0) + wall - imports_within(p)
        else:
            background.append({"name": p["name"], "thread": p["thread"], "start": p["start"], "end": p["end"]})
    imports_total = sum(by_package.values())
    # imports before the app started (whosaid.cli and its deps) are inside [0, app_start]
    total = exit_time
    python_startup = T0_WALL - _process_create_time()
    accounted = imports_total + sum(main_phases.values())
    return {
        "python_startup_s": python_startup,
        "imports_main_thread_s": imports_total,
        "imports_by_package_s": dict(sorted(by_package.items(), key=lambda kv: -kv[1])),
        "phases_main_thread_s": main_phases,
        "phases_background": background,
        "work_and_orchestration_s": total - accounted,
        "app_wall_s": app_end - app_start,
        "process_wall_s": total + python_startup,
    }


def _process_create_time() -> float:
    import psutil

    return psutil.Process().create_time()


def main() -> None:
    argv = sys.argv[1:]
    if "--out" not in argv or "--" not in argv:
        sys.exit("usage: coldstart_probe.py --out FILE -- <whosaid arguments>")
    out = argv[argv.index("--out") + 1]
    cli_args = argv[argv.index("--") + 1 :]
    sys.meta_path.insert(0, _WatchImports())
    times: dict[str, float] = {}

    def report() -> None:
        exit_time = _now()
        summary = summarize(times.get("app_start", 0.0), times.get("app_end", exit_time), exit_time)
        timed = {e["name"] for e in events if e["kind"] == "import"}
        summary["untimed_packages"] = sorted(
            {m.split(".")[0] for m in sys.modules} - timed - set(sys.builtin_module_names) - set(PRE_LOADED)
        )
        summary["events"] = sorted(events, key=lambda e: e["start"])
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, indent=1)

    atexit.register(report)  # registered first, so it runs last: after Prefect stops its server
    from whosaid.cli import app

    times["app_start"] = _now()
    try:
        app(args=cli_args, prog_name="whosaid")
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise
    finally:
        times["app_end"] = _now()


if __name__ == "__main__":
    main()
