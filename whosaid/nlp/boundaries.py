"""Learned boundary chooser for attribution content spans.

The rules of :mod:`whosaid.nlp.quotes` place a content span; near its start and its end there are
a few other syntactic cut points where PolNeAR's annotators often put the edge instead (a leading
"that"/"to" in or out, a leading adverbial or connective, a trailing ", according to ...", a
trailing subordinate or participial clause, the sentence end, ...). For each side, this module
lists those **options** with the rules that proposed them and a few features of the boundary
tokens, and a small conditional logistic model (softmax over the options of one side) scores
them. The current edge is kept unless another option beats it by ``margin`` in the model's
log-odds, so without a model – or when in doubt – the rules decide as before.

The model is fitted on PolNeAR *train* by ``bench/train_boundaries.py`` and stored as rows of
``seeds/lexicons/boundary_model.csv`` (``side,feature,weight``; side ``*`` holds the margins).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

from whosaid.nlp.lexicons import WIRE_AGENCIES

#: words that are their own class in the features (function words at a content edge)
_WORDS = frozenset(
    """that whether if to for of on about in at by with from as than which who what when where how why
    the a an this these those his her its their our my your some any no all much many both each
    and but or nor so yet because while although though since unless after before until despite
    including according not also even still just only now then however instead rather
    he she it they we i you there said says""".split()
)
_PUNCT_CUT = frozenset({",", ";", ":", "—", "–", "-", "(", ")"})
_CC = frozenset({"and", "but", "or", "nor", "yet"})
#: dependencies of a clause that can open or close a content
_CLAUSE_DEPS = frozenset({"ccomp", "conj", "advcl", "xcomp", "relcl", "acl", "pcomp", "parataxis", "ROOT"})
_OPEN_MARKS = frozenset("“„«‘\"'")
_CLOSE_MARKS = frozenset("”»’\"'")
WINDOW = 40  # tokens: options are looked for this far from the current edge
PREP_WINDOW = 6  # tokens: a content's first prepositions (its object may open the content instead)


def _cls(t: Token) -> str:
    low = t.lower_
    if low in _WORDS:
        return low
    if t.is_punct:
        return t.text if t.text in _PUNCT_CUT else ("Q" if t.text in "“”\"'‘’`" else "P")
    return t.pos_


def _hyphen_in_word(doc: Sequence[Token], i: int) -> bool:
    """Token i is a hyphen joining the words on both sides of it ("re-election")."""
    t = doc[i]
    return t.text == "-" and not t.whitespace_ and i > 0 and not doc[i - 1].whitespace_


def _punct_cut(doc: Sequence[Token], i: int) -> bool:
    """Token i is punctuation a content can be cut at – not a hyphen inside a word."""
    return doc[i].text in _PUNCT_CUT and not _hyphen_in_word(doc, i)


def _in_word(doc: Sequence[Token], k: int) -> bool:
    """An edge between tokens k-1 and k splits a hyphenated word ("the re|-election", "re-|election")."""
    if k <= 0 or k >= len(doc):
        return False
    return _hyphen_in_word(doc, k) or _hyphen_in_word(doc, k - 1)


def _dist(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2" if n == 2 else "3-5" if n <= 5 else "6-12" if n <= 12 else "13+"


@dataclass(slots=True)
class Option:
    side: str  # "L" | "R"
    pos: int  # token index: the first token (L) or one past the last token (R) of the content
    tags: set[str]
    features: list[str]


def _words_between(doc: Sequence[Token], is_punct: list[bool], a: int, b: int) -> int:
    if a > b:
        a, b = b, a
    return sum(1 for i in range(a, b) if not is_punct[i])


def _root_of(doc: Sequence[Token], s: int, e: int) -> Token:
    """The token of [s, e) whose head lies outside it (the first such, else the first token)."""
    for i in range(s, e):
        h = doc[i].head
        if h.i == i or not s <= h.i < e:
            return doc[i]
    return doc[s]


def left_options(doc: Sequence[Token], is_punct: list[bool], s: int, e: int, lo: int, hi: int) -> dict[int, set[str]]:
    """Candidate first tokens (index → rule tags) for a content [s, e) inside the bounds [lo, hi)
    (the sentence and paragraph of the edge)."""
    out: dict[int, set[str]] = {s: {"cur"}}

    def add(k: int, tag: str) -> None:
        if lo <= k < e and abs(k - s) <= WINDOW:
            out.setdefault(k, set()).add(tag)

    t = doc[s]
    if t.lower_ in _WORDS or t.pos_ in ("DET", "CCONJ", "SCONJ", "ADP", "PART", "ADV", "PRON"):
        add(s + 1, "drop1")
    if s - 1 >= lo and not is_punct[s - 1]:
        add(s - 1, "add1")
    k = lo
    while k < hi and is_punct[k]:
        k += 1
    add(k, "sent")
    for i in range(max(lo, s - WINDOW), min(e - 1, s + WINDOW)):
        if _punct_cut(doc, i):
            add(i + 1, "after_punct")
        elif doc[i].lower_ in _CC and doc[i].dep_ == "cc":
            add(i + 1, "after_cc")
    for i in range(s, min(e - 1, s + PREP_WINDOW)):  # a preposition near the start: from it, or its object alone
        p = doc[i]  # ("shots [at X]", "accused Obama of [X]", "described it as [X]", "comments [about X]")
        if p.dep_ == "prep":
            add(i, "prep")
            o = next((c for c in p.children if c.dep_ in ("pobj", "pcomp")), None)
            if o is not None and o.left_edge.i > i:
                add(o.left_edge.i, "pobj")
    root = _root_of(doc, s, e)
    for c in root.lefts:  # a leading subtree of the content's root: cut it off
        if c.left_edge.i <= s + 1 and c.right_edge.i + 1 < e and c.dep_ not in ("nsubj", "nsubjpass", "expl"):
            add(c.right_edge.i + 1, f"skip:{c.dep_}")
    a = root
    for _ in range(4):  # the subtrees holding the content: extend to their start
        if a.head.i == a.i:
            break
        a = a.head
        if a.left_edge.i < s:
            add(a.left_edge.i, f"anc:{a.dep_}")
    if root.left_edge.i < s:
        add(root.left_edge.i, "root_edge")
    for i in range(max(lo, s - 10), min(e, s + 15)):  # clause and complementizer starts
        d = doc[i]
        if d.dep_ in _CLAUSE_DEPS and d.pos_ in ("VERB", "AUX"):
            add(d.left_edge.i, f"clause:{d.dep_}")
            m = d.left_edge
            if m.dep_ in ("mark", "aux") and m.head.i == d.i:
                add(m.i + 1, f"after_mark:{m.lower_ if m.lower_ in _WORDS else m.dep_}")
    return out


def right_options(doc: Sequence[Token], is_punct: list[bool], s: int, e: int, lo: int, hi: int) -> dict[int, set[str]]:
    """Candidate ends (one past the last token → rule tags) for a content [s, e) in bounds [lo, hi)."""
    out: dict[int, set[str]] = {e: {"cur"}}

    def add(k: int, tag: str) -> None:
        if s < k <= hi and abs(k - e) <= WINDOW:
            out.setdefault(k, set()).add(tag)

    if e < hi and not is_punct[e]:
        add(e + 1, "add1")
    if e - 1 > s:
        add(e - 1, "drop1")
    k = hi
    while k > lo and is_punct[k - 1]:
        k -= 1
    add(k, "sent")
    for i in range(max(s + 1, e - WINDOW), min(hi, e + WINDOW)):
        if _punct_cut(doc, i):
            add(i, "before_punct")
        elif doc[i].lower_ in _CC and doc[i].dep_ == "cc":
            add(i, "before_cc")
    root = _root_of(doc, s, e)
    for c in root.rights:  # a trailing subtree of the content's root: cut it off
        if c.right_edge.i >= e - 2 and c.left_edge.i > s:
            add(c.left_edge.i, f"cut:{c.dep_}")
    for i in range(s + 1, e):  # any subtree ending at the content's end
        d = doc[i]
        if d.right_edge.i + 1 == e and d.left_edge.i > s + 1 and d.dep_ in ("advcl", "prep", "conj", "acl", "relcl", "npadvmod", "appos", "ccomp", "parataxis", "advmod"):
            add(d.left_edge.i, f"cutsub:{d.dep_}")
    a = root
    for _ in range(4):  # extend to the end of the subtrees holding the content
        if a.head.i == a.i:
            break
        a = a.head
        if a.right_edge.i + 1 > e:
            add(a.right_edge.i + 1, f"anc:{a.dep_}")
    if root.right_edge.i + 1 > e:
        add(root.right_edge.i + 1, "root_edge")
    return out


def option_features(
    doc: Sequence[Token], is_punct: list[bool], side: str, k: int, cur: int, tags: set[str], lo: int, hi: int, frame: str, kind: str,
    span: tuple[int, int] | None = None, cue: int = -1, is_cue: Callable[[Token], bool] | None = None,
) -> list[str]:
    """Feature names of one option (the rule tags, the boundary tokens, the distance moved)."""
    fam = frame.split(":")[0]
    lemma = doc[cue].lemma_.lower() if 0 <= cue < len(doc) else "-"  # the cue word ("asked X to ...")
    feats = [f"tag={t}" for t in tags]
    moved = "in" if (k > cur) == (side == "L") else "out"  # the content shrinks or grows
    if k == cur:
        feats += ["cur", f"cur|frame={fam}", f"cur|kind={kind}", f"cur|lemma={lemma}"]
    else:
        n = _words_between(doc, is_punct, k, cur)
        feats += [f"dir={moved}", f"dir={moved}|d={_dist(n)}", f"dir={moved}|frame={fam}", f"dir={moved}|lemma={lemma}"]
        feats += [f"{t}|frame={fam}" for t in tags if not t.startswith(("anc", "clause", "cut", "skip"))]
    if side == "L":
        i = k
        while i < hi - 1 and is_punct[i] and doc[i].text not in "“\"‘":
            i += 1
        inside, outside = doc[i], (doc[k - 1] if k - 1 >= lo else None)
    else:
        i = k - 1
        while i > lo and is_punct[i]:
            i -= 1
        inside, outside = doc[i], (doc[k] if k < hi else None)
    feats.append(f"in={_cls(inside)}")
    feats.append(f"indep={inside.dep_}")
    feats.append(f"out={_cls(outside) if outside is not None else 'EDGE'}")
    if outside is not None:
        feats.append(f"outdep={outside.dep_}")
        feats.append(f"in={_cls(inside)}|out={_cls(outside)}")
    if k == cur:
        return feats
    feats.append(f"in={_cls(inside)}|moved")
    if span is not None:  # the words added or removed: how they attach
        a, b = sorted((k, cur))
        s, e = span
        top = [doc[i] for i in range(a, b) if not is_punct[i] and not a <= doc[i].head.i < b]
        if top:
            r = top[0]
            h = r.head.i
            where = "cue" if h == cue else "self" if h == r.i else "content" if s <= h < e else "outside"
            feats.append(f"reg|{moved}|dep={r.dep_}|head={where}")
            feats.append(f"reg|{moved}|head={where}|frame={fam}")
            feats.append(f"reg|{moved}|tops={min(len(top), 3)}")
            first = next((doc[i] for i in range(a, b) if not is_punct[i]), r)
            feats.append(f"reg|{moved}|first={_cls(first)}")
            feats.append(f"reg|{moved}|first={_cls(first)}|dep={r.dep_}")
            if is_cue is not None and any(is_cue(t) for t in top):
                feats.append(f"reg|{moved}|cue")
            feats.append(f"reg|{moved}|dep={r.dep_}|frame={fam}")
            feats.append(f"reg|{moved}|dep={r.dep_}|lemma={lemma}")
            feats.append(f"reg|{moved}|dep={r.dep_}|d={_dist(_words_between(doc, is_punct, a, b))}")
            if r.pos_ in ("VERB", "AUX"):
                feats.append(f"reg|{moved}|dep={r.dep_}|tag={r.tag_}")
            # the punctuation where the piece meets the rest of the content (", but ..." / "but ...")
            j = a if side == "R" else b - 1
            join = doc[j].text if is_punct[j] else "W"
            feats.append(f"reg|{moved}|join={join}|dep={r.dep_}")
            if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for t in top for c in t.children):
                feats.append(f"reg|{moved}|subj|dep={r.dep_}")
        verb = quote = cueword = False
        for i in range(a, b):
            t = doc[i]
            verb = verb or t.pos_ in ("VERB", "AUX")
            quote = quote or t.text in _OPEN_MARKS or t.text in _CLOSE_MARKS
            cueword = cueword or (is_cue is not None and is_cue(t))
        if verb:
            feats.append(f"reg|{moved}|verb")
        if quote:
            feats.append(f"reg|{moved}|quote")
        if cueword:
            feats.append(f"reg|{moved}|cueany")
    return feats


@dataclass(frozen=True, slots=True)
class BoundaryModel:
    """Per side: feature → weight, and the log-odds margin an option needs over the current edge."""

    coef: dict[str, dict[str, float]]
    margin: dict[str, float]

    def score(self, side: str, features: list[str]) -> float:
        w = self.coef.get(side, {})
        return sum(w.get(f, 0.0) for f in features)


def load_boundary_model(path: Path) -> BoundaryModel | None:
    if not path.exists():
        return None
    coef: dict[str, dict[str, float]] = {"L": {}, "R": {}}
    margin = {"L": math.inf, "R": math.inf}
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            side, feat, w = r["side"].strip(), r["feature"].strip(), float(r["weight"])
            if side == "*":
                margin[feat.removeprefix("margin_")] = w
            else:
                coef.setdefault(side, {})[feat] = w
    return BoundaryModel(coef, margin)


def side_options(
    doc: Sequence[Token], is_punct: list[bool], side: str, s: int, e: int, lo: int, hi: int, frame: str, kind: str,
    cue: int = -1, snap: Callable[[str, int], int] | None = None, is_cue: Callable[[Token], bool] | None = None,
) -> list[Option]:
    """Every option of one side of the content [s, e) with its features (the current one first).

    ``snap(side, k)`` maps an edge to the edge the extractor would make of it (an edge inside a
    quote becomes the quote's edge), so options giving the same content are one option."""
    raw = left_options(doc, is_punct, s, e, lo, hi) if side == "L" else right_options(doc, is_punct, s, e, lo, hi)
    cur = s if side == "L" else e
    out = _merged_options(doc, is_punct, side, s, e, raw, _OPEN_MARKS if side == "L" else _CLOSE_MARKS, snap)
    out = out[:1] + [o for o in out[1:] if not _in_word(doc, o.pos)]
    for o in out:
        o.features = option_features(doc, is_punct, side, o.pos, cur, o.tags, lo, hi, frame, kind, (s, e), cue, is_cue)
    return out


def _merged_options(
    doc: Sequence[Token], is_punct: list[bool], side: str, s: int, e: int, raw: dict[int, set[str]],
    marks: frozenset[str], snap: Callable[[str, int], int] | None = None,
) -> list[Option]:
    """The options of one edge of the span [s, e), without features, the current edge first.

    An edge on punctuation is the edge past it (after it on the left, before it on the right)
    unless that punctuation is one of ``marks`` (a content keeps its quote marks); ``snap(side, k)``
    then maps an edge to the one the extractor would make of it. Edges that end up equal are one
    option with the tags of all the rules that proposed them."""
    cur = s if side == "L" else e
    opts: dict[int, set[str]] = {}
    for k, tags in raw.items():
        if side == "L":
            while k < e - 1 and is_punct[k] and doc[k].text not in marks:
                k += 1
        else:
            while k > s + 1 and is_punct[k - 1] and doc[k - 1].text not in marks:
                k -= 1
        if snap is not None:
            k = snap(side, k)
        opts.setdefault(k, set()).update(tags)
    cur_tags = (opts.pop(cur, set()) | opts.pop(snap(side, cur) if snap is not None else cur, set())) - {"cur"}
    return [Option(side, cur, cur_tags, [])] + [Option(side, k, tags, []) for k, tags in sorted(opts.items())]


def choose(model: BoundaryModel, side: str, options: list[Option]) -> int:
    """The chosen edge: the best-scoring option if it beats the current one (options[0]) by the margin."""
    cur = options[0]
    base = model.score(side, cur.features)
    best, best_score = cur.pos, base + model.margin.get(side, math.inf)
    for o in options[1:]:
        sc = model.score(side, o.features)
        if sc > best_score:
            best, best_score = o.pos, sc
    return best


# ------------------------------------------------------------------------------- source spans
# The same chooser for the edges of a speaker phrase (the attribution's *source*): the rules take
# the subject's subtree (clipped at the cue, a quote, the paragraph; an attribution-bearing
# relative clause cut off), and PolNeAR's annotators sometimes stop earlier (", who ..." kept or
# not, an apposition, "Kerry's" without the "'s", "a report released Monday") or start later ("the",
# a title, a dateline). The options are the syntactic cut points inside and around the phrase; the
# model (``seeds/lexicons/source_boundary_model.csv``) is fitted by ``bench/train_boundaries.py
# --target source``. Only the mention's edges move: the actor it resolves to stays.

SRC_WINDOW = 20  # tokens: source options are looked for this far from the current edge
#: dependencies of a piece of a speaker phrase that annotators keep or leave out
_SRC_DEPS = frozenset(
    "relcl acl appos prep advmod amod npadvmod case conj cc nummod poss compound det nmod quantmod predet advcl punct pobj".split()
)
_REL_WORDS = frozenset({"who", "whom", "whose", "which", "that"})


def source_options(doc: Sequence[Token], is_punct: list[bool], side: str, s: int, e: int, head: Token, lo: int, hi: int) -> dict[int, set[str]]:
    """Candidate edges (index → rule tags) of a speaker phrase [s, e) with syntactic head ``head``,
    inside the bounds [lo, hi) (the phrase may not cross the cue, a quote or its paragraph)."""
    out: dict[int, set[str]] = {(s if side == "L" else e): {"cur"}}

    def add(k: int, tag: str) -> None:
        if side == "L" and lo <= k < e and abs(k - s) <= SRC_WINDOW:
            out.setdefault(k, set()).add(tag)
        elif side == "R" and s < k <= hi and abs(k - e) <= SRC_WINDOW:
            out.setdefault(k, set()).add(tag)

    h = head.i
    wlo, whi = max(lo, min(s, head.left_edge.i) - 3), min(hi, max(e, head.right_edge.i + 1) + 3)
    if side == "L":
        add(head.left_edge.i, "subtree")
        add(h, "head")
        add(lo, "lo")
        if doc[s].pos_ in ("DET", "CCONJ", "ADV", "ADP", "PART") or doc[s].lower_ in _WORDS:
            add(s + 1, "drop1")
        if s - 1 >= lo and not is_punct[s - 1]:
            add(s - 1, "add1")
        for i in range(max(wlo, s - SRC_WINDOW), min(whi, e, s + SRC_WINDOW)):
            d = doc[i]
            if d.text in _PUNCT_CUT:
                add(i + 1, "after_punct")
            elif d.dep_ == "cc":
                add(i + 1, "after_cc")
            if i < h and d.dep_ in _SRC_DEPS:
                add(d.left_edge.i, f"start:{d.dep_}")
                add(d.right_edge.i + 1, f"skip:{d.dep_}")
        a = head
        for _ in range(2):  # "X and [Y]", "a report from [Z]": the phrase holding the head
            if a.head.i == a.i or a.dep_ not in ("conj", "appos", "pobj", "compound", "poss"):
                break
            a = a.head
            add(a.left_edge.i, f"anc:{a.dep_}")
    else:
        add(head.right_edge.i + 1, "subtree")
        add(h + 1, "head")
        add(hi, "hi")
        if e < hi and not is_punct[e]:
            add(e + 1, "add1")
        add(e - 1, "drop1")
        for i in range(max(wlo, s, e - SRC_WINDOW), min(whi, e + SRC_WINDOW)):
            d = doc[i]
            if d.text in _PUNCT_CUT:
                add(i, "before_punct")
            elif d.dep_ == "cc":
                add(i, "before_cc")
            if i > s and d.dep_ in _SRC_DEPS:
                add(d.left_edge.i, f"cut:{d.dep_}")
                add(d.right_edge.i + 1, f"end:{d.dep_}")
    return out


def _spk_kind(head: Token) -> str:
    if head.pos_ == "PRON":
        return "PRON"
    ent = head.ent_type_
    if ent:
        return ent if ent in ("PERSON", "ORG", "GPE", "NORP") else "ENT"
    return head.pos_ if head.pos_ in ("PROPN", "NOUN") else "X"


@dataclass(frozen=True, slots=True)
class SpeakerContext:
    """What the features of every option of one speaker phrase share (computed once per phrase)."""

    head: Token
    kind: str  # PRON | PERSON | ORG | GPE | NORP | ENT | PROPN | NOUN | X
    where: str  # cue_after | cue_before (the cue follows / precedes the speaker's head)
    frame: str  # the attribution's frame family
    fullname: bool  # the head has a proper-noun compound ("Ted [Cruz]")
    sent_start: bool  # the phrase opens its sentence

    @classmethod
    def of(cls, doc: Sequence[Token], s: int, head: Token, cue: int, frame: str) -> SpeakerContext:
        return cls(
            head, _spk_kind(head), "cue_after" if cue > head.i else "cue_before", frame.split(":")[0],
            any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in head.lefts),
            s == 0 or doc[s].is_sent_start or doc[s - 1].is_sent_end,
        )


