"""GX's Data Docs page views, with Jinja's compiled templates cached on disk across runs.

Why: every run is a new process, and GX's views compile each of their Jinja templates again on
every build — about 40% of a Data Docs build for one run's pages and index (0.45-0.55 s → 0.25-0.32 s
of CPU, measured on the seed article). Jinja's own ``FileSystemBytecodeCache`` (a private folder
per user under the temp directory; each entry keyed by template name and source checksum, so a
GX upgrade cannot serve stale code) keeps them. The pages rendered are the same.

GX instantiates these by name, from the site configuration in :func:`whosaid.validate._docs_context`;
importing this module imports GX.
"""

from __future__ import annotations

from functools import lru_cache

from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import FileSystemBytecodeCache


class TolerantBytecodeCache(FileSystemBytecodeCache):
    """Jinja's file cache, where a file that cannot be read or written is a miss, never an error:
    Data Docs must not fail over a cache (a full disk, a folder another user owns)."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 — unreadable or corrupt: compile instead
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


@lru_cache(maxsize=1)
def _template_cache() -> TolerantBytecodeCache | None:
    """The per-user cache folder Jinja picks under the temp directory; None (no cache) where Jinja
    finds no safe one."""
    try:
        return TolerantBytecodeCache()
    except (OSError, RuntimeError):
        return None


class _KeepsCompiledTemplates:
    """Mixed into a GX view: its Jinja environment reads and writes :func:`_template_cache`."""

    def __init__(self, custom_styles_directory=None, custom_views_directory=None) -> None:
        super().__init__(custom_styles_directory, custom_views_directory)
        self.env.bytecode_cache = _template_cache()


class CachedTemplatesPageView(_KeepsCompiledTemplates, DefaultJinjaPageView):
    """A validation result page."""


class CachedTemplatesIndexPageView(_KeepsCompiledTemplates, DefaultJinjaIndexPageView):
    """The site's index page."""
