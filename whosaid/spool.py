"""A run's article bodies on disk until their chunk is extracted.

Why: a run reads every input before it extracts anything (a body's key decides whether it is new,
and duplicates under two names are one article), then works chunk by chunk. Held in memory, the
bodies of the whole run were the one part of a run's memory that grew with the corpus (about 85 MB
per 10,000 articles). Spooled, ingest keeps only the metadata; each chunk reads its own bodies
back (:func:`with_bodies`) and drops them when it is done. The file is an unnamed temporary file:
the OS removes it when the run ends, however it ends.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import threading
from collections.abc import Iterable

from whosaid.ingest import RawArticle


class BodySpool:
    """Append-only store of UTF-8 bodies, addressed by ``(offset, length)``."""

    def __init__(self, directory: str | os.PathLike | None = None) -> None:
        self._file = tempfile.TemporaryFile(prefix="whosaid-bodies-", dir=directory, buffering=0)
        self._lock = threading.Lock()
        self.n_bodies = 0
        self.n_bytes = 0

    def put(self, body: str) -> tuple[int, int]:
        data = body.encode("utf-8")
        with self._lock:
            offset = self.n_bytes
            os.pwrite(self._file.fileno(), data, offset)
            self.n_bytes += len(data)
            self.n_bodies += 1
        return offset, len(data)

    def get(self, ref: tuple[int, int]) -> str:
        offset, length = ref
        data = os.pread(self._file.fileno(), length, offset)
        if len(data) != length:
            raise OSError(f"body spool truncated: wanted {length} bytes at {offset}, read {len(data)}")
        return data.decode("utf-8")

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "BodySpool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def spooled(article: RawArticle, spool: BodySpool | None, keep_body: bool = True) -> RawArticle:
    """``article`` with its body moved to ``spool`` (``keep_body=False``: dropped, for an article
    already loaded, of which a run records only the URI). Without a spool it is unchanged."""
    if spool is None or article.body is None:
        return article
    if not keep_body:
        return dataclasses.replace(article, body=None, body_ref=None)
    return dataclasses.replace(article, body=None, body_ref=spool.put(article.body))


def with_bodies(articles: Iterable[RawArticle], spool: BodySpool | None) -> list[RawArticle]:
    """The articles with their bodies read back from ``spool`` (those in memory are kept as they are)."""
    out = []
    for article in articles:
        if article.body is None:
            if article.body_ref is None or spool is None:
                raise ValueError(f"article {article.article_key} ({article.uri}) has no body to read back")
            article = dataclasses.replace(article, body=spool.get(article.body_ref))
        out.append(article)
    return out
