"""Validate frames with Great Expectations suites generated from the table contracts.

GX 1.x has no Polars or DuckDB data source, so frames cross to pandas (via Arrow) for validation.
Rows that fail a row-level expectation are split off to quarantine with the expectation that failed;
every expectation's outcome becomes a dq_result row. Tables are validated parents first so a
rejected article also rejects its facts (relationship expectations see only accepted parents).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from whosaid.contracts import Contract, load_contracts
from whosaid.normalize import stable_id

log = logging.getLogger(__name__)

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

#: imported by GX at module level only for expectations and charts the contracts never generate
#: (KL divergence, KS tests); deferring them saves ~1.8 s of CPU per run (bench/coldstart_probe.py)
GX_UNUSED_IMPORTS = ("scipy.stats", "altair")


#: GX's optional SQL support: GX imports SQLAlchemy (its ORM and dialects, ~0.4 s of CPU) whenever
#: it is installed, to offer SQL datasources. It is installed here because Prefect's server needs it,
#: and whosaid validates pandas frames only, so GX is imported as if it were not (GX's supported
#: configuration without SQL extras); anything else that imports SQLAlchemy later gets it as usual.
GX_OPTIONAL_HIDDEN = ("sqlalchemy",)


@lru_cache(maxsize=1)
def import_gx():
    """``great_expectations``, imported without paying for :data:`GX_UNUSED_IMPORTS` up front, and
    without the optional packages of :data:`GX_OPTIONAL_HIDDEN` unless they are already imported."""
    from whosaid.lazy_modules import defer, hidden

    defer(*GX_UNUSED_IMPORTS)
    with hidden(*GX_OPTIONAL_HIDDEN):
        import great_expectations

    return great_expectations


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation derived from a contract, independent of GX objects (easy to test and log)."""

    expectation_type: str  # GX snake_case name, e.g. expect_column_values_to_not_be_null
    column: str | None
    kwargs: dict[str, Any] = field(default_factory=dict)
    relationship: tuple[str, str] | None = None  # (parent table, parent column) for relationships

    @property
    def expectation_id(self) -> str:
        target = self.column or ",".join(self.kwargs.get("column_list", []))
        return f"{self.expectation_type}:{target}"


def expectation_specs(c: Contract) -> list[ExpectationSpec]:
    """The checks a contract states, in a stable order."""
    specs: list[ExpectationSpec] = [
        ExpectationSpec("expect_table_columns_to_match_ordered_list", None, {"column_list": c.column_names})
    ]
    if len(c.primary_key) > 1:
        specs.append(
            ExpectationSpec("expect_compound_columns_to_be_unique", None, {"column_list": list(c.primary_key)})
        )
    for col in c.columns:
        if not col.nullable:
            specs.append(ExpectationSpec("expect_column_values_to_not_be_null", col.name))
        if col.test_args("unique") or (c.primary_key == (col.name,)):
            specs.append(ExpectationSpec("expect_column_values_to_be_unique", col.name))
        if (values := col.test_args("accepted_values")) is not None:
            specs.append(ExpectationSpec("expect_column_values_to_be_in_set", col.name, {"value_set": list(values)}))
        if (bounds := col.test_args("between")) is not None:
            low, high = bounds
            specs.append(
                ExpectationSpec("expect_column_values_to_be_between", col.name, {"min_value": low, "max_value": high})
            )
        if (rel := col.test_args("relationships")) is not None:
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_in_set", col.name, {}, relationship=(rel["to"], rel["field"])
                )
            )
    return specs


def _dedupe(specs: list[ExpectationSpec]) -> list[ExpectationSpec]:
    seen, out = set(), []
    for s in specs:
        key = (s.expectation_type, s.column, json.dumps(s.kwargs, sort_keys=True, default=str), s.relationship)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _gx_class_name(expectation_type: str) -> str:
    """expect_column_values_to_be_in_set → ExpectColumnValuesToBeInSet."""
    name = "".join(part.capitalize() for part in expectation_type.split("_"))
    return name.replace("AToBeGreaterThanB", "AToBeGreaterThanB")


