"""Command line: `whosaid run`, `whosaid sql`, `whosaid eval ...`.

Heavy imports (Prefect, spaCy, Great Expectations) happen inside the commands that need them, so
`whosaid --help` and `whosaid sql` start fast.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flows.deployments import DEFAULT_CRON, DEFAULT_TIMEZONE, DEPLOYMENT_NAME
from whosaid.settings import PROJECT_ROOT, Settings, quiet_third_party_defaults

app = typer.Typer(
    help="whosaid: turn news articles into a DuckDB warehouse of who said what and who accused whom.",
    no_args_is_help=True,
    add_completion=False,
)
eval_app = typer.Typer(help="Measure extraction quality against annotated corpora.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

console = Console()
err = Console(stderr=True)

DEFAULT_WAREHOUSE = Settings().warehouse


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class TaskRunner(str, Enum):
    threads = "threads"
    dask = "dask"


def _missing_inputs(inputs: list[str]) -> list[str]:
    """Paths that do not exist; http(s) feed URLs are checked when fetched, not here."""
    from whosaid.feeds import is_url

    return [i for i in inputs if not is_url(i) and not Path(i).exists()]


#: Prefect's flow engine imports FastAPI — the whole web framework, 0.2 s of CPU in every run (0.6 s
#: sampled on the critical path of a cold start) — for one helper, ``fastapi.encoders.jsonable_encoder``,
#: which stores the flow's parameters. Deferred (:func:`whosaid.lazy_modules.defer`), that helper's
#: module imports alone; the framework would load on its first real use.
PREFECT_ENGINE_UNUSED_IMPORTS = ("fastapi",)


def _quiet_prefect() -> None:
    """Prefect's temporary server and telemetry are noisy and slow; keep them out of the way."""
    quiet_third_party_defaults()


def _likely_new_articles(inputs: list[str], warehouse: Path) -> bool:
    """A guess, for warm-up only: is there anything to extract? True into a new warehouse, for feed
    URLs, or when an input file changed after the warehouse was last published. Unchanged input (a
    no-op rerun) stats its files and stops there; the flow decides what is really new by content."""
    from whosaid import ingest
    from whosaid.feeds import is_url

    if not warehouse.exists() or any(is_url(i) for i in inputs):
        return True
    published = warehouse.stat().st_mtime
    try:
        return any(path.stat().st_mtime > published for path in ingest.discover(inputs))
    except OSError:
        return True


def _warm_up_while_server_boots(server, settings: Settings, likely_new: bool) -> None:
    """While Prefect's temporary server boots (another process, another core), do what the flow
    would otherwise do after it (:func:`_warm_up_steps`) — each step only while the server is still
    booting, and only when the run likely has articles to extract (:func:`_likely_new_articles`).
    A no-op rerun needs none of them: measured, the speculative imports were 6 of its 19 s."""
    if server is None:
        return
    if likely_new:
        for step in _warm_up_steps(settings):
            if server.ready():
                break
            try:
                step()
            except Exception:  # noqa: BLE001 — a missing model, say: reported by the flow step that needs it
                pass
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    server.wait(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())


def _warm_up_steps(settings: Settings) -> list[Callable[[], object]]:
    """The warm-up, largest first: import GX, load the spaCy model, make GX's batch definitions,
    run the extractors once (their modules, lexicons and boundary model: what the first article
    pays otherwise). The language detector is not warmed: plainly English articles never load it
    (:func:`whosaid.ingest.detect_language`)."""
    from whosaid import validate
    from whosaid.nlp import pipeline

    return [
        validate.import_gx,
        lambda: pipeline.load_nlp(settings.spacy_model),
        validate.prepare_batch_definitions,
        lambda: pipeline.warm_up_extraction(settings.spacy_model),
    ]


