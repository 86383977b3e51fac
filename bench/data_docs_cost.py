"""What building the GX Data Docs adds to a run (README: "Data quality you can look at").

Extracts a folder of articles once, then three times validates them (as a run does) and adds the
results to a Data Docs site in a scratch folder, printing both times.

    .venv/bin/python bench/data_docs_cost.py ../shared/corpora/polnear/dev/text [--site /tmp/whosaid-docs]
"""

from __future__ import annotations

import argparse
import shutil
import time
from datetime import datetime
from pathlib import Path

from whosaid import stages, validate
from whosaid.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs")
    parser.add_argument("--site", type=Path, default=Path("/tmp/whosaid-docs"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    shutil.rmtree(args.site, ignore_errors=True)
    settings = Settings()
    ingested = stages.ingest_inputs([args.inputs], settings)
    plan = stages.plan_extraction(ingested.articles, {}, settings.extractor_version)
    extractions, _ = stages.extract_batch([(a.article_key, a.body) for a in plan.to_extract], settings)
    for i in range(args.runs):
        run_id = f"bench-{i}"
        started = time.perf_counter()
        outcome = stages.shape_and_validate(plan, extractions, run_id, settings, "bench", {("etl_run", "run_id"): []})
        validated = time.perf_counter()
        index = validate.build_data_docs(outcome.gx_results, args.site, run_id, datetime.now())
        print(f"{len(plan.to_extract)} articles: validate {validated - started:.2f} s, "
              f"data docs {time.perf_counter() - validated:.2f} s → {index}", flush=True)


if __name__ == "__main__":
    main()
