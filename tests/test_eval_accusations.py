"""Accusation evaluation: metric functions on hand-made cases, gold-file validation, the seed article
(every gold accusation must be found) and a corpus run whose figures must clear a floor.

Parsing is the cost here: each article is parsed once per module (fixtures ``seed_docs`` and
``corpus_docs``) and the corpus test scores a fixed subset of the gold articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whosaid.eval.accusations import (
    GoldError,
    PairUnit,
    article_path,
    charge_overlap,
    charge_tokens,
    charge_units,
    check_offsets,
    load_gold,
    max_matching,
    merge_pairs,
    score_charges,
    score_pairs,
)

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "accusations_gold.jsonl"
SEED = "seeds/articles/000_f6532a6c366c085a.txt"

# measured on the full gold and on the test's subset alike (P 1.00 / F1 0.86 who+whom, P 0.99 /
# F1 0.78 who+whom+what after the issue-4 recall round; see tests/data/README.md): a regression
# below these fails
FLOOR_WHO_WHOM_P = 0.95
FLOOR_WHO_WHOM_F1 = 0.84
FLOOR_WHAT_F1 = 0.75


def _pair(acr: str, acd: str, *charges: str, article: str = "a") -> PairUnit:
    return PairUnit(article, frozenset({acr.casefold()}), frozenset({acd.casefold()}), list(charges), [(0, 1)] * len(charges))


def test_charge_tokens_drop_stop_words_and_punctuation():
    assert charge_tokens("the “Cold War mentality” of NATO’s") == {"cold", "war", "mentality", "nato"}
    assert charge_tokens("") == frozenset()
    assert charge_tokens("not doing so") == {"not", "doing", "so"}  # only stop words: keep them


def test_charge_overlap_is_intersection_over_shorter():
    a = charge_tokens("fanning the flames")
    b = charge_tokens("fanning the flames and stoking confrontation")
    assert charge_overlap(a, b) == 1.0
    assert charge_overlap(charge_tokens("military build-up"), charge_tokens("support for Russia")) == 0.0
    # {massive, military, build, plans} vs {build, troops} ("up" and "of" are stop words): 1 of the shorter 2
    assert charge_overlap(charge_tokens("massive military build-up plans"), charge_tokens("build-up of troops")) == 0.5
    assert charge_overlap(frozenset(), b) == 0.0


def test_max_matching_is_one_to_one_and_maximal():
    # greedy left-to-right would give (0,0) and leave 1 unmatched; the maximum matching is 2
    edges = {(0, 0), (0, 1), (1, 0)}
    m = max_matching(2, 2, lambda i, j: (i, j) in edges)
    assert sorted(m) == [(0, 1), (1, 0)]
    assert len(max_matching(3, 1, lambda i, j: True)) == 1


def test_pairs_match_on_names_with_spellings_and_articles():
    gold = merge_pairs([
        PairUnit("a", frozenset({"republican party", "gop"}), frozenset({"nato"}), ["x"], [(0, 1)]),
        PairUnit("a", frozenset({"gop"}), frozenset({"nato"}), ["y"], [(0, 1)]),  # same pair, other spelling
        _pair("China", "NATO"),
    ])
    assert len(gold) == 2
    preds = [_pair("Republican Party", "NATO"), _pair("China", "NATO", article="b"), _pair("NATO", "China")]
    prf, m = score_pairs(preds, gold)
    assert (prf.tp, prf.n_pred, prf.n_gold) == (1, 3, 2)
    assert m == [(0, 0)]


def test_charges_cluster_and_split_fragments_are_not_false():
    gold = [_pair("Guo Jiakun", "NATO", "misinformation", "fanning the flames and stoking confrontation")]
    assert len(charge_units(gold[0])) == 2
    preds = [_pair("Guo Jiakun", "NATO", "fanning the flames", "stoking confrontation", "cold war mentality")]
    # "fanning the flames" and "stoking confrontation" do not overlap each other: two predicted units;
    # one matches, the other repeats the found charge and is not counted; "cold war mentality" is false
    prf, kept, _, m = score_charges(preds, gold)
    assert (prf.tp, prf.n_pred, prf.n_gold) == (1, 2, 2)
    assert {tuple(c.charges) for c in kept} >= {("cold war mentality",)}
    # a charge with the wrong pair never matches
    prf, *_ = score_charges([_pair("China", "NATO", "misinformation")], gold)
    assert prf.tp == 0


def _write(tmp_path: Path, rows: list) -> Path:
    p = tmp_path / "g.jsonl"
    p.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows), encoding="utf-8")
    return p


def _rec(**kw):
    base = {"article": "x.txt", "scope": "full", "accuser": "A", "accused": "B", "charge": "c",
            "charge_start": 0, "charge_end": 1, "evidence_start": 0, "evidence_end": 5, "note": ""}
    base.update(kw)
    return base


@pytest.mark.parametrize(
    "rows,message",
    [
        (["{not json"], "not JSON"),
        ([{"article": "x.txt"}], "missing field"),
        ([_rec(scope="some")], "scope must be"),
        ([_rec(accused=None)], "both be set"),
        ([_rec(charge=None)], "needs charge"),
        ([_rec(evidence_start=5, evidence_end=5)], "start < end"),
        ([_rec(), _rec(scope="cues")], "different scopes"),
    ],
)
def test_load_gold_rejects_malformed_records(tmp_path, rows, message):
    with pytest.raises(GoldError, match=message):
        load_gold(_write(tmp_path, rows))


def test_load_gold_missing_file(tmp_path):
    with pytest.raises(GoldError, match="not found"):
        load_gold(tmp_path / "nope.jsonl")


def test_gold_file_is_valid_and_cuts_the_seed_verbatim():
    records = load_gold(GOLD)
    assert sum(r.is_accusation for r in records) >= 100
    seed = [r for r in records if r.article == SEED]
    assert seed and all(r.scope == "full" for r in seed)
    text = (ROOT / SEED).read_text(encoding="utf-8")
    assert check_offsets(seed, text) == []
    # no corpus text is stored in the repo: only names, offsets and short charges
    assert all(len(r.charge or "") <= 200 for r in records)


def test_gold_offsets_match_polnear_texts(polnear_dir):
    records = load_gold(GOLD)
    problems = []
    for art in {r.article for r in records}:
        path = article_path(art, ROOT, polnear_dir / "dev" / "text")
        assert path.is_file(), path
        problems += check_offsets([r for r in records if r.article == art], path.read_text(encoding="utf-8"))
    assert problems == []


def _corpus_subset(records) -> list[str]:
    """The gold articles the corpus test evaluates: every article read in full or holding a gold
    accusation, and every third article that holds only reviewed negatives (sorted by name). Parsing
    all 58 costs over a minute; this fixed subset keeps the precision check on negatives at about
    half the parse time. The CLI (`whosaid eval accusations`) still scores the whole file."""
    by: dict[str, list] = {}
    for r in records:
        by.setdefault(r.article, []).append(r)
    kept = sorted(a for a, rs in by.items() if rs[0].scope == "full" or any(r.is_accusation for r in rs))
    negatives_only = sorted(a for a in by if a not in kept)
    return kept + negatives_only[::3]


@pytest.fixture(scope="module")
def seed_docs():
    """The seed article parsed once for this module's tests."""
    pytest.importorskip("spacy")
    from whosaid.eval.accusations import parse_texts

    try:
        return parse_texts({SEED: (ROOT / SEED).read_text(encoding="utf-8")})
    except RuntimeError as exc:  # model package missing
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def corpus_docs(polnear_dir, seed_docs):
    """The corpus subset parsed once (one ``nlp.pipe``), the seed reused."""
    from whosaid.eval.accusations import gold_texts, parse_texts

    _, texts = gold_texts(GOLD, polnear_text=polnear_dir / "dev" / "text", repo=ROOT)
    wanted = [a for a in _corpus_subset(load_gold(GOLD)) if a not in seed_docs]
    return {**seed_docs, **parse_texts({a: texts[a] for a in wanted})}


