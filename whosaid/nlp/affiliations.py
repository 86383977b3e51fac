"""Who works for whom, as the text states it: titles before a name and appositions after it.

Two constructions carry nearly all affiliations in news copy:
  pre-nominal   "NATO General Secretary Mark Rutte", "Chinese President Xi Jinping"
  appositive    "Guo Jiakun, spokesman for the Chinese foreign ministry", "Kellyanne Conway, Trump's
                campaign manager", "Ted Cruz, a Republican from Texas"
The organization may be a named entity or an unnamed institution with a nationality ("the Chinese
foreign ministry"), which normalization turns into a canonical institution of a country.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from whosaid.nlp.records import Affiliation
from whosaid.nlp.sentences import sentence_spans

ORG_LABELS = ("ORG", "GPE", "NORP")
_PRENOMINAL_DEPS = {"compound", "amod", "nmod", "poss", "case"}
_ORG_PREPS = {"for", "of", "at", "with", "in"}


def extract_affiliations(doc: Doc) -> list[Affiliation]:
    sent_of = {s.start: i for i, s in enumerate(sentence_spans(doc))}
    out: list[Affiliation] = []
    seen: set[tuple[int, int, int, int]] = set()
    for person in (e for e in doc.ents if e.label_ == "PERSON"):
        sent_index = sent_of.get(person.sent.start, 0)
        for aff in (*_prenominal(person, sent_index), *_appositive(person, sent_index)):
            key = (aff.person_start, aff.person_end, aff.org_start, aff.org_end)
            if key not in seen:
                seen.add(key)
                out.append(aff)
    return out


def _prenominal(person: Span, sent_index: int) -> Iterator[Affiliation]:
    """Modifier tokens left of the name that attach rightwards into the name phrase."""
    head = person.root
    i = person.start - 1
    while i >= person.sent.start:
        tok = person.doc[i]
        if tok.dep_ not in _PRENOMINAL_DEPS or not (tok.i < tok.head.i <= head.i):
            break
        i -= 1
    left = person.doc[i + 1 : person.start]
    if len(left) < 2:
        return
    org = _org_entity_in(left)
    if org is None:
        return
    role_tokens = [t for t in left if not t.ent_type_ and t.dep_ != "case" and t.is_alpha]
    if not role_tokens:
        return
    yield _affiliation(person, " ".join(t.text for t in role_tokens), org, org.label_, sent_index)


def _appositive(person: Span, sent_index: int) -> Iterator[Affiliation]:
    for appos in (c for c in person.root.children if c.dep_ == "appos"):
        if appos.ent_type_ == "PERSON":
            continue
        if appos.ent_type_ in ORG_LABELS and appos.pos_ in ("PROPN", "NOUN", "ADJ"):
            ent = _entity_of(appos)
            if ent is not None:
                yield _affiliation(person, "", ent, ent.label_, sent_index)
            continue
        if appos.pos_ != "NOUN":
            continue
        role_tokens = [t for t in appos.lefts if t.dep_ in ("compound", "amod") and not t.ent_type_] + [appos]
        role = " ".join(t.text for t in role_tokens)
        org = _org_of_role_noun(appos)
        if org is not None:
            span, label = org
            yield _affiliation(person, role, span, label, sent_index)


def _org_of_role_noun(noun: Token) -> tuple[Span, str] | None:
    """'spokesman for the Chinese foreign ministry', "Trump's campaign manager", 'NATO chief'."""
    for child in noun.children:
        if child.dep_ == "poss" and child.ent_type_ in ORG_LABELS:
            ent = _entity_of(child)
            if ent is not None:
                return ent, ent.label_
        if child.dep_ == "prep" and child.lower_ in _ORG_PREPS:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                ent = _entity_of(pobj)
                if ent is not None and ent.label_ in ORG_LABELS:
                    return ent, ent.label_
                if pobj.pos_ == "NOUN" and any(t.ent_type_ in ("NORP", "GPE") for t in pobj.lefts):
                    span = _noun_phrase(pobj)
                    return span, "OTHER"
    for left in noun.lefts:
        if left.ent_type_ in ("ORG", "GPE", "NORP") and left.dep_ in ("compound", "amod", "nmod"):
            ent = _entity_of(left)
            if ent is not None:
                return ent, ent.label_
    return None


def _noun_phrase(noun: Token) -> Span:
    """The noun with its left modifiers, without a leading determiner."""
    lefts = [t for t in noun.lefts if t.dep_ in ("amod", "compound", "nmod", "poss")]
    start = min([t.i for t in lefts] + [noun.i])
    return noun.doc[start : noun.i + 1]


def _entity_of(tok: Token) -> Span | None:
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _org_entity_in(tokens: Span) -> Span | None:
    ents = [e for e in tokens.doc.ents if e.start >= tokens.start and e.end <= tokens.end and e.label_ in ORG_LABELS]
    return ents[-1] if ents else None


def _affiliation(person: Span, role: str, org: Span, label: str, sent_index: int) -> Affiliation:
    return Affiliation(
        person_start=person.start_char,
        person_end=person.end_char,
        person_text=person.text,
        role=role,
        org_start=org.start_char,
        org_end=org.end_char,
        org_text=org.text,
        org_label=label,
        sent_index=sent_index,
    )
