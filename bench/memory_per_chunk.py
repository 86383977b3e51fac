"""Resident memory of the main process chunk by chunk: does a long run's peak creep up?

Figures, not a timed test. Runs a corpus in small chunks (``--chunk``, default 50 articles) either
through the Prefect flow (``--mode flow``: ``etl_flow`` with a progress callback that samples after
each chunk's load) or through the stage functions called directly in the flow's order, without
Prefect (``--mode stages``), and prints one line per chunk:

    chunk  articles  rss_mb  peak_mb  heap_used_mb  heap_free_mb  [stages mode: after_<stage>=rss/peak MB]

``peak_mb`` is the chunk's own peak (VmHWM, reset through /proc/self/clear_refs before each chunk);
``heap_used_mb``/``heap_free_mb`` come from glibc's mallinfo2 (all arenas): memory malloc holds for
live objects, and memory it holds *free* but has not returned to the kernel (fragmentation).

The corpus is PolNeAR (``--limit`` articles, default all 923), recombined ×``--factor`` (bench/corpus.py)
into a temporary folder; nothing is written to the repository.

    PYTHONPATH=. .venv/bin/python bench/memory_per_chunk.py --mode stages --chunk 50 --chunks 20
    PYTHONPATH=. .venv/bin/python bench/memory_per_chunk.py --mode flow --chunk 50 --chunks 20
    WHOSAID_BATCH_CHARS=0 WHOSAID_MALLOC_TRIM=0 ...   # without the character bound and the trim

In flow mode ``rss_mb`` and the heap figures are read at the chunk's load, before the flow's
per-chunk trim (stages.after_chunk); ``peak_mb`` of the next chunk includes it.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(ROOT))

import corpus as corpus_mod  # noqa: E402
from corpus import DEFAULT_POLNEAR  # noqa: E402


# ---- probes ------------------------------------------------------------------------------------
def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        return int(re.search(rf"^{field}:\s+(\d+)", f.read(), re.M).group(1))


def rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def peak_mb() -> float:
    return _status_kb("VmHWM") / 1024


def reset_peak() -> None:
    """Reset VmHWM to the current RSS (Linux >= 4.0), so the next reading is this chunk's peak."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost"
    )]


_libc = ctypes.CDLL("libc.so.6")
_libc.mallinfo2.restype = _Mallinfo2


def heap_mb() -> tuple[float, float]:
    """(in use, free but kept) by malloc over all arenas, plus mmapped blocks in 'in use'."""
    m = _libc.mallinfo2()
    return (m.uordblks + m.hblkhd) / 2**20, m.fordblks / 2**20


class Recorder:
    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.marks: dict[str, float] = {}
        self.started = time.perf_counter()
        reset_peak()

    def mark(self, name: str) -> None:
        """RSS now and the peak since the previous mark (then the peak is reset)."""
        self.marks[name] = f"{rss_mb():.0f}/{peak_mb():.0f}"
        self.chunk_peak = max(getattr(self, "chunk_peak", 0.0), peak_mb())
        reset_peak()

    def chunk_done(self, articles: int) -> None:
        used, free = heap_mb()
        row = {
            "chunk": len(self.rows) + 1,
            "articles": articles,
            "rss_mb": round(rss_mb()),
            "peak_mb": round(max(peak_mb(), getattr(self, "chunk_peak", 0.0))),
            "heap_used_mb": round(used),
            "heap_free_mb": round(free),
            "s": round(time.perf_counter() - self.started),
            **self.marks,
        }
        self.rows.append(row)
        self.marks = {}
        self.chunk_peak = 0.0
        print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        reset_peak()


