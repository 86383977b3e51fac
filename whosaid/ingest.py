"""Find input files and turn them into article records — or into quarantine records.

Everything here is a pure function of the file system: no database, no Prefect. The flow calls
:func:`ingest` and routes each yielded item either to extraction (:class:`RawArticle`) or to the
quarantine table (:class:`Quarantined`). A bad file never stops the run: only a missing top-level
input path raises, because that is a mistake in the command line, not in the data.

``RawArticle.body`` is the text downstream span offsets index into, so for plain-text files it is
the decoded file text *unchanged* (only a UTF-8 BOM is dropped — it is an encoding marker, not text).
"""

from __future__ import annotations

import codecs
import csv
import email.utils
import functools
import hashlib
import io
import json
import logging
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

logger = logging.getLogger(__name__)

#: spaCy's default ``nlp.max_length``: longer bodies would make the NLP stage fail, so they are
#: quarantined here, where the reason is still easy to read.
MAX_BODY_CHARS = 1_000_000

#: Default cap on file size; checked with ``stat`` before reading so a huge file costs nothing.
MAX_BYTES = 20_000_000

#: Longest stretch of text without a sentence end (``. ! ?``, a line break, ``…``, ``。``) that is
#: still prose. spaCy parses one 200k-char sentence (~30 s), but the extraction rules (speech and
#: accusation cues, actors) are superlinear in sentence length (measured on one sentence, parse +
#: extraction: 20k chars → 3.5 s, 50k → 18 s, 200k → 267 s), so a run of text longer than any real
#: sentence is quarantined (``sentence_too_long``) instead of stalling the batch it is in.
#: 10k chars ≈ 1,700 words; the longest in the PolNeAR corpus is 979.
MAX_SENTENCE_CHARS = 10_000

#: Every reason code the ingest and extract stages write to ``quarantine.reason``, with what it
#: means; the validate stage writes the failed expectation's type instead. The README's table and
#: the contract's column description are checked against this (tests/test_ingest.py).
QUARANTINE_REASONS: dict[str, str] = {
    "empty": "the file or record has no text at all",
    "whitespace_only": "the text is only spaces and line breaks",
    "binary": "binary data (an image, archive, PDF, or NUL bytes), not text",
    "undecodable": "not valid UTF-8/UTF-16 text, or holds lone surrogates",
    "too_large": "file bigger than WHOSAID_MAX_BYTES or body longer than WHOSAID_MAX_BODY_CHARS",
    "sentence_too_long": "a run of text with no sentence end longer than any real sentence",
    "non_english": "detected language is not one the extractors understand",
    "truncated": "HTML cut off before its end",
    "no_main_text": "HTML in which trafilatura finds no article text (all script, navigation)",
    "parse_error": "malformed JSON, JSON lines, CSV or XML",
    "wrong_type": "a record's body is not a string",
    "missing_body": "a JSON record without a 'body' or 'text' value",
    "missing_column": "a CSV without a 'body' or 'text' column",
    "no_records": "a JSON list or CSV with no records",
    "no_entries": "a feed with no entries",
    "unsafe_xml": "XML with entity declarations (entity bomb, external entities)",
    "unsupported_type": "a file type whosaid does not read",
    "not_regular_file": "a device, socket or FIFO",
    "symlink_loop": "a symbolic link that loops",
    "unreadable": "the file cannot be read (permissions, I/O error)",
    "fetch_failed": "a feed or page URL still failing after retries, or refused (4xx, too big)",
    "internal_error": "an unexpected error while reading one input (a bug; the run goes on)",
    "extract_error": "the NLP stage failed on this article (a bug; the run goes on)",
}

