"""Prefect artifacts a run publishes: a markdown summary and a table of its top new accusations.

Why: someone watching scheduled runs in the Prefect UI should see, per run, what came in and what
went wrong (quarantine, failed expectations) without opening the warehouse. The content is read
back from the warehouse after the load, so the artifact shows what was committed, not what was
planned. Building the text is pure (testable); only :func:`publish_run_artifacts` talks to Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from whosaid import warehouse

SUMMARY_KEY = "whosaid-run-summary"
ACCUSATIONS_KEY = "whosaid-new-accusations"
#: Rows in the table artifact (the full list is one query away: v_accusations).
TOP_ACCUSATIONS = 25

_COUNT_LABELS = (
    ("n_files", "inputs read (files and feeds)"),
    ("n_articles_read", "articles read"),
    ("n_articles_new", "articles extracted and loaded"),
    ("n_articles_skipped", "articles skipped (already loaded)"),
    ("n_mentions", "entity mentions"),
    ("n_quotes", "quotes"),
    ("n_accusations", "accusations (all stances)"),
    ("n_denials", "denials"),
    ("n_quarantined", "quarantined inputs/rows"),
    ("n_failed_expectations", "failed expectations"),
)


@dataclass
class RunReport:
    """What the warehouse holds about one run, for people."""

    new_accusations: list[dict] = field(default_factory=list)
    dq_failures: list[dict] = field(default_factory=list)
    quarantine_by_reason: list[tuple[str, str, int]] = field(default_factory=list)


def read_run_report(warehouse_path: str | Path, run_id: str, limit: int = TOP_ACCUSATIONS) -> RunReport:
    """Accusations in articles this run (re)extracted, its failed expectations and quarantine."""
    _, accusations = warehouse.query(
        warehouse_path,
        "SELECT v.accuser, v.accused, v.charge, v.cue, round(v.confidence, 2) AS confidence, "
        "v.article_title, v.article_uri, v.article_key "
        "FROM v_accusations v JOIN dim_article a USING (article_key) WHERE a.run_id = ? "
        "ORDER BY v.confidence DESC, v.article_key, v.accusation_index LIMIT ?",
        [run_id, limit],
    )
    names = ["accuser", "accused", "charge", "cue", "confidence", "article_title", "article_uri", "article_key"]
    _, failures = warehouse.query(
        warehouse_path,
        "SELECT table_name, expectation_type, column_name, unexpected_count FROM dq_result "
        "WHERE run_id = ? AND NOT success ORDER BY table_name, expectation_type, column_name",
        [run_id],
    )
    _, quarantine = warehouse.query(
        warehouse_path,
        "SELECT stage, reason, count(*) FROM quarantine WHERE last_run_id = ? GROUP BY ALL ORDER BY 3 DESC, 1, 2",
        [run_id],
    )
    return RunReport(
        new_accusations=[dict(zip(names, row)) for row in accusations],
        dq_failures=[
            {"table": t, "expectation": e, "column": c, "unexpected": u} for t, e, c, u in failures
        ],
        quarantine_by_reason=[tuple(row) for row in quarantine],
    )


def data_docs_index(summary: dict) -> Path | None:
    """The Great Expectations Data Docs page the run built (``summary["data_docs"]``), if any."""
    index = summary.get("data_docs")
    return Path(index).resolve() if index and Path(index).is_file() else None


def summary_markdown(summary: dict, report: RunReport, data_docs: Path | None) -> str:
    """The run's markdown artifact: counts, new accusations, data-quality problems, Data Docs."""
    lines = [
        f"# whosaid run `{summary['run_id']}`: **{summary['status']}**",
        "",
        f"Warehouse: `{summary['warehouse']}`",
        "",
        "| what | count |",
        "|---|---:|",
        *[f"| {label} | {summary.get(key, 0)} |" for key, label in _COUNT_LABELS],
        "",
        f"## New accusations ({len(report.new_accusations)} shown, asserted, confidence ≥ 0.5)",
        "",
    ]
    if report.new_accusations:
        lines += [
            f"- **{_md(r['accuser'])}** → **{_md(r['accused'])}**: {_md(r['charge'])} "
            f"(cue *{_md(r['cue'])}*, {r['confidence']}) — {_md(r['article_title'] or r['article_uri'])}"
            for r in report.new_accusations[:10]
        ]
    else:
        lines.append("None in this run's new articles.")
    lines += ["", "## Data quality", ""]
    if report.dq_failures:
        lines += ["| table | expectation | column | unexpected rows |", "|---|---|---|---:|"]
        lines += [
            f"| {f['table']} | {f['expectation']} | {f['column'] or ''} | {f['unexpected'] or 0} |"
            for f in report.dq_failures
        ]
    else:
        lines.append("Every expectation passed.")
    if report.quarantine_by_reason:
        lines += ["", "Quarantined (see `v_quarantine`):", ""]
        lines += [f"- {stage} / `{reason}`: {n}" for stage, reason, n in report.quarantine_by_reason]
    lines += ["", "## Data Docs", ""]
    lines.append(
        f"[Great Expectations Data Docs]({data_docs.as_uri()})"
        if data_docs
        else "Not built for this run; every expectation's outcome is in `dq_result` (`v_dq_failures`)."
    )
    return "\n".join(lines) + "\n"


def _md(value: object) -> str:
    """Table cells and list items must not break the markdown they sit in."""
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def publish_run_artifacts(summary: dict, warehouse_path: str | Path) -> RunReport:
    """Create the two artifacts on the current flow run (Prefect links them to it)."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    report = read_run_report(warehouse_path, summary["run_id"])
    create_markdown_artifact(
        markdown=summary_markdown(summary, report, data_docs_index(summary)),
        key=SUMMARY_KEY,
        description=f"whosaid run summary: {summary['status']}",
    )
    create_table_artifact(
        table=report.new_accusations,
        key=ACCUSATIONS_KEY,
        description=f"Top {TOP_ACCUSATIONS} new accusations of this run (by confidence)",
    )
    return report