def build_gx_expectations(specs: list[ExpectationSpec], relationship_values: dict[str, list]) -> list:
    """GX expectations for ``specs``; a relationship check's value set is
    ``relationship_values[spec.expectation_id]`` (see :func:`referenced_parent_keys`)."""
    gx = import_gx()

    out = []
    for spec in specs:
        kwargs = dict(spec.kwargs)
        if spec.column:
            kwargs["column"] = spec.column
        if spec.relationship:
            kwargs["value_set"] = relationship_values.get(spec.expectation_id, [])
        cls = getattr(gx.expectations, _gx_class_name(spec.expectation_type))
        out.append(cls(**kwargs))
    return out


@lru_cache(maxsize=1)
def _gx_context():
    gx = import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    # this module pins its own logger at INFO and announces every ephemeral context's temp dir
    logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    ctx.data_sources.add_pandas("whosaid_frames")
    return ctx


def _batch_definition(table: str):
    ctx = _gx_context()
    ds = ctx.data_sources.get("whosaid_frames")
    try:
        asset = ds.get_asset(table)
    except LookupError:
        asset = ds.add_dataframe_asset(table)
    try:
        return asset.get_batch_definition("whole")
    except (KeyError, LookupError, ValueError):
        return asset.add_batch_definition_whole_dataframe("whole")


def prepare_batch_definitions() -> None:
    """GX's context and every contract table's batch definition, made ahead of the first validation:
    0.2 s of CPU, as GX re-serializes its whole project configuration on each addition. For a caller
    with idle time — the CLI while Prefect's server boots; validation finds them made."""
    for table in load_contracts():
        _batch_definition(table)


def _to_pandas(frame: pl.DataFrame):
    """pandas for GX, keeping integer columns with nulls as nullable integers.

    Plain conversion turns an int column with a null into float64, which silently rounds 52-bit
    surrogate keys and makes relationship checks fail.
    """
    import pandas as pd
    import pyarrow as pa

    nullable = {pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int32Dtype(), pa.int16(): pd.Int16Dtype()}
    return frame.to_arrow().to_pandas(types_mapper=nullable.get)


def _suite(table: str, expectations: list):
    gx = import_gx()

    # Passed to the constructor, not add_expectation: that compares each new expectation with every
    # one already added through pydantic .dict() copies (value sets of all parent keys included),
    # measured at a sixth of validation time. The specs are already de-duplicated (_dedupe).
    return gx.ExpectationSuite(name=f"{table}_suite", expectations=expectations)


_ONE_VALIDATION_AT_A_TIME = threading.Lock()


@contextmanager
def each_configuration_built_once() -> Iterator[None]:
    """Within the block, an Expectation's ``configuration`` is built once and then reused.

    Why: GX 1.x rebuilds it — a pydantic ``.dict()`` of the expectation and a new
    ExpectationConfiguration — for every keyword it looks up while validating: 9,432 builds for the
    126 expectations of the seed article's tables, two thirds of validation's CPU (cProfile).
    Nothing changes an expectation while ``batch.validate`` runs (GX's own suite only registers a
    callback on it), so one build per expectation gives the same results (the tests compare the
    results' JSON, failures included); the seed article's validation took 0.67-0.82 s instead of
    1.0-1.2 s (alternating, one process). Outside the block the property is GX's own; the lock keeps
    two validations from overlapping.
    """
    from great_expectations.expectations.expectation import Expectation

    build = Expectation.__dict__["configuration"]
    built: dict[int, tuple[Any, Any]] = {}

    def configuration(expectation):
        hit = built.get(id(expectation))
        if hit is None:  # the expectation is kept with its build, so no other object gets its id
            hit = built[id(expectation)] = (expectation, build.fget(expectation))
        return hit[1]

    with _ONE_VALIDATION_AT_A_TIME:
        Expectation.configuration = property(configuration, doc=build.__doc__)
        try:
            yield
        finally:
            Expectation.configuration = build


