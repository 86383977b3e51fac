"""What the publish pattern costs per run, by warehouse size (README: "Concurrency and publishing").

For each size, builds a warehouse of about that many MB (dim_article rows with incompressible
bodies), then times a run that loads nothing: open_run (writer lock, snapshot copy of the file,
migrations check, etl_run row) and close_run (finish row, CHECKPOINT, fsync, rename, fsync dir).
That is the fixed price of never writing the published file in place; extraction and loading come
on top. With --cold the page cache is dropped before each run (root only), so the copy reads from disk.

    .venv/bin/python bench/publish_cost.py 100 1000 4000 [--cold] [--dir /tmp/whosaid-bench]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from datetime import datetime
from pathlib import Path

from whosaid import stages, warehouse

ROWS_PER_BATCH = 20_000


def _run(run_id: str) -> dict:
    return {"run_id": run_id, "started_at": datetime.now(), "inputs": "bench", "extractor_version": "bench", "spacy_model": "none"}


def build(path: Path, megabytes: int) -> None:
    """A published warehouse of about `megabytes` MB: ~2 KB random bodies, which compress poorly."""
    work = stages.open_run(path, _run("build"))
    stages.close_run(work, "build", "completed", {}, None)
    with warehouse.connect(path) as con:
        batch = 0
        while path.stat().st_size < megabytes * 1_000_000:
            con.execute(
                "INSERT INTO dim_article (article_id, article_key, uri, source_format, body, body_chars, n_tokens, "
                "n_sentences, extractor_version, spacy_model, run_id) "
                "SELECT ? + range, md5(? || '-' || range::VARCHAR), 'bench://' || range, 'txt', "
                "string_agg(md5(random()::VARCHAR), ' ') OVER (ORDER BY range ROWS 60 PRECEDING), 2000, 400, 20, "
                "'bench', 'none', 'build' FROM range(?)",
                [batch * ROWS_PER_BATCH, str(batch), ROWS_PER_BATCH],
            )
            con.execute("CHECKPOINT")
            batch += 1


def drop_page_cache() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def time_noop_run(path: Path, run_id: str, cold: bool) -> tuple[float, float, float, str]:
    if cold and not drop_page_cache():
        raise SystemExit("--cold needs root (writes /proc/sys/vm/drop_caches)")
    started = time.perf_counter()
    work = stages.open_run(path, _run(run_id))
    opened = time.perf_counter()
    stages.close_run(work, run_id, "completed", {}, None)
    done = time.perf_counter()
    return work.snapshot_seconds, opened - started, done - opened, work.snapshot_method


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes_mb", nargs="+", type=int)
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each run (root)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/whosaid-bench"))
    args = parser.parse_args()
    print("size_MB  method  copy_s  open_run_s  close_run_s  total_s  copy_MB/s   (median of", args.repeat, "runs,",
          "cold" if args.cold else "warm", "cache)")
    for mb in args.sizes_mb:
        folder = args.dir / f"{mb}mb"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        path = folder / "whosaid.duckdb"
        build(path, mb)
        size = path.stat().st_size / 1e6
        samples = [time_noop_run(path, f"run-{i}", args.cold) for i in range(args.repeat)]
        copy, open_s, close_s = (statistics.median(s[i] for s in samples) for i in range(3))
        print(f"{size:7.0f}  {samples[0][3]:6}  {copy:6.2f}  {open_s:10.2f}  {close_s:11.2f}  {open_s + close_s:7.2f}  "
              f"{size / copy if copy else float('inf'):9.0f}")
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