def test_corpus_subset_is_fixed_and_covers_every_gold_accusation():
    records = load_gold(GOLD)
    subset = _corpus_subset(records)
    assert subset == _corpus_subset(list(reversed(records)))  # order of the file does not matter
    assert {r.article for r in records if r.is_accusation} <= set(subset)
    assert SEED in subset and len(set(subset)) == len(subset) < len({r.article for r in records})


def test_seed_article_accusations_are_all_found(tmp_path, seed_docs):
    """The seed article is in the repo: every gold (accuser, accused) pair there must be found, with
    precision 1, and most of its charges."""
    from whosaid.eval.accusations import evaluate

    seed_rows = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if json.loads(line)["article"] == SEED]
    gold = tmp_path / "seed.jsonl"
    gold.write_text("\n".join(seed_rows), encoding="utf-8")
    res = evaluate(gold, docs=seed_docs)
    ww = res["who_whom"]
    assert ww["n_gold"] == 8
    assert ww["tp"] == ww["n_gold"], res["errors"]["who_whom_fn"]
    assert ww["p"] == 1.0, res["errors"]["who_whom_fp"]
    assert res["who_whom_what"]["r"] >= 0.7, res["errors"]["what_fn"]  # 12 of 17 charges measured
    assert res["who_whom_what"]["p"] >= 0.9, res["errors"]["what_fp"]
    assert res["seconds_parse"] == 0.0  # the Doc was reused, not parsed again


