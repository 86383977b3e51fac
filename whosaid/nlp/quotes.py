"""Attribution extraction: who said, thought, wanted, found or backed what, from a parsed spaCy Doc.

``extract_quotes(doc, mentions)`` returns :class:`Quote` records; every offset indexes ``doc.text``.
An attribution (PolNeAR's definition, which the evaluation follows) is a *source* (the speaker), a
*cue* (the word group that signals attribution) and a *content*: statements, but also beliefs,
knowledge, intentions, evaluations, decrees and evidence ("the report shows that ...").

How candidates are found – a cue token, its source, and a **frame** (where its content sits):

* ``quote``  – a quote span adjacent to the cue's clause (“...,” he said / he said: “...” /
  he called it “...”): a *direct* quote, or *mixed* when an object precedes the quote;
* ``ccomp``  – the clausal complement after the cue ("said that ...", "thinks ...", "found that");
* ``pre``    – the content precedes or surrounds the cue ("X is Y, he said." / "X, he said, is Y",
  the content then spans both sides, as PolNeAR's discontinuous contents do);
* ``xcomp``  – an infinitive or gerund complement ("plans to run", "urged Congress to act");
* ``dobj``   – the object with its predicate ("endorsed Clinton", "criticized X for Y"); a noun
  object holding the content gives ``dobj:that`` / ``dobj:about`` ("expressed skepticism that");
* ``prep:P`` – the object of a preposition ("called for a ban", "pointed to the polls");
* adjectives after a copula ("Republicans are critical of the deal");
* nouns: ``acl`` ("his claim that ...", "her decision to run"), ``prep:P`` ("his support for X"),
  ``attr`` ("His concern is that ..."), ``host`` ("In his view, X"); the source is the possessor,
  a by/from phrase or the subject of a light verb ("X expressed concern that ...");
* ``according to X``, and ``In <a poll / survey>, ...`` at either end of a sentence (the survey is
  the source, "In" the cue); ``Name: text`` headlines and transcript lines; quote-only paragraphs
  signed with a dash (“...” ― Name).

Which (lemma, part of speech, frame) triples count comes from ``seeds/lexicons/speech_cues.csv``
(verbs, adjectives) and ``cue_nouns.csv`` (nouns): ``weight`` is the triple's precision measured on
PolNeAR *train*. A small logistic **context model** (rows with pos ``MODEL`` in speech_cues.csv)
moves that base rate up or down with the context – dependency of the cue, tense, negation, modal,
kind of speaker (named person, organisation, unresolved pronoun, relative pronoun), frame, kind
and length of the content – and its probability is the quote's ``confidence``; candidates below
its threshold (0.4) are not emitted. ``bench/mine_cues.py`` retrains both from the corpus in one
command. ``according to``, headline, dash and continuation quotes keep fixed confidences.

Content edges: after selection, a learned **boundary chooser** (:mod:`whosaid.nlp.boundaries`,
``seeds/lexicons/boundary_model.csv``, fitted by ``bench/train_boundaries.py``) may move the start or
end of an indirect or mixed content to a nearby syntactic cut point where PolNeAR's annotators put
it more often than where the rules do; it keeps the rules' edge unless an option clearly wins.

Source: the cue's subject; the passive agent ("was endorsed by X"); "who said" (the relative
pronoun, resolved to its antecedent); a subject inherited by "X said ... and added", "X declined to
comment", "..., saying", "responded by saying", "is expected to endorse"; the noun a participle
modifies ("PACs supporting Clinton"); a name the parser left dangling before or after a speech verb.
No source, no attribution ("It is said", "is expected to" with no subject are skipped); first and
second person sources (the author, an interviewer) are skipped too.

Span conventions follow the PolNeAR guidelines and, where the annotators settle a question the
guidelines leave open, what they do on train: the cue keeps its verb group ("has also said",
"did not mention", "called for", "said in a statement"); a cue noun stays in the cue after a light
verb ("expressed concern that") but is content after another verb ("dismissed [the idea that]");
the source is the subject phrase with its appositions and quantifiers ("Both sides", "Cruz's"),
without a focus adverb ("Even") or a relative clause that is an attribution of its own; the content of a direct
quote includes its marks, a content whose cue has a relative pronoun as object starts at the
pronoun ("which he described as ...", "what X called “...”"), an indirect content starts at
"that"/"to" when present and leaves out
what the author adds after it (", which ...", ", adding that ...") and the circumstances of the
saying ("in an interview", "on Monday"). Only outermost attributions are kept: a cue inside another
attribution's content is dropped (PolNeAR annotates no nested attributions).

Continuations of quotes without a cue of their own are attributed to the preceding speaker: the
second half of a split quote (“A,” he said. “B.”), the next paragraph of an unclosed quote, and a
quote-only paragraph right after a quote by S (confidence lowered). Quotes with no cue and no
preceding speaker (scare quotes, titles, headlines) are not emitted, nor is a short quoted title
as the object of a cue ("released “Midnight Train”").
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, ORTH
from spacy.tokens import Doc, Token

from whosaid.nlp.boundaries import (
    BoundaryModel,
    Option,
    choose,
    dateline_end,
    load_boundary_model,
    side_options,
    source_side_options,
)
from whosaid.nlp.records import Actor, Mention, Quote
from whosaid.nlp.sentences import sentence_spans
from whosaid.nlp.speakers import LEXICON_DIR, SpeakerResolver


# ---------------------------------------------------------------------------------- lexicons
@dataclass(frozen=True, slots=True)
class CueFrame:
    """One way a cue word introduces content, and how far that is trusted."""

    lemma: str
    pos: str  # VERB | ADJ | NOUN
    frame: str  # quote | ccomp | pre | xcomp | dobj | prep:<p> | acl | attr | host
    cls: str  # speech | thought | intent | evaluation | evidence
    weight: float  # precision on PolNeAR train (0..1)


CueLexicon = dict[tuple[str, str], dict[str, CueFrame]]


@dataclass(frozen=True, slots=True)
class ContextModel:
    """Logistic rescoring of a candidate: P(right) = σ(bias + key·logit(weight) + Σ coef[feature]).

    The features say how the cue is used (its dependency, tense, negation, modal), who speaks
    (named person, organisation, unresolved pronoun, common noun) and what the content looks like
    (frame, kind, length); a relative-clause "who supported X" is less often an attribution than
    a main-clause "X supported Y". Fitted on PolNeAR train by ``bench/mine_cues.py``.
    """

    bias: float
    key: float
    coef: dict[str, float]
    threshold: float  # candidates scoring below it are not emitted

    def score(self, weight: float, features: list[str]) -> float:
        w = min(0.99, max(0.01, weight))
        z = self.bias + self.key * math.log(w / (1 - w)) + sum(self.coef.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z))


def load_cue_frames(*paths: Path) -> tuple[CueLexicon, ContextModel | None]:
    """(lemma, pos) → {frame: CueFrame} from CSVs with columns lemma,pos,frame,cls,weight, and the
    context model from the rows whose pos is ``MODEL`` (frame = feature name, weight = coefficient)."""
    out: CueLexicon = {}
    model: dict[str, float] = {}
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                pos = r["pos"].strip().upper()
                if pos == "MODEL":
                    model[r["frame"].strip()] = float(r["weight"])
                    continue
                cf = CueFrame(r["lemma"].strip().lower(), pos, r["frame"].strip(), r["cls"].strip(), float(r["weight"]))
                out.setdefault((cf.lemma, cf.pos), {})[cf.frame] = cf
    if not model:
        return out, None
    special = ("bias", "key", "threshold")
    ctx_model = ContextModel(
        model.get("bias", 0.0), model.get("key", 1.0), {k: v for k, v in model.items() if k not in special},
        model.get("threshold", 0.5),
    )
    return out, ctx_model


#: (lemma, pos) → frame → CueFrame, and the context model, from seeds/lexicons/{speech_cues,cue_nouns}.csv
CUE_FRAMES, CONTEXT_MODEL = load_cue_frames(LEXICON_DIR / "speech_cues.csv", LEXICON_DIR / "cue_nouns.csv")

#: the learned content-boundary chooser (bench/train_boundaries.py), None without its seed file
BOUNDARY_MODEL = load_boundary_model(LEXICON_DIR / "boundary_model.csv")
#: the learned source-boundary chooser (bench/train_boundaries.py --target source), None without its file
SOURCE_BOUNDARY_MODEL = load_boundary_model(LEXICON_DIR / "source_boundary_model.csv")

#: frames tried per cue, most specific first; the first that yields a content wins
VERB_FRAME_ORDER = ("quote", "ccomp", "pre", "xcomp", "prep", "dobj")
NOUN_FRAME_ORDER = ("acl", "attr", "prep", "host")

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
OPEN_SINGLE = "‘‹"
CLOSE_SINGLE = "’›"
QUOTE_CHARS = frozenset(OPEN_DOUBLE + CLOSE_DOUBLE + OPEN_SINGLE + CLOSE_SINGLE + "\"'`")
_MARKS = re.compile("[" + re.escape("".join(sorted(QUOTE_CHARS))) + "]")
_SENT_END = frozenset(".?!")
_SUBJ = frozenset({"nsubj", "nsubjpass"})
#: first/second person: the author or an interview partner, not a named source
_FIRST_SECOND = frozenset({"i", "we", "you", "me", "us"})
#: expletive subjects ("It is said", "There is concern") are not sources
_EXPLETIVE = frozenset({"it", "there"})
#: nouns after "said in a ..." that belong to the cue (PolNeAR keeps them in the cue span)
_CUE_MEDIUM = frozenset({"statement", "interview"})
#: nouns whose participle ("a statement saying ...") speaks for the subject of the governing verb
_ARTIFACT_VERBS = frozenset({"issue", "release", "put", "send", "post", "publish", "sign", "write", "give", "make"})
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
    skip_to = lo
    # only a mark (or the ` of ``) can change anything: visit those positions, not every character
    for m in _MARKS.finditer(text, lo, hi):
        i = m.start()
        if i < skip_to:
            continue
        ch = text[i]
        width = 1
        if straight == '"' and text[i : i + 2] in ("''", "``"):
            ch, width = ('"' if text[i] == "'" else "“"), 2
        elif straight == "'" and (text[i : i + 2] == "''" or (i > lo and text[i - 1 : i + 1] == "''")):
            continue
        if ch in opens or (ch == straight and open_at is None and _is_open_ctx(text, i, lo)):
            if open_at is not None:  # unbalanced: a new opening before a close → recover
                spans.append((open_at, i, False))
            open_at = i
        elif (ch in closes or ch == straight) and open_at is not None:
            if not (ch in CLOSE_SINGLE and not _is_close_ctx(text, i + width - 1, hi)):  # not an apostrophe
                spans.append((open_at, i + width, True))
                open_at = None
        skip_to = i + width
    if open_at is not None:
        spans.append((open_at, hi, False))
    return spans


def quote_spans(text: str) -> list[QSpan]:
    """Quote spans, paragraph by paragraph (double quotes first, then top-level single quotes)."""
    out: list[QSpan] = []
    for p, (lo, hi) in enumerate(_paragraphs(text)):
        seg = text[lo:hi]
        if not any(ch in QUOTE_CHARS for ch in seg):
            continue
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
class Content:
    start: int  # characters
    end: int
    kind: str  # direct | indirect | mixed
    quotes: list[int]
    tok_start: int = 0  # token range (for nesting checks)
    tok_end: int = 0
    cue_to: int = -1  # the cue runs up to this token (exclusive) when the frame says so


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
    cue_tok: int = -1  # token index of the cue word (-1: continuation)
    frame: str = ""
    pos: str = ""
    tok_start: int = 0
    tok_end: int = 0
    scored: bool = False  # confidence comes from the lexicon weight (rescored by the context model)


class _Ctx:
    """Per-document arrays the rules share (built in one pass over the tokens)."""

    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.doc = doc
        self.text = text = doc.text
        self.qspans = quote_spans(text)
        self._tokens: list[Token] | None = None
        self.resolver = SpeakerResolver(doc, mentions, text)
        n = len(doc)
        # read off the Doc's arrays: a Token object per token made this the costliest step
        rows = doc.to_array([IDX, IS_PUNCT, IS_SPACE, ORTH]).tolist() if n else []
        strings = doc.vocab.strings
        texts = [strings[row[3]] for row in rows]
        self.idx = [row[0] for row in rows]
        self.is_punct = [  # "16%" keeps its sign
            bool((punct and text != "%") or space) for (_, punct, space, _), text in zip(rows, texts)
        ]
        self.tok_q = [-1] * n  # token → index of the quote span holding it
        self.para_of = [0] * n
        j = k = 0
        qs = self.qspans
        for i, (ci, text) in enumerate(zip(self.idx, texts)):
            while j < len(qs) and qs[j].end <= ci:
                j += 1
            if j < len(qs) and qs[j].start <= ci < qs[j].end:
                self.tok_q[i] = j
            self.para_of[i] = k
            if "\n" in text:  # a token's trailing whitespace is one space at most: breaks are tokens
                k += text.count("\n")
        self.sent_of = [0] * n
        self.sent_bounds: list[tuple[int, int]] = []
        for si, s in enumerate(sentence_spans(doc)):
            self.sent_bounds.append((s.start, s.end))
            for i in range(s.start, s.end):
                self.sent_of[i] = si

    @property
    def tokens(self) -> list[Token]:
        """The doc's tokens as a list (indexing a list is much cheaper than indexing the Doc)."""
        if self._tokens is None:
            self._tokens = list(self.doc)
        return self._tokens

    def inside_quote(self, t: Token) -> bool:
        return self.tok_q[t.i] >= 0 and self.text[t.idx] not in QUOTE_CHARS

    def char_end(self, i: int) -> int:
        """End character of token i."""
        return self.idx[i] + len(self.doc[i].text)

    def tok_at(self, char: int) -> int | None:
        """Index of the token starting at or holding character ``char``."""
        from bisect import bisect_right

        k = bisect_right(self.idx, char) - 1
        return k if k >= 0 else None


