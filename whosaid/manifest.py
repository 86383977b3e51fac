"""Has anything a run would read changed since the last run? One digest of the inputs, kept in etl_run.

Why: a scheduled ``whosaid run`` over a folder that did not change has nothing to do, yet going
through the flow costs Prefect's temporary server (~7 s of boot) and a pass over every file (the
flow then skips every article as already loaded). Like ``make``, the CLI first compares a digest of
what the run would read — every input file's bytes, the settings that decide what gets loaded, the
schema the run would apply — with the one the last run recorded in the warehouse, and stops there
when they are equal.

The digest lives in ``etl_run.input_fingerprint`` of the published warehouse, so it travels with
the data it describes: a warehouse replaced, restored or written by another run has another last
row, and the next run goes through the flow. So does a run after one in which an article's
extraction failed: the flow tries such articles again. It is computed before the flow reads anything: a file
changed during a run makes the recorded digest older than the data, never newer, so the next run
looks again. Feed URLs are never fingerprinted: what a URL serves changes behind it.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from whosaid.settings import SCHEMAS_DIR, SQL_DIR, Settings

#: bump when what goes into the digest changes, so old digests never match new ones
FINGERPRINT_VERSION = "1"
#: the statuses after which the warehouse holds everything the inputs gave (a failed run published
#: only its etl_run row, so its inputs must be read again)
FINISHED = ("completed", "completed_with_warnings")


@dataclass(frozen=True)
class LastRun:
    run_id: str
    finished_at: datetime | None
    status: str
    n_files: int | None
    #: articles whose extraction failed in that run: the next flow run tries them again (they are
    #: not loaded), so a run with any is never "up to date"
    n_extract_failures: int = 0


def input_fingerprint(inputs: Sequence[str], settings: Settings) -> str | None:
    """sha256 of everything a run over ``inputs`` would read and apply; None when an input is a feed
    URL or a path that does not exist (the flow reports those)."""
    from whosaid import ingest
    from whosaid.feeds import is_url

    if any(is_url(i) for i in inputs):
        return None
    digest = hashlib.sha256()
    _add(digest, "v", FINGERPRINT_VERSION)
    for name in ("extractor_version", "spacy_model", "max_bytes", "max_body_chars"):
        _add(digest, name, str(getattr(settings, name)))
    _add(digest, "code", _schema_code_digest())
    for root in sorted(os.path.abspath(i) for i in inputs):
        _add(digest, "root", root)
    try:
        files = list(ingest.discover(inputs))
    except OSError:  # a missing input included
        return None
    for path in files:
        _add(digest, "file", os.path.abspath(path))
        _add(digest, "bytes", _file_digest(path, settings.max_bytes))
    return digest.hexdigest()


def _add(digest, label: str, value: str) -> None:
    """Length-prefixed, so no two different sequences of fields hash alike."""
    data = f"{label}={value}".encode("utf-8", "surrogateescape")
    digest.update(len(data).to_bytes(8, "big"))
    digest.update(data)


def _file_digest(path: Path, max_bytes: int) -> str:
    """The file's sha256; for a file the run would not read (over ``max_bytes``: quarantined by
    size) its size and mtime; for one it cannot read, the error (it is quarantined with it)."""
    try:
        info = os.stat(path)
        if info.st_size > max_bytes:
            return f"large:{info.st_size}:{info.st_mtime_ns}"
        if not stat.S_ISREG(info.st_mode):  # the stat above answers it: no second one
            return f"not-a-file:{info.st_mode:o}"
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        return f"error:{exc.errno}"


def _schema_code_digest() -> str:
    """What a run applies to the warehouse besides data: contracts (COMMENTs), migrations, views."""
    digest = hashlib.sha256()
    files = [*sorted(SCHEMAS_DIR.glob("*.yml")), *sorted((SQL_DIR / "migrations").glob("*.sql")),
             *sorted((SQL_DIR / "views").glob("*.sql"))]
    for path in files:
        _add(digest, path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    return digest.hexdigest()


def last_run(warehouse_path: Path | str) -> tuple[LastRun, str | None] | None:
    """The newest etl_run row of the published warehouse and its input fingerprint; None when there
    is no warehouse or it cannot be read now (locked, older schema: the flow will deal with it)."""
    import duckdb

    from whosaid import warehouse

    path = Path(warehouse_path)
    if not path.is_file():
        return None
    try:
        with warehouse.connect(path, read_only=True) as con:
            row = con.execute(
                "SELECT r.run_id, r.finished_at, r.status, r.n_files, "
                "(SELECT count(*) FROM quarantine q WHERE q.last_run_id = r.run_id AND q.stage = 'extract'), "
                "r.input_fingerprint FROM etl_run r ORDER BY r.started_at DESC LIMIT 1"
            ).fetchone()
    except (duckdb.Error, OSError, warehouse.WarehouseBusyError):
        return None
    if row is None:
        return None
    return LastRun(*row[:5]), row[5]


def unchanged_since_last_run(inputs: Sequence[str], warehouse_path: Path | str, settings: Settings) -> LastRun | None:
    """The last run, when it finished and read exactly what a run over ``inputs`` would read now;
    None when a run has something to do (or might: when in doubt, run)."""
    found = last_run(warehouse_path)
    if found is None:
        return None
    run, recorded = found
    if run.status not in FINISHED or run.n_extract_failures or not recorded:
        return None
    current = input_fingerprint(inputs, settings)
    return run if current == recorded else None
