"""The pipeline's stages as plain functions; flows/etl.py orchestrates them with Prefect.

Kept free of Prefect so they are unit-testable on tiny inputs and reusable by other runners.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from whosaid import feeds
from whosaid import ingest as ingest_mod
from whosaid import normalize, validate, warehouse
from whosaid.memory import malloc_trim
from whosaid.nlp.pipeline import ExtractionFailed, extract_texts
from whosaid.nlp.records import ArticleExtraction
from whosaid.settings import Settings
from whosaid.spool import BodySpool, spooled, with_bodies

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# ---- ingest ------------------------------------------------------------------------------------
@dataclass
class IngestResult:
    articles: list[ingest_mod.RawArticle] = field(default_factory=list)
    quarantined: list[ingest_mod.Quarantined] = field(default_factory=list)
    n_files: int = 0
    feed_reads: list[feeds.FeedRead] = field(default_factory=list)  # their state is saved after the load


def split_inputs(inputs: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(paths, feed URLs)``: http(s) inputs are fetched (whosaid.feeds), the rest read from disk."""
    urls = [str(i) for i in inputs if feeds.is_url(str(i))]
    return [str(i) for i in inputs if not feeds.is_url(str(i))], urls


def ingest_inputs(
    inputs: Sequence[str],
    settings: Settings,
    feed_reads: Sequence[feeds.FeedRead] | None = None,
    known_keys: frozenset[str] = frozenset(),
    spool: BodySpool | None = None,
) -> IngestResult:
    """Read every input file and feed URL; bad inputs become quarantine records, never exceptions.

    Feed URLs are fetched here (one try each) unless the orchestrator already fetched them with
    retries and passes the results as ``feed_reads``. With a ``spool``, file articles' bodies go to
    it (read back chunk by chunk: :func:`whosaid.spool.with_bodies`) and those of articles in
    ``known_keys`` are dropped: the run records only their URI.
    """
    paths, urls = split_inputs(inputs)
    result = IngestResult()
    for path in ingest_mod.discover(paths) if paths else ():
        result.n_files += 1
        for item in ingest_mod.read_path(path, settings.max_bytes, settings.max_body_chars, known_keys):
            if isinstance(item, ingest_mod.RawArticle):
                result.articles.append(spooled(item, spool, keep_body=item.article_key not in known_keys))
            else:
                result.quarantined.append(item)
    if feed_reads is None:
        feed_reads = [feeds.read_feed_or_quarantine(url, max_body_chars=settings.max_body_chars) for url in urls]
    for read in feed_reads:
        result.n_files += 1
        result.articles.extend(read.articles)
        result.quarantined.extend(read.quarantined)
        result.feed_reads.append(read)
    return result


# ---- plan: what needs extracting ----------------------------------------------------------------
@dataclass
class Plan:
    to_extract: list[ingest_mod.RawArticle]  # one per article_key, in input order
    known_uris: list[ingest_mod.RawArticle]  # already-loaded articles (only their uri is recorded)
    n_skipped: int


def plan_extraction(
    articles: Sequence[ingest_mod.RawArticle],
    loaded: dict[str, str],
    extractor_version: str,
    reprocess: bool = False,
) -> Plan:
    """Skip articles loaded by the same extractor version, so a rerun costs only what is new."""
    to_extract, known, seen = [], [], set()
    skipped_keys = set()
    for art in articles:
        up_to_date = loaded.get(art.article_key) == extractor_version and not reprocess
        if up_to_date:
            known.append(art)
            skipped_keys.add(art.article_key)
        elif art.article_key not in seen:
            seen.add(art.article_key)
            to_extract.append(art)
        else:
            known.append(art)  # same body under another uri in this run
    return Plan(to_extract, known, len(skipped_keys))


