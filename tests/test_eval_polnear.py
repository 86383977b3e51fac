"""PolNeAR evaluation: metric functions on hand-made spans, plus a corpus smoke test."""

from __future__ import annotations

from pathlib import Path

import pytest

from whosaid.eval.polnear import (
    PRF,
    Attribution,
    exact_counts,
    greedy_match,
    half_overlap,
    is_direct,
    parse_ann,
    quotes_to_attributions,
    score_document,
    speaker_ok,
    trim_span,
    METRICS,
)
from whosaid.nlp.records import Actor, Quote

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "polnear"


def test_half_overlap():
    assert half_overlap((0, 10), (0, 10))
    assert half_overlap((0, 10), (5, 14))  # 5 of 10 and 5 of 9
    assert not half_overlap((0, 10), (6, 20))  # 4 of 10
    assert not half_overlap((0, 4), (0, 20))  # covers all of the first, 4/20 of the second
    assert not half_overlap((0, 5), (5, 10))


def test_greedy_match_is_one_to_one_by_overlap():
    golds = [Attribution((0, 10)), Attribution((20, 30))]
    preds = [Attribution((2, 10)), Attribution((0, 9)), Attribution((21, 30))]
    pairs = greedy_match(preds, golds, lambda p, g: True)
    assert sorted(pairs) == [(1, 0), (2, 1)]  # overlap 9 beats overlap 8 for the same gold
    assert len({j for _, j in pairs}) == len(pairs)


def test_speaker_ok_overlap_ref_and_name_token():
    text = "Mr. Donald Trump said it. Trump said it again."
    gold = Attribution((0, 5), source=(0, 16))
    assert speaker_ok(Attribution((0, 5), source=(4, 10)), gold, text)  # overlap
    assert speaker_ok(Attribution((0, 5), source=(26, 31)), gold, text)  # shares "Trump"
    he = Attribution((0, 5), source=(100, 102), ref=(4, 16))
    assert speaker_ok(he, gold, text)  # via the ref span
    assert not speaker_ok(Attribution((0, 5), source=(17, 21)), gold, text)  # "said"
    assert not speaker_ok(Attribution((0, 5), source=(0, 3)), Attribution((0, 5)), text)  # no gold source


def test_trim_and_exact_counts():
    text = '“Hello there,” he said.'
    assert text[slice(*trim_span(text, (0, 14)))] == "Hello there"
    tp, n_pred, n_gold = exact_counts(text, [(0, 14), (15, 17)], [(1, 12), (15, 17), (18, 22)])
    assert (tp, n_pred, n_gold) == (2, 2, 3)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("said\u00a0", "said"),  # a non-breaking space is whitespace (PolNeAR gold ends spans with one)
        ("” … he delivered a mix", "he delivered a mix"),  # any punctuation, not only ASCII marks
        ("(Reuters) -", "Reuters"),
        ("―", ""),  # a horizontal bar alone trims away, as an em dash always did
        ("16%", "16"),
    ],
)
def test_trim_strips_unicode_whitespace_and_punctuation(text, expected):
    assert text[slice(*trim_span(text, (0, len(text))))] == expected


def test_is_direct():
    text = 'He said “we will win,” and added that they would try. Then "yes" she said'
    assert is_direct(text, (8, 22))  # marks included
    assert is_direct(text, (9, 20))  # marks just outside
    assert not is_direct(text, (33, 52))


def test_parse_ann_discontinuous_and_multiline():
    text = "“A,” he said. “B.” Later text."
    ann = (
        "T1\tSource 5 7\the\n"
        "T2\tCue 8 12\tsaid\n"
        "T3\tContent 0 4;14 18\t“A,” “B.”\n"
        "T4\tAttribution 8 12\tsaid\n"
        "E1\tAttribution:T4 Source:T1 Content:T3 Cue:T2\n"
        "T5\tContent 19 29\tLater\n"
        "text.\n"
        "E2\tAttribution:T4 Content:T5\n"
    )
    a, b = parse_ann(ann, text)
    assert a.content == (0, 18) and a.source == (5, 7) and a.cue == (8, 12) and a.direct
    assert b.source is None and not b.direct


