"""The spaCy pipeline's memory stays bounded over a long run, and what it extracts does not depend
on how warm its caches are (whosaid.nlp.pipeline.fresh_enough, sentence_spans)."""

from __future__ import annotations

import pytest

from whosaid.nlp.pipeline import extract_texts, fresh_enough, load_nlp
from whosaid.nlp.sentences import sentence_spans
from whosaid.settings import Settings

MODEL = Settings().spacy_model
#: words no model has seen: each becomes a new lexeme
NEW_WORDS = "Zorblat Quindarvex Plumtrussel Vexhaldrin Oskrevath Brimwallow"


def test_vocab_grows_with_new_words_and_a_grown_pipeline_is_loaded_afresh():
    nlp = load_nlp(MODEL)
    before = len(nlp.vocab)
    list(extract_texts([("a", f"{NEW_WORDS} said the plan failed.")], MODEL))
    grown = len(nlp.vocab)
    assert grown >= before + 6  # the new words stay: this is the growth the limit bounds

    assert fresh_enough(MODEL, limit=grown) is nlp  # within the limit: the same pipeline
    fresh = fresh_enough(MODEL, limit=grown - 1)
    assert fresh is not nlp
    assert len(fresh.vocab) < grown
    assert load_nlp(MODEL) is fresh  # later batches get the new one
    assert "whosaid_news_sentences" in fresh.pipe_names  # loaded the same way, with its components


def test_extraction_is_the_same_after_the_pipeline_is_loaded_afresh(seed_text):
    warm = list(extract_texts([("seed", seed_text)], MODEL))
    fresh_enough(MODEL, limit=0)  # every pipeline is over a limit of 0: load afresh
    cold = list(extract_texts([("seed", seed_text)], MODEL))
    assert cold == warm
    assert warm[0].quotes  # the seed article has quotes: the comparison is not of two empty lists


@pytest.mark.parametrize(
    "text",
    [
        "One. Two two. Three three three.",
        "Sens. Jon Tester (D-Mont.) and others spoke. “You winning?” she said.\n\nNew paragraph here.",
        "A",
        "   \n\n  ",
    ],
)
def test_sentence_spans_are_spacys_sentences(nlp, text):
    doc = nlp(text)
    assert [(s.start, s.end) for s in sentence_spans(doc)] == [(s.start, s.end) for s in doc.sents]


def test_the_warm_up_text_goes_through_the_quote_extractor_and_changes_no_result():
    """The CLI runs the extractors once on WARM_UP_TEXT while Prefect's server boots: it has to reach
    the quote rules (speaker, cue, content), and what an article yields afterwards is the same."""
    from whosaid.nlp.pipeline import WARM_UP_TEXT, extract_doc, warm_up_extraction

    nlp = load_nlp(MODEL)
    sample = extract_doc(nlp(WARM_UP_TEXT), "sample")
    assert [(q.speaker.ref_text, q.cue_lemma) for q in sample.quotes][:2] == [("Ann Lee", "accuse"), ("Ann Lee", "tell")]
    text = 'The minister said the plan "is dead". Critics accused him of lying.'
    before = extract_doc(nlp(text), "k")
    warm_up_extraction(MODEL)
    assert extract_doc(nlp(text), "k") == before