def source_features(
    doc: Sequence[Token], is_punct: list[bool], side: str, k: int, cur: int, tags: set[str], span: tuple[int, int],
    spk: SpeakerContext, is_cue: Callable[[Token], bool] | None = None,
) -> list[str]:
    """Feature names of one option of a source edge: the rule tags, the boundary tokens, the words
    added or removed (how they attach, their length, a verb, a comma, a number, a cue word, a name),
    the speaker (pronoun, entity type, noun; cue before or after it)."""
    kind, where, fam, head = spk.kind, spk.where, spk.frame, spk.head
    feats = [f"tag={t}" for t in tags]
    s, e = span
    if k == cur:
        feats += ["cur", f"cur|spk={kind}", f"cur|frame={fam}", f"cur|{where}", f"cur|len={_dist(_words_between(doc, is_punct, s, e))}"]
    moved = "in" if (k > cur) == (side == "L") else "out"
    if side == "L":
        inside = doc[k] if k < len(doc) else None
        outside = doc[k - 1] if k > 0 else None
    else:
        inside = doc[k - 1]
        outside = doc[k] if k < len(doc) else None
    in_cls = _cls(inside) if inside is not None else "EDGE"
    feats.append(f"in={in_cls}")
    feats.append(f"out={_cls(outside) if outside is not None else 'EDGE'}")
    if inside is not None:
        feats.append(f"indep={inside.dep_}")
    if k == cur:
        return feats
    a, b = sorted((k, cur))
    top: list[Token] = []
    first: Token | None = None
    n = 0
    verb = name = num = cueword = False
    for i in range(a, b):  # the words added or removed, in one pass
        if is_punct[i]:
            continue
        t = doc[i]
        n += 1
        if first is None:
            first = t
        if not a <= t.head.i < b:
            top.append(t)
        verb = verb or t.pos_ in ("VERB", "AUX")
        name = name or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
        num = num or t.like_num
        cueword = cueword or (is_cue is not None and is_cue(t))
    r = top[0] if top else doc[a]
    first = first if first is not None else r
    dep = r.dep_
    comma = any(doc[i].text in _PUNCT_CUT for i in range(max(0, a - 1), min(len(doc), b + 1)))
    feats += [f"dir={moved}", f"dir={moved}|d={_dist(n)}", f"dir={moved}|spk={kind}", f"dir={moved}|{where}", f"dir={moved}|frame={fam}"]
    feats += [f"{t}|spk={kind}" for t in tags]
    feats.append(f"in={in_cls}|moved={moved}" if inside is not None else "in=EDGE|moved")
    pre = f"reg|{moved}"
    first_cls = _cls(first)
    feats += [
        f"{pre}|dep={dep}", f"{pre}|dep={dep}|spk={kind}", f"{pre}|dep={dep}|{where}", f"{pre}|dep={dep}|d={_dist(n)}",
        f"{pre}|first={first_cls}", f"{pre}|first={first_cls}|dep={dep}", f"{pre}|tops={min(len(top), 3)}",
        f"{pre}|head_of={'self' if r.head.i == head.i else 'head' if r.i == head.i else 'other'}",
    ]
    if comma:
        feats += [f"{pre}|comma", f"{pre}|comma|dep={dep}"]
    if verb:
        feats += [f"{pre}|verb", f"{pre}|verb|dep={dep}"]
    if name:
        feats += [f"{pre}|name", f"{pre}|name|dep={dep}"]
    if a <= head.i < b:
        feats.append(f"{pre}|has_head")
    if first.lower_ in _REL_WORDS and dep in ("relcl", "acl"):
        feats.append(f"{pre}|wh={first.lower_}")
    if r.pos_ in ("VERB", "AUX"):
        feats.append(f"{pre}|dep={dep}|tag={r.tag_}")
    if num:
        feats.append(f"{pre}|num")
    if cueword:
        feats.append(f"{pre}|cueword")
    if spk.fullname:
        feats.append(f"{pre}|dep={dep}|fullname")
    if spk.sent_start:
        feats.append(f"{pre}|dep={dep}|sent_start")
    return feats


