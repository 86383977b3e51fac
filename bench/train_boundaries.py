"""Train the content- or source-boundary chooser on PolNeAR *train* (one command each).

    PYTHONPATH=. .venv/bin/python bench/train_boundaries.py ../shared/corpora/polnear/train \
        --doc-cache /tmp/spans_train.spacy --write [--target source]

For every attribution the extractor emits (without the chooser) whose content pairs with a gold
attribution the way the ``content`` metric pairs them (half overlap, greedy), each side of the
content gets its options (``whosaid.nlp.quotes.boundary_options``: the current edge and nearby
syntactic cut points). An option is right when the content it gives (built as the extractor
builds it) has the gold content's start (left side) or end (right side) after the eval's
``trim_span``. A conditional logistic model per side (a softmax over the options of one edge, L2
penalty, Newton steps) is fitted on the edges that have a right option.

The margin – how much an option must beat the current edge by, in log-odds – is tuned by 5-fold
cross-fitting over articles: fit on four folds, choose on the fifth, count contents that become
exact minus those that stop being exact. The final model (all of train) and the margins are
written to ``seeds/lexicons/boundary_model.csv`` (``side,feature,weight``; side ``*`` = margins).
Train only – dev is for reporting. Takes ~1 minute with a parsed-doc cache.

``--target source`` does the same for the speaker phrase (``whosaid.nlp.quotes.
source_boundary_options``) of the attributions the extractor emits with its content chooser on:
for every predicted attribution paired with a gold one (same pairing), an option of the source's
start (end) is right when the phrase it gives has the gold Source's trimmed start (end); the
margins count sources that become exact minus those that stop being exact. It writes
``seeds/lexicons/source_boundary_model.csv``.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whosaid.eval.polnear import Attribution, greedy_match, load_corpus, parse_corpus, trim_span  # noqa: E402

OUT = {
    "content": ROOT / "seeds" / "lexicons" / "boundary_model.csv",
    "source": ROOT / "seeds" / "lexicons" / "source_boundary_model.csv",
}
FOLDS = 5
SIDES = ("L", "R")
MARGINS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, math.inf)


@dataclass(slots=True)
class Edge:
    """One side of one paired content: its options' features and which options are right."""

    side: str
    fold: int
    features: list[list[str]]  # option 0 = the current edge
    right: list[bool]
    frame: str = ""


def attributions_of(chosen) -> tuple[list[Attribution], list[list]]:
    """The eval's predicted attributions (``quotes_to_attributions``: same cue and speaker merged)
    built from candidates, with the candidates behind each."""
    groups: dict[tuple, int] = {}
    preds: list[Attribution] = []
    members: list[list] = []
    for c in chosen:
        sp = c.speaker
        src = (sp.start, sp.end)
        cue = (c.cue_start, c.cue_end) if c.cue_start is not None else None
        key = (cue, src) if cue is not None else None
        if key is not None and key in groups:
            i = groups[key]
            a = preds[i]
            a.content = (min(a.content[0], c.content_start), max(a.content[1], c.content_end))
            members[i].append(c)
            continue
        ref = (sp.ref_start, sp.ref_end) if sp.ref_start is not None else None
        if key is not None:
            groups[key] = len(preds)
        preds.append(Attribution((c.content_start, c.content_end), src, cue, c.kind == "direct", ref))
        members.append([c])
    return preds, members


