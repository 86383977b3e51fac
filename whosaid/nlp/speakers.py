"""Speaker resolution: from the span a cue's subject occupies to an :class:`Actor`.

Rules (all general; no names are written in code):

* **names** – a named mention (spaCy NER) inside the speaker phrase, on the head token or linked to
  it only by ``compound``/``appos``/``flat``/``amod``/``conj`` arcs (so "spokesman *for the Chinese
  foreign ministry*" does not make "Chinese" the speaker);
* **short names** – a PERSON mention (or any capitalised token) equal to the last – or first – token
  of an earlier (else later) multi-token PERSON mention resolves to that full name ("Jiakun" → "Guo
  Jiakun"; "Mr. Trump" → "Donald Trump"). Honorifics are stripped first;
* **pronouns** – he/she go to the nearest compatible person, looking back sentence by sentence
  and preferring subjects and earlier speakers; gender comes from honorifics, role nouns and a
  first-name seed list, and an unknown gender is compatible with both; it/they go to an
  ORG/GPE/NORP subject in the same or previous sentence; I/we/you stay unresolved;
* **roles** – "the spokesman", "the foreign ministry": an earlier mention introduced with that role
  as an apposition or title ("Guo Jiakun, spokesman for ...", "Spokeswoman Haley Morris"), or an
  earlier mention whose text ends with the phrase;
* **relative pronouns** – "who said" → the noun the relative clause modifies.

An ORG/GPE/NORP speaker stays one (its label is kept).
"""

from __future__ import annotations

import csv
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Token

from whosaid.nlp.records import Actor, Mention
from whosaid.nlp.sentences import sentence_spans

LEXICON_DIR = Path(__file__).resolve().parents[2] / "seeds" / "lexicons"


@dataclass(frozen=True, slots=True)
class PronounInfo:
    gender: str  # m | f | n | x (unknown / any)
    number: str  # sg | pl | x
    person: str  # 1 | 2 | 3 | rel


def _load_pronouns(path: Path) -> dict[str, PronounInfo]:
    with path.open(encoding="utf-8") as fh:
        return {r["pronoun"]: PronounInfo(r["gender"], r["number"], r["person"]) for r in csv.DictReader(fh)}


def _load_gender_cues(path: Path) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"honorific": {}, "role": {}, "first_name": {}}
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r["kind"], {}).setdefault(r["token"], r["gender"])
    return out


#: pronoun → gender/number/person (seeds/lexicons/pronouns.csv)
PRONOUNS: dict[str, PronounInfo] = _load_pronouns(LEXICON_DIR / "pronouns.csv")
_GENDER = _load_gender_cues(LEXICON_DIR / "gender_cues.csv")
#: honorific ("mr.", "mrs") → gender
HONORIFICS: dict[str, str] = _GENDER["honorific"]
#: gendered role nouns ("spokeswoman") → gender
ROLE_GENDER: dict[str, str] = _GENDER["role"]
#: common first names → gender
FIRST_NAMES: dict[str, str] = _GENDER["first_name"]

#: arcs along which a named mention inside a speaker phrase still denotes the speaker
_NAME_ARCS = frozenset({"compound", "appos", "flat", "amod", "conj", "nmod", "npadvmod", "cc", "punct", "det"})
_SUBJ = frozenset({"nsubj", "nsubjpass"})
_PERSON_PRONOUNS = frozenset({"he", "she"})
_GROUP_LABELS = frozenset({"ORG", "GPE", "NORP"})
_MAX_PRONOUN_SENTS = 4


def _without_possessive(m: Mention) -> tuple[int, int, str]:
    """(start, end, text) of a mention without a trailing possessive: NER often tags "Trump's"
    whole, and the actor is Trump."""
    for suffix in ("'s", "’s", "'", "’"):
        if m.text.endswith(suffix) and len(m.text) > len(suffix) + 1:
            cut = len(suffix)
            return m.start, m.end - cut, m.text[:-cut]
    return m.start, m.end, m.text


def _norm(tok_text: str) -> str:
    return tok_text.lower().rstrip(".")


@dataclass(slots=True)
class _Named:
    """A named mention with its token range and the mention it resolves to."""

    m: Mention
    tstart: int
    tend: int
    canon: Mention  # the named mention it resolves to (itself when it is the full form)
    name_tokens: tuple[str, ...]


