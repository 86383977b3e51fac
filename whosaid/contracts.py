"""Table contracts: `schemas/<table>.yml` is the single place a table is described.

From one contract come the Polars schema (frames are cast to it before validation), the DuckDB DDL
and its COMMENTs, and the Great Expectations suite — so the docs BI users read, the types the loader
writes and the checks the validator runs cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from whosaid.settings import SCHEMAS_DIR

#: libyaml's loader when PyYAML was built with it: parsing the contracts with the pure-Python
#: loader took ~0.25 s of every run's start-up.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: DuckDB type → Polars dtype. Only these types are allowed in contracts.
POLARS_TYPES: dict[str, pl.DataType] = {
    "BIGINT": pl.Int64(),
    "INTEGER": pl.Int32(),
    "DOUBLE": pl.Float64(),
    "BOOLEAN": pl.Boolean(),
    "VARCHAR": pl.String(),
    "TIMESTAMP": pl.Datetime("us"),
    "DATE": pl.Date(),
}

#: Load order: parents before children (relationships point backwards).
TABLE_ORDER = (
    "etl_run",
    "dim_outlet",
    "dim_date",
    "dim_article",
    "article_uri",
    "dim_entity",
    "bridge_entity_affiliation",
    "fact_mention",
    "fact_quote",
    "fact_accusation",
    "fact_denial",
    "dq_result",
    "quarantine",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    nullable: bool = True
    tests: tuple[Any, ...] = ()
    #: How a re-load treats an existing row's value: "replace" (default) or "coalesce" (keep the
    #: stored value when the new one is null, e.g. a country code learned in an earlier article).
    upsert: str = "replace"

    @property
    def polars_dtype(self) -> pl.DataType:
        return POLARS_TYPES[self.type]

    def test_args(self, kind: str) -> Any | None:
        """The argument of test `kind` on this column (True for bare tests such as `unique`)."""
        for test in self.tests:
            if test == kind:
                return True
            if isinstance(test, dict) and kind in test:
                return test[kind]
        return None


@dataclass(frozen=True)
class Contract:
    name: str
    description: str
    grain: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    layer: str = ""
    natural_key: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def polars_schema(self) -> pl.Schema:
        return pl.Schema({c.name: c.polars_dtype for c in self.columns})

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    def empty_frame(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema)

    def conform(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Select the contract's columns in order, cast to its types; a missing column is an error."""
        missing = [c for c in self.column_names if c not in frame.columns]
        if missing:
            raise ValueError(f"{self.name}: frame lacks contract columns {missing}")
        return frame.select([pl.col(c.name).cast(c.polars_dtype, strict=True) for c in self.columns])

    # ---- DuckDB -------------------------------------------------------------------------------
    def create_table_sql(self) -> str:
        cols = [
            f"    {c.name} {c.type}{'' if c.nullable else ' NOT NULL'}" for c in self.columns
        ]
        cols.append(f"    PRIMARY KEY ({', '.join(self.primary_key)})")
        for nk in [self.natural_key] if self.natural_key else []:
            cols.append(f"    UNIQUE ({', '.join(nk)})")
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n" + ",\n".join(cols) + "\n);"

    def comment_sql(self) -> list[str]:
        stmts = [f"COMMENT ON TABLE {self.name} IS {sql_literal(self.table_comment)};"]
        stmts += [
            f"COMMENT ON COLUMN {self.name}.{c.name} IS {sql_literal(c.description)};"
            for c in self.columns
        ]
        return stmts

    @property
    def table_comment(self) -> str:
        return f"{self.description.strip()} Grain: {self.grain}."


def sql_literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _parse_contract(path: Path) -> Contract:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    if raw.get("name") != path.stem:
        raise ValueError(f"{path}: name {raw.get('name')!r} must equal the file name {path.stem!r}")
    columns = tuple(
        Column(
            name=c["name"],
            type=c["type"],
            description=c["description"],
            nullable=c.get("nullable", True),
            tests=tuple(c.get("tests", ())),
            upsert=c.get("upsert", "replace"),
        )
        for c in raw["columns"]
    )
    for c in columns:
        if c.type not in POLARS_TYPES:
            raise ValueError(f"{path}: column {c.name} has unsupported type {c.type}")
    return Contract(
        name=raw["name"],
        description=raw["description"],
        grain=raw["grain"],
        primary_key=tuple(raw["primary_key"]),
        columns=columns,
        layer=raw.get("layer", ""),
        natural_key=tuple(raw.get("natural_key", ())),
    )


@lru_cache(maxsize=1)
def load_contracts(directory: Path = SCHEMAS_DIR) -> dict[str, Contract]:
    contracts = {p.stem: _parse_contract(p) for p in sorted(directory.glob("*.yml"))}
    unknown = set(contracts) - set(TABLE_ORDER)
    missing = set(TABLE_ORDER) - set(contracts)
    if unknown or missing:
        raise ValueError(f"contracts and TABLE_ORDER disagree: unknown={unknown} missing={missing}")
    return {name: contracts[name] for name in TABLE_ORDER}


def contract(name: str) -> Contract:
    return load_contracts()[name]
