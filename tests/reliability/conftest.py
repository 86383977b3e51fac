"""Fixtures of the torture suite: ONE flow run over the torture folder serves every bad-input and
injection test (a flow run costs seconds; Prefect's temporary server ~15 s once per process)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability import torture
from whosaid import warehouse


@dataclass
class TortureRun:
    torture: torture.Torture
    warehouse: Path
    summary: dict

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        return warehouse.query(self.warehouse, sql, params)[1]

    def relative(self, uri: str | None) -> str | None:
        """A quarantine/article uri relative to the torture folder (URLs stay as they are)."""
        prefix = str(self.torture.folder) + "/"
        return uri[len(prefix):] if uri and uri.startswith(prefix) else uri


@pytest.fixture(scope="session")
def torture_run(tmp_path_factory):
    from flows.etl import etl_flow

    folder = tmp_path_factory.mktemp("torture") / "inputs"
    built = torture.build(folder)
    # A quote in the warehouse's folder name: the path is spliced into ATTACH, so it must be quoted.
    wh = tmp_path_factory.mktemp("wh") / "it's a warehouse" / "whosaid.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        torture.unreadable_by_permission(mp, folder / torture.PERMISSION_DENIED_NAME)
        summary = etl_flow(inputs=[str(folder)], warehouse_path=str(wh))
    yield TortureRun(built, wh, summary)
    (folder / "huge_50mb.txt").unlink()  # don't leave 50 MB in pytest's kept temp dirs