def _validated(batch, suite, result_format: str):
    with each_configuration_built_once():
        return batch.validate(suite, result_format=result_format)


def _validate_batch(batch, table: str, expectations: list):
    """Validate with the cheap BOOLEAN_ONLY result format, then again with COMPLETE only the
    expectations that failed, whose unexpected row indices the quarantine needs.

    COMPLETE makes GX compute unexpected-value and index lists for every expectation, passing ones
    included: measured on 84 articles, validation took twice as long as with BOOLEAN_ONLY. Failures
    are rare, so the second pass is usually empty. Passing results carry no counts; the dq_result
    row falls back to the frame's height and 0 unexpected, which is what COMPLETE reported for them.
    """
    result = _validated(batch, _suite(table, expectations), "BOOLEAN_ONLY")
    failed = [i for i, r in enumerate(result.results) if not r.success]
    if failed:
        detail = _validated(batch, _suite(table, [expectations[i] for i in failed]), "COMPLETE")
        for i, r in zip(failed, detail.results):
            result.results[i] = r
    for r in result.results:
        # Data Docs takes a page's column list from this result's observed value; passing, the
        # observed columns are the expected ones
        if r.success and r.expectation_config.type == "expect_table_columns_to_match_ordered_list":
            r.result = {"observed_value": list(r.expectation_config.kwargs["column_list"])}
    return result


@dataclass
class ValidationOutcome:
    accepted: dict[str, pl.DataFrame]
    quarantine_rows: list[dict]
    dq_rows: list[dict]
    #: GX ExpectationSuiteValidationResult per validated table, for the Data Docs site.
    gx_results: list = field(default_factory=list)

    @property
    def n_failed_expectations(self) -> int:
        return sum(1 for r in self.dq_rows if not r["success"])


def merge_dq_rows(rows: Iterable[dict]) -> list[dict]:
    """One dq_result row per (run, table, expectation) from the rows of several validated chunks of
    one run: it succeeded only if it succeeded on every chunk, and counts add up."""
    merged: dict[tuple[str, str, str], dict] = {}
    for row in rows:
        key = (row["run_id"], row["table_name"], row["expectation_id"])
        if key not in merged:
            merged[key] = dict(row)
            continue
        m = merged[key]
        m["success"] = bool(m["success"] and row["success"])
        m["element_count"] = (m["element_count"] or 0) + (row["element_count"] or 0)
        if m["unexpected_count"] is None or row["unexpected_count"] is None:
            m["unexpected_count"] = None
        else:
            m["unexpected_count"] += row["unexpected_count"]
        m["evaluated_at"] = max(m["evaluated_at"], row["evaluated_at"])
    return list(merged.values())


def referenced_parent_keys(
    column: pl.Series, existing: set, parent_frame: pl.DataFrame | None, parent_column: str
) -> list:
    """The value set of a relationship check: the keys ``column`` references that exist, in the
    warehouse (``existing``) or among this chunk's parent rows.

    Why not every parent key: GX re-serialises an expectation's kwargs many times per validation,
    so its cost grows with the value set — measured 2.1 s at 10,000 keys and 17 s at 100,000 for
    one expectation on a 100-row frame. With all warehouse keys, a one-article run into a
    923-article warehouse (9,923 entities) validated for 28 s longer than into an empty one, and it
    grew with every run. Restricted to the referenced keys, each row passes or fails exactly as
    before, and the set is bounded by the chunk.
    """
    referenced = set(column.drop_nulls().unique().to_list())
    found = referenced & existing
    if parent_frame is not None and parent_column in parent_frame.columns:
        found.update(referenced & set(parent_frame[parent_column].drop_nulls().unique().to_list()))
    return sorted(found)


def _parent_frame(parent_table: str, accepted: dict[str, pl.DataFrame], frames: dict[str, pl.DataFrame]):
    """The parent rows a fact may reference: those accepted, when the parent is validated already."""
    return accepted.get(parent_table, frames.get(parent_table))