def chunk_plan(plan: Plan, size: int) -> Iterator[Plan]:
    """The plan in chunks of at most ``size`` articles, each extracted, validated and loaded before
    the next is read, so a run's memory is bounded by the chunk, not the corpus. The known URIs go
    with the first chunk; an empty plan is one empty chunk (quarantine and URIs still load)."""
    size = max(1, size)
    starts = range(0, len(plan.to_extract), size) if plan.to_extract else [0]
    for n, start in enumerate(starts):
        yield Plan(plan.to_extract[start : start + size], plan.known_uris if n == 0 else [], plan.n_skipped if n == 0 else 0)


def with_chunk_bodies(chunk: Plan, spool: BodySpool | None) -> Plan:
    """The chunk with its articles' bodies read back from the run's spool, for extraction and
    dim_article; they are freed with the chunk."""
    return Plan(with_bodies(chunk.to_extract, spool), chunk.known_uris, chunk.n_skipped)


def up_to_date_keys(loaded: dict[str, str], extractor_version: str, reprocess: bool = False) -> frozenset[str]:
    """Article keys already loaded by this extractor version: a rerun skips them (and their checks)."""
    return frozenset() if reprocess else frozenset(k for k, v in loaded.items() if v == extractor_version)


def without_recorded_uris(plan: Plan, work_path) -> Plan:
    """The plan minus known articles whose URI is already recorded: a rerun on unchanged input then
    has nothing to shape, validate or load."""
    if not plan.known_uris:
        return plan
    pairs = [(normalize.stable_id(a.article_key), a.uri) for a in plan.known_uris]
    with warehouse.connect(work_path, read_only=True) as con:
        new = warehouse.unrecorded_uris(con, set(pairs))
    known = [a for a, pair in zip(plan.known_uris, pairs) if pair in new]
    return Plan(plan.to_extract, known, plan.n_skipped)


def batches(items: Sequence, size: int) -> list[list]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


# ---- extract -----------------------------------------------------------------------------------
def extract_batch(
    pairs: Sequence[tuple[str, str]], settings: Settings
) -> tuple[list[ArticleExtraction], list[ExtractionFailed]]:
    extractions, failures = [], []
    for out in extract_texts(
        pairs, settings.spacy_model, settings.batch_size, settings.n_process, settings.batch_chars, settings.parse_worker
    ):
        (failures if isinstance(out, ExtractionFailed) else extractions).append(out)
    return extractions, failures


# ---- normalize + validate ----------------------------------------------------------------------
def known_uri_frame(known: Iterable[ingest_mod.RawArticle], run_id: str) -> pl.DataFrame:
    rows = [
        {"article_id": normalize.stable_id(a.article_key), "uri": a.uri, "first_run_id": run_id} for a in known
    ]
    return normalize._frame("article_uri", rows)


def quarantine_rows_from_ingest(items: Iterable[ingest_mod.Quarantined], run_id: str) -> list[dict]:
    now = utcnow()
    return [
        {
            "quarantine_key": validate._quarantine_key(q.stage, q.uri, None, q.reason, q.detail),
            "stage": q.stage,
            "uri": q.uri,
            "article_key": None,
            "table_name": None,
            "reason": q.reason,
            "detail": q.detail,
            "record": None,
            "first_run_id": run_id,
            "last_run_id": run_id,
            "quarantined_at": now,
        }
        for q in items
    ]


def quarantine_rows_from_failures(
    failures: Iterable[ExtractionFailed], uri_of: dict[str, str], run_id: str
) -> list[dict]:
    now = utcnow()
    return [
        {
            "quarantine_key": validate._quarantine_key("extract", uri_of.get(f.article_key), None, "extract_error", f.error),
            "stage": "extract",
            "uri": uri_of.get(f.article_key),
            "article_key": f.article_key,
            "table_name": None,
            "reason": "extract_error",
            "detail": f.error,
            "record": None,
            "first_run_id": run_id,
            "last_run_id": run_id,
            "quarantined_at": now,
        }
        for f in failures
    ]