def test_prf_and_score_document():
    text = "“We will win,” Smith said. Jones said taxes would rise."
    golds = [
        Attribution((0, 14), source=(15, 20), cue=(21, 25), direct=True),
        Attribution((38, 53), source=(27, 32), cue=(33, 37)),
    ]
    preds = [
        Attribution((0, 14), source=(15, 20), cue=(21, 25), direct=True),
        Attribution((38, 53), source=(15, 20), cue=(33, 37)),  # right content, wrong speaker
    ]
    acc = {m: PRF() for m in METRICS}
    score_document(text, preds, golds, acc)
    assert acc["content"].f1 == 1.0
    assert acc["content_speaker"].tp == 1 and acc["content_speaker"].p == 0.5
    assert acc["exact_source"].tp == 1 and acc["exact_cue"].tp == 2 and acc["exact_content"].tp == 2
    assert PRF(0, 0, 0).f1 == 0.0


def test_quotes_to_attributions_merges_split_quote():
    sp = Actor(15, 17, "he")
    q1 = Quote(0, sp, 18, 22, "said", "say", 0, 14, "x", "direct", 0.9, 0)
    q2 = Quote(1, sp, 18, 22, "said", "say", 24, 40, "y", "direct", 0.8, 0)
    q3 = Quote(2, sp, None, None, None, None, 50, 60, "z", "direct", 0.5, 1)
    atts = quotes_to_attributions([q1, q2, q3])
    assert [a.content for a in atts] == [(0, 40), (50, 60)]


@pytest.mark.corpus
def test_corpus_dev_smoke():
    dev = CORPUS / "dev"
    if not dev.is_dir():
        pytest.skip(f"PolNeAR corpus not found at {CORPUS} (expected ../shared/corpora/polnear next to the repo)")
    pytest.importorskip("spacy")
    from whosaid.eval.polnear import evaluate

    try:
        res = evaluate(dev, limit=5)
    except RuntimeError as exc:  # model package missing
        pytest.skip(str(exc))
    assert res["n_docs"] == 5
    for scope in ("all", "direct"):
        for m in METRICS:
            d = res[scope][m]
            assert 0.0 <= d["p"] <= 1.0 and 0.0 <= d["r"] <= 1.0
    assert res["all"]["content"]["n_gold"] > 0
    assert res["all"]["content_speaker"]["f1"] > 0.2


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_dev_quality_floor(polnear_dir):
    """Regression floor on the first 20 dev articles (measured 0.68 / 0.82 content+speaker F1,
    0.79 / 0.84 precision): all attributions and direct quotes, precision first."""
    pytest.importorskip("spacy")
    from whosaid.eval.polnear import evaluate

    try:
        res = evaluate(polnear_dir / "dev", limit=20)
    except RuntimeError as exc:  # model package missing
        pytest.skip(str(exc))
    cs_all, cs_direct = res["all"]["content_speaker"], res["direct"]["content_speaker"]
    assert cs_all["p"] >= 0.72 and cs_all["f1"] >= 0.60
    assert cs_direct["p"] >= 0.78 and cs_direct["f1"] >= 0.75
    assert res["all"]["exact_source"]["f1"] >= 0.65


def _mine_cues_module():
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "bench" / "mine_cues.py"
    spec = importlib.util.spec_from_file_location("mine_cues", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["mine_cues"] = mod  # dataclasses resolve their module by name
    spec.loader.exec_module(mod)
    return mod


def test_context_model_learns_which_contexts_are_attributions():
    """The context model behind quote confidence: a feature seen with wrong candidates gets a
    negative coefficient, one seen with right candidates a positive one; the key weight is the base rate."""
    np = pytest.importorskip("numpy")
    mc = _mine_cues_module()
    samples = []
    for i in range(400):
        good = i % 2 == 0
        feats = ["dep=ROOT" if good else "dep=relcl", "frame=dobj"]
        right = (i % 10 != 0) if good else (i % 10 == 1)
        samples.append(mc.Sample(("endorse", "VERB", "dobj"), feats, right, i % mc.FOLDS, (i, 0)))
    bias, key, coef = mc.fit_context_model(samples, {("endorse", "VERB", "dobj")})
    assert key == 1.0 and coef["dep=ROOT"] > 0 > coef["dep=relcl"]
    assert mc.smoothed(0, 0) == pytest.approx(0.3) and mc.smoothed(100, 100) > 0.95 > mc.smoothed(3, 3)
    assert np.isfinite(bias)