@app.command()
def run(
    input: Annotated[
        list[str], typer.Option("--input", "-i", help="Files or folders (recursive) to read, or RSS/Atom feed URLs.")
    ],
    warehouse: Annotated[
        Path,
        typer.Option(
            "--warehouse",
            "-w",
            help="The DuckDB file BI tools open. A run never writes it in place: it loads a working copy "
            "beside it and atomically replaces the file when done (open connections keep the data they had).",
        ),
    ] = DEFAULT_WAREHOUSE,
    model: Annotated[Optional[str], typer.Option(help="spaCy pipeline to load (e.g. en_core_web_trf).")] = None,
    batch_size: Annotated[Optional[int], typer.Option(help="Docs per nlp.pipe batch.")] = None,
    processes: Annotated[Optional[int], typer.Option(help="spaCy processes (nlp.pipe n_process).")] = None,
    reprocess: Annotated[bool, typer.Option(help="Re-extract articles already loaded.")] = False,
    force: Annotated[
        bool, typer.Option(help="Run the flow even when the inputs are unchanged since the last run.")
    ] = False,
    show: Annotated[int, typer.Option(help="Accusations to print after the run (0: none).")] = 20,
    task_runner: Annotated[
        TaskRunner, typer.Option(help="Where extraction batches run: local threads, or a Dask cluster.")
    ] = TaskRunner.threads,
    dask_address: Annotated[
        Optional[str],
        typer.Option(help="Dask scheduler (tcp://HOST:PORT) for --task-runner dask; default: a temporary LocalCluster."),
    ] = None,
) -> None:
    """Run the ETL flow on INPUT files/folders/feed URLs and load the warehouse."""
    _quiet_prefect()
    if dask_address and task_runner is not TaskRunner.dask:
        err.print("[red]error:[/] --dask-address needs --task-runner dask")
        raise typer.Exit(2)
    missing = _missing_inputs(input)
    if missing:
        err.print(f"[red]error:[/] input not found: {escape(', '.join(missing))}")
        raise typer.Exit(2)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from contextlib import nullcontext

    settings = Settings().with_(spacy_model=model, batch_size=batch_size, n_process=processes, warehouse=warehouse)
    if not (reprocess or force):
        from whosaid import manifest

        last = manifest.unchanged_since_last_run(list(input), warehouse, settings)
        if last is not None:  # like make: nothing to do, so no Prefect server, no flow run
            _print_up_to_date(last, warehouse, show)
            return
    from whosaid import prefect_server
    from whosaid.gc_startup import collector_paused

    with collector_paused():  # start-up makes no garbage worth collecting; the flow's work does
        server = prefect_server.start_if_needed()  # boots on the other core while this process imports
        from whosaid.lazy_modules import defer

        defer(*PREFECT_ENGINE_UNUSED_IMPORTS)  # only a run that reaches the flow: after the up-to-date check
        from flows.etl import etl_flow, prefect_api_for_workers, set_progress_callback, task_runner_for

        _warm_up_while_server_boots(server, settings, _likely_new_articles(list(input), Path(warehouse)))
    from prefect.settings import temporary_settings

    server_context = temporary_settings(updates=server.client_settings()) if server else nullcontext()
    flow, api_context = etl_flow, nullcontext()
    if task_runner is TaskRunner.dask:
        flow = etl_flow.with_options(task_runner=task_runner_for("dask", dask_address))
        api_context = prefect_api_for_workers()

    with Progress(
        TextColumn("[bold]{task.description:<9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[rate]}"), console=err, transient=False,
    ) as progress:
        tasks: dict[str, int] = {}
        started: dict[str, float] = {}

        def on_progress(stage: str, done: int, total: int) -> None:
            import time

            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=max(total, 1), rate="")
                started[stage] = time.perf_counter()
            elapsed = time.perf_counter() - started[stage]
            rate = f"{done / elapsed:.1f} articles/s" if stage == "extract" and elapsed > 0 and done else ""
            progress.update(tasks[stage], completed=done if total else 1, total=max(total, 1), rate=rate)

        set_progress_callback(on_progress)

        from whosaid.warehouse import SchemaDriftError, WarehouseBusyError

        try:
            with server_context, api_context:
                summary = flow(inputs=list(input), warehouse_path=str(warehouse), settings=settings, reprocess=reprocess)
        except (WarehouseBusyError, SchemaDriftError) as exc:  # nothing was written: say why, no traceback
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(3)
        finally:
            set_progress_callback(None)
    _print_summary(summary, warehouse, show)


def _print_summary(summary: dict, warehouse: Path, show: int) -> None:
    status_color = {"completed": "green", "completed_with_warnings": "yellow"}.get(summary["status"], "red")
    console.print(
        f"[bold {status_color}]{summary['status']}[/] run {summary['run_id']} → {escape(str(warehouse))}\n"
        f"files {summary['n_files']} · articles read {summary['n_articles_read']} · "
        f"new {summary['n_articles_new']} · skipped (already loaded) {summary['n_articles_skipped']} · "
        f"quarantined {summary['n_quarantined']}\n"
        f"loaded: mentions {summary['n_mentions']} · quotes {summary['n_quotes']} · "
        f"accusations {summary['n_accusations']} · denials {summary['n_denials']}"
    )
    _print_warehouse(warehouse, show)
    if summary["n_quarantined"]:
        console.print("[yellow]Some inputs or rows were quarantined:[/] whosaid sql \"SELECT * FROM v_quarantine\"")
    if summary.get("data_docs"):
        console.print(f"data quality (GX Data Docs): {escape(Path(summary['data_docs']).as_uri())}")


