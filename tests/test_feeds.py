"""Feeds over HTTP against a real local server (127.0.0.1 only): fetching with limits, ETag /
Last-Modified skips, summary-only entries whose pages are fetched and extracted, quarantine of bad
sources, and the flow's Prefect retries of a feed that times out."""

from __future__ import annotations

import threading
import time
from collections import Counter
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import SEED_ARTICLE
from whosaid import feeds, stages, warehouse
from whosaid.settings import Settings

LAST_MODIFIED = format_datetime(datetime(2025, 6, 20, 8, 0, tzinfo=timezone.utc), usegmt=True)


def _page(title: str, author: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!doctype html><html><head>"
        f"<title>{title}</title><meta name='author' content='{author}'>"
        "<meta property='og:site_name' content='Harbor Gazette'></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a> | Subscribe now</nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright Harbor Gazette. All rights reserved.</footer></body></html>"
    )


PAGES = {
    "/news/ports.html": _page(
        "Minister accuses rival of sabotage",
        "Dana Whitfield",
        [
            "Transport Minister Alan Brooks accused opposition leader Maria Lopez of sabotaging the port reform on Tuesday.",
            "\u201cThey have blocked every vote for a year,\u201d Brooks told reporters in the capital.",
            "Lopez denied the claim and said the reform was badly drafted from the start.",
        ],
    ),
    "/news/budget.html": _page(
        "Budget talks stall again",
        "Sam Okafor",
        [
            "Finance Minister Ruth Tanaka blamed the unions for delaying the budget agreement.",
            "The unions said the minister had refused to meet them for three weeks.",
        ],
    ),
}


def _rss(base: str, items: list[str]) -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0' "
        "xmlns:content='http://purl.org/rss/1.0/modules/content/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
        "<channel><title>Harbor Gazette</title><link>" + base + "/</link><description>news</description>"
        + "".join(items) + "</channel></rss>"
    )


def _summary_item(base: str, path: str, title: str, date: str, author: str) -> str:
    return (
        f"<item><title>{title}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>{date}</pubDate><dc:creator>{author}</dc:creator>"
        "<description>A short teaser only.</description></item>"
    )


def _full_item(title: str, text: str) -> str:
    return (
        f"<item><title>{title}</title><guid isPermaLink='false'>urn:x:{abs(hash(title))}</guid>"
        "<pubDate>Thu, 19 Jun 2025 10:00:00 GMT</pubDate><description>teaser</description>"
        f"<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded></item>"
    )