#: Finds which candidate parent keys the warehouse already holds: (table, column) → candidates in,
#: (table, column) → the ones present out. A resource (whosaid.stages.WarehouseKeys asks DuckDB),
#: so validation never opens a connection and never holds every key of the warehouse.
KeyLookup = Callable[[dict[tuple[str, str], set]], dict[tuple[str, str], set]]


def keys_from_mapping(known: Mapping[tuple[str, str], Iterable]) -> KeyLookup:
    """A :data:`KeyLookup` over keys in memory ((table, column) → keys), for tests and tools."""
    sets = {key: set(values) for key, values in known.items()}
    return lambda wanted: {key: candidates & sets.get(key, set()) for key, candidates in wanted.items()}


def as_key_lookup(existing_keys: KeyLookup | Mapping[tuple[str, str], Iterable] | None) -> KeyLookup:
    return existing_keys if callable(existing_keys) else keys_from_mapping(existing_keys or {})


def _referenced_keys(frames: dict[str, pl.DataFrame], contracts: dict[str, Contract]) -> dict[tuple[str, str], set]:
    """Every parent key some frame references, by parent (table, column): one lookup per chunk."""
    wanted: defaultdict[tuple[str, str], set] = defaultdict(set)
    for table, c in contracts.items():
        frame = frames.get(table)
        if frame is None or frame.height == 0:
            continue
        for spec in expectation_specs(c):
            if spec.relationship:
                wanted[spec.relationship].update(frame[spec.column].drop_nulls().unique().to_list())
    return dict(wanted)


def validate_frames(
    frames: dict[str, pl.DataFrame],
    run_id: str,
    existing_keys: KeyLookup | Mapping[tuple[str, str], Iterable] | None = None,
) -> ValidationOutcome:
    """Validate each table's frame; return accepted frames, quarantine rows and dq_result rows.

    ``existing_keys`` finds the keys already in the warehouse (a :data:`KeyLookup`, or a mapping
    (table, column) → keys), so a fact can reference a dimension row loaded by an earlier run.
    """
    contracts = load_contracts()
    lookup = as_key_lookup(existing_keys)
    existing: defaultdict[tuple[str, str], set] = defaultdict(set, lookup(_referenced_keys(frames, contracts)))
    accepted: dict[str, pl.DataFrame] = {}
    quarantine_rows: list[dict] = []
    dq_rows: list[dict] = []
    gx_results: list = []
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    os.environ.setdefault("TQDM_DISABLE", "1")
    _gx_context()

    for table, c in contracts.items():
        if table not in frames:
            continue
        frame = frames[table]
        specs = _dedupe(expectation_specs(c))
        if frame.height == 0:
            accepted[table] = frame
            continue
        relationship_values = {
            spec.expectation_id: referenced_parent_keys(
                frame[spec.column], existing[spec.relationship], _parent_frame(spec.relationship[0], accepted, frames),
                spec.relationship[1],
            )
            for spec in specs
            if spec.relationship
        }
        pdf = _to_pandas(frame)
        batch = _batch_definition(table).get_batch(batch_parameters={"dataframe": pdf})
        result = _validate_batch(batch, table, build_gx_expectations(specs, relationship_values))
        gx_results.append(result)
        bad_rows: dict[int, list[str]] = {}
        for spec, r in zip(specs, result.results):
            res = r.result or {}
            if spec.relationship:
                _summarize_value_set(r, spec.relationship)
            dq_rows.append(
                {
                    "run_id": run_id,
                    "table_name": table,
                    "expectation_id": spec.expectation_id,
                    "expectation_type": spec.expectation_type,
                    "column_name": spec.column,
                    "kwargs": json.dumps(
                        {**spec.kwargs, **({"relationship": list(spec.relationship)} if spec.relationship else {})},
                        default=str,
                    ),
                    "success": bool(r.success),
                    "element_count": res.get("element_count", frame.height),
                    "unexpected_count": res.get("unexpected_count", 0 if r.success else None),
                    "evaluated_at": now,
                }
            )
            if r.success:
                continue
            indices = res.get("unexpected_index_list") or []
            if not indices and spec.column is None and spec.expectation_type.startswith("expect_table"):
                raise ValueError(f"{table}: frame does not match its contract: {res}")
            for idx in indices:
                row_idx = idx if isinstance(idx, int) else int(idx.get("index", -1)) if isinstance(idx, dict) else int(idx)
                bad_rows.setdefault(row_idx, []).append(spec.expectation_id)
        if bad_rows:
            mask = pl.Series([i in bad_rows for i in range(frame.height)])
            rejected = frame.filter(mask)
            frame = frame.filter(~mask)
            for i, row in zip(sorted(bad_rows), rejected.iter_rows(named=True)):
                quarantine_rows.append(quarantine_row_for(table, row, bad_rows[i], run_id, now))
        accepted[table] = frame
    return ValidationOutcome(accepted, quarantine_rows, dq_rows, gx_results)