def _print_up_to_date(last, warehouse: Path, show: int) -> None:
    finished = f", finished {last.finished_at:%Y-%m-%d %H:%M} UTC" if last.finished_at else ""
    console.print(
        f"[bold green]up to date[/]: the inputs are unchanged since run {last.run_id} ({last.status}{finished}); "
        f"{escape(str(warehouse))} is left as it is (--force runs the flow anyway)"
    )
    _print_warehouse(warehouse, show)


def _print_warehouse(warehouse: Path, show: int) -> None:
    """What the warehouse holds now, and its newest accusations."""
    from whosaid import warehouse as wh

    names, rows = wh.query(
        warehouse,
        "SELECT (SELECT count(*) FROM dim_article), (SELECT count(*) FROM dim_entity), "
        "(SELECT count(*) FROM fact_quote), (SELECT count(*) FROM fact_accusation), "
        "(SELECT count(*) FROM quarantine)",
    )
    a, e, q, acc, qua = rows[0]
    console.print(f"warehouse totals: articles {a} · entities {e} · quotes {q} · accusations {acc} · quarantine {qua}")
    if show:
        names, rows = wh.query(
            warehouse,
            "SELECT accuser, accused, charge, cue, confidence FROM v_accusations "
            "ORDER BY published_at DESC NULLS LAST, article_key, accusation_index LIMIT ?",
            [show],
        )
        _print_table(names, rows, title="Who accused whom (v_accusations)")


def _print_table(names: list[str], rows: list[tuple], title: str | None = None) -> None:
    """Cells are data, not markup: ``Text`` objects are never parsed as rich markup, so a body
    holding ``[/x]`` neither crashes the table (MarkupError) nor restyles it, and control characters
    are shown as ``\\x1b`` escapes so an article cannot drive the terminal (csv/json stay verbatim)."""
    from rich.text import Text

    table = Table(title=title, show_lines=False)
    for name in names:
        table.add_column(Text(_visible(name)), overflow="fold")
    for row in rows:
        table.add_row(*[Text("" if v is None else _visible(str(v))) for v in row])
    console.print(table)


_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    """Terminal escapes, other C0/C1 controls and bidi overrides as visible ``\\xNN``/``\\uNNNN``."""
    return _TERMINAL_CONTROLS.sub(lambda m: ascii(m.group())[1:-1], text)


@app.command()
def sql(
    query: Annotated[Optional[str], typer.Argument(help="SQL to run (read-only).")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read the SQL from a .sql file.")] = None,
    param: Annotated[
        Optional[list[str]], typer.Option("--param", "-p", help="Bind a parameter: NAME=VALUE for $NAME in the SQL.")
    ] = None,
    warehouse: Annotated[Path, typer.Option("--warehouse", "-w", help="DuckDB file to query.")] = DEFAULT_WAREHOUSE,
    format: Annotated[OutputFormat, typer.Option("--format", help="Output format.")] = OutputFormat.table,
) -> None:
    """Run ad-hoc SQL read-only against the warehouse (parameters are bound, never spliced)."""
    import duckdb

    from whosaid import warehouse as wh

    if (query is None) == (file is None):
        err.print("[red]error:[/] give either a SQL string or --file, not both")
        raise typer.Exit(2)
    text = file.read_text(encoding="utf-8") if file else query
    params = dict(p.split("=", 1) for p in (param or []))
    try:
        names, rows = wh.query(warehouse, text, params or None)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2)
    except duckdb.Error as exc:
        err.print(f"[red]SQL error:[/] {escape(str(exc))}")
        raise typer.Exit(1)
    if format is OutputFormat.json:
        sys.stdout.write(wh.to_json_rows(names, rows) + "\n")
    elif format is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(names)
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        _print_table(names, rows)


@app.command()
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the Parquet files into (created if missing).")],
    warehouse: Annotated[Path, typer.Option("--warehouse", "-w", help="DuckDB file to export.")] = DEFAULT_WAREHOUSE,
) -> None:
    """Write every table and view as Parquet (facts partitioned by publication month) for other engines."""
    import duckdb

    from whosaid import export as export_mod
    from whosaid.warehouse import WarehouseBusyError

    try:
        written = export_mod.export_warehouse(warehouse, directory)
    except (FileNotFoundError, WarehouseBusyError) as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2)
    except (duckdb.Error, OSError) as exc:
        err.print(f"[red]export failed:[/] {escape(str(exc))}")
        raise typer.Exit(1)
    _print_table(
        ["name", "kind", "rows", "path"],
        [(e.name, e.kind, e.rows, e.path + (f"/{e.partition_by}=*/" if e.partition_by else "")) for e in written],
        title=f"Exported to {directory} (see {export_mod.MANIFEST})",
    )