#: Languages the extractors understand: the spaCy model and the cue lexicons are English.
ACCEPTED_LANGUAGES = frozenset({"en"})
#: Language detection needs some text to be right: bodies with fewer letters are not judged (kept).
MIN_LETTERS_FOR_LANGUAGE = 200
#: Only the start of a body is examined, so a 1M-char body costs as little as a short one. The
#: detector's cost grows with the sample: 13.6 ms per article at 2,000 chars, 6.6 ms at 600, which
#: was most of ingest's time. At 600 no PolNeAR article is misjudged, and of the example sentences
#: spaCy ships for 45 languages, the same ones are judged not English as at 2,000.
LANGUAGE_SAMPLE_CHARS = 600
#: The detector's relative confidence needed to call a language; below it the body is kept, unless
#: more than MAX_NON_LATIN_SHARE of its letters are not Latin script (then: UNDETERMINED_LANGUAGE).
MIN_LANGUAGE_CONFIDENCE = 0.9
MAX_NON_LATIN_SHARE = 0.5
UNDETERMINED_LANGUAGE = "und"  # ISO 639-2 "undetermined"
#: English function words that are not also everyday words of another Latin-script language. Left
#: out for that reason: was, will, also, an (German), of, die (Dutch), to (Polish, Czech), for, her,
#: at, by (Danish, Norwegian), are (Romanian), he (Finnish), as (Portuguese), a, in, is, on.
ENGLISH_MARKER_WORDS = frozenset(
    "the and that this with from have has had were been would their they which who said not but "
    "she his him it its there than when what about after more one".split()
)
#: A sample whose words are at least this share of ENGLISH_MARKER_WORDS is English without asking
#: the detector (:func:`_plainly_english`). On the first LANGUAGE_SAMPLE_CHARS of PolNeAR's 924
#: articles the share is 0.053 at least, 0.099 at the 5th percentile, 0.16 at the median; on the
#: example sentences spaCy ships for 35 other Latin-script languages (their first 600 characters)
#: it is 0 for each: none of these words is among them.
MIN_ENGLISH_MARKER_SHARE = 0.10
#: ... and it has at least this many words (a shorter sample goes to the detector).
MIN_WORDS_FOR_MARKER_SHARE = 40
_WORD = re.compile(r"[^\W\d_]+")

SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".xml": "rss",
    ".rss": "rss",
    ".atom": "rss",
}

#: Formats whose bytes may declare their own charset (``<meta charset>``, ``<?xml encoding?>``).
_MARKUP_FORMATS = frozenset({"html", "rss"})

#: File signatures of formats that are certainly not article text.
_BINARY_MAGIC: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF87a": "GIF image",
    b"GIF89a": "GIF image",
    b"%PDF-": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"PK\x05\x06": "ZIP archive",
    b"\x1f\x8b": "GZIP archive",
    b"\xfd7zXZ\x00": "XZ archive",
    b"7z\xbc\xaf\x27\x1c": "7z archive",
    b"\x28\xb5\x2f\xfd": "Zstandard archive",
    b"\x7fELF": "ELF executable",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "OLE2 (legacy Office) document",
}

#: Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_UNICODE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_DECLARED_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ENTITY_DECLARATION = re.compile(r"<!\s*ENTITY", re.I)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SENTENCE_END = re.compile("[.!?\n\r\u2026\u3002\uff01\uff1f]")
_HTML_OPEN = re.compile(r"<html[\s>]", re.I)
_HTML_BODY_OR_DOC_CLOSE = re.compile(r"</(?:body|html)\s*>", re.I)


@dataclass(slots=True)
class RawArticle:
    article_key: str
    uri: str
    body: str | None  # None while spooled to disk (body_ref; whosaid.spool) or when not needed
    title: str | None
    published_at: datetime | None
    published_raw: str | None
    outlet: str | None
    author: str | None
    source_id: str | None
    source_format: str
    source_path: str
    body_ref: tuple[int, int] | None = None  # where whosaid.spool.BodySpool keeps the body


@dataclass(slots=True)
class Quarantined:
    """An input that could not become an article, with a machine-friendly ``reason`` code."""

    uri: str
    reason: str
    detail: str
    stage: str = "ingest"


Item = RawArticle | Quarantined