def shape_and_validate(
    plan: Plan,
    extractions: Sequence[ArticleExtraction],
    run_id: str,
    settings: Settings,
    spacy_model_label: str,
    existing_keys: validate.KeyLookup | dict,
) -> validate.ValidationOutcome:
    """Shape a chunk's extractions into contract frames and validate them. A chunk with nothing
    to load (a rerun on unchanged input) is not validated at all: GX is not even imported."""
    if not plan.to_extract and not plan.known_uris:
        return validate.ValidationOutcome({}, [], [])
    frames = normalize.build_frames(
        plan.to_extract, extractions, run_id, spacy_model_label, settings.extractor_version
    ).tables
    frames["article_uri"] = pl.concat([frames["article_uri"], known_uri_frame(plan.known_uris, run_id)]).unique(
        ["article_id", "uri"], keep="first", maintain_order=True
    )
    return validate.validate_frames(frames, run_id, _with_run(validate.as_key_lookup(existing_keys), run_id))


def _with_run(lookup: validate.KeyLookup, run_id: str) -> validate.KeyLookup:
    """The run's own etl_run row counts as existing (its facts reference it before it is final)."""

    def find(wanted: dict[tuple[str, str], set]) -> dict[tuple[str, str], set]:
        found = lookup(wanted)
        if run_id in wanted.get(("etl_run", "run_id"), ()):
            found.setdefault(("etl_run", "run_id"), set()).add(run_id)
        return found

    return find


@dataclass(frozen=True)
class WarehouseKeys:
    """The parent keys a chunk references that the run's working copy already holds, asked of
    DuckDB chunk by chunk (a :data:`whosaid.validate.KeyLookup`). Reading every key of the
    warehouse instead made each run's memory grow with the warehouse: all article, entity and run
    ids, every run."""

    path: str

    def __call__(self, wanted: dict[tuple[str, str], set]) -> dict[tuple[str, str], set]:
        with warehouse.connect(self.path, read_only=True) as con:
            return warehouse.keys_present(con, wanted)


def run_outcome(dq_rows: list[dict], gx_results: list) -> validate.ValidationOutcome:
    """The run's validation outcome from its chunks': one dq_result row per expectation."""
    return validate.ValidationOutcome({}, [], validate.merge_dq_rows(dq_rows), gx_results)


# ---- between chunks ----------------------------------------------------------------------------
def after_chunk(trim: bool = True) -> None:
    """Give the memory a finished chunk used back to the OS before the next chunk starts.

    Why: a chunk allocates and frees hundreds of MB of small objects (spaCy Docs, extraction
    records, Polars→pandas frames for GX, DuckDB staging). glibc malloc keeps freed memory in its
    arenas (one per thread that allocated: Prefect runs extraction tasks in worker threads) and only
    gives back what sits at the top of a heap, so the free-but-kept memory and its fragmentation grow
    chunk after chunk and every chunk's peak starts from a higher floor. ``malloc_trim(0)`` returns
    the free pages of every arena (glibc >= 2.8 trims all arenas, holes included). Costs a few ms.
    ``trim`` is ``Settings.malloc_trim`` (WHOSAID_MALLOC_TRIM=0 skips it, to measure without it:
    bench/memory_per_chunk.py).
    """
    gc.collect()  # cycles first (GX results, DuckDB relations), so their memory is free to trim
    if trim:
        malloc_trim()


# ---- summary -----------------------------------------------------------------------------------
def counts_of(frames: dict[str, pl.DataFrame]) -> dict[str, int]:
    def rows(table: str) -> int:
        frame = frames.get(table)
        return 0 if frame is None else frame.height

    return {
        "n_articles_new": rows("dim_article"),
        "n_mentions": rows("fact_mention"),
        "n_quotes": rows("fact_quote"),
        "n_accusations": rows("fact_accusation"),
        "n_denials": rows("fact_denial"),
    }


