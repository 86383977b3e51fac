"""The floor a whosaid run is compared with: raw spaCy ``nlp.pipe`` over the same texts.

Run as its own process (by run_bench.py) so it pays what a minimal spaCy program pays — interpreter
start, ``import spacy``, model load — and nothing of whosaid's. Same model, ``batch_size`` and
``n_process`` as the whosaid run it is compared with. Prints one JSON line.

    .venv/bin/python bench/spacy_baseline.py DIR [--model M] [--batch-size 64] [--processes 1]
"""

from __future__ import annotations

import argparse
import json
import time

STARTED = time.perf_counter()

from pathlib import Path  # noqa: E402


def read_bodies(folder: Path) -> list[str]:
    """Every .txt below ``folder``, decoded as whosaid decodes a UTF-8 .txt (BOM dropped, text
    otherwise unchanged), in sorted order."""
    return [p.read_bytes().decode("utf-8-sig") for p in sorted(folder.rglob("*.txt"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--model", default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--processes", type=int, default=None)
    args = parser.parse_args()

    from whosaid.settings import Settings  # a dataclass with no heavy imports: the same defaults

    settings = Settings().with_(spacy_model=args.model, batch_size=args.batch_size, n_process=args.processes)
    texts = read_bodies(args.folder)
    t0 = time.perf_counter()
    import spacy

    t1 = time.perf_counter()
    nlp = spacy.load(settings.spacy_model)
    t2 = time.perf_counter()
    n_docs = n_tokens = 0
    for doc in nlp.pipe(texts, batch_size=settings.batch_size, n_process=settings.n_process):
        n_docs += 1
        n_tokens += len(doc)
    t3 = time.perf_counter()
    print(
        json.dumps(
            {
                "n_docs": n_docs,
                "n_tokens": n_tokens,
                "model": settings.spacy_model,
                "batch_size": settings.batch_size,
                "n_process": settings.n_process,
                "import_s": t1 - t0,
                "model_load_s": t2 - t1,
                "pipe_s": t3 - t2,
                "in_process_s": t3 - STARTED,
            }
        )
    )


if __name__ == "__main__":
    main()