def _content_words(ctx: _Ctx, s: int, e: int) -> int:
    return sum(1 for i in range(s, e) if not ctx.is_punct[i])


def _trim(ctx: _Ctx, s: int, e: int) -> tuple[int, int]:
    """Trim punctuation/space tokens at both ends; quote marks of a quote inside the range stay."""
    doc = ctx.doc
    while s < e and ctx.is_punct[s] and not (doc[s].text in QUOTE_CHARS and ctx.tok_q[s] >= 0 and ctx.qspans[ctx.tok_q[s]].start == ctx.idx[s]):
        s += 1
    while e > s and ctx.is_punct[e - 1] and not (
        doc[e - 1].text in QUOTE_CHARS and ctx.tok_q[e - 1] >= 0 and ctx.qspans[ctx.tok_q[e - 1]].start < ctx.idx[e - 1]
    ):
        e -= 1
    return s, e


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


def _finish(ctx: _Ctx, s: int, e: int, min_words: int = 2) -> Content | None:
    """Character span and kind of the content token range [s, e)."""
    s, e = _trim(ctx, s, e)
    if e <= s or _content_words(ctx, s, e) < min_words:
        return None
    cs, ce = ctx.idx[s], ctx.char_end(e - 1)
    qs = _quotes_in(ctx, s, e)
    kind = "indirect"
    if qs:
        q0, q1 = ctx.qspans[qs[0]], ctx.qspans[qs[-1]]
        if ctx.tok_q[e - 1] >= 0:  # the content ends inside a quote: take the quote to its end
            ce = max(ce, q1.end)
        if ctx.tok_q[s] >= 0:
            cs = min(cs, q0.start)
        kind = "direct" if len(qs) == 1 and cs == q0.start and ce == q1.end else "mixed"
    return Content(cs, ce, kind, qs, s, e)


# ------------------------------------------------------------------------------ speakers
def subject_of(v: Token) -> tuple[Token, bool] | None:
    """The source token of cue verb ``v`` and whether it came from a passive agent."""
    subj = None
    for c in v.children:
        if c.dep_ == "agent":
            pobj = [g for g in c.children if g.dep_ == "pobj"]
            if pobj:
                return pobj[0], True
        elif c.dep_ in _SUBJ and (subj is None or _extracted_subject(subj, c, v)):
            subj = c  # "which they say left a vacuum": they say; which is the subject of "left"
        elif c.dep_ == "csubj" and c.tag_ == "VBG" and c.i < v.i and (
            inner := next((g for g in c.lefts if g.dep_ == "nsubj" and g.pos_ in ("NOUN", "PROPN")), None)
        ) is not None:
            # "Large majorities of voters going to the polls said ...": a reduced relative clause the
            # parser made the clausal subject – its own subject is the speaker
            subj = subj or inner
        elif c.dep_ in ("csubj", "expl"):
            return None
    if subj is not None:
        if subj.dep_ == "nsubjpass" or subj.lower_ in _EXPLETIVE and not any(
            c.dep_ in ("ccomp", "dobj", "xcomp") for c in v.children
        ):
            return None
        return subj, False
    num = next((c for c in v.lefts if c.dep_ in ("nummod", "npadvmod") and c.tag_ == "CD" and c.i == v.i - 1), None)
    if num is not None and any(g.lower_ == "in" or g.lower_ == "of" for g in num.lefts):
        return num, False  # "About 4 in 10 say ...": the poll share the parser took for a number on the verb
    head = v.head
    if head.i == v.i:
        return None
    if (
        v.dep_ == "acl" and v.tag_ in ("VBD", "VBN", "VBZ", "VBP") and head.dep_ == "ROOT" and head.pos_ in ("NOUN", "PROPN")
        and head.i < v.i and (v.tag_ != "VBN" or any(c.dep_ in ("dobj", "ccomp") for c in v.children))
    ):
        # "A Quinnipiac poll found last week that ...", "Murphy, the head of X, tweeted ...": the
        # sentence's only verb parsed as a reduced relative on the noun before it, which the parser
        # made the root; an object or a clause says it is active ("the man named in the suit" has none)
        return head, False
    # "..., adding that" / "a statement saying": the governing clause's subject
    if v.dep_ == "acl" and v.tag_ == "VBG":
        if head.dep_ == "dobj" and head.head.lemma_.lower() in _ARTIFACT_VERBS and head.head.pos_ == "VERB":
            return subject_of(head.head)
        if head.pos_ in ("NOUN", "PROPN") and head.dep_ in _SUBJ | {"dobj", "pobj", "appos", "attr", "conj", "ROOT"}:
            return head, False  # "super PACs supporting Clinton"
        return None
    if v.dep_ == "advcl" and head.pos_ in ("VERB", "AUX") and (
        v.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
    ):
        if v.tag_ == "VBG" and v.i > head.i and _set_off(v) and not _speech_verb(head) and (outer := _reporting_verb(head)) is not None and _one_paragraph(outer, v):
            return subject_of(outer)  # "Trump argued that a database would help, saying ...": Trump says
        return subject_of(head)  # "..., saying ..." / "tweeted to say ..."
    if v.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ not in ("VERB", "AUX") and v.tag_ == "VBG":
        # "In addition to stating that ..., Clinton has vowed": up the phrase to the verb it modifies
        t = head
        for _ in range(2):
            if t.head.dep_ == "pobj" and t.head.head.dep_ == "prep" and t.head.head.i < t.i:
                t = t.head.head
            else:
                break
        if t is not head and t.head.pos_ in ("VERB", "AUX") and t.i < t.head.i:
            head = t
    if v.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        got = subject_of(head.head)  # "responded by saying ...", "before adding ..."
        if got is None and v.tag_ == "VBG" and head.lower_ in _GERUND_PREPS:
            # "X was sidelined after demonstrating that ...": the passive subject does the gerund
            got = next(((c, False) for c in head.head.children if c.dep_ == "nsubjpass" and c.lower_ not in _EXPLETIVE), None)
        return got
    if v.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        outer = head.head
        if head.dep_ == "ccomp" and outer.i < head.i and "ccomp" in CUE_FRAMES.get((outer.lemma_.lower(), "VERB"), {}) and _second_cue_of_speaker(v):
            return subject_of(outer)  # "He said A has X and said that B": the second cue hangs on A's verb
        if (outer := _tense_mismatched_conj(v, head)) is not None:
            return subject_of(outer)  # "Kasich says he'd sit Putin down and tells the crowd ...": Kasich tells
        return subject_of(head)
    if v.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ == "acomp" and v.i > head.i:
        return subject_of(head.head)  # "companies are quick to point out that ..."
    if v.dep_ == "xcomp" and head.pos_ in ("VERB", "AUX") and v.i > head.i:
        objs = [c for c in head.children if c.dep_ == "dobj" and c.i < v.i]
        if objs:
            return None  # "urged X to say": X speaks, and X is no subject here
        raised = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        if raised is not None and head.lemma_.lower() in _RAISING:
            return raised, False  # "The Times is expected to endorse Clinton": the Times endorses
        return subject_of(head)
    return None


#: prepositions whose gerund ("after demonstrating", "by saying") is done by the subject of the
#: verb the phrase modifies, a passive one too ("X was fired after posting ...")
_GERUND_PREPS = frozenset({"after", "before", "by", "for", "since", "without", "while", "despite"})


def _extracted_subject(rel: Token, c: Token, v: Token) -> bool:
    """A relative pronoun the parser made a second subject of cue verb v ("which they say left ...",
    "that officials said would ...") when the clause's own subject c sits between it and v."""
    return rel.dep_ == "nsubj" and rel.tag_ in ("WDT", "WP") and c.dep_ == "nsubj" and rel.i < c.i < v.i and c.left_edge.i == rel.i + 1


def _set_off(v: Token) -> bool:
    """The participle clause of v opens after a comma or dash (", saying ...", "— adding ...")."""
    k = v.left_edge.i - 1
    return k >= 0 and v.doc[k].text in (",", "—", "–", "-", "--")


def _speech_verb(t: Token) -> bool:
    """A verb the lexicon knows with a reported-clause frame ("said", "added", "argued")."""
    frames = CUE_FRAMES.get((t.lemma_.lower(), "VERB"))
    return frames is not None and ("ccomp" in frames or "quote" in frames)


def _one_paragraph(a: Token, b: Token) -> bool:
    """No paragraph break between tokens a and b (a before b): a sentence the segmenter ran over a
    paragraph end (after a closing quote) is parsed as one, with the next paragraph's verb as a
    clause of the last one's. A token's trailing whitespace is one space at most: breaks are tokens."""
    return not any(t.is_space and "\n" in t.text for t in a.doc[a.i : b.i])


def _reporting_verb(h: Token) -> Token | None:
    """The cue verb whose reported clause holds verb h: "Trump *argued* that [a database would keep
    ...]", "X *rejected* the idea that [Y would be ...]", "X said Y will have to [choose]". A
    participle set off after such a clause (", saying ...") is the reporter's next attribution,
    though the parser hangs it on the last verb of the clause."""
    t = h
    for _ in range(4):
        if t.dep_ in ("conj", "xcomp") and t.head.pos_ in ("VERB", "AUX") and t.head.i < t.i:
            t = t.head
            continue
        if t.dep_ == "ccomp" and t.head.pos_ in ("VERB", "AUX") and t.head.i < t.i:
            outer = t.head
            return outer if outer.dep_ not in ("acl", "relcl", "amod") and "ccomp" in CUE_FRAMES.get((outer.lemma_.lower(), "VERB"), {}) else None
        if (
            t.dep_ == "acl" and t.head.pos_ == "NOUN" and t.head.dep_ == "dobj" and t.head.i < t.i
            and any(m.dep_ == "mark" and m.lower_ in ("that", "whether") for m in t.children)
        ):
            outer = t.head.head
            return outer if outer.pos_ == "VERB" and outer.dep_ not in ("acl", "relcl", "amod") and (outer.lemma_.lower(), "VERB") in CUE_FRAMES else None
        return None
    return None