#: Columns that name the run, not the row: left out of a rejected row's quarantine_key so a rerun
#: that rejects the same row again updates its quarantine row instead of adding another.
_RUN_COLUMNS = frozenset({"run_id", "first_run_id", "last_run_id"})


def quarantine_row_for(table: str, row: dict, failed: list[str], run_id: str, now: datetime) -> dict:
    record = json.dumps(row, default=str, ensure_ascii=False)
    identity = json.dumps({k: v for k, v in row.items() if k not in _RUN_COLUMNS}, default=str, ensure_ascii=False)
    reason = failed[0].split(":")[0]
    return {
        "quarantine_key": _quarantine_key("validate", None, table, reason, identity),
        "stage": "validate",
        "uri": None,
        "article_key": None,
        "table_name": table,
        "reason": reason,
        "detail": "failed: " + ", ".join(failed),
        "record": record,
        "first_run_id": run_id,
        "last_run_id": run_id,
        "quarantined_at": now,
    }


def _quarantine_key(stage: str, uri: str | None, table: str | None, reason: str, record: str | None) -> str:
    return format(stable_id("\x1f".join([stage, uri or "", table or "", reason, record or ""])), "x")


# ---- Data Docs ---------------------------------------------------------------------------------
#: Runs whose validation pages the site keeps; older results are pruned and their pages removed.
DATA_DOCS_RUNS = 50
_DOCS_SITE = "whosaid"
_DOCS_STORE = "whosaid_validation_results"
_BATCH = "whole"


def _summarize_value_set(result, relationship: tuple[str, str]) -> None:
    """A relationship check's value set lists parent keys (referenced_parent_keys); rendered
    verbatim it would fill Data Docs pages with ids. The check has already run, so the result
    keeps only how many keys it allowed."""
    kwargs = result.expectation_config.kwargs
    n = len(kwargs.get("value_set") or [])
    kwargs["value_set"] = [f"the {n} referenced keys found in {relationship[0]}.{relationship[1]}"]


@lru_cache(maxsize=8)
def _docs_context(site_dir: str):
    """An ephemeral GX context with a Data Docs site in ``site_dir`` whose validation results persist
    in ``site_dir/.validation_results`` (GX's JSON store), so the index lists the last runs, not only
    the current one. No gx/ project folder is created."""
    gx = import_gx()

    ctx = gx.get_context(mode="ephemeral")
    ctx.add_store(
        _DOCS_STORE,
        {
            "class_name": "ValidationResultsStore",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(Path(site_dir) / ".validation_results"),
            },
        },
    )
    ctx.add_data_docs_site(
        _DOCS_SITE,
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": site_dir},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder", "view": _view("CachedTemplatesIndexPageView")},
            "site_section_builders": {
                "expectations": "None",  # suites are generated from schemas/ each run; the results show them
                "profiling": "None",
                "validations": {"source_store_name": _DOCS_STORE, "view": _view("CachedTemplatesPageView")},
            },
        },
    )
    return ctx


