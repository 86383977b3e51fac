"""RSS/Atom feeds over HTTP: fetch a feed politely, turn its entries into articles.

Why this module exists beside ``ingest``: a URL is not a file. It can time out (worth retrying), be
unchanged since the last run (ETag / Last-Modified: skip it), be huge or hostile (bounded size and
time), and a feed entry often carries only a summary, so the entry's page is fetched and its main
text extracted with trafilatura. Retrying is the orchestrator's job: :func:`read_feed` raises
:class:`TransientFetchError` for problems worth retrying (the Prefect task retries with backoff) and
reports everything else as ``Quarantined`` records, so a bad source never stops a run.

Feed state (the validators that let the next run skip an unchanged feed) is a small JSON file beside
the warehouse (:func:`state_path_for`). It is written only after the run's load committed, and a feed
whose pages could not all be fetched keeps its old validators, so the next run tries them again —
an unchanged-feed skip can never hide an entry that was never loaded.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from whosaid import ingest
from whosaid.ingest import Quarantined, RawArticle

logger = logging.getLogger(__name__)

#: Seconds one HTTP request may take end to end (connect + headers + body).
TIMEOUT_SECONDS = float(os.environ.get("WHOSAID_FEED_TIMEOUT_SECONDS", "20"))
#: Largest response body accepted (feeds and pages alike).
MAX_RESPONSE_BYTES = int(os.environ.get("WHOSAID_FEED_MAX_BYTES", str(10 * 1024 * 1024)))
#: Prefect retries of a feed fetch that failed transiently, and the first backoff delay (doubling).
FETCH_RETRIES = int(os.environ.get("WHOSAID_FEED_RETRIES", "3"))
RETRY_BACKOFF_SECONDS = float(os.environ.get("WHOSAID_FEED_RETRY_BACKOFF_SECONDS", "2"))
MAX_REDIRECTS = 5
USER_AGENT = "whosaid-feed-reader/0.1 (+https://github.com/whosaid)"

#: Statuses worth retrying: the server is overloaded, rate limiting or briefly failing.
_TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_ENTITY_DECLARATION = re.compile(r"<!\s*ENTITY", re.I)


class FetchError(Exception):
    """A URL could not be fetched; ``reason`` is the quarantine reason code."""

    reason = "fetch_failed"


class TransientFetchError(FetchError):
    """Timeouts, connection errors, 429/5xx: another try later may succeed."""


class PermanentFetchError(FetchError):
    """4xx, oversized or non-HTTP: retrying would give the same answer."""


# --------------------------------------------------------------------------------------------------
# URLs and HTTP


def is_url(value: str) -> bool:
    """Inputs that are fetched over HTTP rather than read from disk."""
    return urlsplit(str(value)).scheme.lower() in ("http", "https")


@dataclass(frozen=True)
class Validators:
    """What the server said about a feed's version, sent back so an unchanged feed costs a 304."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def is_empty(self) -> bool:
        return not (self.etag or self.last_modified)


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    content: bytes
    content_type: str
    validators: Validators

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(
    url: str,
    validators: Validators | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> Response:
    """GET ``url`` with a deadline and a size cap; raises Transient/PermanentFetchError.

    The deadline covers the whole exchange, not each socket read, so a server dripping one byte a
    second cannot hold a run. The size is checked against Content-Length and again while streaming.
    """
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    max_bytes = MAX_RESPONSE_BYTES if max_bytes is None else max_bytes
    if not is_url(url):
        raise PermanentFetchError(f"only http(s) URLs are fetched, not {url!r}")
    headers = {"User-Agent": USER_AGENT, **(validators.headers() if validators else {})}
    deadline = time.monotonic() + timeout
    try:
        with httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=True, max_redirects=MAX_REDIRECTS
        ) as client:  # trust_env: HTTP(S)_PROXY / NO_PROXY and CA settings of the environment apply
            with client.stream("GET", url, headers=headers) as response:
                _raise_for_status(url, response.status_code)
                content = b"" if response.status_code == 304 else _read_capped(response, url, max_bytes, deadline)
                return Response(
                    url=str(response.url),
                    status=response.status_code,
                    content=content,
                    content_type=response.headers.get("content-type", ""),
                    validators=Validators(response.headers.get("etag"), response.headers.get("last-modified")),
                )
    except httpx.TimeoutException as exc:
        raise TransientFetchError(f"timed out after {timeout:g} s fetching {url}: {type(exc).__name__}") from exc
    except httpx.TooManyRedirects as exc:
        raise PermanentFetchError(f"more than {MAX_REDIRECTS} redirects fetching {url}") from exc
    except httpx.UnsupportedProtocol as exc:
        raise PermanentFetchError(f"redirected to a non-HTTP URL from {url}: {exc}") from exc
    except httpx.TransportError as exc:
        raise TransientFetchError(f"network error fetching {url}: {type(exc).__name__}: {exc}") from exc


