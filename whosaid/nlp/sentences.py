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
from spacy.attrs import IS_ALPHA, IS_SPACE, ORTH, SENT_START, SPACY
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


def _abbreviation(text: str) -> bool:
    """An abbreviation with its period ("Conn.", "a.m.", "U.S.")."""
    return len(text) > 1 and text.endswith(".") and text[:-1].replace(".", "").isalpha()


def continuing_tokens(doc: Doc) -> list[int]:
    """The tokens (after the first) that cannot open a sentence given what precedes them.

    One pass over plain lists read off the Doc's arrays: a Token object per look at a token cost
    this component 3-4% of the whole pipeline."""
    n = len(doc)
    if n < 2:
        return []
    strings = doc.vocab.strings
    rows = doc.to_array([ORTH, SPACY, IS_ALPHA, IS_SPACE]).tolist()
    texts = [strings[row[0]] for row in rows]
    out = []
    for i in range(1, n):
        text, prev = texts[i], texts[i - 1]
        if "\n" in prev or rows[i - 1][3]:
            continue  # a paragraph break is always a boundary
        if prev == "." and i >= 2 and _glued_title(texts[i - 2], rows[i - 2][1]):
            if text[:1].isupper():
                out.append(i)  # "Sens. Jon Tester"
            continue
        if not (rows[i][2] and text[:1].islower()):
            continue
        if (
            _abbreviation(prev)
            or prev in ("...", "…")  # "at 9 a.m. on Monday", "not just about her... it's about all of us"
            or (prev == ")" and i >= 2 and _abbreviation(texts[i - 2]))  # "(D-Conn.) the night"
            or (prev in _CLOSING_QUOTES and i >= 2 and texts[i - 2] in ("?", "!", ",", ".", "...", "…"))
        ):
            out.append(i)
    return out


def _glued_title(text: str, space_after: int) -> bool:
    """A title abbreviation the tokenizer split from the period right after it ("Sens" + ".")."""
    return not space_after and text[:1].isupper() and text.lower() in TITLE_ABBREVIATIONS


@Language.component(COMPONENT)
def news_sentences(doc: Doc) -> Doc:
    """Mark the tokens that cannot start a sentence (see the module docstring) before parsing."""
    for i in continuing_tokens(doc):
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