def article_key(body: str) -> str:
    """Content address of an article: identical bodies from different paths are one article."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


# --------------------------------------------------------------------------------------------------
# discovery


def discover(paths: Iterable[str | Path] | str | Path) -> Iterator[Path]:
    """Yield the input files under ``paths`` in a deterministic order.

    Missing paths are checked *eagerly* (at call time, before anything is yielded) so a typo on
    the command line fails the run before any work is done. Directories are walked recursively in
    name order; hidden entries are skipped; directory symlink cycles are walked once. Entries the
    reader must report on rather than silently drop (unlistable directories, dangling or looping
    symlinks, special files) are yielded too — :func:`read_path` quarantines them.
    """
    roots = [Path(p) for p in _as_path_list(paths)]
    missing = [str(root) for root in roots if not os.path.lexists(root)]
    if missing:
        raise FileNotFoundError(f"input path does not exist: {', '.join(missing)}")
    return _walk_roots(roots)


def _as_path_list(paths: Iterable[str | Path] | str | Path) -> list[str | Path]:
    """A lone string is one path, not an iterable of one-character paths."""
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    return list(paths)


def _walk_roots(roots: list[Path]) -> Iterator[Path]:
    seen_dirs: set[str] = set()
    seen_files: set[str] = set()
    for root in roots:
        if root.is_dir():
            yield from _walk_dir(root, seen_dirs, seen_files)
        elif _first_visit(root, seen_files):
            yield root


def _walk_dir(root: Path, seen_dirs: set[str], seen_files: set[str]) -> Iterator[Path]:
    """Depth-first, name-sorted walk with an explicit stack (no recursion limit on deep trees)."""
    if not _first_visit(root, seen_dirs):
        return
    stack: list[Iterator[Path]] = []
    try:
        stack.append(iter(_visible_children(root)))
    except OSError as exc:
        logger.warning("cannot list directory %s: %s", root, exc)
        yield root
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif not child.is_dir():
            if _first_visit(child, seen_files):
                yield child
        elif not _first_visit(child, seen_dirs):
            logger.warning("skipping %s: directory already visited (symlink cycle or alias)", child)
        else:
            try:
                stack.append(iter(_visible_children(child)))
            except OSError as exc:
                logger.warning("cannot list directory %s: %s", child, exc)
                yield child


def _visible_children(directory: Path) -> list[Path]:
    names = sorted(name for name in os.listdir(directory) if not name.startswith("."))
    return [directory / name for name in names]


def _first_visit(path: Path, seen: set[str]) -> bool:
    """Record ``path`` by its real location; True the first time that location is seen."""
    real = os.path.realpath(path)
    if real in seen:
        return False
    seen.add(real)
    return True


# --------------------------------------------------------------------------------------------------
# reading one file


def ingest(
    paths: Iterable[str | Path] | str | Path,
    max_bytes: int = MAX_BYTES,
    max_body_chars: int = MAX_BODY_CHARS,
) -> Iterator[Item]:
    """Discover and read every input. Raises only for a missing top-level path (eagerly)."""
    files = discover(paths)
    return (item for path in files for item in read_path(path, max_bytes, max_body_chars))


def read_path(
    path: str | Path,
    max_bytes: int = MAX_BYTES,
    max_body_chars: int = MAX_BODY_CHARS,
    known_keys: frozenset[str] | set[str] = frozenset(),
) -> Iterator[Item]:
    """Read one file into articles/quarantine records. Never raises: a reader bug on one odd file
    becomes ``Quarantined(reason="internal_error")`` so the rest of the run goes on.

    ``known_keys``: article keys already loaded by this extractor version. Their bodies passed the
    body checks when they were loaded (same text, same result), so the costly ones (language
    detection, the longest-sentence scan) are not run again: a rerun on unchanged input stays cheap.
    """
    path = Path(path)
    try:
        yield from _read_path(path, max_bytes, max_body_chars, known_keys)
    except Exception as exc:  # noqa: BLE001 — the run must survive any single file
        logger.exception("unexpected error while reading %s", path)
        yield Quarantined(uri=str(path), reason="internal_error", detail=f"{type(exc).__name__}: {exc}")


@dataclass(slots=True)
class _Source:
    """What every format reader needs: where the bytes came from, the bytes, and their text."""

    path: Path
    source_format: str
    data: bytes
    text: str
    max_body_chars: int
    known_keys: frozenset[str] | set[str] = frozenset()


def _read_path(path: Path, max_bytes: int, max_body_chars: int, known_keys: frozenset[str] | set[str]) -> Iterator[Item]:
    uri = str(path)
    problem = _not_a_readable_file(path) or _unsupported_suffix(path) or _too_large_on_disk(path, max_bytes)
    if problem:
        yield _quarantine(uri, *problem)
        return
    data = _read_bytes(path, max_bytes)
    if isinstance(data, tuple):
        yield _quarantine(uri, *data)
        return
    source_format = SUFFIX_FORMATS[path.suffix.lower()]
    text = decode_text(data, allow_declared_charset=source_format in _MARKUP_FORMATS)
    if isinstance(text, tuple):
        yield _quarantine(uri, *text)
        return
    problem = _blank_text_problem(text)
    if problem:
        yield _quarantine(uri, *problem)
        return
    source = _Source(path, source_format, data, text, max_body_chars, known_keys)
    yield from _READERS[source_format](source)


Problem = tuple[str, str]  # (reason, detail)


def _quarantine(uri: str, reason: str, detail: str) -> Quarantined:
    logger.info("quarantined %s: %s (%s)", uri, reason, detail)
    return Quarantined(uri=uri, reason=reason, detail=detail)


def _not_a_readable_file(path: Path) -> Problem | None:
    """Checked before the suffix, so a dangling link or locked directory is reported as such."""
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == getattr(os, "ELOOP", 40):
            return "symlink_loop", f"symlink loop: {exc.strerror}"
        if os.path.islink(path):
            return "unreadable", f"dangling symlink to {os.readlink(path)!r}: {exc.strerror}"
        return "unreadable", _os_message(exc)
    if stat.S_ISDIR(st.st_mode):
        return "unreadable", f"directory could not be listed: {_listing_error(path)}"
    if not stat.S_ISREG(st.st_mode):
        return "not_regular_file", "not a regular file (FIFO, socket or device); not read to avoid blocking"
    return None


def _listing_error(directory: Path) -> str:
    try:
        os.listdir(directory)
    except OSError as exc:
        return _os_message(exc)
    return "it is a directory"


def _os_message(exc: OSError) -> str:
    return f"{exc.strerror or exc}" + (f" (errno {exc.errno})" if exc.errno else "")


def _unsupported_suffix(path: Path) -> Problem | None:
    if path.suffix.lower() in SUFFIX_FORMATS:
        return None
    known = " ".join(sorted(SUFFIX_FORMATS))
    return "unsupported_type", f"unsupported file suffix {path.suffix or '(none)'!r}; known: {known}"


def _too_large_on_disk(path: Path, max_bytes: int) -> Problem | None:
    size = path.stat().st_size
    if size > max_bytes:
        return "too_large", f"file is {size} bytes; limit is {max_bytes}"
    return None


def _read_bytes(path: Path, max_bytes: int) -> bytes | Problem:
    """Read at most ``max_bytes + 1`` bytes: files can grow (or lie about size) after ``stat``."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return "unreadable", _os_message(exc)
    if len(data) > max_bytes:
        return "too_large", f"file grew beyond {max_bytes} bytes while being read"
    return data