class SpeakerResolver:
    """Per-document speaker resolver; cheap to build (one pass over the mentions)."""

    def __init__(self, doc: Doc, mentions: list[Mention], text: str | None = None) -> None:
        self.doc = doc
        self.text = doc.text if text is None else text  # Doc.text re-joins all tokens on each access
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self._tok_mention: dict[int, _Named] = {}
        self._named: list[_Named] = []
        self._sents = sentence_spans(doc)
        self._sent_starts = [s.start for s in self._sents]
        #: (token index of speaker head, canonical mention) of speakers already attributed
        self.spoken: list[tuple[int, Mention]] = []
        self._build()

    # ------------------------------------------------------------------ names
    def _build(self) -> None:
        doc = self.doc
        for m in self.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            toks = [t for t in span if not t.is_punct and t.lower_ not in ("'s", "’s", "the")]
            toks = [t for t in toks if _norm(t.text) not in HONORIFICS]
            names = tuple(t.text for t in toks) or tuple(t.text for t in span)
            nm = _Named(m, span.start, span.end, m, names)
            self._named.append(nm)
            for i in range(span.start, span.end):
                self._tok_mention[i] = nm
        persons = [n for n in self._named if n.m.label == "PERSON" and len(n.name_tokens) > 1]
        self._persons_by_last: dict[str, list[int]] = {}
        self._persons_by_first: dict[str, list[int]] = {}
        for i, p in enumerate(persons):
            self._persons_by_last.setdefault(p.name_tokens[-1], []).append(i)
            self._persons_by_first.setdefault(p.name_tokens[0], []).append(i)
        self._persons = persons
        for nm in self._named:
            full = self._full_name(nm.name_tokens, nm.m.start, nm.m.label == "PERSON")
            if full is not None:
                nm.canon = full.canon
        self._gender: dict[int, str] = {}
        for nm in self._named:
            if nm.m.label != "PERSON":
                continue
            g = self._mention_gender(nm)
            if g:
                self._gender.setdefault(nm.canon.start, g)

    def _full_name(self, names: tuple[str, ...], start: int, is_person: bool) -> _Named | None:
        """The multi-token PERSON mention a shorter name abbreviates: earlier (nearest) first, else later.

        Only persons sharing the last name (or, for a one-word person name, the first) can match:
        looking them up by token, not scanning every person for every mention, keeps this linear
        in long articles with many names (it was a seventh of the extractors' time)."""
        if not names:
            return None
        pool = set(self._persons_by_last.get(names[-1], ()))
        if len(names) == 1 and is_person:
            pool.update(self._persons_by_first.get(names[0], ()))
        persons = [self._persons[i] for i in sorted(pool)]

        def matches(full: _Named) -> bool:
            ft = full.name_tokens
            if len(ft) <= len(names) or full.m.start == start:
                return False
            if len(names) == 1:
                return names[0] == ft[-1] or (is_person and names[0] == ft[0])
            return names[-1] == ft[-1] and set(names) <= set(ft)

        for last_only in (True, False):
            ok = [p for p in persons if matches(p) and (not last_only or p.name_tokens[-1] == names[-1])]
            earlier = [p for p in ok if p.m.start < start]
            if earlier:
                return earlier[-1]
            later = [p for p in ok if p.m.start > start]
            if later:
                return later[0]
        return None

    def _mention_gender(self, nm: _Named) -> str | None:
        doc = self.doc
        if nm.tstart > 0:
            prev = _norm(doc[nm.tstart - 1].text)
            if prev in HONORIFICS:
                return HONORIFICS[prev]
        for t in doc[nm.tstart : nm.tend]:
            if _norm(t.text) in HONORIFICS:
                return HONORIFICS[_norm(t.text)]
        head = doc[nm.tend - 1]
        for t in list(head.children) + ([head.head] if head.dep_ == "appos" else []):
            if t.dep_ in ("appos", "compound") and t.lemma_.lower() in ROLE_GENDER:
                return ROLE_GENDER[t.lemma_.lower()]
        first = nm.canon.text.split()[0].lower() if nm.canon.text.split() else ""
        return FIRST_NAMES.get(first)

    def gender_of(self, canon: Mention) -> str | None:
        return self._gender.get(canon.start)

    def named_at(self, i: int) -> _Named | None:
        return self._tok_mention.get(i)

    def _surname_lookup(self, tok: Token) -> Mention | None:
        """A capitalised token outside NER equal to the first/last token of a multi-token PERSON name."""
        if not tok.text[:1].isupper() or tok.pos_ not in ("PROPN",):
            return None
        full = self._full_name((tok.text,), tok.idx, True)
        return full.canon if full else None

    # ---------------------------------------------------------------- actors
    def _sent_of(self, i: int) -> int:
        return max(0, bisect_right(self._sent_starts, i) - 1)

    def actor_for(self, head: Token, start_tok: int, end_tok: int) -> Actor | None:
        """Resolve the speaker phrase ``doc[start_tok:end_tok]`` whose syntactic head is ``head``."""
        doc = self.doc
        span = doc[start_tok:end_tok]
        if len(span) == 0:
            return None
        s, e = span.start_char, span.end_char
        text = self.text[s:e]
        low = head.lower_
        # relative pronoun: "X, who said ..." → X
        if head.tag_ in ("WP", "WDT") or (low == "that" and head.dep_ in _SUBJ):
            antecedent = self._relcl_antecedent(head)
            if antecedent is None:
                return None
            inner = self.actor_for(antecedent, *self._np_bounds(antecedent))
            if inner is None:
                return None
            return Actor(s, e, text, inner.label, inner.ref_start, inner.ref_end, inner.ref_text)
        if head.pos_ == "PRON" or low in PRONOUNS:
            ref = self._resolve_pronoun(head)
            if ref is None:
                return Actor(s, e, text, "OTHER")
            return Actor(s, e, text, ref.label, *_without_possessive(ref))
        nm = self._name_in_phrase(head, start_tok, end_tok)
        if nm is not None:
            c = nm.canon
            return Actor(s, e, text, c.label, *_without_possessive(c))
        sur = self._surname_lookup(head)
        if sur is not None:
            return Actor(s, e, text, "PERSON", *_without_possessive(sur))
        ref = self._resolve_role(head, start_tok)
        if ref is not None:
            return Actor(s, e, text, ref.label, *_without_possessive(ref))
        if head.pos_ == "PROPN" and head.text[:1].isupper():
            # a proper name NER missed: the head with its proper-noun compounds
            left = head.i
            while left - 1 >= start_tok and self.doc[left - 1].pos_ == "PROPN" and self.doc[left - 1].head.i == head.i:
                left -= 1
            name = self.doc[left : head.i + 1]
            label = "PERSON" if len(name) > 1 and name[0].lower_ in FIRST_NAMES else "OTHER"
            return Actor(s, e, text, label, name.start_char, name.end_char, name.text)
        return Actor(s, e, text, "OTHER")

    def _np_bounds(self, head: Token) -> tuple[int, int]:
        left, right = head.left_edge.i, head.right_edge.i + 1
        for c in head.rights:
            if c.dep_ in ("relcl", "acl") or (c.dep_ == "punct" and c.i > head.i):
                right = min(right, c.left_edge.i)
                break
        return left, max(right, head.i + 1)

    def _relcl_antecedent(self, rel: Token) -> Token | None:
        verb = rel.head
        while verb.dep_ in ("conj", "xcomp") and verb.head is not verb:
            verb = verb.head
        if verb.dep_ in ("relcl", "acl") and verb.head.i < rel.i:
            return verb.head
        return None

    def _name_in_phrase(self, head: Token, start_tok: int, end_tok: int) -> _Named | None:
        nm = self._tok_mention.get(head.i)
        if nm is not None:
            return nm
        best: _Named | None = None
        for i in range(start_tok, end_tok):
            cand = self._tok_mention.get(i)
            if cand is None or cand is best:
                continue
            # the mention's root must reach the head through name-like arcs only
            t = self.doc[cand.tend - 1]
            ok, steps = True, 0
            while t.i != head.i and steps < 8:
                if t.dep_ not in _NAME_ARCS or t.head is t:
                    ok = False
                    break
                t, steps = t.head, steps + 1
            if not ok or t.i != head.i:
                continue
            if cand.m.label == "NORP" and best is not None:
                continue
            if best is None or (best.m.label == "NORP" and cand.m.label != "NORP") or (
                cand.m.label == "PERSON" and best.m.label != "PERSON"
            ):
                best = cand
        return best

    def _resolve_role(self, head: Token, start_tok: int) -> Mention | None:
        """'the spokesman' → the earlier mention introduced with that role; 'the ministry' → a mention ending so."""
        if head.pos_ not in ("NOUN", "PROPN") or head.text[:1].isupper() and head.pos_ == "PROPN":
            return None
        if not any(c.dep_ in ("det", "poss") for c in head.children):
            return None
        lemma = head.lemma_.lower()
        phrase = " ".join(
            t.lower_ for t in self.doc[head.left_edge.i : head.i + 1] if t.dep_ not in ("det", "poss", "case")
        )
        for nm in reversed(self._named):
            if nm.tstart >= start_tok:
                continue
            root = self.doc[nm.tend - 1]
            if nm.m.label == "PERSON":
                related = [c for c in root.children if c.dep_ in ("appos", "compound")]
                if root.dep_ == "appos":
                    related.append(root.head)
                related += [t for t in self.doc[max(0, nm.tstart - 3) : nm.tstart] if t.dep_ == "compound"]
                if any(r.lemma_.lower() == lemma for r in related):
                    return nm.canon
            elif nm.m.text.lower().endswith(phrase) and len(phrase) > 3 and nm.m.label in _GROUP_LABELS:
                return nm.canon
        return None

    def _resolve_pronoun(self, pron: Token) -> Mention | None:
        low = pron.lower_
        info = PRONOUNS.get(low)
        if info is None or info.person in ("1", "2"):
            return None
        si = self._sent_of(pron.i)
        if low in _PERSON_PRONOUNS or info.gender in ("m", "f"):
            for k in range(si, max(-1, si - _MAX_PRONOUN_SENTS), -1):
                sent = self._sents[k]
                cands: list[tuple[int, int, Mention]] = []
                for i in range(sent.start, min(sent.end, pron.i) if k == si else sent.end):
                    nm = self._tok_mention.get(i)
                    if nm is None or nm.m.label != "PERSON" or i != nm.tend - 1:
                        continue
                    g = self.gender_of(nm.canon)
                    if g is not None and g != info.gender:
                        continue
                    score = 0
                    root = self.doc[i]
                    if root.dep_ in _SUBJ or (root.dep_ == "appos" and root.head.dep_ in _SUBJ):
                        score += 2
                    if any(sp == i for sp, _ in self.spoken):
                        score += 2
                    cands.append((score, i, nm.canon))
                # speakers of earlier quotes whose head is a pronoun resolved in this sentence
                for sp, canon in self.spoken:
                    if sent.start <= sp < (min(sent.end, pron.i) if k == si else sent.end):
                        if sp not in [c[1] for c in cands]:
                            g = self.gender_of(canon)
                            if g is None or g == info.gender:
                                cands.append((3, sp, canon))
                if cands:
                    best = max(cands, key=lambda c: (c[0], -c[1] if c[0] >= 2 else c[1]))
                    distinct = {c[2].start for c in cands}
                    if best[0] >= 2 or len(distinct) == 1:
                        return best[2]
                    return None  # ambiguous non-subject persons: do not guess
            return None
        if low in ("it", "they"):
            for k in (si, si - 1):
                if k < 0:
                    break
                sent = self._sents[k]
                for tok in sent:
                    if k == si and tok.i >= pron.i:
                        break
                    if tok.dep_ not in _SUBJ:
                        continue
                    nm = self._tok_mention.get(tok.i)
                    if nm is not None and nm.m.label in _GROUP_LABELS:
                        return nm.canon
        return None

    def note_speaker(self, head: Token, actor: Actor) -> None:
        """Remember a resolved speaker so later pronouns prefer it."""
        if actor.ref_start is None:
            return
        canon = Mention(-1, actor.ref_start, actor.ref_end or actor.ref_start, actor.ref_text or "", actor.label, -1)
        for nm in self._named:
            if nm.canon.start == actor.ref_start:
                canon = nm.canon
                break
        self.spoken.append((head.i, canon))
