"""Tests for whosaid.ingest: discovery, decoding, per-format readers, quarantine reasons."""

from __future__ import annotations

import codecs
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from whosaid.ingest import (
    MAX_BODY_CHARS,
    Quarantined,
    RawArticle,
    article_key,
    discover,
    ingest,
    read_path,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = REPO_ROOT / "seeds" / "articles" / "000_f6532a6c366c085a.txt"

CURLY_BODY = "The minister said the opposition had \u201cmisled the public\u201d.\nHe wasn\u2019t finished.\n"

ARTICLE_HTML = """<!DOCTYPE html>
<html><head>
<title>Minister Accuses Opposition of Misleading Voters</title>
<meta name="author" content="Jane Doe">
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2024-06-25T10:00:00+02:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/about">About us</a></nav>
<article>
<h1>Minister Accuses Opposition of Misleading Voters</h1>
<p>The finance minister said on Tuesday that the opposition had misled voters about the budget deficit.</p>
<p>Opposition leaders rejected the claim and accused the government of hiding the real figures from parliament.</p>
</article>
<footer>Copyright 2024 Daily Planet. All rights reserved.</footer>
</body></html>
"""

RSS_TWO_ITEMS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Example News</title>
<link>https://news.example.com/</link>
<description>Test feed</description>
<item>
  <title>First story</title>
  <link>https://news.example.com/first</link>
  <guid>first-guid</guid>
  <pubDate>Tue, 25 Jun 2024 10:00:00 +0200</pubDate>
  <author>reporter@example.com (Ann Reporter)</author>
  <description>&lt;p&gt;The mayor said the council &lt;b&gt;lied&lt;/b&gt; about the roads.&lt;/p&gt;</description>
</item>
<item>
  <title>Second story</title>
  <link>https://news.example.com/second</link>
  <description>Plain summary of the second story.</description>
</item>
</channel></rss>
"""

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Bomb</title>
<item><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""


def write_bytes(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_text(directory: Path, name: str, text: str) -> Path:
    return write_bytes(directory, name, text.encode("utf-8"))


def read_all(path: Path, **kwargs) -> list[RawArticle | Quarantined]:
    return list(read_path(path, **kwargs))


def only(items: list[RawArticle | Quarantined]) -> RawArticle | Quarantined:
    assert len(items) == 1, items
    return items[0]


def only_article(path: Path, **kwargs) -> RawArticle:
    item = only(read_all(path, **kwargs))
    assert isinstance(item, RawArticle), item
    return item


def only_quarantine(path: Path, **kwargs) -> Quarantined:
    item = only(read_all(path, **kwargs))
    assert isinstance(item, Quarantined), item
    assert item.stage == "ingest"
    return item


def split(items):
    articles = [i for i in items if isinstance(i, RawArticle)]
    quarantined = [i for i in items if isinstance(i, Quarantined)]
    return articles, quarantined


# ---------------------------------------------------------------------------------------------
# plain text and decoding


def test_txt_body_is_file_text_unchanged(tmp_path):
    body = "  Leading spaces kept.\r\nCRLF kept, \u201ccurly\u201d kept\u2019.\n\n"
    path = write_text(tmp_path, "a.txt", body)
    article = only_article(path)
    assert article.body == body
    assert article.body.encode("utf-8") == path.read_bytes()
    assert article.uri == str(path)
    assert article.source_path == str(path)
    assert article.source_format == "txt"
    assert article.article_key == article_key(body)
    assert (article.title, article.published_at, article.source_id) == (None, None, None)


def test_article_key_is_sha256_prefix():
    import hashlib

    assert article_key(CURLY_BODY) == hashlib.sha256(CURLY_BODY.encode("utf-8")).hexdigest()[:32]
    assert len(article_key("x")) == 32
    assert article_key("x") != article_key("x ")


def test_same_body_in_two_files_has_same_key(tmp_path):
    first = only_article(write_text(tmp_path, "one.txt", CURLY_BODY))
    second = only_article(write_text(tmp_path, "sub/two.md", CURLY_BODY))
    other = only_article(write_text(tmp_path, "three.txt", CURLY_BODY + "more"))
    assert first.article_key == second.article_key
    assert first.uri != second.uri
    assert other.article_key != first.article_key


def test_utf8_bom_is_stripped(tmp_path):
    path = write_bytes(tmp_path, "bom.txt", codecs.BOM_UTF8 + CURLY_BODY.encode("utf-8"))
    article = only_article(path)
    assert article.body == CURLY_BODY
    assert not article.body.startswith("\ufeff")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom_are_decoded(tmp_path, encoding):
    data = CURLY_BODY.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    article = only_article(write_bytes(tmp_path, "wide.txt", data))
    assert article.body == CURLY_BODY


def test_invalid_utf8_is_undecodable_with_byte_offset(tmp_path):
    data = b"Hello world, caf\xe9 time.\n"
    path = write_bytes(tmp_path, "bad.txt", data)
    item = only_quarantine(path)
    assert item.reason == "undecodable"
    bad_offset = data.index(b"\xe9")
    assert bad_offset == 16
    assert f"byte {bad_offset} " in item.detail
    assert item.uri == str(path)


def test_undecodable_offset_counts_the_bom(tmp_path):
    item = only_quarantine(write_bytes(tmp_path, "bad.txt", codecs.BOM_UTF8 + b"ab\xff"))
    assert item.reason == "undecodable"
    assert "byte 5" in item.detail


def test_png_is_binary(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256))
    item = only_quarantine(write_bytes(tmp_path, "image.txt", png))
    assert item.reason == "binary"
    assert "PNG" in item.detail


def test_nul_bytes_are_binary(tmp_path):
    item = only_quarantine(write_bytes(tmp_path, "nul.json", b'{"body": "x"}\x00\x00'))
    assert item.reason == "binary"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (codecs.BOM_UTF8, "empty"),
        (b"   \n\t\r\n  ", "whitespace_only"),
        ("\u00a0\u2003\n".encode("utf-8"), "whitespace_only"),
    ],
)
def test_empty_and_whitespace_only(tmp_path, data, reason):
    assert only_quarantine(write_bytes(tmp_path, "blank.txt", data)).reason == reason


def test_too_large_file_is_not_read(tmp_path):
    path = write_text(tmp_path, "big.txt", "x" * 101)
    item = only_quarantine(path, max_bytes=100)
    assert item.reason == "too_large"
    assert "101" in item.detail
    assert isinstance(only(read_all(path, max_bytes=101)), RawArticle)


def test_body_over_max_body_chars_is_too_large(tmp_path):
    path = write_text(tmp_path, "long.txt", "word " * 30)
    assert only_quarantine(path, max_body_chars=100).reason == "too_large"
    assert MAX_BODY_CHARS == 1_000_000


def test_unknown_suffix_is_unsupported(tmp_path):
    item = only_quarantine(write_text(tmp_path, "notes.docx", "some text"))
    assert item.reason == "unsupported_type"
    assert ".docx" in item.detail


def test_unreadable_file_is_quarantined(tmp_path, monkeypatch):
    path = write_text(tmp_path, "secret.txt", "text")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)  # chmod 0 is no obstacle when tests run as root
    item = only_quarantine(path)
    assert item.reason == "unreadable"
    assert "Permission denied" in item.detail


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert only_quarantine(fifo).reason == "not_regular_file"  # would block forever if opened


def test_seed_article_body_equals_file_text():
    assert SEED_ARTICLE.exists(), SEED_ARTICLE
    article = only_article(SEED_ARTICLE)
    expected = SEED_ARTICLE.read_bytes().decode("utf-8")
    assert article.body == expected
    assert article.article_key == article_key(expected)
    assert "\u201c" in article.body  # curly quotes survive


# ---------------------------------------------------------------------------------------------
# HTML


def test_html_article_extracts_title_and_main_text(tmp_path):
    article = only_article(write_text(tmp_path, "page.html", ARTICLE_HTML))
    assert article.source_format == "html"
    assert article.title == "Minister Accuses Opposition of Misleading Voters"
    assert "opposition had misled voters about the budget deficit" in article.body
    assert "accused the government of hiding the real figures" in article.body
    assert "All rights reserved" not in article.body
    assert "<p>" not in article.body
    assert article.author == "Jane Doe"
    assert article.outlet == "Daily Planet"
    assert article.published_at == datetime(2024, 6, 25, 8, 0, tzinfo=timezone.utc)
    assert article.uri == str(tmp_path / "page.html")


def test_html_all_script_is_no_main_text(tmp_path):
    html = "<html><head><script>var a = 1;</script></head><body><script>document.write('hi')</script></body></html>"
    item = only_quarantine(write_text(tmp_path, "script.htm", html))
    assert item.reason == "no_main_text"


def test_truncated_html_is_quarantined_not_half_loaded(tmp_path):
    cut = ARTICLE_HTML.index("</p>") + 2  # cut inside the first closing tag
    item = only_quarantine(write_text(tmp_path, "cut.html", ARTICLE_HTML[:cut]))
    assert (item.reason, "ends inside a tag" in item.detail) == ("truncated", True)
    cut_at_tag_boundary = ARTICLE_HTML[: ARTICLE_HTML.index("</article>")]
    item = only_quarantine(write_text(tmp_path, "cut2.html", cut_at_tag_boundary))
    assert (item.reason, "no </body> or </html>" in item.detail) == ("truncated", True)
    closing_html_tag_omitted = ARTICLE_HTML.replace("</html>", "")  # allowed by HTML5: not truncated
    assert "misled voters" in only_article(write_text(tmp_path, "no_end_tag.html", closing_html_tag_omitted)).body


def test_html_with_declared_latin1_charset_is_decoded(tmp_path):
    html = ARTICLE_HTML.replace("<head>", '<head><meta charset="iso-8859-1">').replace("finance", "caf\u00e9")
    article = only_article(write_bytes(tmp_path, "latin.html", html.encode("latin-1")))
    assert "caf\u00e9 minister" in article.body


# ---------------------------------------------------------------------------------------------
# JSON / JSONL / CSV


def test_json_object(tmp_path):
    record = {
        "id": 42,
        "url": "https://example.com/a",
        "title": "T",
        "published_at": "2024-06-25T10:00:00Z",
        "outlet": "Outlet",
        "author": ["A. One", "B. Two"],
        "body": CURLY_BODY,
        "text": "ignored because body wins",
    }
    path = write_text(tmp_path, "one.json", json.dumps(record))
    article = only_article(path)
    assert article.body == CURLY_BODY
    assert article.uri == "https://example.com/a"
    assert article.source_id == "42"
    assert article.title == "T"
    assert article.outlet == "Outlet"
    assert article.author == "A. One, B. Two"
    assert article.published_at == datetime(2024, 6, 25, 10, 0, tzinfo=timezone.utc)
    assert article.published_raw == "2024-06-25T10:00:00Z"
    assert article.source_format == "json"
    assert article.source_path == str(path)


def test_json_list_uses_text_when_no_body_and_indexes_uris(tmp_path):
    records = [
        {"body": "First article body."},
        {"text": "Second article via text.", "published_at": "Tue, 25 Jun 2024 10:00:00 +0200"},
        {"title": "no body at all"},
        {"body": "", "text": "Body empty, text used."},
    ]
    path = write_text(tmp_path, "many.json", json.dumps(records))
    items = read_all(path)
    assert len(items) == 4
    first, second, missing, fourth = items
    assert isinstance(first, RawArticle) and first.uri == f"{path}#1"
    assert isinstance(second, RawArticle) and second.body == "Second article via text."
    assert second.published_at == datetime(2024, 6, 25, 8, 0, tzinfo=timezone.utc)
    assert isinstance(missing, Quarantined) and missing.reason == "missing_body" and missing.uri == f"{path}#3"
    assert isinstance(fourth, RawArticle) and fourth.body == "Body empty, text used."


def test_json_body_as_number_is_wrong_type(tmp_path):
    item = only_quarantine(write_text(tmp_path, "num.json", json.dumps({"body": 12345})))
    assert item.reason == "wrong_type"
    assert "int" in item.detail


def test_json_metadata_is_coerced_and_bad_date_kept_raw(tmp_path):
    record = {"body": "Some body.", "title": 2024, "published_at": "next Tuesday-ish", "id": None}
    article = only_article(write_text(tmp_path, "meta.json", json.dumps(record)))
    assert article.title == "2024"
    assert article.published_at is None
    assert article.published_raw == "next Tuesday-ish"
    assert article.source_id is None


def test_malformed_json_file_is_parse_error(tmp_path):
    item = only_quarantine(write_text(tmp_path, "broken.json", '{"body": "unterminated'))
    assert item.reason == "parse_error"


def test_jsonl_malformed_line_is_quarantined_others_load(tmp_path):
    lines = [
        json.dumps({"id": "a", "body": "Line one body."}),
        '{"id": "b", "body": "broken',
        "",
        json.dumps({"id": "c", "url": "https://example.com/c", "body": "Line four body."}),
        json.dumps(["not", "an", "object"]),
    ]
    path = write_text(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    items = read_all(path)
    articles, quarantined = split(items)
    assert [a.source_id for a in articles] == ["a", "c"]
    assert articles[0].uri == f"{path}#1"
    assert articles[1].uri == "https://example.com/c"
    assert [(q.uri, q.reason) for q in quarantined] == [
        (f"{path}#2", "parse_error"),
        (f"{path}#5", "wrong_type"),
    ]
    assert all(a.source_format == "jsonl" for a in articles)


def test_jsonl_keeps_line_separator_inside_strings(tmp_path):
    body = "Before\u2028after line separator."
    path = write_text(tmp_path, "sep.ndjson", json.dumps({"body": body}, ensure_ascii=False) + "\n")
    assert only_article(path).body == body


def test_csv_with_body_column(tmp_path):
    content = (
        "id,Title,url,published_at,body\r\n"
        '1,First,,2024-06-25,"Multi-line\r\nbody with ""quotes"", commas."\r\n'
        "2,Second,https://example.com/2,,Second body.\r\n"
        "3,Third,,,\r\n"
    )
    path = write_text(tmp_path, "rows.csv", content)
    items = read_all(path)
    articles, quarantined = split(items)
    assert len(articles) == 2
    first, second = articles
    assert first.body == 'Multi-line\r\nbody with "quotes", commas.'
    assert first.title == "First"
    assert first.uri == f"{path}#2"
    assert first.published_at == datetime(2024, 6, 25, tzinfo=timezone.utc)
    assert second.uri == "https://example.com/2"
    assert second.published_at is None and second.published_raw is None
    assert [(q.uri, q.reason) for q in quarantined] == [(f"{path}#5", "empty")]


def test_csv_without_body_column_is_one_quarantine(tmp_path):
    path = write_text(tmp_path, "nobody.csv", "id,title\n1,A\n2,B\n")
    item = only_quarantine(path)
    assert item.reason == "missing_column"
    assert item.uri == str(path)


def test_csv_handles_huge_field(tmp_path):
    big = "A short sentence. " * 12_000  # 216k chars, above csv's default 131072 field limit
    path = write_text(tmp_path, "big.csv", f'text\n"{big}"\n')
    assert only_article(path).body == big


# ---------------------------------------------------------------------------------------------
# RSS / Atom


def test_rss_two_entries(tmp_path):
    path = write_text(tmp_path, "feed.rss", RSS_TWO_ITEMS)
    items = read_all(path)
    assert len(items) == 2
    assert all(isinstance(i, RawArticle) for i in items)
    first, second = items
    assert (first.title, first.uri) == ("First story", "https://news.example.com/first")
    assert (second.title, second.uri) == ("Second story", "https://news.example.com/second")
    assert first.body == "The mayor said the council lied about the roads."
    assert second.body == "Plain summary of the second story."
    assert first.outlet == second.outlet == "Example News"
    assert first.source_id == "first-guid"
    assert first.published_at == datetime(2024, 6, 25, 8, 0, tzinfo=timezone.utc)
    assert first.source_format == "rss"


def test_atom_entry_without_link_and_empty_entry(tmp_path):
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Outlet</title><id>urn:feed</id><updated>2024-06-25T10:00:00Z</updated>
  <entry><title>Full</title><id>urn:1</id><updated>2024-06-25T10:00:00Z</updated>
    <content type="html">&lt;p&gt;Para one.&lt;/p&gt;&lt;p&gt;Para two.&lt;/p&gt;</content></entry>
  <entry><title>Hollow</title><id>urn:2</id><updated>2024-06-25T10:00:00Z</updated>
    <summary></summary></entry>
</feed>
"""
    path = write_text(tmp_path, "feed.atom", atom)
    full, hollow = read_all(path)
    assert isinstance(full, RawArticle)
    assert full.body == "Para one.\nPara two."
    assert full.uri == f"{path}#entry1"
    assert full.outlet == "Atom Outlet"
    assert isinstance(hollow, Quarantined) and hollow.reason == "empty" and hollow.uri == f"{path}#entry2"


def test_rss_entity_bomb_is_refused_fast(tmp_path):
    path = write_text(tmp_path, "bomb.xml", ENTITY_BOMB)
    started = time.perf_counter()
    item = only_quarantine(path)
    assert time.perf_counter() - started < 2.0
    assert item.reason == "unsafe_xml"


def test_rss_entity_bomb_in_utf16_is_refused(tmp_path):
    path = write_bytes(tmp_path, "bomb16.xml", ENTITY_BOMB.replace("UTF-8", "UTF-16").encode("utf-16"))
    assert only_quarantine(path).reason == "unsafe_xml"


def test_xml_that_is_not_a_feed(tmp_path):
    item = only_quarantine(write_text(tmp_path, "config.xml", "<?xml version='1.0'?><config><a>1</a></config>"))
    assert item.reason in {"no_entries", "parse_error"}


# ---------------------------------------------------------------------------------------------
# discovery and ingest


def test_discover_recurses_sorted_and_skips_hidden(tmp_path):
    for name in ["b.txt", "a.txt", "sub/c.txt", "sub/deeper/d.json", ".hidden.txt", ".git/e.txt", "sub/.f.txt"]:
        write_text(tmp_path, name, "x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a.txt", "b.txt", "sub/c.txt", "sub/deeper/d.json"]


def test_discover_accepts_files_and_str_and_dedupes(tmp_path):
    a = write_text(tmp_path, "a.txt", "x")
    write_text(tmp_path, "b.txt", "y")
    assert list(discover([str(a)])) == [a]
    assert list(discover(str(a))) == [a]  # a lone string is one path
    assert [p.name for p in discover([a, tmp_path])] == ["a.txt", "b.txt"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_discover_survives_symlink_loops(tmp_path):
    write_text(tmp_path, "root/sub/a.txt", "x")
    (tmp_path / "root" / "sub" / "back").symlink_to(tmp_path / "root", target_is_directory=True)
    (tmp_path / "root" / "self.txt").symlink_to(tmp_path / "root" / "self.txt")
    started = time.perf_counter()
    found = list(discover([tmp_path / "root"]))
    assert time.perf_counter() - started < 5.0
    names = [p.name for p in found]
    assert names.count("a.txt") == 1
    self_loop = [i for p in found if p.name == "self.txt" for i in read_path(p)]
    assert [q.reason for q in self_loop] == ["symlink_loop"]


def test_discover_missing_path_raises_eagerly(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(FileNotFoundError, match="nope"):
        discover([tmp_path, missing])
    with pytest.raises(FileNotFoundError):
        ingest([missing])


def test_ingest_mixes_articles_and_quarantine_without_raising(tmp_path):
    write_text(tmp_path, "good.txt", CURLY_BODY)
    write_text(tmp_path, "dup.md", CURLY_BODY)
    write_bytes(tmp_path, "bad.txt", b"caf\xc3\x28 not utf8 \x80")
    write_bytes(tmp_path, "pic.png", b"\x89PNG\r\n\x1a\n")
    write_text(tmp_path, "rows.jsonl", '{"body": "ok"}\nnot json\n')
    items = list(ingest([tmp_path]))
    articles, quarantined = split(items)
    assert sorted(a.uri for a in articles) == sorted(
        [str(tmp_path / "good.txt"), str(tmp_path / "dup.md"), f"{tmp_path / 'rows.jsonl'}#1"]
    )
    assert len({a.article_key for a in articles}) == 2
    assert sorted(q.reason for q in quarantined) == ["parse_error", "undecodable", "unsupported_type"]


def _reason_codes_written_in(source: str) -> set[str]:
    """Reason codes in the source: ``return "code", detail``, ``_quarantine(uri, "code", ...)``,
    ``reason="code"``, ``"reason": "code"``."""
    import re

    patterns = [
        r'return\s+\(?"([a-z_]+)",\s*(?:f?"|[a-z_]+\b)',
        r'_quarantine\([^,]+,\s*"([a-z_]+)"',
        r'reason\s*=\s*"([a-z_]+)"',
        r'"reason":\s*"([a-z_]+)"',
    ]
    return {code for p in patterns for code in re.findall(p, source)}


def test_every_quarantine_reason_written_is_catalogued_and_documented():
    """One catalogue (ingest.QUARANTINE_REASONS) for the codes analysts filter on: a new code in the
    code must be added there, to the README table and to the contract's column description."""
    from whosaid.ingest import QUARANTINE_REASONS

    root = Path(__file__).resolve().parents[1]
    written = set()
    for module in ("ingest.py", "feeds.py", "stages.py"):
        written |= _reason_codes_written_in((root / "whosaid" / module).read_text(encoding="utf-8"))
    written -= {"ascii"}  # an encoding name returned beside a detail, not a reason
    assert written >= {"empty", "binary", "too_large", "fetch_failed", "extract_error"}  # the scan works
    assert written - set(QUARANTINE_REASONS) == set()
    readme = (root / "README.md").read_text(encoding="utf-8")
    contract = (root / "schemas" / "quarantine.yml").read_text(encoding="utf-8")
    for code in QUARANTINE_REASONS:
        assert f"| `{code}` |" in readme, code
        assert code in contract, code


# --------------------------------------------------------------------------------------------------
# language: plainly English bodies skip the detector; everything else is still the detector's

ENGLISH_NEWS = (  # PolNeAR-style wire copy, hand-written
    "Senator Elizabeth Warren said on Tuesday that the administration had failed to protect "
    "consumers from predatory lenders, and she accused the Treasury of ignoring a report which "
    "its own staff had written. Officials at the department did not respond, but a spokesman told "
    "reporters that the rules would be reviewed after the election."
)
NOT_ENGLISH = {
    "de": "Die Bundesregierung hat am Dienstag angekündigt, dass sie die Pläne für die neue Autobahn "
    "nicht ändern werde. Kritiker warfen dem Verkehrsminister vor, den Bericht des Ausschusses zu "
    "ignorieren, der in der vergangenen Woche veröffentlicht wurde. Ein Sprecher sagte, die Gespräche "
    "würden bald fortgesetzt.",
    "nl": "De regering heeft dinsdag bekendgemaakt dat zij de plannen voor de nieuwe snelweg niet zal "
    "wijzigen. Critici verweten de minister van Verkeer dat hij het rapport van de commissie negeerde, "
    "dat vorige week werd gepubliceerd. Een woordvoerder zei dat de gesprekken binnenkort worden hervat.",
    "da": "Regeringen meddelte tirsdag, at den ikke vil ændre planerne for den nye motorvej. Kritikere "
    "beskyldte transportministeren for at ignorere rapporten fra udvalget, som blev offentliggjort i "
    "sidste uge. En talsmand sagde, at forhandlingerne snart vil blive genoptaget her i byen.",
    "es": "El gobierno anunció el martes que no cambiará sus planes para la nueva autopista. Los críticos "
    "acusaron al ministro de Transporte de ignorar el informe de la comisión, que se publicó la semana "
    "pasada. Un portavoz dijo a los periodistas que las conversaciones se reanudarán pronto.",
    "pl": "Rząd ogłosił we wtorek, że nie zmieni swoich planów dotyczących nowej autostrady. Krytycy "
    "zarzucili ministrowi transportu, że zignorował raport komisji, który został opublikowany w "
    "zeszłym tygodniu. Rzecznik powiedział dziennikarzom, że to rozmowy wkrótce zostaną wznowione.",
}
#: A German article that quotes English: the quote's function words are not the article's.
GERMAN_QUOTING_ENGLISH = NOT_ENGLISH["de"] + (
    ' Der Senator sagte auf Englisch: "We will not accept this, and they know it." Danach verließ er '
    "den Saal, ohne weitere Fragen zu beantworten."
)


@pytest.fixture()
def detector_counted():
    """The detector's cache emptied, so a test can tell whether a call built it."""
    from whosaid import ingest

    ingest._language_detector.cache_clear()
    yield ingest._language_detector
    ingest._language_detector.cache_clear()


def test_plainly_english_body_is_english_without_the_detector(detector_counted):
    from whosaid.ingest import detect_language

    assert detect_language(ENGLISH_NEWS) == "en"
    assert detector_counted.cache_info().misses == 0


@pytest.mark.parametrize("language", sorted(NOT_ENGLISH))
def test_other_languages_are_not_plainly_english_and_the_detector_judges_them(language, detector_counted):
    from whosaid.ingest import _plainly_english, detect_language

    assert not _plainly_english(NOT_ENGLISH[language])
    assert detect_language(NOT_ENGLISH[language]) == language
    assert detector_counted.cache_info().misses == 1


def test_an_english_quote_does_not_make_a_german_article_english(detector_counted):
    from whosaid.ingest import _plainly_english, detect_language

    assert not _plainly_english(GERMAN_QUOTING_ENGLISH)
    assert detect_language(GERMAN_QUOTING_ENGLISH) == "de"


def test_english_without_its_function_words_goes_to_the_detector(detector_counted):
    """A results table is English, but not plainly so by its words: the detector decides."""
    from whosaid.ingest import _plainly_english, detect_language

    scores = (
        "Premier League results Saturday: Arsenal 2 Chelsea 1, Liverpool 3 Everton 0, Manchester City "
        "4 Brighton 1, Tottenham 1 Newcastle 1, Fulham 0 Brentford 2, Wolves 1 Burnley 1, Villa 2 "
        "Leeds 0, Bournemouth 1 Palace 3, Forest 2 Southampton 2, Luton 0 Sheffield United 1. "
        "Championship: Leicester 3 Norwich 1, Ipswich 2 Sunderland 2, Middlesbrough 1 Coventry 0, "
        "Watford 0 Millwall 0, Hull 2 Stoke 1, Preston 1 Blackburn 3, Cardiff 2 Swansea 2."
    )
    assert not _plainly_english(scores)
    assert detect_language(scores) in {"en", None}
    assert detector_counted.cache_info().misses == 1