def cue_paired(text: str, preds: list[Attribution], golds: list[Attribution], pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs of a prediction and a gold attribution left unpaired by the content match that have
    the same cue span (trimmed): the extractor found the attribution but put its content edges
    far enough off that the contents do not half-overlap. Without them the chooser would learn
    only from contents the rules already got roughly right."""
    used_p = {i for i, _ in pairs}
    used_g = {j for _, j in pairs}
    by_cue: dict[tuple[int, int], list[int]] = {}
    for j, g in enumerate(golds):
        if j not in used_g and g.cue is not None:
            by_cue.setdefault(trim_span(text, g.cue), []).append(j)
    out = []
    for i, p in enumerate(preds):
        if i in used_p or p.cue is None:
            continue
        js = by_cue.get(trim_span(text, p.cue))
        if js:
            out.append((i, js.pop(0)))
    return out


def mine(corpus, docs, cue_pairs: bool = True) -> list[tuple[Edge, Edge]]:
    """(left edge, right edge) of every content that pairs with a gold one (by content, and with
    ``cue_pairs`` also by cue: :func:`cue_paired`)."""
    from whosaid.nlp.pipeline import mentions_of
    from whosaid.nlp.quotes import _finish, boundary_options, chosen_candidates

    out: list[tuple[Edge, Edge]] = []
    for k, ((_name, text, golds), doc) in enumerate(zip(corpus, docs)):
        ctx, chosen = chosen_candidates(doc, mentions_of(doc), boundaries=False)
        preds, members = attributions_of(chosen)
        pairs = greedy_match(preds, golds, lambda p, g: True)
        if cue_pairs:
            pairs += cue_paired(text, preds, golds, pairs)
        for i, j in pairs:
            if len(members[i]) != 1:
                continue  # merged halves of one quote: the chooser does not touch direct quotes
            c = members[i][0]
            opts = boundary_options(ctx, c)
            if opts is None:
                continue
            gs, ge = trim_span(text, golds[j].content)
            pair = []
            for side, options in zip(SIDES, opts):
                right = []
                for o in options:
                    s, e = (o.pos, c.tok_end) if side == "L" else (c.tok_start, o.pos)
                    got = _finish(ctx, s, e, min_words=1) if e > s else None
                    if got is None:
                        right.append(False)
                        continue
                    ts, te = trim_span(text, (got.start, got.end))
                    right.append(ts == gs if side == "L" else te == ge)
                pair.append(Edge(side, k % FOLDS, [o.features for o in options], right, c.frame))
            out.append((pair[0], pair[1]))
    return out


def mine_sources(corpus, docs) -> list[tuple[Edge, Edge]]:
    """(left edge, right edge) of the speaker phrase of every predicted attribution that pairs
    with a gold one that has a Source."""
    from whosaid.nlp.pipeline import mentions_of
    from whosaid.nlp.quotes import _trim, chosen_candidates, source_boundary_options

    out: list[tuple[Edge, Edge]] = []
    for k, ((_name, text, golds), doc) in enumerate(zip(corpus, docs)):
        ctx, chosen = chosen_candidates(doc, mentions_of(doc), sources=False)
        preds, members = attributions_of(chosen)
        for i, j in greedy_match(preds, golds, lambda p, g: True):
            if golds[j].source is None:
                continue
            c = members[i][0]
            opts = source_boundary_options(ctx, c)
            if opts is None:
                continue
            gs, ge = trim_span(text, golds[j].source)
            s0, e0 = opts[0][0].pos, opts[1][0].pos
            pair = []
            for side, options in zip(SIDES, opts):
                right = []
                for o in options:
                    s, e = _trim(ctx, *((o.pos, e0) if side == "L" else (s0, o.pos)))
                    if e <= s:
                        right.append(False)
                        continue
                    ts, te = trim_span(text, (ctx.idx[s], ctx.char_end(e - 1)))
                    right.append(ts == gs if side == "L" else te == ge)
                pair.append(Edge(side, k % FOLDS, [o.features for o in options], right, c.frame))
            out.append((pair[0], pair[1]))
    return out


def fit(edges: list[Edge], l2: float = 1.0, min_count: int = 3) -> dict[str, float]:
    """Conditional logit over the options of each edge (edges without a right option carry no
    information and are left out). Returns feature → weight."""
    import numpy as np
    from scipy import sparse

    edges = [e for e in edges if any(e.right)]
    counts = Counter(f for e in edges for fs in e.features for f in set(fs))
    names = sorted(f for f, n in counts.items() if n >= min_count)
    col = {f: i for i, f in enumerate(names)}
    rows, cols, group, y = [], [], [], []
    r = 0
    for g, e in enumerate(edges):
        n_right = sum(e.right)
        for fs, ok in zip(e.features, e.right):
            for f in set(fs):
                if f in col:
                    rows.append(r)
                    cols.append(col[f])
            group.append(g)
            y.append(ok / n_right)
            r += 1
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(r, len(names)))
    group = np.asarray(group)
    y = np.asarray(y)
    n_groups = len(edges)
    a_rows = np.arange(r)

    def probs(beta):
        z = x @ beta
        zmax = np.full(n_groups, -np.inf)
        np.maximum.at(zmax, group, z)
        ez = np.exp(z - zmax[group])
        denom = np.zeros(n_groups)
        np.add.at(denom, group, ez)
        loss = -(y * (z - zmax[group] - np.log(denom[group]))).sum() + 0.5 * l2 * beta @ beta
        return ez / denom[group], loss

    beta = np.zeros(len(names))
    p, loss = probs(beta)
    for _ in range(30):
        grad = x.T @ (p - y) + l2 * beta
        m = sparse.csr_matrix((p, (group, a_rows)), shape=(n_groups, r)) @ x  # sparse: groups × features
        hess = (x.T @ sparse.diags(p) @ x - m.T @ m).toarray() + l2 * np.eye(len(names))
        step = np.linalg.solve(hess, grad)
        t = 1.0  # damped Newton: halve the step until the penalised loss goes down
        while True:
            p_new, loss_new = probs(beta - t * step)
            if loss_new <= loss + 1e-12 or t < 1e-4:
                break
            t /= 2
        beta, p, loss = beta - t * step, p_new, loss_new
        if np.abs(t * step).max() < 1e-6:
            break
    return {f: float(b) for f, b in zip(names, beta) if abs(b) > 1e-4}


def choose(coef: dict[str, float], edge: Edge, margin: float) -> int:
    scores = [sum(coef.get(f, 0.0) for f in fs) for fs in edge.features]
    best, best_score = 0, scores[0] + margin
    for i, sc in enumerate(scores[1:], 1):
        if sc > best_score:
            best, best_score = i, sc
    return best


def net_gain(pairs, coefs: dict[str, dict[str, float]], margin: dict[str, float]) -> tuple[int, int]:
    """(spans that become exact, spans that stop being exact)."""
    gained = lost = 0
    for le, re_ in pairs:
        before = le.right[0] and re_.right[0]
        after = le.right[choose(coefs["L"], le, margin["L"])] and re_.right[choose(coefs["R"], re_, margin["R"])]
        gained += after and not before
        lost += before and not after
    return gained, lost


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="PolNeAR split folder (train)")
    ap.add_argument("--doc-cache", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--l2", type=float, default=3.0)
    ap.add_argument("--target", choices=sorted(OUT), default="content", help="which spans' edges (default: content)")
    ap.add_argument("--no-cue-pairs", action="store_true", help="content: learn from content-paired attributions only")
    ap.add_argument("--write", action="store_true", help="write the model CSV (seeds/lexicons/)")
    ap.add_argument("--out", type=Path, default=None, help="with --write: write the model CSV here instead")
    args = ap.parse_args()
    if not (args.corpus / "text").is_dir():
        sys.exit(f"no PolNeAR split at {args.corpus} (expected text/ and attributions/)")
    from whosaid.nlp.pipeline import load_nlp
    from whosaid.settings import Settings

    corpus = load_corpus(args.corpus, args.limit)
    docs, _ = parse_corpus(corpus, load_nlp(Settings().spacy_model), cache=args.doc_cache)
    pairs = mine_sources(corpus, docs) if args.target == "source" else mine(corpus, docs, cue_pairs=not args.no_cue_pairs)
    n = len(pairs)
    cur = sum(le.right[0] and re_.right[0] for le, re_ in pairs)
    out_path = (args.out or OUT[args.target]).resolve()
    reach_l = sum(any(le.right) for le, _ in pairs)
    reach_r = sum(any(re_.right) for _, re_ in pairs)
    both = sum(any(le.right) and any(re_.right) for le, re_ in pairs)
    print(f"{n} paired {args.target}s, {cur} exact now; an option is right: left {reach_l}, right {reach_r}, both {both}")
    print(f"options per edge: left {sum(len(le.right) for le, _ in pairs) / n:.1f}, right {sum(len(r.right) for _, r in pairs) / n:.1f}")

    # cross-fitted margins: fit on four folds, choose on the fifth
    table: dict[tuple[float, float], list[int]] = {(ml, mr): [0, 0] for ml in MARGINS for mr in MARGINS}
    for fold in range(FOLDS):
        train = [p for p in pairs if p[0].fold != fold]
        test = [p for p in pairs if p[0].fold == fold]
        coefs = {side: fit([p[i] for p in train], args.l2) for i, side in enumerate(SIDES)}
        for (ml, mr), acc in table.items():
            g, lo = net_gain(test, coefs, {"L": ml, "R": mr})
            acc[0] += g
            acc[1] += lo
    (ml, mr), (g, lo) = max(table.items(), key=lambda kv: (kv[1][0] - kv[1][1], -kv[0][0] - kv[0][1]))
    print("cross-fitted net gain by margin (left × right):")
    for m in MARGINS:
        print(f"  L {m:>4}: " + " ".join(f"{table[(m, mr2)][0] - table[(m, mr2)][1]:+5d}" for mr2 in MARGINS))
    print(f"best margins L {ml} R {mr}: +{g} -{lo} = {g - lo:+d} exact {args.target}s (cross-fitted on train)")
    coefs = {side: fit([p[i] for p in pairs], args.l2) for i, side in enumerate(SIDES)}
    g_in, lo_in = net_gain(pairs, coefs, {"L": ml, "R": mr})
    print(f"in-sample with the final model: +{g_in} -{lo_in} = {g_in - lo_in:+d}")
    for side in SIDES:
        top = sorted(coefs[side].items(), key=lambda kv: -abs(kv[1]))[:15]
        print(side, ", ".join(f"{f} {w:+.2f}" for f, w in top))
    if args.write:
        with out_path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["side", "feature", "weight"])
            w.writerow(["*", "margin_L", f"{ml:.3f}" if math.isfinite(ml) else "inf"])
            w.writerow(["*", "margin_R", f"{mr:.3f}" if math.isfinite(mr) else "inf"])
            for side in SIDES:
                w.writerows((side, f, f"{c:.4f}") for f, c in sorted(coefs[side].items()))
        print(f"wrote {out_path}")


if __name__ == "__main__":
    main()
