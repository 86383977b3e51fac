"""Time each pipeline stage by calling the stage functions the flow calls, in one process.

flows/etl.py is thin orchestration over whosaid.stages; this script makes the same calls in the same
order (ingest → plan → extract in batches of ARTICLES_PER_TASK → normalize → validate → data docs →
load → publish) without Prefect, so each stage's cost is isolated from Prefect's. The only
instrumentation is a timer around ``normalize.build_frames``, which ``stages.shape_and_validate``
calls before handing the frames to GX: that is where "normalize" ends and "validate" begins.
Prints one JSON line; run_bench.py runs it as a subprocess.

    .venv/bin/python bench/stage_timing.py DIR WAREHOUSE.duckdb [--processes N] [--batch-size B]
"""

from __future__ import annotations

import argparse
import json
import resource
import time
import uuid
from contextlib import contextmanager
from pathlib import Path


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


class StageClock:
    """Wall seconds and resident memory after each named stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.rss_after_mb: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            self.rss_after_mb[name] = rss_mb()


def time_build_frames(clock: StageClock) -> None:
    """Attribute normalize.build_frames to "normalize" (the rest of shape_and_validate is GX)."""
    from whosaid import normalize

    original = normalize.build_frames

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            clock.seconds["normalize"] = clock.seconds.get("normalize", 0.0) + time.perf_counter() - started

    normalize.build_frames = timed


def run_stages(inputs: list[str], warehouse_path: Path, settings) -> dict:
    from flows.etl import ARTICLES_PER_TASK
    from whosaid import stages, warehouse
    from whosaid.nlp.pipeline import load_nlp, model_label

    clock = StageClock()
    time_build_frames(clock)
    run_id = str(uuid.uuid4())
    run = stages.new_run(run_id, inputs, settings)
    with clock.stage("open (lock, snapshot, migrate)"):
        work = stages.open_run(warehouse_path, run)
        with warehouse.connect(work.path) as con:
            loaded = warehouse.loaded_versions(con)
    with clock.stage("ingest"):
        ingested = stages.ingest_inputs(inputs, settings)
        existing = stages.WarehouseKeys(str(work.path))
        plan = stages.plan_extraction(ingested.articles, loaded, settings.extractor_version)
    pairs = [(a.article_key, a.body) for a in plan.to_extract]
    with clock.stage("spaCy model load"):
        load_nlp(settings.spacy_model)
        spacy_label = model_label(settings.spacy_model)
    extractions, failures = [], []
    with clock.stage("extract"):
        for batch in stages.batches(pairs, ARTICLES_PER_TASK):
            got, failed = stages.extract_batch(batch, settings)
            extractions.extend(got)
            failures.extend(failed)
    with clock.stage("GX import"):  # validate_frames' first import; whosaid run does it while Prefect boots
        from whosaid.validate import import_gx

        import_gx()
    with clock.stage("normalize + validate"):
        outcome = stages.shape_and_validate(plan, extractions, run_id, settings, spacy_label, existing)
    with clock.stage("data docs"):
        stages.build_data_docs(outcome, warehouse_path, run_id, run["started_at"])
    uri_of = {a.article_key: a.uri for a in plan.to_extract}
    quarantine_rows = (
        stages.quarantine_rows_from_ingest(ingested.quarantined, run_id)
        + stages.quarantine_rows_from_failures(failures, uri_of, run_id)
        + outcome.quarantine_rows
    )
    with clock.stage("load"):
        stages.load_run(str(work.path), outcome.accepted, quarantine_rows, outcome.dq_rows)
    counts = {"n_articles_read": len(ingested.articles), **stages.counts_of(outcome.accepted)}
    with clock.stage("publish"):
        stages.close_run(work, run_id, "completed", counts, None)
    seconds = dict(clock.seconds)
    seconds["validate"] = seconds.pop("normalize + validate") - seconds.get("normalize", 0.0)
    return {
        "seconds": seconds,
        "rss_after_mb": clock.rss_after_mb,
        "n_articles": len(ingested.articles),
        "n_extracted": len(extractions),
        "n_failed": len(failures),
        "n_tokens": sum(e.n_tokens for e in extractions),
        "n_quarantined": len(quarantine_rows),
        "counts": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--model", default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--processes", type=int, default=None)
    args = parser.parse_args()

    from whosaid.settings import Settings, quiet_third_party_defaults

    quiet_third_party_defaults()
    settings = Settings().with_(spacy_model=args.model, batch_size=args.batch_size, n_process=args.processes)
    result = run_stages([str(args.folder)], args.warehouse, settings)
    result["peak_rss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