def _tense_mismatched_conj(v: Token, head: Token) -> Token | None:
    """The reporting verb a subjectless conjunct v belongs to when the parser hung it on a verb of
    the reported clause whose form it does not share, but the reporting verb's it does: in "Kasich
    *says* he'd sit Putin down and *tells* the crowd ..." "tells" (VBZ) continues "says", not "sit"."""
    if any(c.dep_ in _SUBJ or c.dep_ in ("expl", "csubj") for c in v.children) or v.tag_ == head.tag_:
        return None
    first = head
    for _ in range(4):
        if first.dep_ != "conj" or first.head.pos_ not in ("VERB", "AUX"):
            break
        first = first.head
    outer = first.head
    if first.dep_ != "ccomp" or outer.i > first.i or outer.tag_ != v.tag_ or outer.pos_ not in ("VERB", "AUX"):
        return None
    return outer if (outer.lemma_.lower(), "VERB") in CUE_FRAMES else None


def _second_cue_of_speaker(v: Token) -> bool:
    """Conjunct cue verb v with a clausal complement and no subject of its own: in "He said [his
    attacks have given X] and said that B" / "said A but did not suggest B" the parser hangs the
    second cue on the reported verb, yet it is a second attribution of the first speaker."""
    return any(c.dep_ == "ccomp" and c.i > v.i for c in v.children) and not any(c.dep_ in _SUBJ for c in v.children)


_NP_INNER = frozenset({"appos", "compound", "amod", "nummod", "punct", "det", "poss", "prep", "pobj"})


def _misparsed_subject(ctx: _Ctx, v: Token) -> tuple[Token, bool] | None:
    """A speech verb the parser left without a subject: the noun phrase right before it
    ("Senator Harry Reid, the minority leader, said" parsed as a conjunct of an earlier noun) or,
    for "said X" after a quote, a named phrase right after it."""
    doc = ctx.doc
    if any(c.dep_ in ("nsubjpass", "expl", "csubj") for c in v.children) or v.dep_ not in ("ROOT", "parataxis", "ccomp", "conj"):
        return None
    sb, se = ctx.sent_bounds[ctx.sent_of[v.i]]
    k = _verb_group_start(v) - 1
    if k >= sb and doc[k].text == ",":
        k -= 1
    if k - 2 >= sb and doc[k].pos_ == "NUM" and doc[k].dep_ == "appos" and doc[k - 1].text == ",":
        k -= 2  # "Ramos, 58, told": the age after the name
    if k >= sb and ctx.tok_q[k] < 0 and doc[k].pos_ in ("NOUN", "PROPN"):
        t = doc[k]
        while t.dep_ in _NP_INNER and t.head.i < v.i and t.head.i != t.i and t.head.pos_ in ("NOUN", "PROPN", "ADP") and ctx.tok_q[t.head.i] < 0:
            t = t.head  # not into a quote before it ("“... our military,” Flynn, a surrogate, said")
        h = t.head
        if (
            t.dep_ == "dobj" and h.pos_ == "VERB" and h.i == t.left_edge.i - 1 and h.text[:1].isupper() and h.i > sb
            and doc[h.i - 1].text in QUOTE_CHARS and ctx.tok_q[h.i - 1] >= 0
        ):
            return h, False  # "“...,” Tulsa police Chief Chuck Jordan said": the name's first word parsed as a verb
        if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("dobj", "nsubj", "nsubjpass") and t.i >= sb:
            return t, False
    k = v.i + 1
    if v.lemma_.lower() == "tell":
        return None  # "told AFP": the one told, never the teller
    if k < se and ctx.tok_q[k] < 0 and doc[k].ent_type_ in ("PERSON", "ORG", "NORP", "GPE") and doc[k].head.i != v.i or (
        k < se and doc[k].head.i == v.i and doc[k].dep_ in ("dobj", "attr", "npadvmod", "dep") and doc[k].ent_type_ in ("PERSON", "ORG")
    ):
        t = doc[k]
        while t.head.i != v.i and t.head.i != t.i and t.head.i > v.i and t.dep_ in ("compound", "amod", "det", "nmod"):
            t = t.head
        if t.pos_ == "PROPN" and ctx.tok_q[t.i] < 0:
            return t, False
    return None


def _subject_here(ctx: _Ctx, v: Token) -> Token | None:
    """The noun phrase right before verb v in v's paragraph, for a subject the parser took from
    another paragraph: a time stamp, dateline or headline the sentence splitter ran into the next
    paragraph ("2:40 p.m.\n\nDonald Trump's campaign manager says ...", "Sen. Bernie Sanders
    (I-Vt.) defended ...")."""
    doc, p = ctx.doc, ctx.para_of[v.i]
    k = _verb_group_start(v) - 1
    if k >= 1 and doc[k].text == "," and doc[k - 1].text == ")":
        k -= 1  # "Gov. John Kasich (R-OH), said"; a noun before a bare comma ends an apposition or clause
    if k >= 0 and doc[k].text == ")":  # "(R-OH)", "(I-Vt.)"
        j = k - 1
        while j > k - 8 and j >= 0 and doc[j].text != "(":
            j -= 1
        k = j - 1 if j >= 0 and doc[j].text == "(" else -1
    if k < 0 or ctx.para_of[k] != p or ctx.tok_q[k] >= 0 or doc[k].pos_ not in ("NOUN", "PROPN"):
        return None
    t = doc[k]
    while (
        t.dep_ in _NP_INNER and t.head.i != t.i and t.head.i < v.i and ctx.para_of[t.head.i] == p
        and t.head.pos_ in ("NOUN", "PROPN", "ADP")
    ):
        t = t.head
    h = t.head
    for _ in range(6):  # not the end of another clause ("Obama, who has denounced ... a hate\ncrime, reiterated")
        if h.i == v.i or h.i == h.head.i or ctx.para_of[h.i] != p:
            break
        if h.pos_ in ("VERB", "AUX"):
            return None
        h = h.head
    return t if t.pos_ in ("NOUN", "PROPN") else None


#: passive verbs that raise the subject of their infinitive ("X is expected / set to endorse Y")
_RAISING = frozenset({"expect", "set", "schedule", "slate", "poise", "prepare", "believe", "think", "say", "report", "know", "reckon", "suppose"})


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
    doc = ctx.doc
    for t in head.rights:  # "Zucker, who has voiced the desire to run, said": two attributions
        if t.dep_ in ("relcl", "acl") and s <= t.left_edge.i < e and doc[t.left_edge.i - 1].text == "," and _is_cue_clause(t):
            e = t.left_edge.i
            break
    while s < head.i and (ctx.is_punct[s] or doc[s].dep_ == "cc" or doc[s].lower_ in _FOCUS_ADVERBS):
        s += 1
    while e > head.i + 1 and ctx.is_punct[e - 1]:
        e -= 1
    return s, e


def _is_cue_clause(v: Token) -> bool:
    """A relative clause that is an attribution of its own ("who estimated that ...", "who backed
    Romney"): the guidelines keep it out of the source, which would otherwise mask it."""
    frames = CUE_FRAMES.get((v.lemma_.lower(), "VERB"))
    if not frames or max(f.weight for f in frames.values()) < 0.5:
        return False
    return any(c.dep_ in ("ccomp", "xcomp", "dobj", "prep") for c in v.children)


#: adverbs before a subject ("Even Rendell said") that PolNeAR leaves out of the source; quantifying
#: ones ("*Both* sides", "*Only* Trump", "*Neither* X nor Y") stay in it, and so does the possessive
#: "'s" of a source ("*Cruz's* refusal to ...")
_FOCUS_ADVERBS = frozenset({"even", "also", "thus", "still", "too"})


def _make_actor(ctx: _Ctx, head: Token, cue: Token) -> Actor | None:
    if ctx.inside_quote(head):
        return None
    s, e = _speaker_bounds(head, ctx, cue)
    return ctx.resolver.actor_for(head, s, e)


def _speaker_conf(actor: Actor, head: Token) -> float:
    """Trust in the speaker: a name or a resolved reference 1.0; an unresolved pronoun 0.7;
    an unnamed noun phrase ("officials", "the report") 0.85 – it is the source PolNeAR marks."""
    if actor.ref_start is not None:
        return 1.0
    return 0.7 if head.pos_ == "PRON" else 0.85


# ------------------------------------------------------------------------------- direct
def _between_ok(ctx: _Ctx, a: int, b: int, allowed: set[int], max_free: int, max_words: int = 30) -> bool:
    """Tokens a..b-1 are punctuation, allowed tokens, or at most ``max_free`` others; same paragraph."""
    free = words = 0
    doc = ctx.doc
    for i in range(a, b):
        if ctx.tok_q[i] >= 0:
            return False
        if ctx.para_of[i] != ctx.para_of[a]:
            return False
        if ctx.is_punct[i]:
            if doc[i].text in _SENT_END:
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


_SKIP_DEPS = frozenset({"advmod", "aux", "auxpass", "neg", "prt", "npadvmod", "dative", "nsubj", "agent", "prep", "cc"})
_OBJ_DEPS = frozenset({"dobj", "oprd", "attr", "acomp"})


def _clause_boundary(t: Token) -> bool:
    """The token before a quote leaves it clause-initial (so not a title or a fragment)."""
    return t.is_punct or t.is_space or "\n" in t.text_with_ws or t.is_sent_end or t.lower_ in ("and", "but")


def _adjacent_quote(ctx: _Ctx, v: Token, speaker: Token) -> tuple[int, int | None] | None:
    """A quote span adjacent to the clause of cue verb v: ``(quote index, mixed content start)``.

    The mixed start is set when an object sits between the cue and the quote ("called it “...”",
    "described the field as “...”"): the content then starts at that object, as in PolNeAR.
    """
    doc = ctx.tokens  # a list: indexing the Doc makes a new Token each time
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
        qs_tok = ctx.tok_at(q.start)
        clause_initial = qs_tok is None or qs_tok == 0 or _clause_boundary(doc[qs_tok - 1])
        if (q.n_words >= MIN_DIRECT_WORDS or _one_word_reply(ctx, q)) and clause_initial and _between_ok(ctx, j + 1, v.i, spk | skip, 1, 40):
            return qi, None
    # quote after the cue: he said, “...” / he added: “...” / he called it “...”
    j = v.i + 1
    while j < len(doc) and ctx.tok_q[j] < 0 and j - v.i <= 12 and doc[j].text not in _SENT_END:
        j += 1
    if j < len(doc) and ctx.tok_q[j] >= 0 and ctx.qspans[ctx.tok_q[j]].start == ctx.idx[j]:
        qi = ctx.tok_q[j]
        q = ctx.qspans[qi]
        if q.n_words < 1:
            return None
        if ctx.para_of[j] != ctx.para_of[v.i]:
            # "He said:\n\n“We have ...”": a colon ends the cue's paragraph, the quote opens the next
            return (qi, None) if _colon_introduced(ctx, v, j, spk | skip) and q.n_words >= MIN_DIRECT_WORDS else None
        if _runs_on(ctx, q) or (_interjected(ctx, v) and _words_before_clause(ctx, v) and not _own_clause(ctx, v, qi)):
            return None  # “one or two instances” where ... / X, she said, “is ...”: a mixed content
        if _between_ok(ctx, v.i + 1, j, spk | skip, 0, 6):
            introduced = any(doc[k].text in (",", ":") for k in range(v.i + 1, j))
            if q.n_words >= MIN_DIRECT_WORDS + (0 if introduced else 1):
                return qi, None
            return None
        if obj and _between_ok(ctx, v.i + 1, j, spk | skip | obj, 0, 8):
            first = min((i for i in obj if i > v.i), default=None)
            if first is not None:
                return qi, ctx.idx[first]
    return None


