"""Cost of quote attribution next to spaCy's own parsing, measured in one run.

    .venv/bin/python bench/bench_extract.py                     # PolNeAR dev + 116 train articles
    .venv/bin/python bench/bench_extract.py --corpus DIR --train 300 --repeat 3

Parses the articles with ``nlp.pipe`` (timed), then runs ``mentions_of`` + ``extract_quotes`` on
the parsed Docs (timed), and prints both times and the ratio. The budget (issue 3) is an extractor
adding at most 15% to the ``nlp.pipe`` time. With ``--repeat N`` each phase runs N times and the
fastest run counts (the machine is shared; the minimum is the least disturbed measurement).

Without the corpus (it lives in ``../shared/corpora/polnear`` beside the repo) the script prints
why it skipped and exits 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "polnear"
BUDGET = 0.15


def corpus_texts(corpus: Path, n_train: int) -> list[str]:
    """Texts of every dev article and the first ``n_train`` train articles (sorted by name)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "dev" / "text").glob("*.txt"))]
    train = sorted((corpus / "train" / "text").glob("*.txt"))[:n_train]
    return texts + [p.read_text(encoding="utf-8") for p in train]


def time_spacy(nlp, texts: list[str], batch_size: int) -> tuple[float, list]:
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=batch_size))
    return time.perf_counter() - t0, docs


def time_quotes(docs: list) -> tuple[float, int]:
    from whosaid.nlp.pipeline import mentions_of
    from whosaid.nlp.quotes import extract_quotes

    n = 0
    t0 = time.perf_counter()
    for doc in docs:
        n += len(extract_quotes(doc, mentions_of(doc)))
    return time.perf_counter() - t0, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="PolNeAR folder (with dev/ and train/)")
    ap.add_argument("--train", type=int, default=116, help="train articles added to dev (default: 116 → 200 in all)")
    ap.add_argument("--model", default=None, help="spaCy model (default: the configured one)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()

    if not (args.corpus / "dev" / "text").is_dir():
        print(f"skipped: PolNeAR corpus not found at {args.corpus} (expected dev/text/ and train/text/)")
        return 0
    from whosaid.nlp.pipeline import load_nlp
    from whosaid.settings import Settings

    nlp = load_nlp(args.model or Settings().spacy_model)
    texts = corpus_texts(args.corpus, args.train)
    nlp("Warm-up sentence, said the benchmark.")
    spacy_s, docs = min((time_spacy(nlp, texts, args.batch_size) for _ in range(args.repeat)), key=lambda r: r[0])
    quotes_s, n_quotes = min((time_quotes(docs) for _ in range(args.repeat)), key=lambda r: r[0])
    ratio = quotes_s / spacy_s if spacy_s else 0.0
    n_chars = sum(len(t) for t in texts)
    print(f"articles           {len(texts)} ({n_chars / 1e6:.2f} M characters, {sum(len(d) for d in docs)} tokens)")
    print(f"spaCy nlp.pipe     {spacy_s:8.2f} s")
    print(f"quote extraction   {quotes_s:8.2f} s  ({n_quotes} attributions)")
    print(f"ratio              {100 * ratio:8.1f} %  (budget {100 * BUDGET:.0f} %: {'OK' if ratio <= BUDGET else 'OVER'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
