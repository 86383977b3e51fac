"""Sentence-boundary fixes for news copy, applied before the parser.

spaCy's tokenizer keeps common abbreviations whole ("Sen.", "Gov.", "U.S.", "a.m.", "Calif.") and
the parser rarely splits after them. Plural and military/civil titles that are not tokenizer
exceptions ("Sens.", "Reps.", "Govs.", "Pres.", "Lt.", "Sgt.", "Atty.") are split into "Sens" + ".",
and the parser then ends a sentence there ("lead Sens. | Jon Tester (D-Mont.) and ..."), cutting the
source off its verb. A lower-case word also never opens an English sentence after an abbreviation
("(D-Conn.) | the night ..."), an ellipsis ("her... | it's about us") or after a closing quote mark ("“You winning?” | she said"): there the
parser's split separates a cue from its quote.

The component only marks tokens as *not* starting a sentence (``is_sent_start = False``); the
parser respects that and still decides every other boundary. It is one pass over the tokens with a
few string tests, so it costs next to nothing next to the parser.
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

#: titles before a name that the tokenizer splits from their period ("Sens" + ".")
TITLE_ABBREVIATIONS = frozenset(
    """sens reps govs pres gens lt sgt col capt maj cmdr adm sec secy atty supt amb hon cpl pvt
    brig lieut asst assoc insp det""".split()
)
#: closing quote marks after which a lower-case word continues the sentence ("“...?” she said")
_CLOSING_QUOTES = frozenset({"”", "’", '"', "''", "'"})
#: name of the registered component (a setting-independent constant: the pipeline may be any
#: English model with a parser)
COMPONENT = "whosaid_news_sentences"
#: bump when the rules change: parsed-Doc caches keyed on the pipeline are then rebuilt
VERSION = "1"


def _title_period(doc: Doc, i: int) -> bool:
    """Token i is the period of a split title abbreviation ("Sens" + "." glued together)."""
    if i < 1 or doc[i].text != ".":
        return False
    prev = doc[i - 1]
    return not prev.whitespace_ and prev.text[:1].isupper() and prev.lower_ in TITLE_ABBREVIATIONS


def _abbreviation(tok) -> bool:
    """A token that is an abbreviation with its period ("Conn.", "a.m.", "U.S.")."""
    return len(tok.text) > 1 and tok.text.endswith(".") and tok.text[:-1].replace(".", "").isalpha()


def _continues_sentence(doc: Doc, i: int) -> bool:
    """Token i (a word) cannot open a sentence given what precedes it."""
    tok, prev = doc[i], doc[i - 1]
    if "\n" in prev.text_with_ws or prev.is_space:
        return False  # a paragraph break is always a boundary
    if _title_period(doc, i - 1):
        return tok.text[:1].isupper()  # "Sens. Jon Tester"
    if not (tok.is_alpha and tok.text[:1].islower()):
        return False
    if _abbreviation(prev) or prev.text in ("...", "…"):
        return True  # "at 9 a.m. on Monday", "not just about her... it's about all of us"
    if prev.text == ")" and i >= 2 and _abbreviation(doc[i - 2]):
        return True  # "(D-Conn.) the night"
    return prev.text in _CLOSING_QUOTES and i >= 2 and doc[i - 2].text in ("?", "!", ",", ".", "...", "…")


@Language.component(COMPONENT)
def news_sentences(doc: Doc) -> Doc:
    """Mark the tokens that cannot start a sentence (see the module docstring) before parsing."""
    for i in range(1, len(doc)):
        if _continues_sentence(doc, i):
            doc[i].is_sent_start = False
    return doc


def add_to(nlp: Language) -> Language:
    """Put the component right before the parser (or the senter); without either, nothing to fix."""
    if COMPONENT in nlp.pipe_names:
        return nlp
    for anchor in ("parser", "senter"):
        if anchor in nlp.pipe_names:
            nlp.add_pipe(COMPONENT, before=anchor)
            break
    return nlp


def sentence_spans(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, read off the sentence-start array.

    ``Doc.sents`` makes a Token object for every token of the article, and the extractors ask for
    an article's sentences several times; this makes one Span per sentence and nothing else.
    """
    if len(doc) == 0 or not doc.has_annotation("SENT_START"):
        return list(doc.sents)  # the same result, or the same error as spaCy's
    flags = doc.to_array([SENT_START]).reshape(-1).astype(numpy.int64)
    starts = [0, *(i for i in numpy.flatnonzero(flags == 1).tolist() if i > 0)]
    return [doc[a:b] for a, b in zip(starts, [*starts[1:], len(doc)])]