def _one_word_reply(ctx: _Ctx, q: QSpan) -> bool:
    """A one-word quote punctuated as an utterance of its own (“Really,” she said / “Absolutely,”
    he said): the word is followed by a comma, question or exclamation mark inside the marks."""
    inner = ctx.text[q.start : q.end].rstrip("".join(QUOTE_CHARS) + " ")
    return q.n_words == 1 and inner[-1:] in (",", "?", "!")


def _colon_introduced(ctx: _Ctx, v: Token, j: int, allowed: set[int]) -> bool:
    """Token j opens the paragraph right after the cue's, whose last words are the cue and a colon
    ("He said:", "The governor added:", "Cruz continued:"): only the cue's own words (its speaker,
    adverbs, a prepositional phrase), the colon and the paragraph break lie between."""
    doc = ctx.tokens
    k = j - 1
    while k > v.i and doc[k].is_space:
        k -= 1
    if k <= v.i or doc[k].text != ":" or ctx.para_of[j] == ctx.para_of[k] or any(not doc[i].is_space for i in range(k + 1, j)):
        return False
    return _between_ok(ctx, v.i + 1, k, allowed, 0, 6)


def _own_clause(ctx: _Ctx, v: Token, qi: int) -> bool:
    """The quote after an interjected-looking cue is a sentence of its own – its verb has its subject
    inside the quote ("Asked about X, he said, “They have got to win.”"), unlike "X, she said, “is ...”"."""
    h = v.head
    if h.i == v.i or ctx.tok_q[h.i] != qi:
        return False
    return any(c.dep_ in _SUBJ and ctx.tok_q[c.i] == qi for c in h.children)


def _runs_on(ctx: _Ctx, q: QSpan) -> bool:
    """Words of the same clause follow the closing mark (“one or two instances” where ...)."""
    if not q.closed:
        return False
    k = ctx.tok_at(q.end)
    if k is None or k >= len(ctx.doc) or ctx.idx[k] < q.end or ctx.para_of[k] != ctx.para_of[ctx.tok_at(q.start) or 0]:
        return False
    t = ctx.doc[k]
    return not (t.is_punct or t.is_space) and ctx.tok_q[k] < 0 and t.dep_ not in ("nsubj", "cc") and t.pos_ != "VERB"


def _words_before_clause(ctx: _Ctx, v: Token) -> bool:
    """Unquoted words open the sentence before an interjected cue ("The club, she said, “...”")."""
    sb = ctx.sent_bounds[ctx.sent_of[v.i]][0]
    return any(ctx.tok_q[i] < 0 and not ctx.is_punct[i] for i in range(sb, v.left_edge.i))


# ------------------------------------------------------------------------------- content
def _cut_tail(ctx: _Ctx, head: Token, s: int, e: int) -> int:
    """End of a content before what PolNeAR leaves out of it: a further attribution hanging off it
    (", adding that ...", "and said that ...") – annotated on its own – and a trailing relative
    clause the author adds (", which ...") – "when in doubt, don't include it"."""
    doc = ctx.doc
    for i in range(max(s, head.i + 1), e):
        t = doc[i]
        if t.dep_ in ("advcl", "parataxis", "conj") and t.pos_ == "VERB" and (t.lemma_.lower(), "VERB") in CUE_FRAMES:
            le = t.left_edge.i
            if t.dep_ == "conj":  # "..., and he railed against ...": a new attribution by its own subject
                if le > s + 1 and doc[le - 1].dep_ == "cc" and doc[le - 2].text == "," and any(c.dep_ == "nsubj" for c in t.children):
                    return le - 2
                # "said A and said that B" / "said A but did not suggest B": a second cue of the same speaker
                if le > s + 1 and doc[le - 1].dep_ == "cc" and _second_cue_of_speaker(t):
                    return le - 2 if doc[le - 2].text == "," else le - 1
            elif le > s and doc[le - 1].text in (",", ";", "—", "–", "-"):
                if any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in t.children) or t.tag_ == "VBG":
                    return le - 1
    for k in range(max(s + 1, head.i), e - 1):
        if doc[k].text not in (",", ";", "—", "–") or ctx.tok_q[k] >= 0:
            continue
        r = _trailing_root(doc, k + 1, e)
        if r is not None and _is_author_addition(r):
            return k
    return e


def _trailing_root(doc: Doc, start: int, e: int) -> Token | None:
    """The token whose subtree starts at ``start`` (after a conjunction) and runs to the content end."""
    t = doc[start]
    if t.dep_ == "cc" and start + 1 < e:
        t = doc[start + 1]
    base = t.left_edge.i
    while t.head.i != t.i and t.head.left_edge.i == base and t.head.i < e:
        t = t.head
    if t.right_edge.i + 1 < e - 1:
        return None
    return t


def _is_author_addition(r: Token) -> bool:
    """A trailing clause the author adds to the content (", which ..."). PolNeAR's annotators do keep
    trailing participles (", cementing his status"), contrasts (", while ...") and ", including ..."
    / ", despite ..." phrases in the content more often than not (measured on train), so only
    relative clauses are cut."""
    return r.dep_ == "relcl" or (r.dep_ in ("acl", "advcl") and r.left_edge.tag_ in ("WDT", "WP", "WP$", "WRB"))


def _ccomp_content(ctx: _Ctx, v: Token) -> Content | None:
    comp = next((c for c in v.children if c.dep_ == "ccomp" and c.i > v.i), None)
    if comp is None:
        comp = _clause_on_circumstance(v)
    if comp is None:
        return None
    start = max(comp.left_edge.i, v.i + 1)
    if comp.left_edge.i < v.i and comp.left_edge.tag_ in ("WDT", "WP") and v.dep_ == "relcl":
        start = comp.left_edge.i  # "which officials said will go into effect": PolNeAR spans it all
    s, e = _clip_para(ctx, v.i, start, comp.right_edge.i + 1)
    e = _clip_para(ctx, v.i, s, _extend_over_cue_modifiers(ctx, v, e))[1]
    return _finish(ctx, s, _cut_tail(ctx, comp, s, e))


def _clause_on_circumstance(v: Token) -> Token | None:
    """A that-clause the parser hung on the noun of a short phrase after cue verb v instead of on v
    ("said in a statement [that ...]", "reported at the time [that ...]"): the clause opens with
    the complementizer "that" right after the phrase, and v has no object."""
    if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in v.children):
        return None
    for p in v.rights:
        if p.dep_ != "prep" or p.i > v.i + 3 or p.lower_ in _TOPIC_PREPS:
            continue  # "pointed to reports that ...": the reports are the content
        obj = next((c for c in p.children if c.dep_ == "pobj"), None)
        if obj is None:
            continue
        for c in obj.rights:
            first = c.left_edge
            if (
                c.dep_ in ("acl", "relcl", "ccomp") and first.lower_ == "that" and first.dep_ in ("mark", "advmod")
                and first.head.i == c.i and first.i - p.i <= 6 and all(t.i < first.i for t in obj.lefts)
            ):
                return c
    return None


_REASON_MARKS = frozenset({"because", "although", "though", "while", "since", "if", "unless", "as", "so", "whereas", "but"})


def _extend_over_cue_modifiers(ctx: _Ctx, v: Token, e: int) -> int:
    """The parser often hangs the rest of the reported clause on the cue verb ("said [it did not
    include them] [because ...]", "said [that A,] [and that B]"); PolNeAR's content runs on."""
    doc = ctx.doc
    for c in v.rights:
        if c.i < e:
            continue
        if c.dep_ == "punct":
            if c.text in _SENT_END:
                break
            continue
        if c.dep_ == "cc":
            continue
        ok = False
        if c.dep_ == "advcl":
            marks = [m.lower_ for m in c.children if m.dep_ == "mark"]
            ok = any(m in _REASON_MARKS for m in marks) or (c.tag_ == "VBG" and (c.lemma_.lower(), "VERB") not in CUE_FRAMES)
        elif c.dep_ == "prep":
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            ok = obj is not None and obj.ent_type_ not in _TIME_ENTS and obj.lemma_.lower() not in _CUE_MEDIUM and c.i > e
        elif c.dep_ == "conj":
            ok = any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children) or (
                (c.lemma_.lower(), "VERB") not in CUE_FRAMES and not any(g.dep_ == "nsubj" for g in c.children)
            )
        if not ok:
            break
        e = max(e, c.right_edge.i + 1)
    return e


def _pre_content(ctx: _Ctx, v: Token, spk: Token) -> Content | None:
    """'X is Y, he said.' (content = the preceding clause) / 'X, he said, is Y' (the whole host clause)."""
    doc = ctx.doc
    comp = next((c for c in v.children if c.dep_ == "ccomp" and c.i < v.i), None)
    if comp is not None:
        stop = min(v.i, spk.left_edge.i) if spk.i < v.i else v.i
        s, e = _clip_para(ctx, v.i, comp.left_edge.i, min(comp.right_edge.i + 1, stop))
        return _finish(ctx, s, e)
    h = v.head
    if v.dep_ not in ("parataxis", "ccomp", "advcl") or h.i == v.i or h.pos_ not in ("VERB", "AUX"):
        return None
    first, last = _clause_edges(v, spk)
    lo = min(h.left_edge.i, v.left_edge.i)
    if first == 0 or not doc[first - 1].is_punct or first <= lo:
        return None
    s, e = _clip_para(ctx, v.i, lo, h.right_edge.i + 1)
    if last + 1 >= e - 1:  # the cue closes the clause: content is what precedes it
        e = first
    res = _finish(ctx, s, e)
    if res is None or (res.tok_start <= v.i < res.tok_end and res.tok_end - res.tok_start < 6):
        return None
    return res


def _xcomp_content(ctx: _Ctx, v: Token) -> Content | None:
    comp = next((c for c in v.children if c.dep_ == "xcomp" and c.i > v.i), None)
    if comp is None:
        return None
    s = comp.left_edge.i
    obj = next((c for c in v.children if c.dep_ == "dobj" and v.i < c.i < comp.i), None)
    if obj is not None:  # "urged Congress to act": PolNeAR keeps the object in the content
        s = obj.left_edge.i
    s, e = _clip_para(ctx, v.i, max(s, v.i + 1), comp.right_edge.i + 1)
    return _finish(ctx, s, _cut_tail(ctx, comp, s, e), min_words=1)


def _dobj_content(ctx: _Ctx, v: Token) -> tuple[str, Content | None]:
    """The object with its predicate ("endorsed *Clinton*", "called *him a liar*"); when the object
    is a noun holding the content ("expressed *skepticism that X*", "asked *questions about X*") the
    frame is ``dobj:that`` / ``dobj:about`` and the content is that clause / phrase (the noun then
    belongs to the cue, as PolNeAR marks it)."""
    obj = next((c for c in v.children if c.dep_ == "dobj" and c.i > v.i and c.ent_type_ not in _TIME_ENTS), None)
    if obj is None:
        subj = next((c for c in v.children if c.dep_ == "nsubjpass" and c.i < v.i), None)
        if subj is not None and any(c.dep_ == "agent" for c in v.children) and subj.tag_ not in ("WDT", "WP", "PRP"):
            # "The meeting was first reported by Politico": the passive subject is the active object
            s, e = _clip_para(ctx, v.i, subj.left_edge.i, subj.right_edge.i + 1)
            return "dobj", _finish(ctx, s, e, min_words=1)
        return "dobj", None
    if _noun_cue_content(obj) is not None and not any(c.dep_ == "poss" for c in obj.children):
        # "expressed concern that ...": the noun's own frame gives the content – but a possessed
        # noun is a whole object ("praised *Rubio's positions on defense*", "cheered *her attacks on X*")
        return "dobj", None
    if obj.pos_ == "NOUN":
        for c in obj.rights:
            that = c.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            about = c.dep_ == "prep" and c.lower_ == "about"
            if that or about:
                inner = c if that else next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if inner is None:
                    break
                s, e = _clip_para(ctx, v.i, inner.left_edge.i, inner.right_edge.i + 1)
                got = _finish(ctx, s, _cut_tail(ctx, inner, s, e), min_words=1)
                if got is not None:
                    got.cue_to = c.i + (0 if that else 1)
                return ("dobj:that" if that else "dobj:about"), got
    e = obj.right_edge.i + 1
    for c in obj.rights:  # "denied the allegations [in a statement]": how it was said, not what
        if c.dep_ == "prep" and not _content_prep(c) and c.right_edge.i + 1 >= e:
            e = c.left_edge.i
            break
    for c in v.rights:  # the object's predicate: "called him a liar", "endorsed X for president"
        if c.i <= obj.i:
            continue
        if c.dep_ in ("oprd", "ccomp", "xcomp") or (c.dep_ == "prep" and _content_prep(c)):
            e = max(e, c.right_edge.i + 1)
        elif c.dep_ not in ("punct", "cc"):
            break
    s, e = _clip_para(ctx, v.i, max(obj.left_edge.i, v.i + 1), e)
    return "dobj", _finish(ctx, s, _cut_tail(ctx, obj, s, e), min_words=1)


