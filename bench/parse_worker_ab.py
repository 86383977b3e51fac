"""Extraction with spaCy's parse in a worker process against parsing in this process, interleaved.

Figures, not a timed test. The machine's speed drifts by 10-20% within minutes, so two separate
runs cannot tell a 7% difference apart; this script alternates the two ways chunk by chunk, on the
same texts, in one process with one warm worker, and prints the running totals:

    PYTHONPATH=. .venv/bin/python bench/parse_worker_ab.py --n 640 --chunk 100

Each chunk is one ``extract_texts`` call, as one Prefect extract task is (200 articles in a run).
It also checks that both ways extracted the same records.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent))

from corpus import DEFAULT_POLNEAR, load_articles  # noqa: E402

from whosaid.nlp.pipeline import extract_texts, load_nlp  # noqa: E402
from whosaid.settings import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    parser.add_argument("--n", type=int, default=640, help="PolNeAR articles (the first 40 warm both ways up)")
    parser.add_argument("--chunk", type=int, default=100, help="articles per extract_texts call")
    args = parser.parse_args()

    settings = Settings()
    pairs = [(a.name, a.body) for a in load_articles(args.polnear, limit=args.n)]
    load_nlp(settings.spacy_model)

    def extract(chunk, worker: bool):
        return list(extract_texts(chunk, settings.spacy_model, settings.batch_size, 1, settings.batch_chars, worker))

    extract(pairs[:40], True)  # starts the worker and warms it up
    extract(pairs[:40], False)
    totals = {True: 0.0, False: 0.0}
    for i, start in enumerate(range(40, len(pairs), args.chunk)):
        chunk = pairs[start : start + args.chunk]
        results = {}
        for worker in (True, False) if i % 2 == 0 else (False, True):
            began = time.perf_counter()
            results[worker] = extract(chunk, worker)
            totals[worker] += time.perf_counter() - began
        same = "same records" if results[True] == results[False] else "RECORDS DIFFER"
        print(
            f"chunk {i}: {len(chunk)} articles; so far worker {totals[True]:.1f} s, here {totals[False]:.1f} s, "
            f"worker/here {totals[True] / totals[False]:.3f} ({same})",
            flush=True,
        )


if __name__ == "__main__":
    main()