def _view(class_name: str) -> dict[str, str]:
    """A page view of :mod:`whosaid.data_docs_views` (GX's, with compiled templates kept across runs)."""
    return {"module_name": "whosaid.data_docs_views", "class_name": class_name}


def build_data_docs(results: list, site_dir: Path, run_id: str, run_time: datetime) -> Path:
    """Add one run's validation results (one per table) to the site in ``site_dir`` and rebuild its
    index; returns the index page. Only this run's pages are rendered, and the index reads the kept
    results' summaries only (:func:`_index_reads_summaries`)."""
    import_gx()
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    site_dir = Path(site_dir).resolve()
    site_dir.mkdir(parents=True, exist_ok=True)
    ctx = _docs_context(str(site_dir))
    store = ctx.stores[_DOCS_STORE]
    run = RunIdentifier(run_name=run_id, run_time=run_time.replace(tzinfo=timezone.utc))
    keys = []
    for batch_id, result in _pages(results):
        result.meta["run_id"] = run  # the page header shows the etl_run id and time
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(result.suite_name), run, batch_id)
        store.set(key, result)
        keys.append(key)
    _prune_runs(store, DATA_DOCS_RUNS)
    index = site_dir / "index.html"
    if keys or not index.exists():
        with _index_reads_summaries(ctx, store):
            ctx.build_data_docs(site_names=[_DOCS_SITE], resource_identifiers=keys or None)
    return index


@contextmanager
def _index_reads_summaries(ctx, store):
    """While the site is built, the context's ``get_validation_result`` — which GX's index builder
    alone calls, once per kept result — returns the stored result's success flag and meta without
    its expectation results. Why: GX loaded every kept result through marshmallow for a link and a
    status icon: with 50 runs kept (400 results) Data Docs took 2.3 s of CPU per run against 0.6 s
    with an empty site, growing with every run. The pages of this run's results are still built
    from the whole results, which the page builder reads from the store itself."""
    from great_expectations.core import ExpectationSuiteValidationResult
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    def summary(expectation_suite_name, run_id=None, batch_identifier=None, validation_results_store_name=None,
                failed_only=False):
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(expectation_suite_name), run_id, batch_identifier)
        raw = store.store_backend.get(store.key_to_tuple(key))
        if not raw:
            return {}  # what GX returns for a missing result: the index skips it
        stored = json.loads(raw)
        return ExpectationSuiteValidationResult(
            success=bool(stored.get("success")), results=[], suite_name=expectation_suite_name,
            meta=stored.get("meta") or {},
        )

    ctx.get_validation_result = summary
    try:
        yield
    finally:
        del ctx.get_validation_result


def _pages(results: list) -> list[tuple[str, Any]]:
    """(batch id, result) of each page a run gets. A run validates each table once per chunk: a
    table that passed in every chunk gets one page (its last chunk's), and every chunk where it
    failed gets its own page, so a failure in an early chunk of a long run is never hidden behind
    a later chunk that passed (pages share a key, so the last one written would win)."""
    by_suite: dict[str, list] = {}
    for result in results:
        by_suite.setdefault(result.suite_name, []).append(result)
    pages = []
    for chunks in by_suite.values():
        if all(r.success for r in chunks):
            pages.append((_BATCH, chunks[-1]))
        else:
            pages += [(f"chunk-{n}", r) for n, r in enumerate(chunks, 1) if not r.success]
    return pages


def _prune_runs(store, keep: int) -> None:
    """Drop stored results of all but the newest ``keep`` runs (the index build removes their pages)."""
    keys = store.list_keys()
    runs = sorted({(k.run_id.run_time, k.run_id.run_name) for k in keys}, reverse=True)
    old = set(runs[keep:])
    for key in keys:
        if (key.run_id.run_time, key.run_id.run_name) in old:
            store.remove_key(key)