def source_side_options(
    doc: Sequence[Token], is_punct: list[bool], side: str, s: int, e: int, head: Token, lo: int, hi: int, cue: int, frame: str,
    is_cue: Callable[[Token], bool] | None = None,
) -> list[Option]:
    """Every option of one edge of the speaker phrase [s, e) with its features (the current one
    first). An edge on punctuation is the edge past it (the span never starts or ends on one)."""
    raw = source_options(doc, is_punct, side, s, e, head, lo, hi)
    cur = s if side == "L" else e
    out = _merged_options(doc, is_punct, side, s, e, raw, frozenset())
    spk = SpeakerContext.of(doc, s, head, cue, frame)
    for o in out:
        o.features = source_features(doc, is_punct, side, o.pos, cur, o.tags, (s, e), spk, is_cue)
    return out


_DATELINE_DASHES = frozenset({"—", "–", "-", "--"})
_AGENCIES = frozenset(a.lower() for a in WIRE_AGENCIES)


def dateline_end(doc: Sequence[Token], s: int, e: int) -> int:
    """Where a speaker phrase [s, e) starts once a news dateline it opens with is cut off
    ("WASHINGTON — Sen. Chuck Grassley", "LONDON (Reuters) - Donald Trump", "MYRTLE BEACH, S.C. -
    Sen. Ted Cruz"): the token after the dash; ``s`` when the phrase opens with none. A dateline is
    an upper-case place name (with a state or country, an agency in brackets) opening the sentence."""
    t = doc[s]
    if not (t.is_sent_start or s == 0 or doc[s - 1].is_space) or not (t.is_alpha and t.is_upper and len(t) > 1):
        return s
    for k in range(s + 1, min(e - 1, s + 10)):
        w = doc[k]
        if w.text in _DATELINE_DASHES:
            return k + 1
        if w.is_upper or w.is_punct or w.lower_ in _AGENCIES or (w.text.endswith(".") and w.text[0].isupper() and len(w) <= 6):
            continue
        return s
    return s
