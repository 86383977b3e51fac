"""Keep Python's cyclic garbage collector out of start-up.

Why: a run's start-up imports GX, Prefect, spaCy and pandas and loads a model — millions of objects
that live as long as the process, and none of them garbage. The collector still walks all of them
again and again as the heap grows: measured in a cold ``whosaid run`` on one article, 0.85 s of
the main process's CPU went to collections (six full ones, 0.6 s; 0.3 s with the pause), and
Prefect's temporary server was healthy after 5.24 s with them against 4.75 s without (medians of 8
alternating starts, ``bench/server_first_request.py --runs 8 --prefect-factory``). Collections
find little worth that here: start-up makes little cyclic garbage.

So start-up runs with the collector paused, and the objects it made are then frozen
(:func:`gc.freeze`: moved to a generation that is never collected), the pattern CPython documents
for a process that loads a lot once and then works. The collector is on again for the work itself,
and it only walks what the work creates: a long run's memory is still collected as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; afterwards freeze what survived and resume it (if
    it was on before). Nested or repeated use is harmless: freezing twice only freezes more."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
