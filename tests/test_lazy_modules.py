"""Deferred imports: a deferred module is bound by ``import`` without running, and becomes the real
module on first use (whosaid.lazy_modules; used to keep GX's unused scipy.stats/altair off every run)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from whosaid.lazy_modules import DeferredModule, defer, hidden, is_loaded


@pytest.fixture()
def heavy_package(tmp_path, monkeypatch):
    """A package whose import leaves a trace, so a test can tell whether it really ran."""
    pkg = tmp_path / "ws_heavy_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("import os\nos.environ['WS_HEAVY_RAN'] = '1'\nVALUE = 42\n")
    (pkg / "sub.py").write_text("SUB = 'sub'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("WS_HEAVY_RAN", raising=False)
    yield "ws_heavy_pkg"
    for name in [n for n in sys.modules if n.startswith("ws_heavy_pkg")]:
        del sys.modules[name]


def test_import_binds_a_deferred_module_without_running_it(heavy_package):
    import os

    assert defer(heavy_package) == [heavy_package]
    import ws_heavy_pkg as h  # noqa: PLC0415

    assert isinstance(h, DeferredModule)
    assert not is_loaded(heavy_package)
    assert "WS_HEAVY_RAN" not in os.environ


def test_first_use_loads_the_real_module(heavy_package):
    import os

    defer(heavy_package)
    import ws_heavy_pkg as h  # noqa: PLC0415

    assert h.VALUE == 42
    assert os.environ["WS_HEAVY_RAN"] == "1"
    assert is_loaded(heavy_package)
    from ws_heavy_pkg import VALUE  # noqa: PLC0415 — the real module from now on

    assert VALUE == 42
    with pytest.raises(AttributeError):
        h.not_there  # noqa: B018


def test_submodule_of_a_deferred_package_imports(heavy_package):
    defer(heavy_package)
    from ws_heavy_pkg.sub import SUB  # noqa: PLC0415

    assert SUB == "sub"
    import ws_heavy_pkg  # noqa: PLC0415

    assert ws_heavy_pkg.VALUE == 42


def test_absent_or_already_imported_modules_are_left_alone():
    assert defer("ws_no_such_module_anywhere", "json") == []
    assert "ws_no_such_module_anywhere" not in sys.modules
    assert not isinstance(sys.modules["json"], DeferredModule)


def test_a_hidden_module_does_not_import_within_the_block_and_does_after(heavy_package):
    import os

    with hidden(heavy_package, "json") as names:
        assert names == [heavy_package]  # json is imported already: left alone
        with pytest.raises(ImportError):
            import ws_heavy_pkg  # noqa: F401, PLC0415
        import json  # noqa: F401, PLC0415
    assert "WS_HEAVY_RAN" not in os.environ
    import ws_heavy_pkg as h  # noqa: PLC0415

    assert h.VALUE == 42


def test_great_expectations_imports_without_scipy_stats_and_still_validates():
    """Guards the savings against a GX upgrade that starts using scipy.stats at import, or needs
    SQLAlchemy to import (a fresh interpreter: this test process may have imported both already).
    SQLAlchemy still imports afterwards, for whatever else needs it."""
    code = textwrap.dedent(
        """
        import polars as pl
        from whosaid.lazy_modules import is_loaded
        from whosaid.validate import GX_UNUSED_IMPORTS, import_gx
        gx = import_gx()
        ctx = gx.get_context(mode="ephemeral")
        batch = ctx.data_sources.add_pandas("p").add_dataframe_asset("t").add_batch_definition_whole_dataframe("w")
        df = pl.DataFrame({"a": [1, None]}).to_pandas()
        result = batch.get_batch(batch_parameters={"dataframe": df}).validate(
            gx.expectations.ExpectColumnValuesToNotBeNull(column="a"))
        assert not result.success, result
        import sys
        print(sorted(n for n in GX_UNUSED_IMPORTS if is_loaded(n)), "sqlalchemy" in sys.modules)
        import sqlalchemy
        print(sqlalchemy.__version__ > "")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-2:] == ["[] False", "True"], out.stdout + out.stderr


def test_prefect_stores_flow_parameters_without_loading_fastapi():
    """The CLI defers FastAPI (whosaid.cli.PREFECT_ENGINE_UNUSED_IMPORTS): Prefect's flow engine
    still encodes the parameters it stores with FastAPI's encoder, and the framework stays unloaded."""
    code = textwrap.dedent(
        """
        from whosaid.cli import PREFECT_ENGINE_UNUSED_IMPORTS
        from whosaid.lazy_modules import defer, is_loaded
        defer(*PREFECT_ENGINE_UNUSED_IMPORTS)
        from flows.etl import etl_flow
        from whosaid.settings import Settings
        stored = etl_flow.serialize_parameters({"inputs": ["a.txt"], "settings": Settings().with_(batch_size=7)})
        print(stored["inputs"], stored["settings"]["batch_size"], is_loaded("fastapi"))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "['a.txt'] 7 False", out.stdout + out.stderr
