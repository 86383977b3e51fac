"""Prefect flow: ingest → extract (mapped over batches) → normalize + validate → load → publish.

The run loads a private working copy beside the warehouse file and publishes it with an atomic
rename, so BI tools holding the file never block a run and never see half of one (see
whosaid.warehouse.WorkingCopy).

Thin by design: every stage is a function in ``whosaid.stages``; this module only orchestrates,
names tasks, retries, and logs. Extraction is mapped over batches of articles, never one task per
article, because Prefect's per-task overhead would dominate.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from whosaid import feeds, stages, warehouse
from whosaid.nlp.parse_worker import close_workers as close_parse_workers
from whosaid.nlp.pipeline import model_label
from whosaid.settings import Settings
from whosaid.spool import BodySpool

#: Articles per mapped extraction task (each task runs nlp.pipe over its batch).
ARTICLES_PER_TASK = 200

ProgressCallback = Callable[[str, int, int], None]
_progress: ProgressCallback | None = None


def set_progress_callback(callback: ProgressCallback | None) -> None:
    """The CLI registers a rich progress bar here; runs without one just log."""
    global _progress
    _progress = callback


def _report(stage: str, done: int, total: int) -> None:
    if _progress is not None:
        _progress(stage, done, total)


def task_runner_for(kind: str = "threads", dask_address: str | None = None):
    """The task runner extraction batches are mapped on: Prefect's thread pool (default), or a Dask
    cluster through prefect-dask — the scheduler at ``dask_address``, or a temporary LocalCluster
    (one single-threaded worker process per core: spaCy holds the GIL, so threads would not help)."""
    if kind == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner()
    if kind != "dask":
        raise ValueError(f"unknown task runner {kind!r}: use 'threads' or 'dask'")
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(cluster_kwargs={"threads_per_worker": 1, "processes": True, "dashboard_address": None})


@contextmanager
def prefect_api_for_workers() -> Iterator[None]:
    """Pin the Prefect API URL in the settings the task runner ships to Dask workers.

    Workers are other processes (other machines, even) and report their task runs to the API. With
    no PREFECT_API_URL, Prefect starts a temporary server that only the starting process knows
    about, and each worker would start its own (a minute each on a small machine) and record its
    task runs there. Run the flow inside this context when its task runner is Dask.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the process-wide temporary server the client would use
    server.start()
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield


def _parallel_slots() -> int:
    """Worker threads of the flow's Dask cluster (1 for the local runner), so small runs are still
    split into enough batches to keep every Dask worker busy."""
    from prefect.context import FlowRunContext

    runner = getattr(FlowRunContext.get(), "task_runner", None)
    if type(runner).__name__ != "DaskTaskRunner":
        return 1
    try:
        return max(1, sum(runner.client.nthreads().values()))
    except Exception:  # noqa: BLE001 — sizing is an optimisation; never fail a run over it
        return 1


