"""``whosaid`` that kills itself with SIGKILL at a chosen point: the crash-safety tests' subprocess.

    python tests/reliability/crashing_cli.py POINT run --input ... --warehouse ...

POINT is where ``kill -9`` lands:

* ``extract`` — while the second article is being extracted (the first one is done);
* ``load``    — inside the load, at the first write to a fact table: articles are already written
  in the same transaction, facts are not;
* ``publish`` — after the run is complete in its working copy, just before the copy is renamed
  over the warehouse file.

Why a wrapper rather than a hook in the pipeline's code: the points are chosen at library
boundaries every implementation of a stage has to cross (the extractor function, DuckDB's
``execute``, ``os.replace``), so the test keeps meaning the same thing while the stages are
rewritten, and production code carries no test switch. If a point is never reached (e.g. the load
stops using ``os.replace``) the run finishes normally and the test fails saying so.
Everything after the hook is installed is the real CLI (``whosaid.cli.app``), in the same process.
"""

from __future__ import annotations

import os
import re
import signal
import sys


def _die() -> None:
    sys.stderr.write(f"crashing_cli: SIGKILL at {POINT!r}\n")
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _kill_during_extraction() -> None:
    from whosaid.nlp import pipeline

    real = pipeline.extract_doc
    calls = {"n": 0}

    def extract_doc(doc, article_key):
        calls["n"] += 1
        if calls["n"] == 2:
            _die()
        return real(doc, article_key)

    pipeline.extract_doc = extract_doc


_FACT_WRITE = re.compile(r"^\s*INSERT\s+INTO\s+fact_", re.I)


class _KillOnFactWrite:
    """A DuckDB connection that dies on the first INSERT into a fact table."""

    def __init__(self, con):
        self._con = con

    def execute(self, query, *args, **kwargs):
        if isinstance(query, str) and _FACT_WRITE.match(query):
            _die()
        return self._con.execute(query, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def _kill_during_load() -> None:
    import duckdb

    real_connect = duckdb.connect

    def connect(*args, **kwargs):
        return _KillOnFactWrite(real_connect(*args, **kwargs))

    duckdb.connect = connect


def _kill_before_publish() -> None:
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if str(src).endswith(".work"):
            _die()
        return real_replace(src, dst, *args, **kwargs)

    os.replace = replace


HOOKS = {"extract": _kill_during_extraction, "load": _kill_during_load, "publish": _kill_before_publish}

if __name__ == "__main__":
    POINT = sys.argv[1]
    HOOKS[POINT]()
    from whosaid.cli import app

    app(sys.argv[2:], prog_name="whosaid")