class FeedServer:
    """A threaded HTTP server with scripted routes; records every request path."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.routes: dict[str, object] = {}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):  # noqa: N802
                server.requests[self.path] += 1
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                status, headers, body = route(self, server.requests[self.path]) if callable(route) else route
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _conditional(body: bytes, etag: str, content_type: str = "application/rss+xml"):
    """Serve ``body`` with validators, answering 304 when the client sends them back."""

    def route(handler, _count):
        if handler.headers.get("If-None-Match") == etag or handler.headers.get("If-Modified-Since") == LAST_MODIFIED:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": content_type, "ETag": etag, "Last-Modified": LAST_MODIFIED}, body

    return route


def _slow(seconds: float, then=None, slow_times: int | None = None):
    """Sleep before answering (times out a short-timeout client); after ``slow_times`` calls, serve ``then``."""

    def route(handler, count):
        if slow_times is None or count <= slow_times:
            time.sleep(seconds)
            return 200, {"Content-Type": "application/rss+xml"}, b"<rss></rss>"
        return then(handler, count) if callable(then) else then

    return route


def _html(text: str):
    return 200, {"Content-Type": "text/html; charset=utf-8"}, text.encode("utf-8")


@pytest.fixture()
def server():
    with FeedServer() as srv:
        for path, html in PAGES.items():
            srv.routes[path] = _html(html)
        base = srv.base
        summary_feed = _rss(
            base,
            [
                _summary_item(base, "/news/ports.html", "Minister accuses rival of sabotage", "Fri, 20 Jun 2025 07:30:00 GMT", "Dana Whitfield"),
                _summary_item(base, "/news/budget.html", "Budget talks stall again", "Fri, 20 Jun 2025 06:00:00 GMT", "Sam Okafor"),
            ],
        ).encode()
        srv.routes["/summary.xml"] = _conditional(summary_feed, '"v1"')
        full_feed = _rss(base, [_full_item("Mayor blames council", "Mayor Lena Ortiz accused the city council of wasting money on the stadium.")])
        srv.routes["/full.xml"] = _conditional(full_feed.encode(), '"f1"')
        yield srv


@pytest.fixture()
def fast_fetch(monkeypatch):
    """Short timeouts and backoff so failure paths take seconds, not minutes."""
    monkeypatch.setattr(feeds, "TIMEOUT_SECONDS", 1.0)
    monkeypatch.setattr(feeds, "RETRY_BACKOFF_SECONDS", 0.1)


# ---- HTTP --------------------------------------------------------------------------------------
def test_fetch_returns_validators_and_conditional_get_gets_304(server):
    first = feeds.fetch(server.base + "/summary.xml")
    assert first.status == 200 and b"<rss" in first.content
    assert first.validators == feeds.Validators('"v1"', LAST_MODIFIED)
    again = feeds.fetch(server.base + "/summary.xml", first.validators)
    assert again.not_modified and again.content == b""


def test_timeouts_and_5xx_are_transient_4xx_and_oversize_are_permanent(server, fast_fetch):
    server.routes["/slow.xml"] = _slow(3)
    server.routes["/busy.xml"] = (503, {}, b"busy")
    server.routes["/big.xml"] = (200, {}, b"x" * 5000)
    started = time.monotonic()
    with pytest.raises(feeds.TransientFetchError, match="timed out"):
        feeds.fetch(server.base + "/slow.xml")
    assert time.monotonic() - started < 2.5  # the 1 s timeout held
    with pytest.raises(feeds.TransientFetchError, match="503"):
        feeds.fetch(server.base + "/busy.xml")
    with pytest.raises(feeds.PermanentFetchError, match="404"):
        feeds.fetch(server.base + "/missing.xml")
    with pytest.raises(feeds.PermanentFetchError, match="limit is 1000"):
        feeds.fetch(server.base + "/big.xml", max_bytes=1000)
    with pytest.raises(feeds.PermanentFetchError, match="only http"):
        feeds.fetch("file:///etc/passwd")


def test_nothing_listening_is_transient():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(feeds.TransientFetchError, match="network error"):
        feeds.fetch(f"http://127.0.0.1:{port}/feed.xml")


# ---- reading feeds -----------------------------------------------------------------------------
def test_summary_only_entries_are_fetched_and_extracted_with_feed_metadata(server):
    read = feeds.read_feed(server.base + "/summary.xml")
    assert read.quarantined == []
    assert server.requests["/news/ports.html"] == 1 and server.requests["/news/budget.html"] == 1
    by_uri = {a.uri: a for a in read.articles}
    ports = by_uri[server.base + "/news/ports.html"]
    assert "Transport Minister Alan Brooks accused opposition leader Maria Lopez of sabotaging" in ports.body
    assert "Subscribe now" not in ports.body and "All rights reserved" not in ports.body  # boilerplate dropped
    assert "A short teaser only" not in ports.body
    assert ports.title == "Minister accuses rival of sabotage"
    assert ports.author == "Dana Whitfield"
    assert ports.outlet == "Harbor Gazette"
    assert ports.published_at == datetime(2025, 6, 20, 7, 30, tzinfo=timezone.utc)
    assert ports.source_format == "html" and ports.source_path == server.base + "/summary.xml"
    assert read.validators == feeds.Validators('"v1"', LAST_MODIFIED)


def test_full_content_entries_need_no_page_fetch(server):
    read = feeds.read_feed(server.base + "/full.xml")
    assert [a.body for a in read.articles] == ["Mayor Lena Ortiz accused the city council of wasting money on the stadium."]
    assert read.articles[0].source_format == "rss"
    assert sum(server.requests.values()) == 1  # only the feed itself


def test_unchanged_feed_is_skipped_with_its_validators(server):
    read = feeds.read_feed(server.base + "/summary.xml", feeds.Validators('"v1"', None))
    assert read.not_modified and read.articles == [] and read.quarantined == []
    assert server.requests["/news/ports.html"] == 0


def test_known_pages_are_not_fetched_again(server):
    read = feeds.read_feed(server.base + "/summary.xml", known_uris={server.base + "/news/ports.html"})
    assert server.requests["/news/ports.html"] == 0 and server.requests["/news/budget.html"] == 1
    assert read.n_pages_known == 1 and len(read.articles) == 1


def test_a_missing_page_is_quarantined_and_the_feed_state_not_advanced(server):
    del server.routes["/news/budget.html"]
    read = feeds.read_feed(server.base + "/summary.xml")
    assert [a.uri for a in read.articles] == [server.base + "/news/ports.html"]
    assert [(q.uri, q.reason) for q in read.quarantined] == [(server.base + "/news/budget.html", "fetch_failed")]
    assert "404" in read.quarantined[0].detail
    assert read.validators is None  # next run fetches the feed again and retries the page


def test_bad_feeds_are_quarantined_with_a_reason(server):
    server.routes["/bomb.xml"] = (200, {}, b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>')
    server.routes["/empty.xml"] = (200, {}, b"<rss version='2.0'><channel><title>t</title></channel></rss>")
    server.routes["/png.xml"] = (200, {}, b"\x89PNG\r\n\x1a\n" + bytes(range(50)))
    reasons = {
        path: [(q.uri, q.reason) for q in feeds.read_feed(server.base + path).quarantined]
        for path in ("/bomb.xml", "/empty.xml", "/png.xml", "/gone.xml")
    }
    assert reasons["/bomb.xml"] == [(server.base + "/bomb.xml", "unsafe_xml")]
    assert reasons["/empty.xml"] == [(server.base + "/empty.xml", "no_entries")]
    assert reasons["/png.xml"] == [(server.base + "/png.xml", "binary")]
    assert reasons["/gone.xml"] == [(server.base + "/gone.xml", "fetch_failed")]


def test_transient_feed_failure_raises_for_the_orchestrator_to_retry(server, fast_fetch):
    server.routes["/slow.xml"] = _slow(3)
    with pytest.raises(feeds.TransientFetchError):
        feeds.read_feed(server.base + "/slow.xml")
    read = feeds.read_feed_or_quarantine(server.base + "/slow.xml")  # no orchestrator: reported instead
    assert [q.reason for q in read.quarantined] == ["fetch_failed"]


def test_feed_state_round_trip_beside_the_warehouse(tmp_path):
    wh = tmp_path / "wh" / "whosaid.duckdb"
    path = feeds.state_path_for(wh)
    assert path == tmp_path / "wh" / "whosaid.feed_state.json"
    assert feeds.load_state(path) == {}
    done = feeds.FeedRead(url="http://127.0.0.1:1/a.xml", validators=feeds.Validators('"e"', LAST_MODIFIED))
    partial = feeds.FeedRead(url="http://127.0.0.1:1/b.xml", validators=None)
    feeds.save_state(path, [done, partial])
    assert feeds.load_state(path) == {"http://127.0.0.1:1/a.xml": feeds.Validators('"e"', LAST_MODIFIED)}
    path.write_text("{not json")
    assert feeds.load_state(path) == {}  # corrupt state: fetch everything, never crash


def test_ingest_inputs_routes_urls_to_feeds_and_paths_to_files(server):
    result = stages.ingest_inputs([str(SEED_ARTICLE), server.base + "/full.xml"], Settings())
    assert result.n_files == 2
    assert {a.source_format for a in result.articles} == {"txt", "rss"}
    assert [r.url for r in result.feed_reads] == [server.base + "/full.xml"]


# ---- the flow: retries, quarantine, state, metadata in dim_article -----------------------------
@pytest.mark.slow
def test_flow_retries_a_timing_out_feed_then_skips_it_when_unchanged(server, fast_fetch, tmp_path):
    from flows.etl import etl_flow

    flaky = server.routes["/summary.xml"]
    server.routes["/flaky.xml"] = _slow(3, then=flaky, slow_times=2)  # times out twice, then answers
    server.routes["/dead.xml"] = _slow(3)  # times out on every try
    wh = tmp_path / "whosaid.duckdb"
    inputs = [server.base + "/flaky.xml", server.base + "/dead.xml"]

    first = etl_flow(inputs=inputs, warehouse_path=str(wh))
    assert server.requests["/flaky.xml"] == 3  # two timeouts retried by Prefect, third try served
    assert server.requests["/dead.xml"] == 1 + feeds.FETCH_RETRIES
    assert first["status"] == "completed_with_warnings"
    assert first["n_articles_new"] == 2
    articles = warehouse.query(
        wh, "SELECT uri, title, author, outlet, published_at, source_format FROM dim_article ORDER BY uri"
    )[1]
    assert articles == [
        (server.base + "/news/budget.html", "Budget talks stall again", "Sam Okafor", "Harbor Gazette",
         datetime(2025, 6, 20, 6, 0), "html"),
        (server.base + "/news/ports.html", "Minister accuses rival of sabotage", "Dana Whitfield", "Harbor Gazette",
         datetime(2025, 6, 20, 7, 30), "html"),
    ]
    failed = warehouse.query(wh, "SELECT uri, reason, detail FROM quarantine")[1]
    assert [(u, r) for u, r, _ in failed] == [(server.base + "/dead.xml", "fetch_failed")]
    assert "timed out" in failed[0][2]
    state = feeds.load_state(feeds.state_path_for(wh))
    assert set(state) == {server.base + "/flaky.xml"}  # the dead feed has no state to skip by

    second = etl_flow(inputs=[server.base + "/flaky.xml"], warehouse_path=str(wh))
    assert server.requests["/flaky.xml"] == 4 and server.requests["/news/ports.html"] == 1  # 304: no pages
    assert second["status"] == "completed" and second["n_articles_read"] == 0
