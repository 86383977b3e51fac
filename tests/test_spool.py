"""A run's bodies wait on disk between ingest and their chunk (whosaid.spool): they come back
verbatim, known articles keep no body at all, and ingest's memory no longer holds the corpus."""

from __future__ import annotations

import tracemalloc

import pytest

from whosaid import stages
from whosaid.ingest import RawArticle, article_key
from whosaid.settings import Settings
from whosaid.spool import BodySpool, spooled, with_bodies

TRICKY = "Zoë said “no” — 王毅 replied.\r\nLine two \x00 with a NUL, an emoji 🙂 and '); DROP TABLE x;--"


def _article(body: str, uri: str) -> RawArticle:
    return RawArticle(article_key(body), uri, body, None, None, None, None, None, None, "txt", uri)


def test_bodies_come_back_verbatim_in_any_order():
    with BodySpool() as spool:
        arts = [spooled(_article(body, f"{i}.txt"), spool) for i, body in enumerate([TRICKY, "", "plain", TRICKY * 50])]
        assert all(a.body is None and a.body_ref is not None for a in arts)
        back = with_bodies(list(reversed(arts)), spool)
        assert [a.body for a in back] == [TRICKY * 50, "plain", "", TRICKY]
        assert [a.uri for a in back] == ["3.txt", "2.txt", "1.txt", "0.txt"]


def test_a_known_article_keeps_no_body_and_cannot_be_read_back():
    with BodySpool() as spool:
        known = spooled(_article("Loaded by an earlier run.", "old.txt"), spool, keep_body=False)
        assert known.body is None and known.body_ref is None and spool.n_bodies == 0
        with pytest.raises(ValueError, match="old.txt"):
            with_bodies([known], spool)


def test_without_a_spool_articles_are_unchanged():
    art = _article("In memory.", "m.txt")
    assert spooled(art, None) is art and with_bodies([art], None) == [art]


def test_ingest_with_a_spool_holds_metadata_only_and_chunks_read_their_bodies_back(tmp_path):
    bodies = [f"The minister said on day {i} that the plan " + "would work. " * 400 for i in range(30)]
    for i, body in enumerate(bodies):
        (tmp_path / f"{i:02}.txt").write_text(body, encoding="utf-8")
    known = frozenset({article_key(bodies[0])})
    settings = Settings()

    tracemalloc.start()
    in_memory = stages.ingest_inputs([str(tmp_path)], settings, known_keys=known)
    held_in_memory = tracemalloc.get_traced_memory()[0]
    del in_memory
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    with BodySpool(tmp_path) as spool:
        result = stages.ingest_inputs([str(tmp_path)], settings, known_keys=known, spool=spool)
        held_spooled = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        assert sum(len(b) for b in bodies) > 100_000
        assert held_spooled < held_in_memory / 4
        assert spool.n_bodies == 29  # the known article's body is not kept at all

        loaded = {article_key(bodies[0]): settings.extractor_version}
        plan = stages.plan_extraction(result.articles, loaded, settings.extractor_version)
        chunks = [stages.with_chunk_bodies(c, spool) for c in stages.chunk_plan(plan, 10)]
    assert [a.body for c in chunks for a in c.to_extract] == bodies[1:]
    assert [a.uri.rsplit("/", 1)[-1] for a in chunks[0].known_uris] == ["00.txt"]