def load_run(path, frames, quarantine_rows, dq_rows) -> None:
    """Load a run's frames into ``path``, the run's working copy (never the published file), in one
    transaction. :func:`open_run` brought its schema up to date; checking it again per chunk cost
    ~0.3 s a load for nothing."""
    with warehouse.connect(path) as con:
        warehouse.load(con, frames, quarantine_rows, dq_rows)


# ---- run lifecycle: working copy → publish -----------------------------------------------------
def new_run(run_id: str, inputs: Sequence[str], settings: Settings) -> dict:
    """The etl_run record a run starts with (see :func:`open_run`). Its input fingerprint is taken
    before anything is read (see :mod:`whosaid.manifest`)."""
    from whosaid import manifest

    return {
        "run_id": run_id,
        "started_at": utcnow(),
        "inputs": " ".join(inputs),
        "extractor_version": settings.extractor_version,
        "spacy_model": settings.spacy_model,
        "input_fingerprint": manifest.input_fingerprint(inputs, settings),
    }


def open_run(warehouse_path, run: dict) -> warehouse.WorkingCopy:
    """Take the writer lock, copy the published warehouse to a private working copy beside it,
    migrate the copy and record the run there as running. BI tools keep reading the published file,
    untouched, until :func:`close_run` swaps the finished copy in."""
    work = warehouse.WorkingCopy.open(warehouse_path, run["run_id"])
    try:
        with warehouse.connect(work.path) as con:
            warehouse.ensure_schema(con)
            warehouse.start_run(con, run)
    except BaseException:
        work.close()
        raise
    log.info(
        "working copy %s (%s of %s in %.2f s)", work.path.name, work.snapshot_method, work.target, work.snapshot_seconds
    )
    return work


def close_run(work: warehouse.WorkingCopy, run_id: str, status: str, counts: dict, message: str | None) -> None:
    """Record how the run ended in the working copy and publish it over the warehouse file. If
    anything fails, the published file keeps the previous run's data and the copy is dropped."""
    try:
        with warehouse.connect(work.path) as con:
            warehouse.finish_run(con, run_id, status, counts, message)
        work.publish(run_id)
    finally:
        work.close()
    log.info("published %s in %.2f s", work.target, work.publish_seconds or 0.0)


def abandon_run(work: warehouse.WorkingCopy, run_id: str, counts: dict, exc: BaseException) -> None:
    """A run failed: publish its ``failed`` etl_run row (the load is one transaction, so the data is
    the previous run's) so the failure is queryable; if even that fails, keep the previous file as
    it is. Never raises: the caller re-raises the run's own error."""
    try:
        close_run(work, run_id, "failed", counts, f"{type(exc).__name__}: {exc}")
    except Exception as publish_exc:  # noqa: BLE001 — the original error matters more
        log.warning("could not record failed run %s in %s: %s", run_id, work.target, publish_exc)


# ---- data docs ---------------------------------------------------------------------------------
def data_docs_dir(warehouse_path) -> Path:
    """``<warehouse dir>/data_docs/``: the GX Data Docs site lives beside the file it describes."""
    return warehouse.published_path(warehouse_path).parent / "data_docs"


def build_data_docs(outcome: validate.ValidationOutcome, warehouse_path, run_id: str, started_at: datetime) -> Path | None:
    """Add this run's validation results to the Data Docs site; return its index page. Docs are a
    view on the run, so a failure to build them is logged, never a failed run."""
    if not outcome.gx_results:  # nothing was validated (nothing new): the site stays as it is
        index = data_docs_dir(warehouse_path) / "index.html"
        return index if index.exists() else None
    started = time.perf_counter()
    try:
        index = validate.build_data_docs(outcome.gx_results, data_docs_dir(warehouse_path), run_id, started_at)
        log.info("data docs: %d validation results in %.2f s → %s", len(outcome.gx_results), time.perf_counter() - started, index)
        return index
    except Exception as exc:  # noqa: BLE001
        log.warning("could not build data docs in %s: %s: %s", data_docs_dir(warehouse_path), type(exc).__name__, exc)
        return None