def _raise_for_status(url: str, status: int) -> None:
    if status in _TRANSIENT_STATUSES:
        raise TransientFetchError(f"HTTP {status} from {url}")
    if status >= 400:
        raise PermanentFetchError(f"HTTP {status} from {url}")


def _read_capped(response: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise PermanentFetchError(f"{url} is {declared} bytes; limit is {max_bytes}")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise PermanentFetchError(f"{url} sent more than {max_bytes} bytes; limit is {max_bytes}")
        if time.monotonic() > deadline:
            raise TransientFetchError(f"{url} took longer than the deadline to send its body")
        chunks.append(chunk)
    return b"".join(chunks)


# --------------------------------------------------------------------------------------------------
# reading a feed


@dataclass
class FeedRead:
    """What one feed URL gave this run."""

    url: str
    articles: list[RawArticle] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    not_modified: bool = False
    #: Validators to remember once the run's load committed; None keeps the previous ones
    #: (the feed failed, or some of its pages did and must be retried next run).
    validators: Validators | None = None
    n_entries: int = 0
    n_pages_fetched: int = 0
    n_pages_known: int = 0


def read_feed(
    url: str,
    validators: Validators | None = None,
    known_uris: Iterable[str] = (),
    max_body_chars: int = ingest.MAX_BODY_CHARS,
) -> FeedRead:
    """Fetch a feed and turn its entries into articles.

    Raises TransientFetchError when the *feed* fetch is worth retrying. A permanent feed problem and
    any page problem become quarantine records. Entries whose page URL is in ``known_uris`` (already
    loaded by the current extractor) are not fetched again.
    """
    read = FeedRead(url=url)
    try:
        response = fetch(url, validators)
    except PermanentFetchError as exc:
        read.quarantined.append(_quarantine(url, exc.reason, str(exc)))
        return read
    if response.not_modified:
        read.not_modified = True
        return read
    entries, outlet, problem = parse_feed(response.content)
    if problem:
        read.quarantined.append(_quarantine(url, *problem))
        return read
    known = set(known_uris)
    read.n_entries = len(entries)
    for number, entry in enumerate(entries, start=1):
        _add_entry(read, entry, number, outlet, known, max_body_chars)
    page_failed = any(q.reason == "fetch_failed" for q in read.quarantined)
    read.validators = None if page_failed else response.validators
    return read


def read_feed_or_quarantine(url: str, validators: Validators | None = None, **kwargs: Any) -> FeedRead:
    """:func:`read_feed` for callers without a retrying orchestrator: a transient failure is
    reported as a ``fetch_failed`` quarantine record instead of raised."""
    try:
        return read_feed(url, validators, **kwargs)
    except TransientFetchError as exc:
        return failed_read(url, exc)


def failed_read(url: str, error: BaseException) -> FeedRead:
    """The record of a feed that could not be fetched even after retries."""
    return FeedRead(url=url, quarantined=[_quarantine(url, "fetch_failed", f"{type(error).__name__}: {error}")])


def parse_feed(data: bytes) -> tuple[list[Any], str | None, tuple[str, str] | None]:
    """``(entries, feed title, problem)``. Documents declaring XML entities are refused (entity
    expansion attacks); undecodable or entry-less documents are a problem, not an exception."""
    text = ingest.decode_text(data, allow_declared_charset=True)
    if isinstance(text, tuple):
        return [], None, text
    if _ENTITY_DECLARATION.search(text):
        return [], None, ("unsafe_xml", "document declares XML entities (<!ENTITY>); refused to parse")
    import feedparser

    parsed = feedparser.parse(data)  # bytes: never treated as a URL or a file name
    if not parsed.entries:
        if parsed.bozo:
            return [], None, ("parse_error", f"not a parseable feed: {parsed.get('bozo_exception')}")
        return [], None, ("no_entries", "feed has no entries")
    return list(parsed.entries), ingest.optional_text(parsed.feed.get("title")), None


def _add_entry(read: FeedRead, entry: Any, number: int, outlet: str | None, known: set[str], max_chars: int) -> None:
    link = _entry_link(entry)
    uri = link or f"{read.url}#entry{number}"
    metadata = _entry_metadata(entry, outlet)
    content = _entry_content(entry)
    if content is not None:
        _add_article(read, content, uri=uri, source_format="rss", max_chars=max_chars, **metadata)
        return
    if link is None:  # summary only and nowhere to get more: the summary is the article
        _add_article(read, _entry_summary(entry), uri=uri, source_format="rss", max_chars=max_chars, **metadata)
        return
    if link in known:
        read.n_pages_known += 1
        return
    _add_page(read, link, metadata, _entry_summary(entry), max_chars)


def _add_page(read: FeedRead, link: str, metadata: dict, summary: str, max_chars: int) -> None:
    """The entry holds only a summary: fetch its page and keep the page's main text."""
    try:
        page = fetch(link)
    except FetchError as exc:
        read.quarantined.append(_quarantine(link, "fetch_failed", f"page of a feed entry: {exc}"))
        return
    read.n_pages_fetched += 1
    extracted = extract_page(page.content)
    if extracted is None or not extracted["text"].strip():
        logger.warning("no main text in %s; keeping the feed summary as the body", link)
        _add_article(read, summary, uri=link, source_format="rss", max_chars=max_chars, **metadata)
        return
    merged = {key: metadata.get(key) or extracted.get(key) for key in metadata}
    _add_article(read, extracted["text"], uri=link, source_format="html", max_chars=max_chars, **merged)


def extract_page(data: bytes) -> dict[str, Any] | None:
    """Main text and metadata of an HTML page with trafilatura (same options as for .html files:
    short articles kept, publication date rather than last-modified, no signal-based timeout
    because Prefect runs tasks off the main thread)."""
    html = ingest.decode_text(data, allow_declared_charset=True)
    if isinstance(html, tuple):
        return None
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        config=ingest.trafilatura_config(),
        date_extraction_params={"original_date": True, "extensive_search": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"},
    )
    if document is None:
        return None
    return {
        "text": document.text or "",
        "title": document.title,
        "published": document.date,
        "author": document.author,
        "outlet": document.sitename,
    }


def _entry_link(entry: Any) -> str | None:
    link = ingest.optional_text(entry.get("link"))
    return link if link and is_url(link) else None


def _entry_metadata(entry: Any, outlet: str | None) -> dict[str, Any]:
    return {
        "title": entry.get("title"),
        "published": entry.get("published") or entry.get("updated"),
        "published_fallback": _struct_time_utc(entry.get("published_parsed") or entry.get("updated_parsed")),
        "author": entry.get("author"),
        "outlet": outlet,
        "source_id": entry.get("id"),
    }


def _entry_content(entry: Any) -> str | None:
    """Full text when the feed carries it (``content:encoded``, Atom ``content``), else None."""
    contents = entry.get("content") or []
    if not contents or not (contents[0].get("value") or "").strip():
        return None
    return _as_text(contents[0].get("value"), contents[0].get("type", "text/html"))


def _entry_summary(entry: Any) -> str:
    detail = entry.get("summary_detail") or {}
    return _as_text(entry.get("summary") or "", detail.get("type", "text/html"))


def _as_text(value: str, content_type: str | None) -> str:
    return ingest.html_to_text(value) if "html" in (content_type or "") else value.strip()


def _struct_time_utc(parsed: Any) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None


def _add_article(
    read: FeedRead,
    body: str,
    *,
    uri: str,
    source_format: str,
    max_chars: int,
    title: Any = None,
    published: Any = None,
    published_fallback: datetime | None = None,
    author: Any = None,
    outlet: Any = None,
    source_id: Any = None,
) -> None:
    problem = ingest.body_problem(body, max_chars)  # the checks file articles get
    if problem:
        read.quarantined.append(_quarantine(uri, *problem))
        return
    published_at, published_raw = ingest.parse_published(published)
    fields = dict(
        article_key=ingest.article_key(body),
        uri=uri,
        body=body,
        title=ingest.optional_text(title),
        published_at=published_at or published_fallback,
        published_raw=published_raw,
        outlet=ingest.optional_text(outlet),
        author=ingest.optional_text(author),
        source_id=ingest.optional_text(source_id),
        source_format=source_format,
        source_path=read.url,
    )
    read.articles.append(RawArticle(**fields))


def _quarantine(uri: str, reason: str, detail: str) -> Quarantined:
    logger.warning("quarantined %s: %s (%s)", uri, reason, detail)
    return Quarantined(uri=uri, reason=reason, detail=detail)


# --------------------------------------------------------------------------------------------------
# feed state between runs


def state_path_for(warehouse_path: str | Path) -> Path:
    """``warehouse/whosaid.duckdb`` → ``warehouse/whosaid.feed_state.json``: the state travels with
    the warehouse it describes (a fresh warehouse starts with no state, so nothing is skipped)."""
    path = Path(warehouse_path)
    return path.with_name(f"{path.stem}.feed_state.json")


def load_state(path: str | Path) -> dict[str, Validators]:
    """Feed URL → validators of the last fully loaded version. A missing or corrupt file is an
    empty state (every feed is fetched in full), never an error."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning("ignoring unreadable feed state %s: %s", path, exc)
        return {}
    feeds = raw.get("feeds", {}) if isinstance(raw, Mapping) else {}
    return {
        url: Validators(entry.get("etag"), entry.get("last_modified"))
        for url, entry in feeds.items()
        if isinstance(entry, Mapping)
    }


def save_state(path: str | Path, reads: Iterable[FeedRead]) -> None:
    """Remember the validators of feeds read in full; atomically (write + rename), so a crash
    leaves the old file, not half of a new one."""
    path = Path(path)
    updates = {r.url: r.validators for r in reads if r.validators is not None and not r.validators.is_empty()}
    if not updates:
        return
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        feeds = dict(raw.get("feeds", {}))
    except (OSError, ValueError, AttributeError):
        feeds = {}
    checked_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for url, validators in updates.items():
        feeds[url] = {"etag": validators.etag, "last_modified": validators.last_modified, "checked_at": checked_at}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"version": 1, "feeds": feeds}, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def known_page_uris(con: Any, extractor_version: str) -> set[str]:
    """HTTP URIs of articles already loaded by this extractor version: their pages need no refetch."""
    rows = con.execute(
        "SELECT u.uri FROM article_uri u JOIN dim_article a USING (article_id) "
        "WHERE a.extractor_version = ? AND (u.uri LIKE 'http://%' OR u.uri LIKE 'https://%')",
        [extractor_version],
    ).fetchall()
    return {r[0] for r in rows}


__all__ = [
    "FETCH_RETRIES",
    "FeedRead",
    "FetchError",
    "PermanentFetchError",
    "RETRY_BACKOFF_SECONDS",
    "TransientFetchError",
    "Validators",
    "extract_page",
    "failed_read",
    "fetch",
    "is_url",
    "known_page_uris",
    "load_state",
    "parse_feed",
    "read_feed",
    "read_feed_or_quarantine",
    "save_state",
    "state_path_for",
]