# --------------------------------------------------------------------------------------------------
# decoding


def decode_text(data: bytes, allow_declared_charset: bool = False) -> str | Problem:
    """Bytes → text, or a ``(reason, detail)`` problem.

    Order matters: a UTF-16/32 BOM is honoured before the binary sniff (those encodings are full of
    NUL bytes); a UTF-8 BOM is dropped. Without a BOM the text must be UTF-8 — except that HTML and
    XML may declare another charset, which is honoured only when UTF-8 fails.
    """
    if not data:
        return "empty", "file is empty (0 bytes)"
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, encoding)
    binary = _binary_kind(data)
    if binary:
        return "binary", binary
    offset = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    declared = _declared_charset(data) if allow_declared_charset else None
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            logger.debug("declared charset %r did not decode either", declared)
    bad = utf8_error.start + offset
    return "undecodable", f"invalid UTF-8 at byte {bad} (0x{data[bad]:02x}): {utf8_error.reason}"


def _decode_with_bom(data: bytes, encoding: str) -> str | Problem:
    try:
        return data.decode(encoding)  # the utf-16/utf-32 codecs consume the BOM
    except UnicodeDecodeError as exc:
        return "undecodable", f"invalid {encoding.upper()} (BOM present) at byte {exc.start}: {exc.reason}"


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return f"{kind} (file signature {magic[:4]!r})"
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"NUL byte at byte {nul}: binary data, not text"
    return None


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    return None if name.replace("-", "").replace("_", "") == "utf8" else name


def _blank_text_problem(text: str) -> Problem | None:
    if text == "":
        return "empty", "no text after the byte-order mark"
    if text.isspace():
        return "whitespace_only", f"only whitespace ({len(text)} chars)"
    return None