# ---- the two ways to run -----------------------------------------------------------------------
def run_stages(folder: Path, warehouse_path: Path, settings, rec: Recorder, max_chunks: int | None) -> None:
    """The flow's loop (flows/etl.py etl_flow) with the stage functions called directly."""
    from flows.etl import ARTICLES_PER_TASK
    from whosaid import stages, warehouse
    from whosaid.nlp.pipeline import model_label

    run_id = str(uuid.uuid4())
    inputs = [str(folder)]
    run = stages.new_run(run_id, inputs, settings)
    work = stages.open_run(warehouse_path, run)
    with warehouse.connect(work.path) as con:
        loaded = warehouse.loaded_versions(con)
    from whosaid.spool import BodySpool

    spool = BodySpool(work.path.parent)  # as the flow: bodies wait on disk until their chunk
    ingested = stages.ingest_inputs(inputs, settings, spool=spool)
    existing = stages.WarehouseKeys(str(work.path))
    plan = stages.plan_extraction(ingested.articles, loaded, settings.extractor_version)
    spacy_label = model_label(settings.spacy_model)
    dq_rows, gx_results, done = [], [], 0
    for n, chunk in enumerate(stages.chunk_plan(plan, settings.chunk_articles)):
        if max_chunks and n >= max_chunks:
            break
        chunk = stages.with_chunk_bodies(chunk, spool)
        pairs = [(a.article_key, a.body) for a in chunk.to_extract]
        extractions, failures = [], []
        for batch in stages.batches(pairs, ARTICLES_PER_TASK):
            got, failed = stages.extract_batch(batch, settings)
            extractions.extend(got)
            failures.extend(failed)
        rec.mark("after_extract")
        outcome = stages.shape_and_validate(chunk, extractions, run_id, settings, spacy_label, existing)
        del extractions
        rec.mark("after_validate")
        stages.load_run(str(work.path), outcome.accepted, outcome.quarantine_rows, [])
        rec.mark("after_load")
        dq_rows.extend(outcome.dq_rows)
        gx_results.extend(outcome.gx_results)
        done += len(chunk.to_extract)
        del outcome
        stages.after_chunk(settings.malloc_trim)  # the flow's per-chunk cleanup
        rec.chunk_done(done)
    outcome = stages.run_outcome(dq_rows, gx_results)
    stages.load_run(str(work.path), {}, [], outcome.dq_rows)
    stages.close_run(work, run_id, "completed", {}, None)


def run_flow(folder: Path, warehouse_path: Path, settings, rec: Recorder, max_chunks: int | None) -> None:
    """``etl_flow`` as the CLI runs it; sampled from its progress callback after each chunk's load.
    ``--chunks`` limits the corpus instead (the flow has no chunk limit)."""
    from flows import etl

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "load" and done:
            rec.chunk_done(done)

    etl.set_progress_callback(progress)
    etl.etl_flow([str(folder)], str(warehouse_path), settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("stages", "flow"), default="stages")
    parser.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    parser.add_argument("--limit", type=int, default=None, help="PolNeAR articles to start from (default all)")
    parser.add_argument("--factor", type=int, default=1, help="recombine the corpus ×N (bench/corpus.py)")
    parser.add_argument("--chunk", type=int, default=50, help="articles per chunk (WHOSAID_CHUNK_ARTICLES)")
    parser.add_argument("--chunks", type=int, default=None, help="stop after this many chunks")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args()

    from whosaid.settings import Settings, quiet_third_party_defaults

    quiet_third_party_defaults()
    settings = Settings().with_(chunk_articles=args.chunk)
    articles = corpus_mod.load_articles(args.polnear, args.limit)
    if args.factor > 1:
        articles = corpus_mod.recombine(articles, args.factor)
    if args.chunks and args.mode == "flow":
        articles = articles[: args.chunks * args.chunk]
    print(json.dumps({
        "mode": args.mode, "articles": len(articles), "chunk": args.chunk, "chunks": args.chunks,
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX"),
        "WHOSAID_MALLOC_TRIM": os.environ.get("WHOSAID_MALLOC_TRIM"),
    }), flush=True)
    rec = Recorder()
    with tempfile.TemporaryDirectory(prefix="whosaid-mem-") as tmp:
        folder = corpus_mod.write_corpus(articles, Path(tmp) / "corpus")
        warehouse_path = Path(tmp) / "wh" / "whosaid.duckdb"
        (run_flow if args.mode == "flow" else run_stages)(folder, warehouse_path, settings, rec, args.chunks)
    rows = rec.rows
    if rows:
        peaks = [r["peak_mb"] for r in rows]
        half = len(peaks) // 2
        print(json.dumps({
            "peak_mb_max": max(peaks),
            "peak_mb_first_half_max": max(peaks[:half] or peaks),
            "peak_mb_second_half_max": max(peaks[half:]),
            "rss_mb_first": rows[0]["rss_mb"],
            "rss_mb_last": rows[-1]["rss_mb"],
            "heap_free_mb_last": rows[-1]["heap_free_mb"],
        }), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