def test_evaluate_rejects_a_doc_of_another_text(tmp_path, seed_docs):
    from whosaid.eval.accusations import evaluate

    seed_rows = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if json.loads(line)["article"] == SEED]
    gold = tmp_path / "seed.jsonl"
    gold.write_text("\n".join(seed_rows), encoding="utf-8")
    wrong = seed_docs[SEED][:10].as_doc()
    with pytest.raises(ValueError, match="not a parse of its text"):
        evaluate(gold, docs={SEED: wrong})


@pytest.mark.corpus
@pytest.mark.slow
def test_dev_gold_figures_clear_the_floor(polnear_dir, corpus_docs):
    from whosaid.eval.accusations import evaluate

    subset = _corpus_subset(load_gold(GOLD))
    res = evaluate(GOLD, polnear_text=polnear_dir / "dev" / "text", docs=corpus_docs, articles=subset)
    assert res["n_articles_skipped"] == 0 and res["n_articles"] == len(subset)
    ww, www = res["who_whom"], res["who_whom_what"]
    assert ww["n_gold"] == 74  # every gold pair lives in the subset
    assert ww["p"] >= FLOOR_WHO_WHOM_P, res["errors"]["who_whom_fp"]
    assert ww["f1"] >= FLOOR_WHO_WHOM_F1, (ww, res["errors"]["who_whom_fn"])
    assert www["f1"] >= FLOOR_WHAT_F1, (www, res["errors"]["what_fn"])


def test_evaluate_skips_absent_corpus_with_a_message(tmp_path):
    pytest.importorskip("spacy")
    from whosaid.eval.accusations import evaluate

    seed_rows = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if json.loads(line)["article"] == SEED]
    gold = tmp_path / "g.jsonl"
    gold.write_text("\n".join(seed_rows[:1] + [json.dumps(_rec(article="absent_article.txt"))]), encoding="utf-8")
    notes: list[str] = []
    try:
        res = evaluate(gold, polnear_text=tmp_path / "no-corpus", log=notes.append)
    except RuntimeError as exc:
        pytest.skip(str(exc))
    assert res["n_articles_skipped"] == 1 and res["n_articles"] == 1
    assert notes and "not found" in notes[0]