def body_problem(body: Any, max_body_chars: int = MAX_BODY_CHARS) -> Problem | None:
    """``(reason, detail)`` if ``body`` cannot be an article (blank, too large, invalid Unicode, a
    sentence too long to parse, not English), else None. Every body must pass it, whatever the
    format it came from; public so other readers (feeds) apply exactly the checks files get."""
    if not isinstance(body, str):
        return "wrong_type", f"body is {type(body).__name__}, expected a string"
    problem = _blank_text_problem(body)
    if problem:
        return ("empty", "body is empty") if problem[0] == "empty" else problem
    if len(body) > max_body_chars:
        return "too_large", f"body has {len(body)} chars; limit is {max_body_chars} (spaCy max_length)"
    surrogate = _LONE_SURROGATE.search(body)
    if surrogate:
        return "undecodable", f"lone UTF-16 surrogate at char {surrogate.start()}: not valid Unicode text"
    return _sentence_problem(body) or _language_problem(body)


def longest_unbroken_run(text: str) -> tuple[int, int]:
    """``(start, length)`` of the longest stretch of ``text`` without a sentence end."""
    best_start, best_len, start = 0, 0, 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() - start > best_len:
            best_start, best_len = start, match.start() - start
        start = match.end()
    if len(text) - start > best_len:
        best_start, best_len = start, len(text) - start
    return best_start, best_len


def _sentence_problem(body: str) -> Problem | None:
    start, length = longest_unbroken_run(body)
    if length <= MAX_SENTENCE_CHARS:
        return None
    return "sentence_too_long", (
        f"{length} chars from char {start} without a sentence end (. ! ? or line break); limit is "
        f"{MAX_SENTENCE_CHARS}: the extraction rules slow down superlinearly on one huge sentence"
    )


