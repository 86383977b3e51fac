"""Near-miss analysis of quote attribution spans against PolNeAR (error analysis, not a metric).

    PYTHONPATH=. .venv/bin/python bench/span_errors.py ../shared/corpora/polnear/train \
        --doc-cache /tmp/train.spacy [--role content|source|cue] [--examples 5] [--grep TEXT]

Predictions are paired with gold attributions by content (half overlap, greedy – the
``content`` metric of ``whosaid.eval.polnear``). For each pair and role (source, cue, content) the
trimmed spans are compared: ``exact``, ``near`` (overlapping but different: the words the
prediction has too many or too few at the left and right edge are tallied as boundary categories),
``disjoint`` or ``missing``. Unpaired predictions and golds are counted too. The categories with
most pairs are the cheapest span-convention fixes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from whosaid.eval.polnear import greedy_match, load_corpus, overlap, parse_corpus, quotes_to_attributions, trim_span  # noqa: E402

ROLES = ("source", "cue", "content")


def _edge(text: str, a: int, b: int, side: str, max_words: int = 3) -> str:
    """A short label for the text between two boundaries (a < b)."""
    words = re.findall(r"[\w’'\-]+|[^\w\s]", text[a:b])
    if not words:
        return "∅"
    if len(words) > max_words:
        return (f"{' '.join(words[:2])} …+{len(words) - 2}" if side == "L" else f"…+{len(words) - 2} {' '.join(words[-2:])}").lower()
    return " ".join(words).lower()


def boundary(text: str, p: tuple[int, int], g: tuple[int, int]) -> tuple[str, str]:
    """(left, right) labels: '+w' the prediction has w too many, '-w' too few, '' equal."""
    left = right = ""
    if p[0] < g[0]:
        left = "+" + _edge(text, p[0], g[0], "L")
    elif p[0] > g[0]:
        left = "-" + _edge(text, g[0], p[0], "L")
    if p[1] > g[1]:
        right = "+" + _edge(text, g[1], p[1], "R")
    elif p[1] < g[1]:
        right = "-" + _edge(text, p[1], g[1], "R")
    return left, right


def _coarse(label: str, side: str) -> str:
    """'+that he …+9' → '+that…(long)': the edge word and whether more than three words differ."""
    if not label:
        return ""
    sign, body = label[0], label[1:]
    long = "…+" in body
    words = body.replace("…", " ").split()
    words = [w for w in words if not w.startswith("+")]
    edge = (words[0] if side == "L" else words[-1]) if words else "∅"
    return f"{sign}{edge}{'…' if long else ''}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--doc-cache", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--role", choices=ROLES)
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--grep", help="show only examples whose category contains this")
    ap.add_argument("--direct", action="store_true", help="only gold direct quotes")
    ap.add_argument("--dump", type=Path, help="write every near/disjoint pair as JSON lines here")
    ap.add_argument("--coarse", action="store_true", help="boundary categories by side: first word and size only")
    args = ap.parse_args()

    from whosaid.nlp.pipeline import load_nlp, mentions_of
    from whosaid.nlp.quotes import extract_quotes
    from whosaid.settings import Settings

    corpus = load_corpus(args.folder, args.limit)
    nlp = load_nlp(Settings().spacy_model)
    docs, _ = parse_corpus(corpus, nlp, cache=args.doc_cache)
    status: dict[str, Counter] = {r: Counter() for r in ROLES}
    cats: dict[str, Counter] = {r: Counter() for r in ROLES}
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    unpaired = Counter()
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    for (name, text, golds), doc in zip(corpus, docs):
        if args.direct:
            golds = [g for g in golds if g.direct]
        preds = quotes_to_attributions(extract_quotes(doc, mentions_of(doc)))
        if args.direct:
            preds = [p for p in preds if p.direct]
        pairs = greedy_match(preds, golds, lambda p, g: True)
        unpaired["pred"] += len(preds) - len(pairs)
        unpaired["gold"] += len(golds) - len(pairs)
        unpaired["pairs"] += len(pairs)
        for i, j in pairs:
            p, g = preds[i], golds[j]
            for role in ROLES:
                ps, gs = getattr(p, role), getattr(g, role)
                if gs is None:
                    status[role]["gold_none"] += 1
                    continue
                if ps is None:
                    status[role]["pred_none"] += 1
                    continue
                ps, gs = trim_span(text, ps), trim_span(text, gs)
                if ps == gs:
                    status[role]["exact"] += 1
                    continue
                if overlap(ps, gs) == 0:
                    status[role]["disjoint"] += 1
                    cat = "disjoint"
                else:
                    status[role]["near"] += 1
                    left, right = boundary(text, ps, gs)
                    if args.coarse:
                        left, right = _coarse(left, "L"), _coarse(right, "R")
                    cat = f"L[{left}] R[{right}]"
                cats[role][cat] += 1
                if dump is not None:
                    sent_s = text.rfind("\n", 0, min(ps[0], gs[0])) + 1
                    sent_e = text.find("\n", max(ps[1], gs[1]))
                    dump.write(json.dumps({
                        "doc": name, "role": role, "cat": cat, "pred": text[ps[0]:ps[1]], "gold": text[gs[0]:gs[1]],
                        "ps": ps, "gs": gs, "para": text[sent_s: sent_e if sent_e >= 0 else len(text)],
                        "p_src": text[slice(*p.source)] if p.source else None, "g_src": text[slice(*g.source)] if g.source else None,
                        "p_cue": text[slice(*p.cue)] if p.cue else None, "g_cue": text[slice(*g.cue)] if g.cue else None,
                        "p_content": text[slice(*p.content)], "g_content": text[slice(*g.content)],
                    }) + "\n")
                ex = examples[(role, cat)]
                if len(ex) < 50:
                    ctx = f"  {name}\n    pred: {text[ps[0]:ps[1]]!r}\n    gold: {text[gs[0]:gs[1]]!r}"
                    if role != "content":
                        cs, ce = trim_span(text, g.content)
                        ctx += f"\n    content: {text[cs:min(ce, cs + 120)]!r}"
                    ex.append(ctx)
    print("pairs", dict(unpaired))
    for role in ROLES:
        if args.role and role != args.role:
            continue
        print(f"\n=== {role}: {dict(status[role])}")
        for cat, n in cats[role].most_common(args.top):
            print(f"{n:5d}  {cat}")
            if args.grep is None or args.grep in cat:
                for ex in examples[(role, cat)][: args.examples]:
                    print(ex)


if __name__ == "__main__":
    main()
