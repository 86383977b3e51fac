"""Defer a third-party module's import until something really uses it.

Why: Great Expectations imports ``scipy.stats`` and ``altair`` at module level for two expectations
(KL divergence, the KS tests) and their charts, which whosaid's contracts never generate. The two
imports cost ~1.8 s of CPU in every run — a fifth of a cold start's imports — for nothing.

``importlib.util.LazyLoader`` cannot do this on Python 3.11: the import system reads the module's
``__spec__`` on every ``import`` statement, and that read already triggers the load. A
:class:`DeferredModule` instead carries the real spec, so ``import x`` and ``from x import y`` bind
it without running ``x``; the first attribute it does not have (any real use: ``stats.norm``)
imports the real module, copies its namespace in, and puts the real module back in
``sys.modules``. So code that uses the module gets it, a little later; code that does not, never
pays for it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.RLock()


class DeferredModule(types.ModuleType):
    """Stand-in for a module not imported yet; becomes it on first attribute access."""

    def __getattr__(self, attr: str):
        return getattr(self._load(), attr)

    def _load(self) -> types.ModuleType:
        name = self.__name__
        with _LOCK:
            if sys.modules.get(name) is self:
                del sys.modules[name]
            real = importlib.import_module(name)
            self.__dict__.update(real.__dict__)
        return real


def defer(*names: str) -> list[str]:
    """Put a :class:`DeferredModule` in ``sys.modules`` for each name not imported yet and
    installed. Returns the names deferred (an absent or already imported module is left alone)."""
    deferred = []
    with _LOCK:
        for name in names:
            if name in sys.modules:
                continue
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            if spec is None:
                continue
            module = DeferredModule(name)
            module.__spec__ = spec
            module.__file__ = spec.origin
            module.__loader__ = spec.loader
            if spec.submodule_search_locations is not None:
                module.__path__ = list(spec.submodule_search_locations)
            sys.modules[name] = module
            deferred.append(name)
    return deferred


@contextmanager
def hidden(*names: str) -> Iterator[list[str]]:
    """Within the block, ``import name`` raises ImportError for each name not imported yet, as if
    it were not installed; afterwards it imports as usual. Why: a library that imports an optional
    dependency whenever it is installed (GX and SQLAlchemy) can be imported without it, where that
    dependency is installed for something else. Yields the names hidden (an imported one is left)."""
    with _LOCK:
        names_hidden = [name for name in names if name not in sys.modules]
        for name in names_hidden:
            sys.modules[name] = None  # the import system's marker for "not importable"
    try:
        yield names_hidden
    finally:
        with _LOCK:
            for name in names_hidden:
                if name in sys.modules and sys.modules[name] is None:
                    del sys.modules[name]


def is_loaded(name: str) -> bool:
    """True if ``name`` is imported for real (not absent, not still deferred)."""
    module = sys.modules.get(name)
    return module is not None and not isinstance(module, DeferredModule)
