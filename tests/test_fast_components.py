"""whosaid.nlp.fast_components: the table attribute matcher and the array lemmatizer loop must give
every token exactly what spaCy's own components give (they only change how fast)."""

from __future__ import annotations

import pytest

from whosaid.nlp import fast_components

ANNOTATIONS = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]

#: the ruler's exceptions (multi-token, regex, IN, DEP patterns) and the lemmatizer's odd cases
TRICKY = [
    "Y'all gonna love it, and we gotta go. Let's c'mon now.",
    "He ain't coming, they ain't, and she AIN'T either.",
    "There is a cat. There's no dog, and there were two birds.",
    "  \n\n  Spaces\t\tand\n\nnew lines\u00a0everywhere.  ",
    "His and her statements were his own; its meaning is theirs.",
    "",
    "“Quote,” said Sen. Smith. 'Nested' too.",
]


@pytest.fixture(scope="module")
def stock():
    import spacy

    from whosaid.nlp import sentences
    from whosaid.settings import Settings

    return sentences.add_to(spacy.load(Settings().spacy_model))  # the same pipeline, spaCy's code only


def _annotations(docs):
    return [doc.to_array(ANNOTATIONS).tolist() for doc in docs]


def test_whosaid_pipeline_uses_both(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler").match, fast_components.TableAttributeMatcher)
    assert isinstance(nlp.get_pipe("lemmatizer").pipe, fast_components.CachedLemmas)


def test_same_annotations_as_spacy_on_the_seed_and_tricky_text(nlp, stock, seed_text):
    texts = [seed_text, *TRICKY]
    assert _annotations(nlp.pipe(texts)) == _annotations(stock.pipe(texts))
    assert [t.lemma_ for t in next(nlp.pipe(["We gonna win, ain't we"]))][1:3] == ["go", "to"]  # the ruler's two-token rule


def test_same_matches_as_spacys_matcher(nlp, stock, seed_text):
    ruler = stock.get_pipe("attribute_ruler")
    table = fast_components.TableAttributeMatcher(ruler)
    for doc in stock.pipe([seed_text, *TRICKY], disable=["attribute_ruler", "lemmatizer"]):
        assert table(doc) == ruler.match(doc)


def test_same_annotations_on_polnear_articles(nlp, stock, polnear_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted((polnear_dir / "dev" / "text").glob("*.txt"))[:12]]
    assert _annotations(nlp.pipe(texts)) == _annotations(stock.pipe(texts))


def test_an_unsupported_pattern_keeps_spacys_matcher():
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "the"}, {"IS_ALPHA": True, "OP": "+"}]], {"TAG": "DT"})
    assert "attribute_ruler" not in fast_components.speed_up(nlp)
    assert not isinstance(ruler.match, fast_components.TableAttributeMatcher)
    with pytest.raises(fast_components.Unsupported):
        fast_components.TableAttributeMatcher(ruler)