#: where/when/how something was said ("praised X *in an interview*", "*during a debate*"): not content
_SPEECH_EVENTS = frozenset(
    """interview statement speech conference briefing debate rally event hearing appearance show program
    broadcast podcast post tweet page letter email op-ed column article book memo video ad call meeting
    session remark radio television tv facebook twitter website blog release news network newspaper""".split()
)
_CIRCUMSTANCE_PREPS = frozenset({"during", "after", "before", "since", "amid", "despite", "while", "until", "throughout"})


def _content_prep(p: Token) -> bool:
    """A prepositional phrase after the object that belongs to the content ("criticized X *for Y*",
    "described X *as Y*"), not to the circumstances of saying it ("*in an interview*", "*on Monday*")."""
    if p.lower_ in _CIRCUMSTANCE_PREPS:
        return False
    obj = next((g for g in p.children if g.dep_ in ("pobj", "pcomp")), None)
    if obj is None or obj.ent_type_ in _TIME_ENTS:
        return False
    # "said *in an interview*" is how it was said; "responded *to her remarks*" what it was about
    return obj.lemma_.lower() not in _SPEECH_EVENTS or p.lower_ in _TOPIC_PREPS


_TOPIC_PREPS = frozenset({"to", "about", "for", "against", "of", "over"})


def _noun_cue_content(n: Token) -> Token | None:
    """The content-bearing dependent of a cue noun ("concern *that ...*", "support *for* X")."""
    frames = CUE_FRAMES.get((n.lemma_.lower(), "NOUN"))
    if not frames or n.pos_ != "NOUN":
        return None
    for c in n.children:
        if c.i < n.i:
            continue
        if c.dep_ in ("acl", "ccomp") and "acl" in frames:
            return c
        if c.dep_ == "prep" and f"prep:{c.lower_}" in frames:
            return c
    return None


def _prep_children(t: Token, frames: Mapping[str, object], all_frames: bool) -> Iterator[tuple[str, Token, Token]]:
    """(frame, preposition, its object) for the prepositions after ``t`` that the lexicon accepts
    ("lashed out at Turkey *for* shooting down ...": only "for" is a content slot of "lash")."""
    for c in t.rights:
        if c.dep_ in ("advcl", "ccomp", "xcomp") and c.left_edge.lower_ == "for" and c.left_edge.dep_ == "mark":
            # "called for the United States to act": a for-to clause, "for" the clause's marker
            if all_frames or "prep:for" in frames:
                yield "prep:for", c.left_edge, c
            continue
        if c.dep_ != "prep":
            continue
        frame = f"prep:{c.lower_}"
        if not (all_frames or frame in frames) or not _content_prep(c):
            continue
        obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
        if obj is not None and obj.ent_type_ not in _TIME_ENTS:
            yield frame, c, obj


#: a date or time is when it was said, never what
_TIME_ENTS = frozenset({"DATE", "TIME"})


def _prep_content(ctx: _Ctx, t: Token, p: Token, obj: Token) -> Content | None:
    """The prepositional object; with the cue's own object before it ("criticized *X for Y*",
    "described *himself as Y*") and an infinitive after it ("called on *Congress to act*")."""
    e = obj.right_edge.i + 1
    s = obj.left_edge.i if p.dep_ != "mark" else p.i + 1
    for c in t.children:
        if c.dep_ == "xcomp" and c.i > obj.i:
            e = max(e, c.right_edge.i + 1)
        elif c.dep_ == "dobj" and t.i < c.i < p.i:
            s = c.left_edge.i
    s, e = _clip_para(ctx, t.i, max(s, t.i + 1), e)
    return _finish(ctx, s, _cut_tail(ctx, obj, s, e), min_words=1)


def _verb_contents(
    ctx: _Ctx, v: Token, spk: Token, frames: Mapping[str, object], all_frames: bool
) -> Iterator[tuple[str, Content]]:
    """(frame, content) for every frame of cue verb v the lexicon accepts (all of them when mining)."""
    for frame, got in _verb_frame_contents(ctx, v, spk, frames, all_frames):
        if got is None or not (all_frames or frame in frames):
            continue
        if frame != "quote" and got.kind == "direct" and _title_like(ctx, ctx.qspans[got.quotes[0]]):
            continue  # "released “Midnight Train”": a title, not words anybody said
        got = _from_relative_pronoun(ctx, v, got)
        wraps = (frame == "pre" and _interjected(ctx, v, spk)) or ctx.doc[got.tok_start].tag_ in ("WDT", "WP")
        if got.tok_start <= spk.i < got.tok_end and not wraps:
            continue  # the speaker inside its own content: a parse error (unless "X, he said, Y")
        yield frame, got


#: relative pronouns that stand for a part of the content ("which he described as “...”")
_REL_CONTENT = frozenset({"which", "who", "whom", "what"})


def _from_relative_pronoun(ctx: _Ctx, v: Token, got: Content) -> Content:
    """A content after a cue whose object (or passive subject) is a relative pronoun starts at the
    pronoun: "which he described as his second home", "what aide Kevin Phillips called “a new
    era”", "who he accused of ..." – PolNeAR spans the pronoun, the source and the cue with the rest
    (as for "which officials said will go into effect")."""
    if got.tok_start <= v.i:
        return got
    wh = next((c for c in v.children if c.i < v.i and c.dep_ in ("dobj", "nsubjpass", "nsubj") and c.lower_ in _REL_CONTENT and c.tag_ in ("WDT", "WP")), None)
    if wh is not None and wh.dep_ == "nsubj" and not any(_extracted_subject(wh, c, v) for c in v.children):
        return got
    if wh is None or ctx.para_of[wh.i] != ctx.para_of[v.i]:
        return got
    new = _finish(ctx, wh.i, got.tok_end, min_words=1)
    if new is None:
        return got
    new.cue_to = got.cue_to
    return new


def _verb_frame_contents(
    ctx: _Ctx, v: Token, spk: Token, frames: Mapping[str, object], all_frames: bool
) -> Iterator[tuple[str, Content | None]]:
    def wanted(fam: str) -> bool:
        return all_frames or any(f == fam or f.startswith(fam + ":") for f in frames)

    if wanted("quote"):
        adj = _adjacent_quote(ctx, v, spk)
        if adj is not None:
            qi, mixed_start = adj
            q = ctx.qspans[qi]
            start, kind = (q.start, "direct") if mixed_start is None else (mixed_start, "mixed")
            yield "quote", Content(start, q.end, kind, [qi], *_tok_range(ctx, start, q.end))
    if wanted("ccomp"):
        yield "ccomp", _ccomp_content(ctx, v)
    if wanted("pre"):
        yield "pre", _pre_content(ctx, v, spk)
    if wanted("xcomp"):
        yield "xcomp", _xcomp_content(ctx, v)
    if wanted("prep"):
        for frame, p, obj in _prep_children(v, frames, all_frames):
            yield frame, _prep_content(ctx, v, p, obj)
    if wanted("dobj"):
        yield _dobj_content(ctx, v)


def _title_like(ctx: _Ctx, q: QSpan) -> bool:
    """A short quoted name – a title or a term ("“Midnight Train”", "“Meet the Press”") – rather
    than quoted speech: at most six words, all capitalised, or at most three with no verb."""
    words = ctx.text[q.start : q.end].strip("".join(QUOTE_CHARS) + " .,;:!?").split()
    if not words or len(words) > 6:
        return False
    small = {"a", "an", "the", "of", "and", "or", "in", "on", "to", "for", "at", "with", "by", "from"}
    if all(w[:1].isupper() or w.lower() in small or not w[:1].isalpha() for w in words):
        return True
    if len(words) <= 3:
        s, e = _tok_range(ctx, q.start, q.end)
        return not any(ctx.doc[i].pos_ in ("VERB", "AUX") for i in range(s, e))
    return False


def _interjected(ctx: _Ctx, v: Token, spk: Token | None = None) -> bool:
    """The cue clause sits between commas inside the content: "X, he said, is Y"."""
    doc = ctx.doc
    first, last = _clause_edges(v, spk)
    a, b = first - 1, last + 1
    return a > 0 and b < len(doc) - 1 and doc[a].text == "," and doc[b].text == "," and ctx.tok_q[a] < 0


def _clause_edges(v: Token, spk: Token | None = None) -> tuple[int, int]:
    """First and last token of v's subtree without the commas the parser hangs on v itself. With
    the speaker of an interjected cue, the clause starts at the speaker's phrase: in "Voters, Clinton
    suggested, don't ..." / "At times, people close to him said, ..." the parser hangs the opening
    words of the host clause on the cue."""
    doc = v.doc
    first, last = v.left_edge.i, v.right_edge.i
    if spk is not None and v.dep_ == "parataxis" and spk.dep_ in ("nsubj", "nsubjpass") and first < spk.i < v.i:
        fs = spk.left_edge.i
        if first < fs and doc[fs - 1].text == ",":
            first = fs
    while first < v.i and doc[first].is_punct:
        first += 1
    while last > v.i and doc[last].is_punct:
        last -= 1
    return first, last


def _tok_range(ctx: _Ctx, cs: int, ce: int) -> tuple[int, int]:
    s = ctx.tok_at(cs) or 0
    e = ctx.tok_at(ce - 1)
    return s, (e + 1 if e is not None else s + 1)


# ------------------------------------------------------------------------------- cue spans
def _verb_group_start(v: Token) -> int:
    """First token of v's verb group: contiguous auxiliaries, negation and adverbs before it."""
    left = {c.i for c in v.lefts if c.dep_ in ("aux", "auxpass", "neg") or (c.dep_ == "advmod" and c.pos_ == "ADV")}
    s = v.i
    while s - 1 in left:
        s -= 1
    return s


def _cue_end(ctx: _Ctx, t: Token, frame: str) -> int:
    """Last token (exclusive) of the cue: particle, the frame's preposition, "in a statement"."""
    doc = ctx.doc
    e = t.i + 1
    for c in t.rights:
        if c.dep_ == "prt" and c.i == e:
            e += 1
    if frame.startswith("prep:"):
        p = next((c for c in t.rights if c.dep_ == "prep" and c.lower_ == frame[5:]), None)
        if p is not None and p.i == e:
            e += 1
        elif e < len(doc) and doc[e].lower_ == frame[5:] and doc[e].dep_ == "mark" and doc[e].head.head.i == t.i:
            e += 1  # "called for [the US to act]"
    if e < len(doc) and doc[e].lower_ == "in" and doc[e].head.i == t.i:
        obj = next((c for c in doc[e].children if c.dep_ == "pobj"), None)
        if obj is not None and obj.lemma_.lower() in _CUE_MEDIUM and obj.i <= e + 3:
            e = obj.i + 1
    return e