def detect_language(body: str) -> str | None:
    """ISO 639-1 code (``"en"``, ``"de"``, ...) of the language ``body`` is written in; ``"und"``
    when the detector knows no language of it and it is mostly not Latin script; ``None`` when
    there is too little text to tell or the detector is unsure.

    Why: the spaCy model and the cue lexicons are English; another language yields garbage facts,
    not errors, so it has to be caught before extraction. lingua (maintained, deterministic, offline
    models in the wheel) examines the first :data:`LANGUAGE_SAMPLE_CHARS` characters.
    """
    sample = body[:LANGUAGE_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS_FOR_LANGUAGE:
        return None
    if _plainly_english(sample):
        return "en"
    confidences = _language_detector().compute_language_confidence_values(sample)
    if confidences and confidences[0].value >= MIN_LANGUAGE_CONFIDENCE:
        return confidences[0].language.iso_code_639_1.name.lower()
    if _non_latin_share(sample) > MAX_NON_LATIN_SHARE:
        return UNDETERMINED_LANGUAGE
    return None


def _non_latin_share(text: str) -> float:
    """Share of the letters in ``text`` that are not Latin script. Why: lingua has no model for many
    scripts (Tibetan, Kannada, Malayalam: confidence 0 for every language), and an unsure verdict
    keeps a body; mostly non-Latin letters are certainly not English."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(not unicodedata.name(ch, "").startswith("LATIN") for ch in letters) / len(letters)


def _plainly_english(sample: str) -> bool:
    """True when English function words (:data:`ENGLISH_MARKER_WORDS`) make up a share of the
    sample's words no other language's text comes near. Why: the detector's models take 0.4-0.6 s
    of CPU to load on first use, and it then takes 5.7 ms per article (PolNeAR dev); the English
    news this pipeline reads is nearly all this plain. Anything less plain is still the detector's
    to judge, as before."""
    words = _WORD.findall(sample)
    if len(words) < MIN_WORDS_FOR_MARKER_SHARE:
        return False
    markers = sum(word.lower() in ENGLISH_MARKER_WORDS for word in words)
    return markers >= MIN_ENGLISH_MARKER_SHARE * len(words)


@functools.lru_cache(maxsize=1)
def _language_detector() -> Any:
    """Built once per process (its models load lazily: ~0.5 s of CPU and ~90 MB the first time)."""
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def _language_problem(body: str) -> Problem | None:
    language = detect_language(body)
    if language is None or language in ACCEPTED_LANGUAGES:
        return None
    accepted = ", ".join(sorted(ACCEPTED_LANGUAGES))
    if language == UNDETERMINED_LANGUAGE:
        return "non_english", (
            f"no language the detector knows, and over {MAX_NON_LATIN_SHARE:.0%} of the letters are not Latin "
            f"script; the extractors only understand: {accepted}"
        )
    return "non_english", f"detected language {language!r}; the extractors only understand: {accepted}"


# --------------------------------------------------------------------------------------------------
# field helpers


def parse_published(raw: Any) -> tuple[datetime | None, str | None]:
    """``(UTC datetime or None, raw string or None)``. An unparseable date is not an error: the raw
    string is kept so it can be fixed later. Naive datetimes are taken to be UTC."""
    raw_text = optional_text(raw)
    if raw_text is None:
        return None, None
    parsed = _parse_iso(raw_text) or _parse_rfc2822(raw_text)
    return (_as_utc(parsed) if parsed else None), raw_text


def _parse_iso(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None


def _parse_rfc2822(raw: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None


def _as_utc(value: datetime) -> datetime | None:
    try:
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


def optional_text(value: Any) -> str | None:
    """Metadata is best effort: non-strings are coerced, blanks become ``None``."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, (dict, list, tuple)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    text = text.strip()
    return text or None


def _pick_body(record: Mapping[str, Any]) -> Any:
    """``body`` wins over ``text``; ``text`` is used when ``body`` is absent, null or ``""``.
    Returns ``None`` when neither field has a value."""
    candidates = [record[key] for key in ("body", "text") if record.get(key) is not None]
    if not candidates:
        return None
    return next((c for c in candidates if c != ""), candidates[0])


def _article(
    body: str,
    *,
    uri: str,
    source: _Source,
    title: Any = None,
    published: Any = None,
    outlet: Any = None,
    author: Any = None,
    source_id: Any = None,
    published_fallback: datetime | None = None,
) -> RawArticle:
    published_at, published_raw = parse_published(published)
    return RawArticle(
        article_key=article_key(body),
        uri=uri,
        body=body,
        title=optional_text(title),
        published_at=published_at or published_fallback,
        published_raw=published_raw,
        outlet=optional_text(outlet),
        author=optional_text(author),
        source_id=optional_text(source_id),
        source_format=source.source_format,
        source_path=str(source.path),
    )


def _article_or_quarantine(body: Any, *, uri: str, source: _Source, **metadata: Any) -> Item:
    if source.known_keys and isinstance(body, str) and article_key(body) in source.known_keys:
        return _article(body, uri=uri, source=source, **metadata)  # checked when it was loaded
    problem = body_problem(body, source.max_body_chars)
    if problem:
        return _quarantine(uri, *problem)
    return _article(body, uri=uri, source=source, **metadata)


def _record_to_item(record: Any, *, fallback_uri: str, source: _Source) -> Item:
    """One JSON object / CSV row → article. ``url`` (when present) is the record's identity."""
    if not isinstance(record, Mapping):
        return _quarantine(
            fallback_uri, "wrong_type", f"record is {type(record).__name__}, expected a JSON object"
        )
    url = optional_text(record.get("url"))
    uri = url or fallback_uri
    body = _pick_body(record)
    if body is None:
        where = f" (record {fallback_uri})" if url else ""
        return _quarantine(uri, "missing_body", f"record has no 'body' or 'text' value{where}")
    return _article_or_quarantine(
        body,
        uri=uri,
        source=source,
        title=record.get("title"),
        published=record.get("published_at"),
        outlet=record.get("outlet"),
        author=record.get("author"),
        source_id=record.get("id"),
    )


# --------------------------------------------------------------------------------------------------
# format readers


def _read_txt(source: _Source) -> Iterator[Item]:
    """The body is the decoded file, untouched: offsets computed downstream must match the file."""
    yield _article_or_quarantine(source.text, uri=str(source.path), source=source)


def _read_json(source: _Source) -> Iterator[Item]:
    """A ``.json`` file holds one article object or a list of them."""
    uri = str(source.path)
    try:
        document = json.loads(source.text)
    except (ValueError, RecursionError) as exc:
        yield _quarantine(uri, "parse_error", f"invalid JSON: {_short(exc)}")
        return
    if isinstance(document, list):
        if not document:
            yield _quarantine(uri, "no_records", "JSON list is empty")
        for number, record in enumerate(document, start=1):
            yield _record_to_item(record, fallback_uri=f"{uri}#{number}", source=source)
    elif isinstance(document, dict):
        yield _record_to_item(document, fallback_uri=uri, source=source)
    else:
        yield _quarantine(uri, "wrong_type", f"top-level JSON is {type(document).__name__}; expected object or list")


def _read_jsonl(source: _Source) -> Iterator[Item]:
    """One JSON object per line; a bad line is quarantined alone (``path#lineno``, 1-based).

    Split on ``\\n`` only — ``str.splitlines`` would also split on U+2028/U+0085, which JSON
    allows unescaped inside strings. Blank lines are skipped.
    """
    for lineno, line in enumerate(source.text.split("\n"), start=1):
        if not line.strip():
            continue
        line_uri = f"{source.path}#{lineno}"
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield _quarantine(line_uri, "parse_error", f"invalid JSON on line {lineno}: {_short(exc)}")
            continue
        yield _record_to_item(record, fallback_uri=line_uri, source=source)


def _read_csv(source: _Source) -> Iterator[Item]:
    """Header row + records. Column names are matched case-insensitively; a record's fallback
    uri is ``path#line`` where line (1-based, header = line 1) is where the record starts."""
    uri = str(source.path)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(source.text, newline=""))
    try:
        header = next(reader, None)
        columns = _csv_columns(header or [])
        if "body" not in columns and "text" not in columns:
            yield _quarantine(uri, "missing_column", f"CSV header has no 'body' or 'text' column: {header}")
            return
        yield from _csv_records(reader, columns, source)
    except csv.Error as exc:
        yield _quarantine(
            f"{uri}#{reader.line_num}", "parse_error", f"CSV error near line {reader.line_num}: {exc}; rest of file skipped"
        )


