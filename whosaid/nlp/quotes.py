"""Quote attribution: who said what, from a parsed spaCy Doc.

``extract_quotes(doc, mentions)`` returns :class:`Quote` records. Offsets index ``doc.text``.

Pipeline (each step a small generator over the Doc):

1. :func:`quote_spans` – quote-mark spans per paragraph (curly “ ” ‘ ’ and straight " '; nested
   single quotes stay inside their double quote; an unbalanced mark is recovered within its
   paragraph; an unclosed quote runs to the paragraph end and, when the next paragraph opens with a
   quote mark, continues there – the multi-paragraph convention).
2. :func:`verb_attributions` – every cue verb from ``seeds/lexicons/speech_cues.csv`` outside a
   quote, with a speaker (its subject; inverted "said X"; passive agent "was announced by X";
   "who said"; a subject inherited by "..., adding" / "and added"), and a content:
   * **direct**: a quote span adjacent to the cue clause (quote, cue / cue, quote / cue: quote;
     "He called it “...”"),
   * **indirect / mixed**: the clausal complement (ccomp, "that" included; xcomp; for a few verbs
     the object), or the main clause when the cue follows it ("X is Y, he said"); *mixed* when
     the complement holds a quote span (the content is extended to the quote's end).
3. :func:`according_to` – "according to X, ..." and "..., according to X".
4. :func:`noun_attributions` – noun cues from ``seeds/lexicons/cue_nouns.csv`` with a "that"
   clause and an owner ("X's statement that ...", "the claim by X that ...").
5. Continuations of quotes that have no cue of their own: the second half of a split quote
   (“A,” he said. “B.”), the next paragraph of an unclosed multi-paragraph quote, and a
   paragraph that is only a quote directly after a paragraph whose last quote was by S
   (confidence lowered).

Quotes with no cue and no preceding speaker (scare quotes, titles, terms, headlines) are **not
emitted**; neither is a cue whose speaker cannot be found. Content spans follow PolNeAR: a
direct quote's content includes its quote marks; an indirect content starts at "that" when present.
Confidence: a base per construction × the cue's lexicon weight, lowered when the speaker is
unresolved (pronoun/role with no named antecedent).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Token

from whosaid.nlp.records import Actor, Mention, Quote
from whosaid.nlp.speakers import LEXICON_DIR, SpeakerResolver


# ---------------------------------------------------------------------------------- lexicons
@dataclass(frozen=True, slots=True)
class CueVerb:
    lemma: str
    cls: str  # speech | thought | evidence
    obj: bool  # its direct object can be the content ("announced his candidacy")
    weight: float


@dataclass(frozen=True, slots=True)
class CueNoun:
    lemma: str
    cls: str
    weight: float


def _load_verbs(path: Path) -> dict[str, CueVerb]:
    out: dict[str, CueVerb] = {}
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["lemma"], CueVerb(r["lemma"], r["cls"], r["obj"] == "1", float(r["weight"])))
    return out


def _load_nouns(path: Path) -> dict[str, CueNoun]:
    out: dict[str, CueNoun] = {}
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["lemma"], CueNoun(r["lemma"], r["cls"], float(r["weight"])))
    return out


#: speech / attribution cue verbs (lemma → entry)
CUE_VERBS: dict[str, CueVerb] = _load_verbs(LEXICON_DIR / "speech_cues.csv")
#: attribution cue nouns
CUE_NOUNS: dict[str, CueNoun] = _load_nouns(LEXICON_DIR / "cue_nouns.csv")

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
OPEN_SINGLE = "‘‹"
CLOSE_SINGLE = "’›"
QUOTE_CHARS = frozenset(OPEN_DOUBLE + CLOSE_DOUBLE + OPEN_SINGLE + CLOSE_SINGLE + "\"'`")
_SENT_END = frozenset(".?!")
_SUBJ = frozenset({"nsubj", "nsubjpass"})
#: speakers never taken outside quotes (the author / an interview transcript)
_FIRST_SECOND = frozenset({"i", "we", "you", "me", "us"})
#: a quote shorter than this (in words) with no cue of its own is never continued (scare quote)
MIN_CONTINUATION_WORDS = 4
#: a stand-alone direct quote needs at least this many words (shorter: a term/title in quotes)
MIN_DIRECT_WORDS = 2


# ----------------------------------------------------------------------------- quote spans
@dataclass(slots=True)
class QSpan:
    start: int  # the opening mark
    end: int  # after the closing mark (or the paragraph end when unclosed)
    para: int
    closed: bool
    continues: int | None = None  # index of the QSpan this continues (multi-paragraph quote)
    n_words: int = 0


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, pos + len(line)
        pos += len(line) + 1


def _is_open_ctx(text: str, i: int, lo: int) -> bool:
    """A straight/ambiguous mark at i opens a quote: at start or after space/opening bracket/dash."""
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{—–-:;,/" or prev in OPEN_DOUBLE) and not nxt.isspace()


def _is_close_ctx(text: str, i: int, hi: int) -> bool:
    nxt = text[i + 1] if i + 1 < hi else " "
    prev = text[i - 1] if i > 0 else " "
    return not prev.isspace() and not nxt.isalnum()


def _scan(text: str, lo: int, hi: int, opens: str, closes: str, straight: str) -> list[tuple[int, int, bool]]:
    """Balanced spans for one mark family in text[lo:hi]; returns (start, end, closed).

    For the double family, ``''`` and ``\`\``` (typewriter/LaTeX style, common in NYT copy) count
    as one straight double mark.
    """
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    i = lo
    while i < hi:
        ch = text[i]
        width = 1
        if straight == '"' and text[i : i + 2] in ("''", "``"):
            ch, width = ('"' if text[i] == "'" else "“"), 2
        elif straight == "'" and (text[i : i + 2] == "''" or (i > lo and text[i - 1 : i + 1] == "''")):
            i += 1
            continue
        if ch in opens or (ch == straight and open_at is None and _is_open_ctx(text, i, lo)):
            if open_at is not None:  # unbalanced: a new opening before a close → recover
                spans.append((open_at, i, False))
            open_at = i
        elif (ch in closes or ch == straight) and open_at is not None:
            if not (ch in CLOSE_SINGLE and not _is_close_ctx(text, i + width - 1, hi)):  # not an apostrophe
                spans.append((open_at, i + width, True))
                open_at = None
        i += width
    if open_at is not None:
        spans.append((open_at, hi, False))
    return spans


def quote_spans(text: str) -> list[QSpan]:
    """Quote spans, paragraph by paragraph (double quotes first, then top-level single quotes)."""
    out: list[QSpan] = []
    for p, (lo, hi) in enumerate(_paragraphs(text)):
        doubles = _scan(text, lo, hi, OPEN_DOUBLE, CLOSE_DOUBLE, '"')
        singles = [
            s
            for s in _scan(text, lo, hi, OPEN_SINGLE, CLOSE_SINGLE, "'")
            if s[2] and not any(d[0] <= s[0] < d[1] for d in doubles)
        ]
        for s, e, closed in sorted(doubles + singles):
            if e - s < 3:
                continue
            q = QSpan(s, e, p, closed, n_words=len(text[s:e].split()))
            if out and not out[-1].closed and out[-1].para == p - 1 and s == lo:
                q.continues = len(out) - 1
            out.append(q)
    return out


# ------------------------------------------------------------------------------- candidates
@dataclass(slots=True)
class Cand:
    speaker: Actor
    speaker_head: int
    cue_start: int | None
    cue_end: int | None
    cue_lemma: str | None
    content_start: int
    content_end: int
    kind: str
    confidence: float
    quotes: list[int] = field(default_factory=list)  # QSpan indices covered


class _Ctx:
    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.doc = doc
        self.text = doc.text
        self.qspans = quote_spans(doc.text)
        self.resolver = SpeakerResolver(doc, mentions)
        self.tok_q = [-1] * len(doc)  # token → index of the quote span holding it
        j = 0
        for t in doc:
            while j < len(self.qspans) and self.qspans[j].end <= t.idx:
                j += 1
            if j < len(self.qspans) and self.qspans[j].start <= t.idx < self.qspans[j].end:
                self.tok_q[t.i] = j
        self.para_of = [0] * len(doc)
        k = 0
        for t in doc:
            self.para_of[t.i] = k
            k += t.text_with_ws.count("\n")
        self.sent_of = [0] * len(doc)
        for k, s in enumerate(doc.sents):
            for i in range(s.start, s.end):
                self.sent_of[i] = k

    def inside_quote(self, t: Token) -> bool:
        return self.tok_q[t.i] >= 0 and self.text[t.idx] not in QUOTE_CHARS


def _content_tokens_ok(doc: Doc, s: int, e: int) -> bool:
    return sum(1 for t in doc[s:e] if not t.is_punct and not t.is_space) >= 2


def _trim(doc: Doc, s: int, e: int, keep_quotes: bool = True) -> tuple[int, int]:
    """Trim punctuation/space tokens at both ends (quote marks are kept when asked)."""
    while s < e and (doc[s].is_space or (doc[s].is_punct and not (keep_quotes and doc[s].text in QUOTE_CHARS))):
        s += 1
    while e > s and (
        doc[e - 1].is_space or (doc[e - 1].is_punct and not (keep_quotes and doc[e - 1].text in QUOTE_CHARS))
    ):
        e -= 1
    return s, e


# ------------------------------------------------------------------------------ speakers
def subject_of(v: Token) -> tuple[Token, bool] | None:
    """The speaker token of cue verb ``v`` and whether it came from a passive agent."""
    subj = [c for c in v.children if c.dep_ in _SUBJ]
    agent = [c for c in v.children if c.dep_ == "agent"]
    if agent:
        pobj = [c for c in agent[0].children if c.dep_ == "pobj"]
        if pobj:
            return pobj[0], True
    if subj:
        if subj[0].dep_ == "nsubjpass" or subj[0].lower_ in ("there",):
            return None
        if subj[0].lower_ == "it" and any(c.dep_ == "ccomp" for c in v.children) and subj[0].i < v.i:
            pass  # "it said" (a company): keep
        return subj[0], False
    # "..., adding that" / "said ... and added" / "wants to say": inherit the governing verb's subject
    if v.dep_ == "acl" and v.tag_ == "VBG" and v.head.dep_ in ("dobj", "pobj") and v.head.head.pos_ in ("VERB", "ADP"):
        gov = v.head.head if v.head.dep_ == "dobj" else v.head.head.head
        if gov.pos_ in ("VERB", "AUX") and gov.i != v.i:
            return subject_of(gov)
    if v.dep_ in ("conj", "advcl", "xcomp") and v.head.i != v.i and v.head.pos_ in ("VERB", "AUX"):
        if v.dep_ == "advcl" and v.tag_ != "VBG":
            return None
        if v.dep_ == "xcomp" and v.i < v.head.i:
            return None
        return subject_of(v.head)
    return None


def _speaker_bounds(head: Token, ctx: _Ctx, cue: Token) -> tuple[int, int]:
    """The speaker phrase: the subject's subtree (appositions and relative clauses included, as
    PolNeAR sources are), clipped so it never holds the cue, a quote, or crosses a paragraph."""
    left, right = head.left_edge.i, head.right_edge.i + 1
    if left <= cue.i < right:
        if head.i < cue.i:
            right = cue.i
        else:
            left = cue.i + 1
    p = ctx.para_of[head.i]
    s = head.i
    while s > left and ctx.tok_q[s - 1] < 0 and ctx.para_of[s - 1] == p:
        s -= 1
    e = head.i + 1
    while e < right and ctx.tok_q[e] < 0 and ctx.para_of[e] == p:
        e += 1
    while s < head.i and ctx.doc[s].is_punct:
        s += 1
    while e > head.i + 1 and (ctx.doc[e - 1].is_punct or ctx.doc[e - 1].is_space):
        e -= 1
    return s, e


def _make_actor(ctx: _Ctx, head: Token, cue: Token) -> Actor | None:
    if ctx.inside_quote(head):
        return None
    s, e = _speaker_bounds(head, ctx, cue)
    return ctx.resolver.actor_for(head, s, e)


def _speaker_conf(actor: Actor) -> float:
    if actor.ref_start is not None:
        return 1.0
    return 0.7


# ------------------------------------------------------------------------------- direct
def _between_ok(ctx: _Ctx, a: int, b: int, allowed: set[int], max_free: int, max_words: int = 30) -> bool:
    """Tokens a..b-1 are punctuation, allowed tokens, or at most ``max_free`` others; same paragraph."""
    free = words = 0
    for i in range(a, b):
        t = ctx.doc[i]
        if "\n" in t.text_with_ws and i < b - 1:
            return False
        if t.is_space:
            continue
        if ctx.tok_q[i] >= 0:
            return False
        if t.is_punct:
            if t.text in _SENT_END:
                return False
            continue
        words += 1
        if words > max_words:
            return False
        if i in allowed:
            continue
        free += 1
        if free > max_free:
            return False
    return True


def _quote_tok_range(ctx: _Ctx, qi: int) -> tuple[int, int]:
    q = ctx.qspans[qi]
    span = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    return (span.start, span.end) if span is not None else (0, 0)


_SKIP_DEPS = frozenset({"advmod", "aux", "auxpass", "neg", "prt", "npadvmod", "dative", "nsubj", "agent", "prep", "cc"})
_OBJ_DEPS = frozenset({"dobj", "oprd", "attr", "acomp"})


def _adjacent_quote(ctx: _Ctx, v: Token, speaker: Token) -> tuple[int, int | None] | None:
    """A quote span adjacent to the clause of cue verb v: ``(quote index, mixed content start)``.

    The mixed start is set when an object sits between the cue and the quote ("called it “...”",
    "described the field as “...”"): the content then starts at that object, as in PolNeAR.
    """
    doc = ctx.doc
    spk = set(range(speaker.left_edge.i, speaker.right_edge.i + 1))
    skip: set[int] = set()
    obj: set[int] = set()
    for c in v.children:
        rng = range(c.left_edge.i, c.right_edge.i + 1)
        if c.dep_ in _SKIP_DEPS:
            skip.update(i for i in rng if ctx.tok_q[i] < 0)
        elif c.dep_ in _OBJ_DEPS:
            obj.update(i for i in rng if ctx.tok_q[i] < 0)
    # quote before the cue: “...,” he said / “...,” said X
    j = v.i - 1
    while j >= 0 and ctx.tok_q[j] < 0 and v.i - j <= 40 and doc[j].text not in _SENT_END:
        j -= 1
    if j >= 0 and ctx.tok_q[j] >= 0 and ctx.para_of[j] == ctx.para_of[v.i]:
        qi = ctx.tok_q[j]
        q = ctx.qspans[qi]
        qs_tok = _tok_at(ctx, q.start)
        clause_initial = qs_tok is None or qs_tok == 0 or _clause_boundary(doc[qs_tok - 1])
        if q.n_words >= MIN_DIRECT_WORDS and clause_initial and _between_ok(ctx, j + 1, v.i, spk | skip, 1, 40):
            return qi, None
    # quote after the cue: he said, “...” / he added: “...” / he called it “...”
    j = v.i + 1
    while j < len(doc) and ctx.tok_q[j] < 0 and j - v.i <= 12 and doc[j].text not in _SENT_END:
        j += 1
    if j < len(doc) and ctx.tok_q[j] >= 0 and ctx.qspans[ctx.tok_q[j]].start == doc[j].idx:
        qi = ctx.tok_q[j]
        q = ctx.qspans[qi]
        if ctx.para_of[j] != ctx.para_of[v.i] or q.n_words < 1:
            return None
        if _between_ok(ctx, v.i + 1, j, spk | skip, 0, 6):
            introduced = any(doc[k].text in (",", ":") for k in range(v.i + 1, j))
            if q.n_words >= MIN_DIRECT_WORDS + (0 if introduced else 1):
                return qi, None
            return None
        if obj and _between_ok(ctx, v.i + 1, j, spk | skip | obj, 0, 8):
            first = min(i for i in obj if i > v.i)
            return qi, doc[first].idx
    return None


def _tok_at(ctx: _Ctx, char: int) -> int | None:
    span = ctx.doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None and len(span) else None


def _clause_boundary(t: Token) -> bool:
    """The token before a quote leaves it clause-initial (so not a title or a fragment)."""
    return t.is_punct or t.is_space or "\n" in t.text_with_ws or t.is_sent_end or t.lower_ in ("and", "but")


# ----------------------------------------------------------------------------- indirect
def _complement(ctx: _Ctx, v: Token, cue: CueVerb) -> tuple[int, int] | None:
    """Token range of the reported content of cue verb v (indirect speech)."""
    doc = ctx.doc
    comps = [c for c in v.children if c.dep_ == "ccomp"]
    if not comps:
        comps = [c for c in v.children if c.dep_ == "xcomp" and c.i > v.i]
    if not comps and cue.obj:
        comps = [c for c in v.children if c.dep_ == "dobj" and c.i > v.i]
    if not comps:
        return _framing_clause(ctx, v)
    c = comps[0]
    s, e = _clip_para(ctx, v.i, c.left_edge.i, c.right_edge.i + 1)
    # stop before a further attribution hanging off the content (", telling X that ...")
    for t in doc[max(s, c.i + 1) : e]:
        if t.dep_ in ("advcl", "conj") and t.lemma_.lower() in CUE_VERBS and doc[t.left_edge.i - 1].text == ",":
            e = t.left_edge.i
            break
    s, e = _trim(doc, s, e)
    if not _content_tokens_ok(doc, s, e):
        return None
    return s, e


def _framing_clause(ctx: _Ctx, v: Token) -> tuple[int, int] | None:
    """'NATO is concerned, Rutte said.' / 'Her countrymen, she said, should ...': the cue is a
    parenthetical (parataxis/ccomp/advcl set off by commas) inside the clause it reports."""
    doc = ctx.doc
    h = v.head
    if v.dep_ not in ("parataxis", "ccomp", "advcl") or h.i == v.i or h.pos_ not in ("VERB", "AUX"):
        return None
    if not any(c.dep_ in _SUBJ for c in v.children) or v.left_edge.i == 0:
        return None
    if not doc[v.left_edge.i - 1].is_punct or v.left_edge.i <= h.left_edge.i:
        return None
    s, e = _clip_para(ctx, v.i, h.left_edge.i, h.right_edge.i + 1)
    if v.right_edge.i + 1 >= e - 1:  # the cue closes the clause: content is what precedes it
        e = v.left_edge.i
    s, e = _trim(doc, s, e)
    return (s, e) if _content_tokens_ok(doc, s, e) and not (s <= v.i < e and e - s < 6) else None


def _clip_para(ctx: _Ctx, anchor: int, s: int, e: int) -> tuple[int, int]:
    """Clip token range [s, e) to the paragraph of token ``anchor``."""
    p = ctx.para_of[anchor]
    while s < e and ctx.para_of[s] < p:
        s += 1
    while e > s and ctx.para_of[e - 1] > p:
        e -= 1
    return s, e


def _quotes_in(ctx: _Ctx, s: int, e: int) -> list[int]:
    return sorted({ctx.tok_q[i] for i in range(s, e) if ctx.tok_q[i] >= 0})


def verb_attributions(ctx: _Ctx) -> Iterator[Cand]:
    """Cue verbs with a speaker and a direct / indirect / mixed content."""
    doc = ctx.doc
    for v in doc:
        if v.pos_ not in ("VERB", "AUX") or v.dep_ in ("aux", "auxpass", "amod"):
            continue
        cue = CUE_VERBS.get(v.lemma_.lower())
        if cue is None or ctx.inside_quote(v):
            continue
        if v.lemma_.lower() == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in v.children):
            continue
        if v.lemma_.lower() == "call" and not any(c.dep_ in ("oprd", "ccomp") for c in v.children):
            # "called for", "called him": only "called it X"/"called X a Y" style
            pass
        sub = subject_of(v)
        if sub is None:
            continue
        spk_tok, _passive = sub
        if spk_tok.lower_ in _FIRST_SECOND:
            continue
        actor = _make_actor(ctx, spk_tok, v)
        if actor is None:
            continue
        ctx.resolver.note_speaker(spk_tok, actor)
        cue_s, cue_e = v.idx, v.idx + len(v.text)
        prt = [c for c in v.children if c.dep_ == "prt" and c.i == v.i + 1]
        if prt:
            cue_e = prt[0].idx + len(prt[0].text)
        adj = _adjacent_quote(ctx, v, spk_tok) if cue.cls != "evidence" else None
        if adj is not None:
            qi, mixed_start = adj
            q = ctx.qspans[qi]
            if mixed_start is None:
                conf = 0.9 * cue.weight * _speaker_conf(actor)
                yield Cand(actor, spk_tok.i, cue_s, cue_e, v.lemma_.lower(), q.start, q.end, "direct", conf, [qi])
            else:
                conf = 0.8 * cue.weight * _speaker_conf(actor)
                yield Cand(actor, spk_tok.i, cue_s, cue_e, v.lemma_.lower(), mixed_start, q.end, "mixed", conf, [qi])
            continue
        if cue.cls == "direct":
            continue
        comp = _complement(ctx, v, cue)
        if comp is None:
            continue
        s, e = comp
        if doc[s].head.i == v.i and doc[s].dep_ == "xcomp" or any(
            c.dep_ == "xcomp" and s <= c.i < e for c in v.children
        ):
            if actor.ref_start is None and spk_tok.pos_ != "PRON":
                continue
        if spk_tok.i >= s and spk_tok.i < e:
            continue  # the speaker inside its own content: a parse error
        if s <= v.i < e and v.dep_ not in ("parataxis", "ccomp", "advcl"):
            continue
        cs, ce = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
        qs = _quotes_in(ctx, s, e)
        kind = "indirect"
        base = 0.75 if cue.cls == "speech" else 0.6
        if qs:
            kind = "mixed"
            base += 0.05
            ce = max(ce, ctx.qspans[qs[-1]].end)
            cs = min(cs, ctx.qspans[qs[0]].start)
            if cs == ctx.qspans[qs[0]].start and ce == ctx.qspans[qs[-1]].end and len(qs) == 1:
                kind = "direct"
        yield Cand(actor, spk_tok.i, cue_s, cue_e, v.lemma_.lower(), cs, ce, kind, base * cue.weight * _speaker_conf(actor), qs)


def according_to(ctx: _Ctx) -> Iterator[Cand]:
    """'according to X, ...' / '..., according to X'."""
    doc = ctx.doc
    for t in doc:
        if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to" or ctx.inside_quote(t):
            continue
        to = doc[t.i + 1]
        pobj = [c for c in to.children if c.dep_ == "pobj"] or [c for c in t.children if c.dep_ == "pobj"]
        if not pobj:
            continue
        spk = pobj[0]
        actor = _make_actor(ctx, spk, t)
        if actor is None:
            continue
        sent = doc[t.i].sent
        pp_s, pp_e = t.i, max(spk.right_edge.i + 1, to.i + 1)
        # content = the rest of the sentence
        if pp_s - sent.start >= sent.end - pp_e:
            s, e = sent.start, pp_s
        else:
            s, e = pp_e, sent.end
        s, e = _trim(doc, s, e)
        if not _content_tokens_ok(doc, s, e):
            continue
        cs, ce = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
        qs = _quotes_in(ctx, s, e)
        kind = "indirect"
        if qs:
            ce = max(ce, ctx.qspans[qs[-1]].end)
            cs = min(cs, ctx.qspans[qs[0]].start)
            q0, q1 = ctx.qspans[qs[0]], ctx.qspans[qs[-1]]
            kind = "direct" if cs == q0.start and ce == q1.end else "mixed"
        yield Cand(actor, spk.i, t.idx, to.idx + 2, "according to", cs, ce, kind, 0.7 * _speaker_conf(actor), qs)


def noun_attributions(ctx: _Ctx) -> Iterator[Cand]:
    """'X's statement that ...', 'the claim by X that ...'."""
    doc = ctx.doc
    for n in doc:
        if n.pos_ != "NOUN" or ctx.inside_quote(n):
            continue
        cue = CUE_NOUNS.get(n.lemma_.lower())
        if cue is None:
            continue
        clause = [c for c in n.children if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)]
        if not clause:
            continue
        owner: Token | None = None
        for c in n.children:
            if c.dep_ == "poss":
                owner = c
            elif c.dep_ == "prep" and c.lower_ in ("by", "from", "of") and c.i < clause[0].i:
                pobj = [g for g in c.children if g.dep_ == "pobj"]
                if pobj:
                    owner = pobj[0]
        if owner is None or owner.pos_ == "PRON" and owner.lower_ in ("its", "their") and False:
            continue
        actor = _make_actor(ctx, owner, n)
        if actor is None or actor.ref_start is None and owner.pos_ != "PRON":
            continue
        c = clause[0]
        s, e = _trim(doc, c.left_edge.i, c.right_edge.i + 1)
        if not _content_tokens_ok(doc, s, e):
            continue
        cs, ce = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
        qs = _quotes_in(ctx, s, e)
        if qs:
            ce = max(ce, ctx.qspans[qs[-1]].end)
        kind = "mixed" if qs else "indirect"
        yield Cand(actor, owner.i, n.idx, n.idx + len(n.text), n.lemma_.lower(), cs, ce, kind, 0.6 * cue.weight * _speaker_conf(actor), qs)


def colon_attributions(ctx: _Ctx) -> Iterator[Cand]:
    """'Gingrich: Trump Must Decide ...' headlines and 'TAPPER: ...' transcript lines: a paragraph
    opening with a short name (a PERSON/ORG mention, or an upper-case word) and a colon."""
    doc, text = ctx.doc, ctx.text
    for lo, hi in _paragraphs(text):
        colon = text.find(":", lo, min(hi, lo + 60))
        if colon < 0:
            continue
        pre = doc.char_span(lo, colon, alignment_mode="contract")
        if pre is None or not 1 <= len(pre) <= 6 or any(t.pos_ in ("VERB", "AUX") for t in pre):
            continue
        head = pre[-1]
        nm = ctx.resolver.named_at(head.i)
        upper = all(t.text.isupper() and t.is_alpha for t in pre if not t.is_punct)
        if not ((nm is not None and nm.m.label in ("PERSON", "ORG") and nm.tend == pre.end) or upper):
            continue
        cs = colon + 1
        while cs < hi and text[cs].isspace():
            cs += 1
        if len(text[cs:hi].split()) < 3:
            continue
        actor = ctx.resolver.actor_for(head, pre.start, pre.end)
        if actor is None:
            continue
        q = [i for i, qs in enumerate(ctx.qspans) if cs <= qs.start < hi]
        kind = "direct" if q and ctx.qspans[q[0]].start == cs and ctx.qspans[q[-1]].end >= hi - 1 else "indirect"
        yield Cand(actor, head.i, colon, colon + 1, ":", cs, hi, kind, 0.5 * _speaker_conf(actor), q)


# ----------------------------------------------------------------------------- assembly
def _overlap(a: Cand, b: Cand) -> int:
    return max(0, min(a.content_end, b.content_end) - max(a.content_start, b.content_start))


def _select(cands: list[Cand]) -> list[Cand]:
    """One attribution per cue and per quote span; direct before mixed before indirect."""
    rank = {"direct": 0, "mixed": 1, "indirect": 2}
    cands.sort(key=lambda c: (rank[c.kind], -c.confidence, c.content_start))
    used_q: set[int] = set()
    used_cue: set[int] = set()
    out: list[Cand] = []
    for c in cands:
        if c.cue_start in used_cue:
            continue
        if c.kind == "direct" and any(q in used_q for q in c.quotes):
            continue
        if any(_overlap(c, o) > 0.8 * (c.content_end - c.content_start) and o.speaker_head == c.speaker_head for o in out):
            continue
        out.append(c)
        used_cue.add(c.cue_start)
        used_q.update(c.quotes)
    return out


def _continuations(ctx: _Ctx, chosen: list[Cand]) -> Iterator[Cand]:
    """Quote spans with no cue of their own that continue an attributed quote."""
    text = ctx.text
    by_q: dict[int, Cand] = {}
    for c in chosen:
        for q in c.quotes:
            by_q[q] = c
    paras = list(_paragraphs(text))
    for qi, q in enumerate(ctx.qspans):
        if qi in by_q:
            continue
        prev: Cand | None = None
        conf = 0.0
        cue_pos: tuple[int | None, int | None, str | None] = (None, None, None)
        if q.continues is not None and q.continues in by_q:
            prev, conf = by_q[q.continues], 0.85
            cue_pos = (prev.cue_start, prev.cue_end, prev.cue_lemma)
        elif qi > 0 and (qi - 1) in by_q and q.n_words >= MIN_CONTINUATION_WORDS:
            p = by_q[qi - 1]
            pq = ctx.qspans[qi - 1]
            gap = text[pq.end : q.start]
            if pq.para == q.para and p.cue_start is not None and pq.end <= p.cue_start < q.start and len(gap.split()) <= 40:
                # split quote: “A,” he said. “B.”
                prev, conf = p, 0.85
                cue_pos = (p.cue_start, p.cue_end, p.cue_lemma)
            elif pq.para == q.para - 1:
                lo, hi = paras[q.para]
                outside = (text[lo : q.start] + text[q.end : hi]).strip(" .,;:—–-\t")
                if not outside and q.start == lo:
                    # a quote-only paragraph right after a quote by S
                    prev, conf = p, 0.6
        if prev is None:
            continue
        c = Cand(prev.speaker, prev.speaker_head, *cue_pos[:2], cue_pos[2], q.start, q.end, "direct", prev.confidence * conf, [qi])
        by_q[qi] = c
        yield c


def _sent_index(ctx: _Ctx, char: int) -> int:
    span = ctx.doc.char_span(char, char + 1, alignment_mode="expand")
    return ctx.sent_of[span.start] if span is not None and len(span) else 0


def extract_quotes(doc: Doc, mentions: list[Mention]) -> list[Quote]:
    """All attributed quotes of one parsed article, in text order."""
    if len(doc) == 0:
        return []
    ctx = _Ctx(doc, mentions)
    cands = [*verb_attributions(ctx), *according_to(ctx), *noun_attributions(ctx), *colon_attributions(ctx)]
    chosen = _select(cands)
    chosen.sort(key=lambda c: c.content_start)
    chosen += list(_continuations(ctx, chosen))
    chosen.sort(key=lambda c: (c.content_start, c.content_end))
    text = doc.text
    out: list[Quote] = []
    for c in chosen:
        cue_text = text[c.cue_start : c.cue_end] if c.cue_start is not None else None
        anchor = c.cue_start if c.cue_start is not None else c.content_start
        out.append(
            Quote(
                quote_index=len(out),
                speaker=c.speaker,
                cue_start=c.cue_start,
                cue_end=c.cue_end,
                cue_text=cue_text,
                cue_lemma=c.cue_lemma,
                content_start=c.content_start,
                content_end=c.content_end,
                content_text=text[c.content_start : c.content_end],
                kind=c.kind,
                confidence=round(min(1.0, max(0.0, c.confidence)), 3),
                sent_index=_sent_index(ctx, anchor),
            )
        )
    return out
