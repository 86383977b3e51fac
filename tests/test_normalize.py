"""Canonical entities and frame shaping on tiny, hand-made inputs."""

from __future__ import annotations

import polars as pl
import pytest

from whosaid.contracts import load_contracts
from whosaid.nlp.records import Actor, ArticleExtraction, Mention, Quote, Sentence
from whosaid.normalize import (
    PersonIndex,
    actor_entity,
    build_frames,
    canonicalize,
    charge_normalized,
    clean_name,
    normalized_text,
    stable_id,
    strip_titles,
)
from whosaid.ingest import RawArticle, article_key

PEOPLE = PersonIndex(["Guo Jiakun", "Mark Rutte", "Hillary Clinton", "Bill Clinton"])


@pytest.mark.parametrize(
    "text,label,as_actor,expected_name,expected_type",
    [
        ("Rutte", "PERSON", True, "Mark Rutte", "PERSON"),
        ("Jiakun", "GPE", True, "Guo Jiakun", "PERSON"),  # NER mislabels the surname; the article's full name wins
        ("Guo", "PERSON", True, "Guo Jiakun", "PERSON"),
        ("NATO General Secretary Mark Rutte", "PERSON", True, "Mark Rutte", "PERSON"),
        ("Beijing", "GPE", True, "China", "GPE"),  # a capital acting → its country
        ("Beijing", "GPE", False, "Beijing", "GPE"),  # a capital as a place stays a place
        ("Beijing’s", "GPE", True, "China", "GPE"),
        ("the U.S.", "GPE", True, "United States", "GPE"),
        ("North Atlantic Treaty Organization", "ORG", True, "NATO", "ORG"),
        ("Moscow", "GPE", True, "Russia", "GPE"),
        ("Chinese", "NORP", True, "China", "GPE"),
        ("Clinton", "PERSON", True, "Clinton", "PERSON"),  # two Clintons: ambiguous, left alone
        ("Xinhua News Agency", "ORG", True, "Xinhua News Agency", "ORG"),
    ],
)
def test_canonicalize(text, label, as_actor, expected_name, expected_type):
    ref = canonicalize(text, label, PEOPLE, as_actor=as_actor)
    assert ref is not None
    assert (ref.canonical_name, ref.entity_type) == (expected_name, expected_type)


def test_epithets_collapse_to_the_plain_full_name():
    people = PersonIndex(["Crooked Hillary Clinton", "Hillary Clinton", "Miss Universe Alicia Machado", "Alicia Machado"])
    assert canonicalize("Crooked Hillary Clinton", "PERSON", people, True).canonical_name == "Hillary Clinton"
    assert canonicalize("Miss Universe Alicia Machado", "PERSON", people, True).canonical_name == "Alicia Machado"
    assert canonicalize("Clinton", "PERSON", people, True).canonical_name == "Hillary Clinton"  # no longer ambiguous


@pytest.mark.parametrize("text", ["he", "It", "they", "  ", "“”"])
def test_pronouns_and_empty_have_no_entity(text):
    assert canonicalize(text, "OTHER", PEOPLE, as_actor=True) is None


def test_country_codes_come_from_reference_data():
    assert canonicalize("Beijing", "GPE", PEOPLE, True).country_code == "CHN"
    assert canonicalize("NATO", "ORG", PEOPLE, True).country_code == "IGO"
    assert canonicalize("Xinhua", "ORG", PEOPLE, True).country_code is None


def test_clean_and_strip_titles():
    assert clean_name("  the  Kremlin’s ") == "Kremlin"
    assert strip_titles("Chinese President Xi Jinping", frozenset({"president"})) == "Xi Jinping"
    assert strip_titles("President", frozenset({"president"})) == "President"


def test_person_index_from_mentions_ignores_single_tokens_and_titles():
    mentions = [
        Mention(0, 0, 10, "Guo Jiakun", "PERSON", 0),
        Mention(1, 20, 26, "Jiakun", "PERSON", 1),
        Mention(2, 30, 65, "NATO General Secretary Mark Rutte", "PERSON", 1),
    ]
    people = PersonIndex.from_mentions(mentions)
    assert people.full_name("jiakun") == "Guo Jiakun"
    assert people.full_name("Rutte") == "Mark Rutte"
    assert people.full_name("NATO") is None


def test_actor_prefers_resolved_reference_over_pronoun():
    mentions = [Mention(0, 0, 10, "Guo Jiakun", "PERSON", 0)]
    he = Actor(50, 52, "He", "PERSON", ref_start=0, ref_end=10, ref_text="Guo Jiakun")
    assert actor_entity(he, mentions, PersonIndex.from_mentions(mentions)).canonical_name == "Guo Jiakun"
    unresolved = Actor(50, 52, "He", "PERSON")
    assert actor_entity(unresolved, mentions, PersonIndex.from_mentions(mentions)) is None


def test_stable_id_is_deterministic_positive_bigint():
    assert stable_id("china") == stable_id("china")
    assert stable_id("china") != stable_id("russia")
    assert 0 < stable_id("x") < 2**53  # exact in JavaScript-based BI front ends


def test_normalized_text_columns_leave_verbatim_text_alone():
    df = pl.DataFrame({"content": ["“NATO’s  misinformation\nwill not fool”"]})
    out = df.with_columns(norm=normalized_text(pl.col("content")), charge=charge_normalized(pl.col("content")))
    assert out["content"][0] == "“NATO’s  misinformation\nwill not fool”"
    assert out["norm"][0] == "\"NATO's misinformation will not fool\""
    assert out["charge"][0] == "natos misinformation will not fool"


def _tiny_article():
    body = "Guo Jiakun said “NATO lies.” Later Jiakun added more."
    art = RawArticle(
        article_key=article_key(body), uri="mem://a", body=body, title="T", published_at=None, published_raw=None,
        outlet=None, author=None, source_id=None, source_format="txt", source_path="mem",
    )
    mentions = [Mention(0, 0, 10, "Guo Jiakun", "PERSON", 0), Mention(1, 17, 21, "NATO", "ORG", 0),
                Mention(2, 35, 41, "Jiakun", "PERSON", 1)]
    quote = Quote(0, Actor(0, 10, "Guo Jiakun", "PERSON", 0, 10, "Guo Jiakun"), 11, 15, "said", "say",
                  17, 27, "NATO lies.", "direct", 0.9, 0)
    ex = ArticleExtraction(art.article_key, [Sentence(0, 0, 28), Sentence(1, 29, len(body))], mentions, [quote], n_tokens=12)
    return art, ex


def test_build_frames_conform_to_contracts_and_share_entity_keys():
    art, ex = _tiny_article()
    frames = build_frames([art, art], [ex], "run-1", "sm", "0.1").tables
    contracts = load_contracts()
    for name, frame in frames.items():
        assert frame.columns == contracts[name].column_names, name
        assert frame.schema == contracts[name].polars_schema, name
    assert frames["dim_article"].height == 1  # same article twice → one row
    assert frames["dim_article"]["body"][0] == art.body
    mentions = frames["fact_mention"]
    # "Jiakun" later in the article is the same entity as the full name
    assert mentions["entity_id"][0] == mentions["entity_id"][2]
    assert frames["fact_quote"]["speaker_entity_id"][0] == mentions["entity_id"][0]
    assert sorted(frames["dim_entity"]["canonical_name"].to_list()) == ["Guo Jiakun", "NATO"]
    q = frames["fact_quote"].row(0, named=True)
    assert art.body[q["content_start"]:q["content_end"]] == q["content"]
