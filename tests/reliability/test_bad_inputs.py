"""Torture suite, bad inputs: every kind in one folder with good articles, ONE real flow run.

Each bad input must become exactly one quarantine row with its reason code and a readable detail;
every good article must be loaded verbatim under every uri it was read from; the run succeeds.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from tests.reliability import torture
from whosaid import ingest

pytestmark = pytest.mark.slow


def test_the_folder_holds_at_least_20_kinds_of_bad_input(torture_run):
    kinds = {b.kind for b in torture_run.torture.bad}
    assert len(kinds) >= 20, sorted(kinds)


def test_run_succeeds_with_warnings(torture_run):
    summary = torture_run.summary
    assert summary["status"] == "completed_with_warnings"
    (status, finished_at, n_quarantined), = torture_run.rows(
        "SELECT status, finished_at, n_quarantined FROM etl_run WHERE run_id = ?", [summary["run_id"]]
    )
    assert status == "completed_with_warnings" and finished_at is not None
    assert n_quarantined == len(torture_run.torture.bad) == summary["n_quarantined"]


def test_every_bad_input_is_one_quarantine_row_with_its_reason(torture_run):
    rows = torture_run.rows("SELECT uri, reason, detail FROM quarantine WHERE stage = 'ingest'")
    got = {torture_run.relative(uri): reason for uri, reason, _ in rows}
    expected = {b.uri: b.reason for b in torture_run.torture.bad}
    assert got == expected
    assert len(rows) == len(got), "one row per bad input"
    for uri, reason, detail in rows:
        assert detail and len(detail) > 15, (uri, reason, detail)  # a sentence a person can act on


def test_no_row_of_a_good_article_was_rejected_after_ingest(torture_run):
    assert torture_run.rows("SELECT stage, uri, reason, detail FROM quarantine WHERE stage <> 'ingest'") == []


def test_every_good_article_is_loaded_verbatim_under_each_uri(torture_run):
    folder_uris = {g.kind: {torture_run.torture.uri(u) if "://" not in u else u for u in g.uris} for g in torture_run.torture.good}
    for good in torture_run.torture.good:
        found = torture_run.rows(
            "SELECT article_id, n_tokens, n_sentences FROM dim_article WHERE body = ?", [good.body]
        )
        assert len(found) == 1, good.kind
        article_id, n_tokens, n_sentences = found[0]
        assert n_tokens > 0 and n_sentences > 0, good.kind
        uris = {u for (u,) in torture_run.rows("SELECT uri FROM article_uri WHERE article_id = ?", [article_id])}
        assert uris == folder_uris[good.kind], good.kind
    assert torture_run.rows("SELECT count(*) FROM dim_article") == [(len(torture_run.torture.good),)]


def test_duplicate_article_under_two_names_is_one_article(torture_run):
    duplicate = next(g for g in torture_run.torture.good if len(g.uris) == 2)
    assert torture_run.rows(
        "SELECT count(DISTINCT a.article_id), count(*) FROM dim_article a JOIN article_uri u USING (article_id) "
        "WHERE a.body = ?", [duplicate.body]
    ) == [(1, 2)]


def test_symlink_cycle_is_walked_once(torture_run):
    uris = [u for (u,) in torture_run.rows("SELECT uri FROM article_uri UNION ALL SELECT uri FROM quarantine")]
    assert not [u for u in uris if u and "back_to_top" in u]


def test_utf16_article_is_decoded(torture_run):
    (body, fmt), = torture_run.rows("SELECT body, source_format FROM dim_article WHERE uri LIKE '%utf16_bom.txt'")
    assert (body, fmt) == (torture.UTF16_BODY, "txt")
    assert "Müller" in body and "\ufeff" not in body


def test_unbalanced_quote_marks_give_valid_spans(torture_run):
    body, quotes = _article_quotes(torture_run, torture.UNBALANCED_QUOTES)
    assert body == torture.UNBALANCED_QUOTES
    for content, start, end, kind in quotes:
        assert body[start:end] == content
        assert end - start < len(body) // 2, "an unclosed quote mark must not swallow the article"


def _article_quotes(run, body):
    (article_id, stored), = run.rows("SELECT article_id, body FROM dim_article WHERE body = ?", [body])
    quotes = run.rows(
        "SELECT content, content_start, content_end, quote_kind FROM fact_quote WHERE article_id = ?", [article_id]
    )
    return stored, quotes


def test_huge_file_is_refused_without_reading_it(torture_run):
    path = torture_run.torture.folder / "huge_50mb.txt"
    assert path.stat().st_size >= torture.HUGE_FILE_BYTES
    tracemalloc.start()
    started = time.perf_counter()
    items = list(ingest.read_path(path))
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [i.reason for i in items] == ["too_large"]
    assert "limit is" in items[0].detail
    assert peak < 1_000_000, f"read_path allocated {peak} bytes for a file it should only stat"
    assert seconds < 1.0


def test_long_sentence_is_refused_before_nlp(torture_run):
    path = torture_run.torture.folder / "one_sentence_200k.txt"
    started = time.perf_counter()
    (item,) = ingest.read_path(path)
    assert time.perf_counter() - started < 2.0
    assert item.reason == "sentence_too_long"
    assert f"limit is {ingest.MAX_SENTENCE_CHARS}" in item.detail


def test_sentence_limit_counts_the_longest_run_without_a_sentence_end():
    limit = ingest.MAX_SENTENCE_CHARS
    assert ingest.longest_unbroken_run("ab. cde! f") == (3, 4)
    assert ingest.longest_unbroken_run("") == (0, 0)
    prose = ("A sentence of ordinary length, said the minister. " * 2000)[: 5 * limit]
    assert ingest.longest_unbroken_run(prose)[1] < 100
    assert ingest.longest_unbroken_run("x" * (limit + 1) + "\nend")[1] == limit + 1


def test_language_detection():
    assert ingest.detect_language(torture.GERMAN) == "de"
    assert ingest.detect_language(torture.COUNCIL + torture.HOSPITAL) == "en"
    assert ingest.detect_language("Guo Jiakun said Xi Jinping met Vladimir Putin in Beijing.") is None  # too short


# Kannada and Tibetan (spaCy's example sentences): scripts lingua has no model for
KANNADA = (
    "ಆಪಲ್ ಒಂದು ಯು.ಕೆ. ಸ್ಟಾರ್ಟ್ಅಪ್ ಅನ್ನು ೧ ಶತಕೋಟಿ ಡಾಲರ್ಗಳಿಗೆ ಖರೀದಿಸಲು ನೋಡುತ್ತಿದೆ. ಸ್ವಾಯತ್ತ ಕಾರುಗಳು ವಿಮಾ "
    "ಹೊಣೆಗಾರಿಕೆಯನ್ನು ತಯಾರಕರ ಕಡೆಗೆ ಬದಲಾಯಿಸುತ್ತವೆ. ಲಂಡನ್ ಯುನೈಟೆಡ್ ಕಿಂಗ್‌ಡಂನ ದೊಡ್ಡ ನಗರ. ನೀನು ಎಲ್ಲಿದಿಯಾ? "
)
TIBETAN = (
    "དོན་དུ་རྒྱ་མཚོ་བླ་མ་ཞེས་བྱ་ཞིང༌། ཏཱ་ལའི་ཞེས་པ་ནི་སོག་སྐད་ཡིན་པ་དེ་བོད་སྐད་དུ་རྒྱ་མཚོའི་དོན་དུ་འཇུག "
    "སོག་པོ་ཨལ་ཐན་རྒྱལ་པོས་རྒྱལ་དབང་བསོད་ནམས་རྒྱ་མཚོར་ཆེ་བསྟོད་ཀྱི་མཚན་གསོལ་བ་ཞིག་ཡིན་ཞིང༌། "
)


@pytest.mark.parametrize("text", [KANNADA * 3, TIBETAN * 3], ids=["kannada", "tibetan"])
def test_a_script_the_detector_does_not_know_is_not_taken_for_english(text):
    assert ingest.detect_language(text) == ingest.UNDETERMINED_LANGUAGE
    reason, detail = ingest.body_problem(text)
    assert reason == "non_english" and "not Latin script" in detail


def test_english_with_some_non_latin_names_is_still_english():
    body = (torture.COUNCIL + " The envoy, 王毅 (Wang Yi), and 習近平 met. ") * 2
    assert ingest.detect_language(body) == "en"
    assert ingest.body_problem(body) is None