def _csv_columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        columns.setdefault(name.strip().lower(), index)
    return columns


def _csv_records(reader: Any, columns: dict[str, int], source: _Source) -> Iterator[Item]:
    found_any = False
    start_line = reader.line_num + 1
    for row in reader:
        if row:
            found_any = True
            record = {name: row[index] for name, index in columns.items() if index < len(row)}
            yield _record_to_item(record, fallback_uri=f"{source.path}#{start_line}", source=source)
        start_line = reader.line_num + 1
    if not found_any:
        yield _quarantine(str(source.path), "no_records", "CSV has a header but no rows")


def _read_html(source: _Source) -> Iterator[Item]:
    """Main text and metadata via trafilatura (boilerplate — nav, ads, footers — is dropped)."""
    problem = _truncated_html_problem(source.text)
    if problem:
        yield _quarantine(str(source.path), *problem)
        return
    document = _trafilatura_extract(source.text)
    main_text = (document.text or "") if document is not None else ""
    if not main_text.strip():
        yield _quarantine(str(source.path), "no_main_text", "trafilatura found no main text in the HTML")
        return
    yield _article_or_quarantine(
        main_text,
        uri=str(source.path),
        source=source,
        title=document.title,
        published=document.date,
        outlet=document.sitename,
        author=document.author,
    )


def _truncated_html_problem(html: str) -> Problem | None:
    """A download cut short: trafilatura would happily return the first half of the article, so
    a page that ends inside a tag, or opens ``<html>`` but never closes its body or document, is
    quarantined instead of loaded as if complete."""
    tail = html.rstrip()
    if tail.rfind("<") > tail.rfind(">"):
        return "truncated", f"HTML ends inside a tag ({_short(tail[-60:], 60)!r}): the file was cut short"
    if _HTML_OPEN.search(html[:4096]) and not _HTML_BODY_OR_DOC_CLOSE.search(html):
        return "truncated", f"HTML has <html> but no </body> or </html> (ends {_short(tail[-60:], 60)!r}): cut short"
    return None


def _trafilatura_extract(html: str) -> Any:
    import trafilatura  # slow import; only paid when HTML is actually ingested

    return trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        config=trafilatura_config(),
        date_extraction_params={
            "original_date": True,  # publication date, not "last modified"
            "extensive_search": True,
            "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        },
    )


_TRAFILATURA_CONFIG: Any = None


def trafilatura_config() -> Any:
    """Short articles are still articles (default minimum is 250 chars). The signal-based
    extraction timeout is disabled because it only works on the main thread (Prefect uses workers)."""
    global _TRAFILATURA_CONFIG
    if _TRAFILATURA_CONFIG is None:
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
        config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
        _TRAFILATURA_CONFIG = config
    return _TRAFILATURA_CONFIG