# ----------------------------------------------------------------------------- generators
Lookup = Callable[[str, str], Mapping[str, CueFrame] | None]


def _lexicon_lookup(lemma: str, pos: str) -> Mapping[str, CueFrame] | None:
    return CUE_FRAMES.get((lemma, pos))


def _frame_weight(frames: Mapping[str, object], frame: str) -> float:
    cf = frames.get(frame)
    return cf.weight if isinstance(cf, CueFrame) else 1.0


def verb_attributions(ctx: _Ctx, lookup: Lookup = _lexicon_lookup, all_frames: bool = False) -> Iterator[Cand]:
    """Cue verbs (and cue adjectives after a copula) with a source and a content frame."""
    doc = ctx.doc
    for t in ctx.tokens:
        pos = t.pos_
        if pos == "AUX" and t.dep_ not in ("aux", "auxpass"):
            pos = "VERB"
        if pos not in ("VERB", "ADJ"):
            continue
        frames = lookup(t.lemma_.lower(), pos)
        if not frames or ctx.inside_quote(t):
            continue
        if pos == "VERB":
            yield from _verb_cands(ctx, t, frames, all_frames)
        elif t.dep_ in ("acomp", "oprd") and t.head.pos_ in ("VERB", "AUX"):
            yield from _adj_cands(ctx, t, frames, all_frames)


def _verb_cands(ctx: _Ctx, v: Token, frames: Mapping[str, object], all_frames: bool) -> Iterator[Cand]:
    if v.dep_ in ("aux", "auxpass", "amod"):
        return
    sub = subject_of(v)
    if sub is not None and ctx.inside_quote(sub[0]) and not sub[1]:
        # "“My reaction, that was outrageous,” the strategist said": the parser gave the verb the
        # quote's subject too; the one outside the quote speaks
        sub = next(((c, False) for c in v.children if c.dep_ == "nsubj" and c.i > sub[0].i and not ctx.inside_quote(c)), None)
    if sub is None and ("quote" in frames or all_frames):
        sub = _misparsed_subject(ctx, v)
    if sub is None:
        return
    spk = sub[0]
    if ctx.para_of[spk.i] != ctx.para_of[v.i]:
        gov = spk.head  # "X defended Y, saying": X, the subject of "defended"
        spk = _subject_here(ctx, gov if spk.dep_ in _SUBJ and ctx.para_of[gov.i] == ctx.para_of[v.i] else v)  # "9:18 p.m.\n\nDonald Trump is thanking": the time is no subject
        if spk is None:
            return
    if spk.lower_ in _FIRST_SECOND and not all_frames:
        return
    actor = _make_actor(ctx, spk, v)
    if actor is None:
        return
    lemma = v.lemma_.lower()
    cue_s = _verb_group_start(v)
    for frame, content in _verb_contents(ctx, v, spk, frames, all_frames):
        cue_e = max(_cue_end(ctx, v, frame), content.cue_to)
        conf = _frame_weight(frames, frame)
        yield Cand(
            actor, spk.i, ctx.idx[cue_s], ctx.char_end(cue_e - 1), lemma, content.start, content.end,
            content.kind, conf, content.quotes, v.i, frame, "VERB", content.tok_start, content.tok_end, True,
        )


def _adj_cands(ctx: _Ctx, a: Token, frames: Mapping[str, object], all_frames: bool) -> Iterator[Cand]:
    """'Republicans are critical of the deal', 'She is confident that ...', 'He is eager to run'."""
    cop = a.head
    sub = subject_of(cop)
    if sub is None:
        return
    spk = sub[0]
    if spk.lower_ in _FIRST_SECOND and not all_frames:
        return
    actor = _make_actor(ctx, spk, a)
    if actor is None:
        return
    options: list[tuple[str, Content | None]] = []
    for frame, p, obj in _prep_children(a, frames, all_frames):
        options.append((frame, _prep_content(ctx, a, p, obj)))
    comp = next((c for c in list(a.children) + list(cop.children) if c.dep_ == "ccomp" and c.i > a.i), None)
    if comp is not None:
        s, e = _clip_para(ctx, a.i, comp.left_edge.i, comp.right_edge.i + 1)
        options.append(("ccomp", _finish(ctx, s, e)))
    x = next((c for c in a.children if c.dep_ == "xcomp" and c.i > a.i), None)
    if x is not None:
        s, e = _clip_para(ctx, a.i, x.left_edge.i, x.right_edge.i + 1)
        options.append(("xcomp", _finish(ctx, s, e, min_words=1)))
    lemma = a.lemma_.lower()
    for frame, content in options:
        if content is None or not (all_frames or frame in frames):
            continue
        if content.tok_start <= spk.i < content.tok_end:
            continue
        cue_s = _verb_group_start(cop) if cop.i < a.i else a.i
        cue_e = _cue_end(ctx, a, frame)
        conf = _frame_weight(frames, frame)
        yield Cand(
            actor, spk.i, ctx.idx[cue_s], ctx.char_end(cue_e - 1), lemma, content.start, content.end,
            content.kind, conf, content.quotes, a.i, frame, "ADJ", content.tok_start, content.tok_end, True,
        )


#: a possessive pronoun and the subjects it can stand for ("he repeated *his* claim": he)
_POSS_GENDER = {"his": "m", "her": "f"}
_POSS_AGREES = {"his": frozenset({"he"}), "her": frozenset({"she"}), "their": frozenset({"they"}), "its": frozenset({"it"})}


def _bound_possessor(ctx: _Ctx, n: Token, poss: Token) -> tuple[Token, int] | None:
    """(subject, first cue token) when cue noun n's possessive pronoun refers back to the subject of
    the verb that governs n: "De Blasio repeated *his claim* that ...", "He stepped up *his attacks on*
    ...", "Some of those surveyed shared *their concerns about* ..." – the subject says it, and the
    verb group up to the noun is the cue (PolNeAR). Only when the pronoun agrees with the subject."""
    agree = _POSS_AGREES.get(poss.lower_)
    if agree is None:
        return None
    h = n.head
    start = n.left_edge.i  # the noun phrase follows the verb group ("is keeping up his criticism")
    if n.dep_ == "pobj" and h.dep_ == "prep" and h.i < n.i and start == h.i + 1:
        start, h = h.i, h.head  # "expanded upon his calls for ...": a preposition right after it
    elif n.dep_ != "dobj":
        return None
    if h.pos_ not in ("VERB", "AUX") or h.i > start or any(ctx.doc[i].dep_ not in ("prt", "advmod", "neg") for i in range(h.i + 1, start)):
        return None
    sub = subject_of(h)
    if sub is None or sub[1]:
        return None
    spk = sub[0]
    if spk.pos_ == "PRON":
        if spk.lower_ not in agree:
            return None
    elif poss.lower_ == "its" or (poss.lower_ == "their") != (spk.tag_ in ("NNS", "NNPS")):
        return None  # "Clinton mocked their plan", "Democrats touted its plan": someone else's
    elif poss.lower_ in _POSS_GENDER and (nm := ctx.resolver.named_at(spk.i)) is not None:
        g = ctx.resolver.gender_of(nm.canon)
        if g in ("m", "f") and g != _POSS_GENDER[poss.lower_]:
            return None  # "Clinton mocked his plan": his is not Clinton
    return spk, _verb_group_start(h)


def _noun_source(ctx: _Ctx, n: Token) -> tuple[Token, int] | None:
    """(source token, first cue token) of cue noun n: its possessor (or the subject it refers back
    to), a by/from phrase, or the subject of the light verb that has it as object ("X expressed
    concern that ...")."""
    for c in n.children:
        if c.dep_ == "poss":
            return _bound_possessor(ctx, n, c) or (c, n.i)
    for c in n.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from", "among") and c.i > n.i:
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("PROPN", "NOUN", "PRON"):
                return pobj, n.i
    h = n.head
    if n.dep_ == "dobj" and h.pos_ == "VERB" and h.i < n.i:
        sub = subject_of(h)
        if sub is not None:
            return sub[0], _verb_group_start(h)
    return None


#: verbs that only carry a cue noun ("*expressed* concern that", "*made* the case for"): the noun
#: stays in the cue; after any other verb ("dismissed *the idea that* ...", "touted *the endorsement
#: of* X") PolNeAR makes the verb the cue and the noun phrase part of the content
_LIGHT_VERBS = frozenset(
    "make express issue deliver voice raise mount tell give have take pose lodge file level register share "
    "put lay set state".split()
)


def noun_attributions(ctx: _Ctx, lookup: Lookup = _lexicon_lookup, all_frames: bool = False) -> Iterator[Cand]:
    """'X's claim that ...', 'her decision to run', 'his support for Y', 'His concern is that ...',
    'In his view, ...', 'X expressed concern that ...'."""
    doc = ctx.doc
    for n in ctx.tokens:
        if n.pos_ != "NOUN":
            continue
        frames = lookup(n.lemma_.lower(), "NOUN")
        if not frames or ctx.inside_quote(n):
            continue
        src = _noun_source(ctx, n)
        if src is None:
            continue
        spk, cue_s = src
        if spk.lower_ in _FIRST_SECOND | {"my", "our", "your"} and not all_frames:
            continue
        actor = _make_actor(ctx, spk, n)
        if actor is None:
            continue
        for frame, content in _noun_contents(ctx, n, frames, all_frames):
            if content.tok_start <= spk.i < content.tok_end:
                continue
            cue_e = _cue_end(ctx, n, frame)
            if cue_s > n.i:
                cue_s = n.i
            h = n.head
            if cue_s < n.i and n.dep_ == "dobj" and h.lemma_.lower() not in _LIGHT_VERBS and spk.dep_ != "poss" and not any(c.dep_ == "poss" for c in n.children):
                # "dismissed [the idea that ...]": the verb is the cue, the noun phrase the content
                whole = _finish(ctx, max(n.left_edge.i, h.i + 1), content.tok_end, min_words=1)
                if whole is not None:
                    content, cue_e = whole, _cue_end(ctx, h, "dobj")
            conf = _frame_weight(frames, frame)
            yield Cand(
                actor, spk.i, ctx.idx[cue_s], ctx.char_end(cue_e - 1), n.lemma_.lower(), content.start, content.end,
                content.kind, conf, content.quotes, n.i, frame, "NOUN", content.tok_start, content.tok_end, True,
            )


def _noun_contents(ctx: _Ctx, n: Token, frames: Mapping[str, object], all_frames: bool) -> Iterator[tuple[str, Content]]:
    doc = ctx.doc
    for fam in NOUN_FRAME_ORDER:
        got: Content | None = None
        frame = fam
        if fam == "acl":
            cl = next(
                (
                    c for c in n.children
                    if c.dep_ in ("acl", "ccomp") and c.i > n.i
                    and any((m.dep_ == "mark" and m.lower_ in ("that", "whether")) or (m.dep_ == "aux" and m.lower_ == "to") for m in c.children)
                ),
                None,
            )
            if cl is not None:
                s, e = _clip_para(ctx, n.i, cl.left_edge.i, cl.right_edge.i + 1)
                got = _finish(ctx, s, _cut_tail(ctx, cl, s, e))
        elif fam == "attr":
            h = n.head
            if n.dep_ == "nsubj" and h.lemma_ == "be":
                comp = next((c for c in h.children if c.dep_ in ("ccomp", "attr", "xcomp") and c.i > n.i), None)
                if comp is not None:
                    s, e = _clip_para(ctx, n.i, comp.left_edge.i, comp.right_edge.i + 1)
                    got = _finish(ctx, s, e)
        elif fam == "prep":
            for frame, p, obj in _prep_children(n, frames, all_frames):
                got = _prep_content(ctx, n, p, obj)
                if got is not None:
                    break
        elif fam == "host":
            p = n.head
            if n.dep_ == "pobj" and p.dep_ == "prep" and p.head.pos_ in ("VERB", "AUX") and any(c.dep_ == "poss" for c in n.children):
                h = p.head
                s, e = _clip_para(ctx, n.i, h.left_edge.i, h.right_edge.i + 1)
                ps, pe = p.left_edge.i, p.right_edge.i + 1
                if ps <= s + 1:
                    s = pe
                elif pe >= e - 1:
                    e = ps
                else:
                    s = min(s, ps)
                got = _finish(ctx, s, e)
        if got is None or not (all_frames or frame in frames):
            continue
        yield frame, got
    del doc