@app.command()
def serve(
    input: Annotated[
        list[str], typer.Option("--input", "-i", help="Files, folders or RSS/Atom feed URLs each run reads.")
    ],
    warehouse: Annotated[Path, typer.Option("--warehouse", "-w", help="DuckDB file runs write.")] = DEFAULT_WAREHOUSE,
    cron: Annotated[str, typer.Option(help="When to run (cron; the default is every 30 minutes).")] = DEFAULT_CRON,
    timezone: Annotated[str, typer.Option(help="Time zone of the cron schedule.")] = DEFAULT_TIMEZONE,
    name: Annotated[str, typer.Option(help="Deployment name on the Prefect server.")] = DEPLOYMENT_NAME,
) -> None:
    """Schedule the ETL on a Prefect server (cron) and execute its runs until Ctrl-C.

    Needs a running server: `prefect server start`, then PREFECT_API_URL=http://127.0.0.1:4200/api.
    """
    _quiet_prefect()
    missing = _missing_inputs(input)
    if missing:
        err.print(f"[red]error:[/] input not found: {escape(', '.join(missing))}")
        raise typer.Exit(2)
    from flows import deployments

    try:
        deployments.require_prefect_server()
    except deployments.NoPrefectServer as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise typer.Exit(2)
    err.print(
        f"serving [bold]{deployments.full_name(name)}[/] on schedule [bold]{cron}[/] ({timezone}) → {warehouse}\n"
        f"run it now: prefect deployment run '{deployments.full_name(name)}'"
    )
    deployments.serve(input, warehouse, cron=cron, name=name, timezone=timezone)


@eval_app.command("polnear")
def eval_polnear(
    folder: Annotated[Path, typer.Argument(help="PolNeAR-format folder with text/ and attributions/.")],
    limit: Annotated[Optional[int], typer.Option(help="Evaluate only the first N articles.")] = None,
    doc_cache: Annotated[
        Optional[Path], typer.Option(help="A .spacy file caching the parsed split between runs (rebuilt when stale).")
    ] = None,
) -> None:
    """Quote attribution P/R/F1 against PolNeAR gold (content, content+speaker, exact spans)."""
    from whosaid.eval import polnear

    if not (folder / "text").is_dir():
        err.print(f"[red]error:[/] {folder} has no text/ folder (expected a PolNeAR split such as ../shared/corpora/polnear/dev)")
        raise typer.Exit(2)
    kwargs: dict = {"limit": limit} if limit else {}
    if doc_cache is not None:
        kwargs["doc_cache"] = doc_cache
    polnear.main(folder, **kwargs)


@eval_app.command("accusations")
def eval_accusations(
    gold: Annotated[Path, typer.Argument(help="Gold accusations file (see tests/data/).")],
) -> None:
    """Accusation P/R/F1 for who+whom and who+whom+what against a gold file."""
    from whosaid.eval import accusations

    accusations.main(gold)


def main() -> None:
    """The ``whosaid`` command: the CLI, then an exit without the interpreter's teardown.

    Why: after a run, freeing the heap object by object (spaCy's vocab, Prefect's and GX's models:
    millions of objects) took 1.2 s of every ``whosaid run``, after the last line was printed.
    Everything registered to happen at exit still does, in the interpreter's order — first the
    hooks of ``threading`` (Prefect's log and event workers drain there, while its temporary server
    still answers), then ``atexit`` (the stop of that server, logging's flush) — and then the
    process ends. Tests call ``app``.
    """
    try:
        app()
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code
    _exit_after_exit_handlers(code)


def _exit_after_exit_handlers(code: int | str | None) -> None:
    import atexit
    import os
    import threading

    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if others:  # a thread still working would be cut off: let Python join it and tear down as usual
        sys.exit(code)
    if isinstance(code, str):  # SystemExit("message"): Python prints it and exits 1
        print(code, file=sys.stderr)
        code = 1
    # What Py_FinalizeEx does first: threading's exit hooks. Skipped, Prefect's workers were drained
    # only by logging's flush, after the server had been stopped: with INFO logs every run then
    # waited out a 5 s drain timeout after its last line.
    threading._shutdown()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["app", "main", "PROJECT_ROOT"]