def _read_feed(source: _Source) -> Iterator[Item]:
    """RSS/Atom via feedparser, after refusing documents that declare XML entities: entity
    expansion ("billion laughs") can exhaust memory/CPU, and no real news feed needs it."""
    uri = str(source.path)
    if _ENTITY_DECLARATION.search(source.text):
        yield _quarantine(uri, "unsafe_xml", "document declares XML entities (<!ENTITY>); refused to parse")
        return
    import feedparser

    feed = feedparser.parse(source.data)  # bytes: never treated as a URL or file name
    if not feed.entries:
        if feed.bozo:
            yield _quarantine(uri, "parse_error", f"not a parseable feed: {_short(feed.get('bozo_exception'))}")
        else:
            yield _quarantine(uri, "no_entries", "feed has no entries")
        return
    if feed.bozo:
        logger.warning("feed %s is malformed but has entries: %s", uri, feed.get("bozo_exception"))
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        yield _feed_entry_to_item(entry, number=number, outlet=outlet, source=source)


def _feed_entry_to_item(entry: Any, *, number: int, outlet: Any, source: _Source) -> Item:
    uri = _feed_entry_link(entry) or f"{source.path}#entry{number}"
    return _article_or_quarantine(
        _feed_entry_body(entry),
        uri=uri,
        source=source,
        title=entry.get("title"),
        published=entry.get("published") or entry.get("updated"),
        outlet=outlet,
        author=entry.get("author"),
        source_id=entry.get("id"),
        published_fallback=_struct_time_utc(entry.get("published_parsed") or entry.get("updated_parsed")),
    )


def _feed_entry_link(entry: Any) -> str | None:
    """The entry's link. feedparser copies an entry id into ``link`` when there is no link
    (``guidislink``); such an id only counts when it is an actual web address, not e.g. ``urn:``."""
    link = optional_text(entry.get("link"))
    if link and entry.get("guidislink") and not link.lower().startswith(("http://", "https://")):
        return None
    return link


def _feed_entry_body(entry: Any) -> str:
    """Full content when the feed carries it, else the summary; HTML converted to plain text."""
    contents = entry.get("content") or []
    if contents and contents[0].get("value"):
        value, content_type = contents[0].get("value"), contents[0].get("type", "text/html")
    else:
        detail = entry.get("summary_detail") or {}
        value, content_type = entry.get("summary") or "", detail.get("type", "text/html")
    if "html" in (content_type or ""):
        return html_to_text(value)
    return value.strip()


def _struct_time_utc(parsed: Any) -> datetime | None:
    """feedparser's normalized UTC ``time.struct_time`` — used when our own parse fails."""
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None


_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "blockquote", "pre",
    "section", "article", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
)  # fmt: skip


def html_to_text(markup: str) -> str:
    """HTML fragment → plain text, one line per block element.

    lxml rather than trafilatura: feed summaries are often a sentence or two, which trafilatura's
    boilerplate heuristics would discard as "not main content".
    """
    if "<" not in markup:
        return markup.strip()
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (ValueError, etree.ParserError) as exc:
        logger.debug("lxml could not parse a fragment (%s); stripping tags instead", exc)
        import html as html_lib

        return html_lib.unescape(re.sub(r"<[^>]*>", " ", markup)).strip()
    for unwanted in list(root.iter("script", "style")):
        unwanted.drop_tree()
    for block in root.iter(*_BLOCK_TAGS):
        block.tail = "\n" + (block.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _short(value: Any, limit: int = 300) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_READERS: dict[str, Callable[[_Source], Iterator[Item]]] = {
    "txt": _read_txt,
    "html": _read_html,
    "json": _read_json,
    "jsonl": _read_jsonl,
    "csv": _read_csv,
    "rss": _read_feed,
}

__all__ = [
    "ACCEPTED_LANGUAGES",
    "MAX_BODY_CHARS",
    "MAX_BYTES",
    "MAX_SENTENCE_CHARS",
    "SUFFIX_FORMATS",
    "Quarantined",
    "RawArticle",
    "article_key",
    "body_problem",
    "decode_text",
    "detect_language",
    "discover",
    "html_to_text",
    "ingest",
    "longest_unbroken_run",
    "optional_text",
    "parse_published",
    "read_path",
]
