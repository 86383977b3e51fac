"""Faster, output-identical stand-ins for two of spaCy's rule components: the attribute ruler's
matcher and the rule lemmatizer's per-token loop.

Attribute ruler. In ``en_core_web_sm`` the attribute ruler (fine tag → coarse POS and morphology, plus ~120
exceptions keyed on a word) took 12% of the whole pipeline's CPU on PolNeAR, more than the tagger
and the lemmatizer together, because spaCy's general ``Matcher`` tries its 179 patterns at every
token. Nearly all of them are one token with plain equality tests, so a table per attribute finds
each token's matches and array masks find the rest (:class:`TableAttributeMatcher`: the same match
list as spaCy's). :class:`ArrayAttributeSetter` then writes the matches' attributes in the ruler's
order, later rules winning as in spaCy, into the Doc's columns at once instead of a Span and a call
per match. The tests compare match lists and every token's annotations with spaCy's on real articles.

Lemmatizer. spaCy's rule lemmatizer (5-6% of the pipeline) caches its answer per (word, POS,
morphology) except for base forms, the commonest, and goes through a Token object and a method call
per token; :class:`CachedLemmas` reads the three keys as arrays, remembers every answer, asks the
lemmatizer itself only for a key it has not seen, and writes the lemmas back as one array.

Only the pattern features these models use are supported (equality, ``IN``, ``NOT_IN``, ``REGEX``
on ``TAG``, ``LOWER``, ``DEP``, ``ORTH``, ``IS_SPACE``; fixed-length patterns without operators;
attributes ``LEMMA``, ``POS``, ``TAG``, ``MORPH``, ``DEP``). A pipeline with anything else keeps
spaCy's code for that part.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.errors import Errors
from spacy.language import Language
from spacy.tokens import Doc

_ATTRS = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "ORTH": ORTH, "IS_SPACE": IS_SPACE}
_ATTR_IDS = {name: n for n, name in enumerate(_ATTRS)}  # attribute → its column in doc.to_array


class Unsupported(ValueError):
    """A pattern this matcher does not reproduce exactly."""


@dataclass(frozen=True)
class _TokenTest:
    column: int  # the attribute's column in the doc's array
    mask: Callable[[numpy.ndarray], numpy.ndarray]  # column values -> which tokens pass


@dataclass(frozen=True)
class _Pattern:
    key: int  # the ruler's attribute-set number: the order its matches are applied in
    match_id: int  # hash of the key string, as spaCy's Matcher reports it
    tokens: tuple[tuple[_TokenTest, ...], ...]
    required: tuple[tuple[int, int], ...]  # (column, value) pairs it tests for equality: absent → skip


class TableAttributeMatcher:
    """``AttributeRuler.match`` for rulers whose patterns are all supported (else :class:`Unsupported`).

    One-token patterns with a single equality test (the tag map: ``TAG == "NN"``) are looked up in
    a table per attribute; the rest are evaluated as array masks, only in a Doc that has every
    value they test for equality."""

    def __init__(self, ruler) -> None:
        self.strings = ruler.vocab.strings
        self.columns = list(_ATTRS.values())
        groups = ruler.patterns  # one entry per attribute set; its matcher key is str(position)
        if len(groups) != len(ruler.attrs):
            raise Unsupported("pattern groups and attribute sets differ")
        self.lookups: dict[int, dict[int, list[tuple[int, int]]]] = {}
        self.patterns: list[_Pattern] = []
        for key, group in enumerate(groups):
            match_id = self.strings.add(str(key))
            for pattern in group["patterns"]:
                single = _single_equality(pattern, self.strings)
                if single is not None:
                    column, value = single
                    self.lookups.setdefault(column, {}).setdefault(value, []).append((key, match_id))
                else:
                    tokens = tuple(self._token_tests(tok) for tok in pattern)
                    self.patterns.append(_Pattern(key, match_id, tokens, _required_values(pattern, self.strings)))

    def _token_tests(self, token_pattern: dict) -> tuple[_TokenTest, ...]:
        if not token_pattern:
            raise Unsupported("a token pattern that matches any token")
        tests = []
        for name, value in token_pattern.items():
            if name not in _ATTRS:
                raise Unsupported(f"attribute {name}")
            tests.append(_TokenTest(_ATTR_IDS[name], _value_mask(name, value, self.strings)))
        return tuple(tests)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        n = len(doc)
        if n == 0:
            return []
        table = doc.to_array(self.columns)
        found: list[tuple[int, int, int, int]] = []
        for column, lookup in self.lookups.items():
            for start, value in enumerate(table[:, column].tolist()):
                hits = lookup.get(value)
                if hits:
                    found += [(key, match_id, start, start + 1) for key, match_id in hits]
        present = {column: set(numpy.unique(table[:, column]).tolist()) for column in range(len(self.columns))}
        for pattern in self.patterns:
            width = len(pattern.tokens)
            if width > n or any(value not in present[column] for column, value in pattern.required):
                continue
            ok = numpy.ones(n - width + 1, dtype=bool)
            for offset, tests in enumerate(pattern.tokens):
                for test in tests:
                    ok &= test.mask(table[offset : n - width + 1 + offset, test.column])
            found += [(pattern.key, pattern.match_id, start, start + width) for start in numpy.flatnonzero(ok).tolist()]
        return sorted(set(found))  # two patterns of one attribute set matching the same span: one match


def _single_equality(pattern: list[dict], strings) -> tuple[int, int] | None:
    """(column, value hash) of a one-token pattern that is one equality test, else None."""
    if len(pattern) != 1 or len(pattern[0]) != 1:
        return None
    ((name, value),) = pattern[0].items()
    if name not in _ATTRS or name == "IS_SPACE" or not isinstance(value, str):
        return None
    return (_ATTR_IDS[name], strings.add(value))


def _required_values(pattern: list[dict], strings) -> tuple[tuple[int, int], ...]:
    """Every (column, value hash) the pattern tests for equality, on any of its tokens."""
    return tuple(
        (_ATTR_IDS[name], strings.add(value))
        for token_pattern in pattern
        for name, value in token_pattern.items()
        if name in _ATTRS and name != "IS_SPACE" and isinstance(value, str)
    )


def _value_mask(name: str, value, strings) -> Callable[[numpy.ndarray], numpy.ndarray]:
    if name == "IS_SPACE":
        if not isinstance(value, bool):
            raise Unsupported(f"IS_SPACE {value!r}")
        return (lambda col: col != 0) if value else (lambda col: col == 0)
    if isinstance(value, str):
        wanted = strings.add(value)
        return lambda col: col == wanted
    if isinstance(value, dict) and len(value) == 1:
        ((op, arg),) = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            hashes = numpy.array([strings.add(a) for a in arg], dtype=numpy.uint64)
            return (lambda col: numpy.isin(col, hashes)) if op == "IN" else (lambda col: ~numpy.isin(col, hashes))
        if op == "REGEX" and isinstance(arg, str):
            search = re.compile(arg).search

            def regex_mask(col: numpy.ndarray) -> numpy.ndarray:
                values = [v for v in numpy.unique(col).tolist() if v and search(strings[v]) is not None]
                return numpy.isin(col, numpy.array(values, dtype=numpy.uint64))

            return regex_mask
    raise Unsupported(f"{name} {value!r}")


class ArrayAttributeSetter:
    """``AttributeRuler.set_annotations`` by arrays: each match's attributes are written into the
    Doc's columns in match order (so later rules win, as in spaCy) and the columns go back in one
    ``from_array``, instead of a Span and a ``set_token_attrs`` call per match (about one per token)."""

    #: token attributes an attribute ruler may set that ``Doc.from_array`` writes exactly as
    #: ``set_token_attrs`` does (none of them lives on the lexeme)
    SETTABLE = frozenset({LEMMA, POS, TAG, MORPH, DEP})

    def __init__(self, ruler) -> None:
        self.ruler = ruler
        self.attrs = [dict(attrs) for attrs in ruler.attrs]
        self.indices = list(ruler.indices)
        self.ids = sorted({attr for attrs in self.attrs for attr in attrs})
        if any(attr not in self.SETTABLE for attr in self.ids):
            raise Unsupported(f"attributes {self.ids}")
        self.column = {attr: j for j, attr in enumerate(self.ids)}

    def __call__(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        if not matches:
            return
        table = doc.to_array(self.ids).reshape(len(doc), len(self.ids))
        for key, _match_id, start, end in matches:
            index = self.indices[key]
            token = start + index if index >= 0 else end + index
            if not start <= token < end:  # spaCy's own code raises the error that says which pattern
                type(self.ruler).set_annotations(self.ruler, doc, matches)
                return
            for attr, value in self.attrs[key].items():
                table[token, self.column[attr]] = value
        doc.from_array(self.ids, table)


class CachedLemmas:
    """``Lemmatizer.pipe`` for a rule lemmatizer that does not overwrite lemmas already set (those
    the attribute ruler gives): the lemmatizer's own cache, read by array keys."""

    def __init__(self, lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        #: (ORTH, POS, MORPH) → lemma hash, for every answer: spaCy's cache skips the commonest
        #: ones (base forms: singular nouns, infinitives), which it recomputes at every token. The
        #: rules read nothing else, so the memo is exact; it lives as long as the loaded pipeline
        #: (see whosaid.nlp.pipeline.VOCAB_LIMIT).
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, stream, *, batch_size: int = 128):
        error_handler = self.lemmatizer.get_error_handler()
        for doc in stream:
            try:
                yield self.annotate(doc)
            except Exception as exc:  # noqa: BLE001 - handled as spaCy's Pipe.pipe does
                error_handler(self.lemmatizer.name, self.lemmatizer, [doc], exc)

    def annotate(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if not getattr(lemmatizer, "_validated", True):
            lemmatizer._validate_tables(Errors.E1004)
        if len(doc) == 0:
            return doc
        memo, strings, lemmatize = self.memo, doc.vocab.strings, lemmatizer.lemmatize
        table = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = table[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if lemma == 0:
                key = (orth, pos, morph)
                found = memo.get(key)
                if found is None:
                    found = memo[key] = strings.add(lemmatize(doc[i])[0])
                lemmas[i] = found
        doc.from_array([LEMMA], lemmas)
        return doc


def speed_up(nlp: Language) -> list[str]:
    """Give the pipeline's attribute ruler the table matcher and its rule lemmatizer the array loop,
    where they apply (spaCy's own code stays wherever a pattern or a mode is not supported).
    Returns the components changed."""
    changed = []
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        if hasattr(ruler, "match") and hasattr(ruler, "patterns"):
            try:
                ruler.match = TableAttributeMatcher(ruler)
                changed.append("attribute_ruler")
            except Unsupported:
                pass
            try:
                ruler.set_annotations = ArrayAttributeSetter(ruler)
                changed.append("attribute_ruler.set_annotations")
            except Unsupported:
                pass
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) == "rule" and getattr(lemmatizer, "overwrite", True) is False:
            lemmatizer.pipe = CachedLemmas(lemmatizer)  # what nlp.pipe calls; nlp(text) keeps spaCy's loop
            changed.append("lemmatizer")
    return changed