#: "In a CNN poll, Clinton led by 24 points": the survey is the source, "In" the cue (PolNeAR)
_SURVEYS = frozenset({"poll", "survey"})


def according_to(ctx: _Ctx) -> Iterator[Cand]:
    """'according to X, ...' / '..., according to X', and 'In a poll / survey, ...'."""
    doc = ctx.doc
    for t in ctx.tokens:
        if t.lower_ == "in" and t.dep_ == "prep" and not ctx.inside_quote(t) and t.head.pos_ in ("VERB", "AUX", "NOUN", "PROPN"):
            # on the verb, or on a noun of the clause ("has a decisive lead in the polls")
            pobj = [c for c in t.children if c.dep_ == "pobj" and c.lemma_.lower() in _SURVEYS]
            if t.head.pos_ in ("NOUN", "PROPN"):  # on a noun only a particular poll: "a CNN national poll", not "the polls"
                pobj = [c for c in pobj if c.tag_ == "NN" and any(m.dep_ in ("compound", "nmod", "amod") for m in c.lefts)]
            to = t  # the cue is "in" alone
        elif t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to" or ctx.inside_quote(t):
            continue
        else:
            to = doc[t.i + 1]
            pobj = [c for c in to.children if c.dep_ == "pobj"] or [c for c in t.children if c.dep_ == "pobj"]
        if not pobj:
            continue
        spk = pobj[0]
        actor = _make_actor(ctx, spk, t)
        if actor is None:
            continue
        sb, se = ctx.sent_bounds[ctx.sent_of[t.i]]
        pp_s, pp_e = t.i, max(spk.right_edge.i + 1, to.i + 1)
        if to is t and not (pp_s - sb <= 1 or se - pp_e <= 1):
            continue  # "In a poll, ..." opens or closes the sentence; mid-sentence it is a circumstance
        # content = the rest of the sentence: both sides when the phrase is set off by commas
        # inside it ("Over the long term, according to the CBO, the deficit ..." – a discontinuous
        # content in PolNeAR, scored from its first to its last character), else the longer side
        # without the author's opening connective ("Still, X is Y, according to Z")
        before = sum(1 for i in range(sb, pp_s) if not ctx.is_punct[i])
        after = sum(1 for i in range(pp_e, se) if not ctx.is_punct[i])
        if before and after >= 3 and doc[pp_s - 1].text == "," and pp_e < se and doc[pp_e].text == "," and ctx.tok_q[pp_s - 1] < 0:
            s, e = sb, se
        elif pp_s - sb >= se - pp_e:
            s, e = sb, pp_s
            if s + 1 < e and ctx.tok_q[s] < 0 and (doc[s].dep_ == "cc" or (doc[s].pos_ == "ADV" and doc[s + 1].text == ",")):
                s += 2 if doc[s + 1].text == "," else 1  # "But ...", "Still, ..."
        else:
            s, e = pp_e, se
        s, e = _clip_para(ctx, t.i, s, e)
        content = _finish(ctx, s, e)
        if content is None:
            continue
        yield Cand(
            actor, spk.i, ctx.idx[t.i], ctx.char_end(to.i), "according to" if to is not t else "in", content.start, content.end, content.kind,
            0.85 * _speaker_conf(actor, spk), content.quotes, t.i, "according", "ADP", content.tok_start, content.tok_end,
        )


#: "Update: ...", "Editor's note: ..." – labels, not speakers
_COLON_LABELS = frozenset(
    """update note related editor read watch source sources photo video correction breaking exclusive analysis
    opinion live graphic subscribe more also see via credit image by tags topics warning advertisement q a
    question answer transcript full text here why what how who when where the this that""".split()
)


def _name_like(pre) -> bool:
    """'Gingrich', 'Republican pollster Daron Shaw': capitalised words ending in a proper name that
    NER missed, none of them a label word."""
    words = [t for t in pre if not t.is_punct]
    if not words or any(t.lower_ in _COLON_LABELS for t in words):
        return False
    last = words[-1]
    if last.text.isupper():
        return len(last.text) > 1 and last.is_alpha
    return last.text[:1].isupper() and last.is_alpha and last.pos_ in ("PROPN", "NOUN")


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
        named = nm is not None and nm.m.label in ("PERSON", "ORG", "NORP", "GPE") and nm.tend == pre.end
        if not (named or upper or _name_like(pre)):
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
        s, e = _tok_range(ctx, cs, hi)
        yield Cand(actor, head.i, colon, colon + 1, ":", cs, hi, kind, 0.5 * _speaker_conf(actor, head), q, -2 - lo, "colon", "PUNCT", s, e)


_DASH_LINE = re.compile(r"\s*(?P<content>[“\"”‘'].{8,}?[”\"’'.!?])\s*[―—–]\s*(?P<source>[^―—–\n]{2,80}?)[\s.,]*")


def dash_attributions(ctx: _Ctx) -> Iterator[Cand]:
    """'“...” ― Sonya Herridge' / '“...” —Albert Einstein': a quote-only paragraph signed with a dash
    and a name (the dash is the cue, as in the PolNeAR guidelines)."""
    doc, text = ctx.doc, ctx.text
    for lo, hi in _paragraphs(text):
        if hi - lo > 3000 or not any(d in text[lo:hi] for d in "―—–"):
            continue
        m = _DASH_LINE.fullmatch(text, lo, hi)
        if m is None or len(m.group("source").split()) > 8 or not m.group("source").strip()[:1].isupper():
            continue
        ss, se = m.span("source")
        src = doc.char_span(ss, se, alignment_mode="contract")
        if src is None or len(src) == 0 or any(t.pos_ in ("VERB", "AUX") for t in src):
            continue
        head = src.root
        actor = ctx.resolver.actor_for(head, src.start, src.end)
        if actor is None:
            continue
        cs, ce = m.span("content")
        dash = text.find("―", ce, ss)
        dash = dash if dash >= 0 else next(i for i in range(ce, ss) if text[i] in "―—–")
        qs = [i for i, q in enumerate(ctx.qspans) if cs <= q.start < ce]
        s, e = _tok_range(ctx, cs, ce)
        yield Cand(actor, head.i, dash, dash + 1, "―", cs, ce, "direct", 0.8 * _speaker_conf(actor, head), qs, -3 - lo,
                   "dash", "PUNCT", s, e)


# ----------------------------------------------------------------------------- assembly
def _overlap(a: Cand, b: Cand) -> int:
    return max(0, min(a.content_end, b.content_end) - max(a.content_start, b.content_start))


_KIND_RANK = {"direct": 0, "mixed": 1, "indirect": 2}


def _select(cands: list[Cand]) -> list[Cand]:
    """One attribution per cue and per quote span; outermost attributions only."""
    best: dict[int, Cand] = {}
    for c in cands:  # the most trusted frame of each cue
        b = best.get(c.cue_tok)
        if b is None or c.confidence > b.confidence:
            best[c.cue_tok] = c
    cands = sorted(best.values(), key=lambda c: (_KIND_RANK[c.kind], -c.confidence, c.content_start))
    used_q: set[int] = set()
    used_cue: set[int] = set()
    out: list[Cand] = []
    for c in cands:
        if c.cue_tok in used_cue:
            continue
        if c.kind == "direct" and any(q in used_q for q in c.quotes):
            continue
        if any(_overlap(c, o) > 0.8 * (c.content_end - c.content_start) and o.speaker_head == c.speaker_head for o in out):
            continue
        out.append(c)
        used_cue.add(c.cue_tok)
        used_q.update(c.quotes)
    return _outermost(out)


def _outermost(cands: list[Cand]) -> list[Cand]:
    """Drop attributions whose cue sits inside another one's content (PolNeAR's no-nesting rule:
    in "X said Y wants Z" only X's attribution is annotated)."""
    keep = []
    for c in cands:
        if c.cue_tok >= 0 and any(
            o is not c and o.tok_start <= c.cue_tok < o.tok_end and o.confidence >= 0.5 * c.confidence for o in cands
        ):
            continue
        keep.append(c)
    return keep


def _previous_attributed(ctx: _Ctx, qi: int, by_q: dict[int, Cand]) -> int | None:
    """The quote before ``qi`` that has a speaker, skipping short unattributed quotes in the same
    paragraph (a show title between the halves: “A,” she said on “This Week.” “B.”)."""
    k = qi - 1
    while k >= 0 and k not in by_q:
        if ctx.qspans[k].para != ctx.qspans[qi].para or ctx.qspans[k].n_words >= MIN_CONTINUATION_WORDS:
            return None
        k -= 1
    return k if k >= 0 else None


def _split_pair(text: str, pq: QSpan, q: QSpan, p: Cand) -> bool:
    """A short second half right after “A,” he said. – only the source and cue in between."""
    if pq.para != q.para or p.cue_start is None or not pq.end <= p.cue_start < q.start:
        return False
    gap = text[pq.end : q.start]
    return len(gap.split()) <= 8 and gap.rstrip()[-1:] in (".", ",", ":")


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
        if q.continues is not None and q.continues in by_q:
            prev, conf = by_q[q.continues], 0.85
        elif (pi := _previous_attributed(ctx, qi, by_q)) is not None and (
            q.n_words >= MIN_CONTINUATION_WORDS or _split_pair(text, ctx.qspans[pi], q, by_q[pi])
        ):
            p = by_q[pi]
            pq = ctx.qspans[pi]
            gap = text[pq.end : q.start]
            if pq.para == q.para and p.cue_start is not None and pq.end <= p.cue_start < q.start and len(gap.split()) <= 40:
                prev, conf = p, 0.85  # split quote: “A,” he said. “B.”
            elif pq.para == q.para - 1:
                lo, hi = paras[q.para]
                outside = (text[lo : q.start] + text[q.end : hi]).strip(" .,;:—–-\t")
                if not outside and q.start == lo:
                    prev, conf = p, 0.6  # a quote-only paragraph right after a quote by S
        if prev is None:
            continue
        s, e = _tok_range(ctx, q.start, q.end)
        c = Cand(
            prev.speaker, prev.speaker_head, prev.cue_start, prev.cue_end, prev.cue_lemma, q.start, q.end, "direct",
            prev.confidence * conf, [qi], -1, "continuation", prev.pos, s, e,
        )
        by_q[qi] = c
        yield c


_DEP_CLASSES = frozenset({"ROOT", "conj", "advcl", "relcl", "ccomp", "xcomp", "acl", "pcomp", "parataxis", "dobj", "pobj", "prep"})
_TAG_CLASSES = frozenset({"VBD", "VBZ", "VBG", "VBN", "VBP", "VB", "NN", "NNS", "JJ"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})


def candidate_features(ctx: _Ctx, c: Cand) -> list[str]:
    """The context of a lexicon candidate, as feature names for :class:`ContextModel`."""
    doc = ctx.doc
    t, sp = doc[c.cue_tok], doc[c.speaker_head]
    if sp.lower_ in _RELATIVE:
        spk = "REL"
    elif c.speaker.ref_start is not None:
        spk = c.speaker.label
    else:
        spk = "PRON" if sp.pos_ == "PRON" else ("FIRST" if sp.lower_ in _FIRST_SECOND else "NOM")
    n = c.tok_end - c.tok_start
    feats = [
        f"frame={c.frame.split(':')[0]}",
        f"dep={t.dep_ if t.dep_ in _DEP_CLASSES else 'other'}",
        f"tag={t.tag_ if t.tag_ in _TAG_CLASSES else 'other'}",
        f"spk={spk}",
        f"kind={c.kind}",
        f"len={'1-2' if n <= 2 else '3-5' if n <= 5 else '6-15' if n <= 15 else '16+'}",
    ]
    verb = t if c.pos == "VERB" else t.head
    if any(x.dep_ == "neg" for x in verb.children):
        feats.append("neg")
    if any(x.tag_ == "MD" for x in verb.children):
        feats.append("modal")
    if ctx.para_of[c.cue_tok] == 0 or ctx.sent_of[c.cue_tok] == 0:
        feats.append("first_sentence")
    return feats