def _articles_per_task(total: int) -> int:
    slots = _parallel_slots()
    if slots == 1:
        return ARTICLES_PER_TASK
    return max(1, min(ARTICLES_PER_TASK, -(-total // (2 * slots))))


@dataclass
class RunSummary:
    run_id: str
    status: str
    warehouse: str
    n_files: int
    n_articles_read: int
    n_articles_new: int
    n_articles_skipped: int
    n_mentions: int
    n_quotes: int
    n_accusations: int
    n_denials: int
    n_quarantined: int
    n_failed_expectations: int
    message: str | None = None
    data_docs: str | None = None  # index.html of the GX Data Docs site beside the warehouse


@task(name="fetch-feed", cache_policy=NO_CACHE)
def fetch_feed_task(url: str, validators, known_uris: set[str], settings: Settings) -> feeds.FeedRead:
    """One feed URL; raises on a transient failure so Prefect retries it (see _fetch_feeds)."""
    read = feeds.read_feed(url, validators, known_uris, max_body_chars=settings.max_body_chars)
    get_run_logger().info(
        "feed %s: %s, %d entries, %d articles, %d pages fetched, %d already loaded, %d quarantined",
        url, "unchanged (304)" if read.not_modified else "fetched", read.n_entries, len(read.articles),
        read.n_pages_fetched, read.n_pages_known, len(read.quarantined),
    )
    return read


def _fetch_feeds(urls: list[str], state: dict, known_uris: set[str], settings: Settings) -> list[feeds.FeedRead]:
    """Fetch every feed URL concurrently, retried with exponential backoff; a feed still failing
    after its retries becomes a ``fetch_failed`` quarantine record, not a failed run."""
    retried = fetch_feed_task.with_options(
        retries=feeds.FETCH_RETRIES, retry_delay_seconds=exponential_backoff(feeds.RETRY_BACKOFF_SECONDS)
    )
    futures = [retried.submit(url, state.get(url), known_uris, settings) for url in urls]
    reads = []
    for url, future in zip(urls, futures):
        try:
            reads.append(future.result())
        except Exception as exc:  # noqa: BLE001 — after retries: report the source, keep the run
            get_run_logger().warning("feed %s failed after %d retries: %s", url, feeds.FETCH_RETRIES, exc)
            reads.append(feeds.failed_read(url, exc))
    return reads


@task(name="ingest", cache_policy=NO_CACHE)
def ingest_task(
    inputs: Sequence[str], settings: Settings, feed_reads=None, known_keys=frozenset(), spool=None
) -> stages.IngestResult:
    result = stages.ingest_inputs(inputs, settings, feed_reads, known_keys, spool)
    logger = get_run_logger()
    logger.info("read %d files: %d articles, %d quarantined", result.n_files, len(result.articles), len(result.quarantined))
    for item in result.quarantined:
        logger.warning("quarantined %s: %s (%s)", item.uri, item.reason, item.detail)
    return result


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_task(pairs: list[tuple[str, str]], settings: Settings):
    logger = get_run_logger()
    if pairs:
        logger.info("extracting %d articles: %s … %s", len(pairs), pairs[0][0], pairs[-1][0])
    extractions, failures = stages.extract_batch(pairs, settings)
    for failure in failures:
        logger.warning("article %s quarantined: %s", failure.article_key, failure.error)
    return extractions, failures


# Large arguments are passed as quote(...): Prefect otherwise walks every element of a task's
# arguments twice (looking for futures to track, then to resolve), dataclasses included. For one
# chunk's 500 ArticleExtractions that took 3.1 + 4.1 s of pure Python, on the flow's path, measured;
# quoted, nothing. The tasks get the plain objects; these values are never futures.
@task(name="normalize-validate", cache_policy=NO_CACHE)
def normalize_validate_task(plan, extractions, run_id, settings, spacy_label, existing):
    return stages.shape_and_validate(plan, extractions, run_id, settings, spacy_label, existing)


@task(name="load", cache_policy=NO_CACHE)
def load_task(path: str, frames, quarantine_rows, dq_rows) -> None:
    stages.load_run(path, frames, quarantine_rows, dq_rows)


def _extract_chunk(chunk: stages.Plan, settings: Settings, done: int, total: int):
    """Extraction batches of one chunk over the task runner; progress counts the whole run.

    On Dask the batches are mapped (each worker is its own process with its own model). On the
    local runner they run one at a time: threads add nothing to spaCy's throughput (the GIL), and
    with ``n_process > 1`` every concurrent ``nlp.pipe`` call would start its own worker processes,
    each loading the model — measured at 12 processes and 13 GB of RSS for 924 articles. Parallelism
    on one machine is ``n_process``.
    """
    pairs = [(a.article_key, a.body) for a in chunk.to_extract]
    extractions, failures = [], []
    per_task = _articles_per_task(len(pairs))
    batches = stages.batches(pairs, per_task)
    if _parallel_slots() > 1:  # every Dask worker process has a core of its own: no parse workers
        futures = iter(extract_task.map(batches, settings.with_(parse_worker=False)))
    else:
        futures = (extract_task.submit(batch, settings) for batch in batches)  # next one only when asked
    for future, batch in zip(futures, batches):
        batch_extractions, batch_failures = future.result()
        extractions.extend(batch_extractions)
        failures.extend(batch_failures)
        done += len(batch)
        _report("extract", done, total)
    return extractions, failures


@flow(name="whosaid-etl", log_prints=False)
def etl_flow(
    inputs: list[str],
    warehouse_path: str,
    settings: Settings | None = None,
    reprocess: bool = False,
) -> dict:
    """Run the whole pipeline once over `inputs` into the warehouse at `warehouse_path`."""
    settings = settings or Settings()
    logger = get_run_logger()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    run = stages.new_run(run_id, inputs, settings)
    # BI tools keep reading warehouse_path; the run writes a private copy beside it (lock, snapshot,
    # migrations, etl_run 'running') and publishes it atomically at the end (stages.close_run).
    work = stages.open_run(warehouse_path, run)
    logger.info("writing %s (%s of the warehouse in %.2f s)", work.path.name, work.snapshot_method, work.snapshot_seconds)
    counts: dict[str, int] = {}
    spool = BodySpool(work.path.parent)  # the run's article bodies wait on disk, not in memory
    try:
        with warehouse.connect(work.path) as con:
            loaded = warehouse.loaded_versions(con)
            feed_urls = stages.split_inputs(inputs)[1]
            known_pages = feeds.known_page_uris(con, settings.extractor_version) if feed_urls and not reprocess else set()
        _report("ingest", 0, 1)
        state_path = feeds.state_path_for(warehouse_path)
        feed_state = {} if reprocess else feeds.load_state(state_path)
        feed_reads = _fetch_feeds(feed_urls, feed_state, known_pages, settings) if feed_urls else None
        known_keys = stages.up_to_date_keys(loaded, settings.extractor_version, reprocess)
        ingested = ingest_task(inputs, settings, quote(feed_reads), quote(known_keys), spool)
        _report("ingest", 1, 1)
        plan = stages.plan_extraction(ingested.articles, loaded, settings.extractor_version, reprocess)
        plan = stages.without_recorded_uris(plan, work.path)
        logger.info("%d articles to extract, %d already loaded", len(plan.to_extract), plan.n_skipped)

        spacy_label = model_label(settings.spacy_model) if plan.to_extract else settings.spacy_model
        total = len(plan.to_extract)
        done = 0
        _report("extract", 0, total)
        quarantine_rows = stages.quarantine_rows_from_ingest(ingested.quarantined, run_id)
        counts = {
            "n_files": ingested.n_files,
            "n_articles_read": len(ingested.articles),
            "n_articles_skipped": plan.n_skipped,
            "n_quarantined": 0,
        }
        existing = stages.WarehouseKeys(str(work.path))  # relationship checks ask the working copy
        dq_rows, gx_results = [], []
        # Chunks of settings.chunk_articles go all the way to the working copy before the next is
        # extracted: memory stays flat however large the corpus (the run is still published once).
        for chunk in stages.chunk_plan(plan, settings.chunk_articles):
            chunk = stages.with_chunk_bodies(chunk, spool)
            extractions, failures = _extract_chunk(chunk, settings, done, total)
            done += len(chunk.to_extract)
            if done >= total:  # the parse worker's memory goes back before the last validation
                close_parse_workers()
            outcome = normalize_validate_task(quote(chunk), quote(extractions), run_id, settings, spacy_label, existing)
            del extractions
            uri_of = {a.article_key: a.uri for a in chunk.to_extract}
            chunk_quarantine = (
                quarantine_rows + stages.quarantine_rows_from_failures(failures, uri_of, run_id) + outcome.quarantine_rows
            )
            quarantine_rows = []  # ingest's rows went with the first chunk
            _report("validate", done, total)
            load_task(str(work.path), outcome.accepted, quote(chunk_quarantine), [])
            _report("load", done, total)
            for key, n in stages.counts_of(outcome.accepted).items():
                counts[key] = counts.get(key, 0) + n
            counts["n_quarantined"] += len(chunk_quarantine)
            dq_rows.extend(outcome.dq_rows)
            gx_results.extend(outcome.gx_results)
            del outcome, chunk_quarantine
            if done < total:  # hand the chunk's freed memory back before the next (glibc keeps it otherwise)
                stages.after_chunk(settings.malloc_trim)
        outcome = stages.run_outcome(dq_rows, gx_results)
        docs_index = stages.build_data_docs(outcome, warehouse_path, run_id, run["started_at"])
        load_task(str(work.path), {}, [], quote(outcome.dq_rows))
        n_quarantined = counts["n_quarantined"]
        status = "completed_with_warnings" if n_quarantined or outcome.n_failed_expectations else "completed"
        message = (
            f"{n_quarantined} quarantined, {outcome.n_failed_expectations} expectations failed"
            if status != "completed"
            else None
        )
    except BaseException as exc:
        stages.abandon_run(work, run_id, counts, exc)  # publishes the 'failed' row; data stays as it was
        raise
    finally:
        close_parse_workers()
        spool.close()
    stages.close_run(work, run_id, status, counts, message)
    logger.info("published %s in %.2f s", work.target, work.publish_seconds or 0.0)
    feeds.save_state(state_path, ingested.feed_reads)  # only now: the feeds' articles are published
    summary = RunSummary(
        run_id=run_id,
        status=status,
        warehouse=str(Path(warehouse_path)),
        n_failed_expectations=outcome.n_failed_expectations,
        message=message,
        data_docs=str(docs_index) if docs_index else None,
        **{k: counts.get(k, 0) for k in (
            "n_files", "n_articles_read", "n_articles_new", "n_articles_skipped", "n_mentions",
            "n_quotes", "n_accusations", "n_denials", "n_quarantined",
        )},
    )
    logger.info("run %s %s: %s", run_id, status, asdict(summary))
    _publish_artifacts(asdict(summary), warehouse_path)
    return asdict(summary)


def _publish_artifacts(summary: dict, warehouse_path: str) -> None:
    """The markdown summary and top-accusations table in the Prefect UI; a failure to publish
    them is logged, never turned into a failed run (the data is already committed)."""
    from flows.artifacts import publish_run_artifacts

    try:
        publish_run_artifacts(summary, warehouse_path)
    except Exception as exc:  # noqa: BLE001
        get_run_logger().warning("could not publish run artifacts: %s: %s", type(exc).__name__, exc)
