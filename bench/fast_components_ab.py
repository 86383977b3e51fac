"""whosaid's spaCy pipeline against the stock one on the same articles, interleaved in one process.

    .venv/bin/python bench/fast_components_ab.py                 # 100 PolNeAR dev articles, 3 rounds
    .venv/bin/python bench/fast_components_ab.py --n 200 --rounds 5

Both pipelines are the configured model with whosaid's news-sentence component; one keeps spaCy's
own attribute ruler and lemmatizer code, the other has whosaid.nlp.fast_components. Rounds alternate
(stock, fast, stock, fast, ...) so a machine whose speed drifts during the run affects both alike,
and CPU seconds of this process are summed per pipeline. Every round also checks that the two
give every token the same annotations (POS, TAG, MORPH, LEMMA, DEP, HEAD, entities, sentence
starts). Prints the two totals and their ratio, and each component's own share in the stock pipeline.

Without the corpus (``../shared/corpora/polnear``) it prints why and exits 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "polnear"
ANNOTATIONS = ["TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--n", type=int, default=100, help="dev articles (then train) to parse")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    files = sorted((args.corpus / "dev" / "text").glob("*.txt")) + sorted((args.corpus / "train" / "text").glob("*.txt"))
    if not files:
        print(f"skipped: no PolNeAR texts under {args.corpus}")
        return 0
    texts = [f.read_text(encoding="utf-8") for f in files[: args.n]]

    import spacy

    from whosaid.nlp import fast_components, sentences
    from whosaid.settings import Settings

    model = Settings().spacy_model
    stock = sentences.add_to(spacy.load(model))
    fast = sentences.add_to(spacy.load(model))
    print(f"{model}: {fast_components.speed_up(fast)} replaced; {len(texts)} articles, {args.rounds} rounds")
    for nlp in (stock, fast):  # warm both up
        list(nlp.pipe(texts[:4]))

    seconds = {"stock": 0.0, "fast": 0.0}
    for _ in range(args.rounds):
        annotations = {}
        for name, nlp in (("stock", stock), ("fast", fast)):
            started = time.process_time()
            docs = list(nlp.pipe(texts, batch_size=args.batch_size))
            seconds[name] += time.process_time() - started
            annotations[name] = [d.to_array(ANNOTATIONS).tolist() for d in docs]
            del docs
        if annotations["stock"] != annotations["fast"]:
            print("DIFFERENT annotations: fast_components must not change what spaCy produces")
            return 1
    print(f"stock pipeline {seconds['stock']:.1f} s CPU, whosaid's {seconds['fast']:.1f} s: "
          f"{seconds['fast'] / seconds['stock']:.3f} of stock; annotations identical in every round")

    docs = [stock.make_doc(t) for t in texts]
    shares = {}
    for name, proc in stock.pipeline:
        started = time.process_time()
        docs = list(proc.pipe(docs, batch_size=args.batch_size)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        shares[name] = time.process_time() - started
    total = sum(shares.values())
    print("stock components, share of the pipeline (one pass): "
          + ", ".join(f"{name} {s / total:.1%}" for name, s in shares.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