def _rescore(ctx: _Ctx, cands: list[Cand], model: ContextModel | None) -> list[Cand]:
    """Confidence of lexicon candidates: the context model's probability (below its threshold the
    candidate is dropped), or – without a model – the lexicon weight times the speaker trust."""
    out = []
    for c in cands:
        if c.scored:
            if model is not None:
                c.confidence = model.score(c.confidence, candidate_features(ctx, c))
                if c.confidence < model.threshold:
                    continue
            else:
                c.confidence *= _speaker_conf(c.speaker, ctx.doc[c.speaker_head])
            c.scored = False
        out.append(c)
    return out


def chosen_candidates(doc: Doc, mentions: list[Mention], boundaries: bool = True, sources: bool = True) -> tuple[_Ctx, list[Cand]]:
    """The selected attributions of one article and their continuations, in text order
    (``boundaries``: let the learned choosers move content edges, and speaker edges if ``sources``)."""
    ctx, cands = candidates(doc, mentions)
    chosen = _select(_rescore(ctx, cands, CONTEXT_MODEL))
    if boundaries:
        _rebound(ctx, chosen, BOUNDARY_MODEL)
        if sources:
            _rebound_sources(ctx, chosen, SOURCE_BOUNDARY_MODEL)
    chosen.sort(key=lambda c: c.content_start)
    chosen += list(_continuations(ctx, chosen))
    chosen.sort(key=lambda c: (c.content_start, c.content_end))
    return ctx, chosen


def candidates(doc: Doc, mentions: list[Mention], lookup: Lookup = _lexicon_lookup, all_frames: bool = False) -> tuple[_Ctx, list[Cand]]:
    """Every candidate attribution before selection (``all_frames``: every frame of every cue the
    lookup accepts, and first-person sources too – used to measure the lexicon on a corpus)."""
    ctx = _Ctx(doc, mentions)
    cands = [
        *verb_attributions(ctx, lookup, all_frames),
        *according_to(ctx),
        *noun_attributions(ctx, lookup, all_frames),
        *colon_attributions(ctx),
        *dash_attributions(ctx),
    ]
    return ctx, cands


#: frames whose edges neither boundary chooser moves: headline, dash and continuation quotes are
#: whole paragraphs or quote spans, and a headline's or signature's name is the whole prefix / suffix
#: (direct quotes, too, keep their content: it ends at the marks)
_FIXED_SPAN_FRAMES = frozenset({"continuation", "colon", "dash"})


def _side_bounds(ctx: _Ctx, c: Cand, side: str) -> tuple[int, int]:
    """Token bounds [lo, hi) a content edge may move within: the sentence and paragraph of that
    edge, never over the cue or the speaker phrase."""
    edge = c.tok_start if side == "L" else c.tok_end - 1
    lo, hi = _clip_para(ctx, edge, *ctx.sent_bounds[ctx.sent_of[edge]])
    return _stop_at(ctx, c, (c.speaker.start, c.speaker.end), c.tok_start, c.tok_end, lo, hi)


def _stop_at(ctx: _Ctx, c: Cand, other: tuple[int, int], s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    """Narrow the bounds [lo, hi) of a span [s, e) so that it cannot grow over ``other`` (the
    attribution's other span, in characters) or its cue, on whichever side of the span they lie."""
    blockers = [other]
    if c.cue_start is not None and c.cue_end is not None:
        blockers.append((c.cue_start, c.cue_end))
    for bs, be in blockers:
        ts, te = _tok_range(ctx, bs, be)
        if te <= s:
            lo = max(lo, te)
        elif ts >= e:
            hi = min(hi, ts)
    return lo, hi


def boundary_options(ctx: _Ctx, c: Cand) -> tuple[list[Option], list[Option]] | None:
    """The options of a candidate's content start and end (the current edges first), or None when
    the chooser leaves this kind of attribution alone."""
    if c.kind == "direct" or c.frame in _FIXED_SPAN_FRAMES or c.tok_end <= c.tok_start:
        return None

    def snap(side: str, k: int) -> int:
        """An edge inside a quote is the quote's edge (``_finish`` takes the quote whole)."""
        i = k if side == "L" else k - 1  # the token just inside the edge
        if 0 <= i < len(ctx.doc) and ctx.tok_q[i] >= 0:
            q = ctx.qspans[ctx.tok_q[i]]
            return _tok_range(ctx, q.start, q.end)[0 if side == "L" else 1]
        return k

    said_how = _circumstances(ctx, c.cue_tok)
    out = []
    for side in ("L", "R"):
        lo, hi = _side_bounds(ctx, c, side)
        lo, hi = min(lo, c.tok_start), max(hi, c.tok_end)
        opts = side_options(ctx.tokens, ctx.is_punct, side, c.tok_start, c.tok_end, lo, hi, c.frame, c.kind, c.cue_tok, snap, _is_cue_word)
        cur = c.tok_start if side == "L" else c.tok_end
        # no option grows the content over a circumstance of the cue; one may cut a circumstance
        # the rules left inside it ("confirming judges [at the slowest pace ...]")
        kept = [
            o for i, o in enumerate(opts)
            if i == 0 or (o.pos > cur) == (side == "L") or not any(min(o.pos, cur) <= k < max(o.pos, cur) for k in said_how)
        ]
        if side == "R":
            kept = [o for i, o in enumerate(kept) if i == 0 or o.pos <= cur or not _adds_author_addition(ctx, cur, o.pos)]
        out.append(kept)
    first = ctx.tokens[c.tok_start]
    if first.tag_ in ("WDT", "WP") and first.head.i == c.cue_tok:  # "which he described as ...": the pronoun starts it
        out[0] = out[0][:1]
    return out[0], out[1]


def _adds_author_addition(ctx: _Ctx, cur: int, e: int) -> bool:
    """Extending the content end from ``cur`` to ``e`` adds a trailing clause of the author's
    (", which ...": :func:`_is_author_addition`), which the rules leave out of a content."""
    doc = ctx.tokens
    for k in range(max(0, cur - 1), min(cur + 2, e - 1)):
        if doc[k].text in (",", ";", "—", "–") and ctx.tok_q[k] < 0:
            r = _trailing_root(ctx.doc, k + 1, e)
            if r is not None and _is_author_addition(r):
                return True
    return False


def _circumstances(ctx: _Ctx, cue: int) -> list[int]:
    """Phrases on the cue that say how or when it was said ("called for X *after the shooting*",
    "said *in an interview*", "said *Monday*"): the rules keep them out of the content, and so
    does the chooser (no option adds one)."""
    if cue < 0:
        return []
    return [
        t.i for t in ctx.tokens[cue].children
        if (t.dep_ == "prep" and not _content_prep(t)) or (t.dep_ == "npadvmod" and t.ent_type_ in _TIME_ENTS)
    ]


def _is_cue_word(t: Token) -> bool:
    """A verb the lexicon knows as a cue (a further attribution inside a moved piece of text)."""
    return t.pos_ in ("VERB", "AUX") and (t.lemma_.lower(), "VERB") in CUE_FRAMES


def _rebound(ctx: _Ctx, chosen: list[Cand], model: BoundaryModel | None) -> None:
    """Move content edges where the boundary model prefers another cut point (in place)."""
    if model is None:
        return
    for c in chosen:
        opts = boundary_options(ctx, c)
        if opts is None:
            continue
        s, e = choose(model, "L", opts[0]), choose(model, "R", opts[1])
        if (s, e) == (c.tok_start, c.tok_end) or e <= s:
            continue
        got = _finish(ctx, s, e, min_words=1)
        if got is None:
            continue
        c.content_start, c.content_end, c.kind, c.quotes = got.start, got.end, got.kind, got.quotes
        c.tok_start, c.tok_end = got.tok_start, got.tok_end


def source_span(ctx: _Ctx, c: Cand) -> tuple[int, int]:
    """Token range [s, e) of a candidate's speaker phrase."""
    return _tok_range(ctx, c.speaker.start, c.speaker.end)


def _source_bounds(ctx: _Ctx, c: Cand, s: int, e: int) -> tuple[int, int]:
    """Token bounds [lo, hi) a speaker phrase [s, e) may grow within: its sentence and paragraph,
    up to the cue, the content or a quote."""
    lo, hi = _clip_para(ctx, c.speaker_head, *ctx.sent_bounds[ctx.sent_of[c.speaker_head]])
    lo, hi = _stop_at(ctx, c, (c.content_start, c.content_end), s, e, lo, hi)
    k = s
    while k > lo and ctx.tok_q[k - 1] < 0:
        k -= 1
    lo = k
    k = e
    while k < hi and ctx.tok_q[k] < 0:
        k += 1
    return min(lo, s), max(k, e)


def source_boundary_options(ctx: _Ctx, c: Cand) -> tuple[list[Option], list[Option]] | None:
    """The options of a candidate's speaker phrase start and end (the current edges first), or
    None when the chooser leaves this speaker alone."""
    if c.frame in _FIXED_SPAN_FRAMES or c.speaker_head < 0:
        return None
    s, e = source_span(ctx, c)
    head = ctx.tokens[c.speaker_head]
    if e <= s or (e - s == 1 and head.pos_ == "PRON"):
        return None  # a bare pronoun ("he said") is its own span
    lo, hi = _source_bounds(ctx, c, s, e)
    return tuple(  # type: ignore[return-value]
        source_side_options(ctx.tokens, ctx.is_punct, side, s, e, head, lo, hi, c.cue_tok, c.frame, _is_cue_word) for side in ("L", "R")
    )


def _rebound_sources(ctx: _Ctx, chosen: list[Cand], model: BoundaryModel | None) -> None:
    """Move speaker-phrase edges where the source model prefers another cut point (in place). Only
    the mention moves: the actor it resolves to (label, ``ref_*``) is kept."""
    if model is None:
        return
    done: dict[tuple[int, int, int, int], Actor] = {}  # one speaker phrase of one cue: one span
    for c in chosen:
        key = (c.speaker_head, c.cue_tok, c.speaker.start, c.speaker.end)
        if key in done:
            c.speaker = done[key]
            continue
        opts = source_boundary_options(ctx, c)
        if opts is not None:
            s, e = choose(model, "L", opts[0]), choose(model, "R", opts[1])
            if e > s:
                s = dateline_end(ctx.tokens, s, e)  # "WASHINGTON — [Sen. Chuck Grassley]"
            if (s, e) != (opts[0][0].pos, opts[1][0].pos) and e > s:
                s, e = _trim(ctx, s, e)
                if e > s:
                    cs, ce = ctx.idx[s], ctx.char_end(e - 1)
                    c.speaker = replace(c.speaker, start=cs, end=ce, text=ctx.text[cs:ce])
        done[key] = c.speaker


def extract_quotes(doc: Doc, mentions: list[Mention], boundaries: bool = True) -> list[Quote]:
    """All attributions of one parsed article, in text order (``boundaries``: let the learned
    boundary chooser move content edges)."""
    if len(doc) == 0:
        return []
    ctx, chosen = chosen_candidates(doc, mentions, boundaries)
    text = ctx.text
    out: list[Quote] = []
    for c in chosen:
        cue_text = text[c.cue_start : c.cue_end] if c.cue_start is not None else None
        anchor = c.cue_start if c.cue_start is not None else c.content_start
        k = ctx.tok_at(anchor)
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
                sent_index=ctx.sent_of[k] if k is not None else 0,
            )
        )
    return out
