"""What a BI client sees across runs, with the engine BI tools bundle (README: "Connect a BI tool").

Run it with a *separate* Python that has the client stack, e.g. DuckDB 1.4 LTS as Superset would:

    uv venv /tmp/bi-venv && uv pip install --python /tmp/bi-venv/bin/python \
        "duckdb>=1.4,<1.5" duckdb-engine==0.17.0 sqlalchemy==2.0.41
    /tmp/bi-venv/bin/python bench/bi_client_check.py warehouse/whosaid.duckdb

It reads the warehouse through duckdb-engine read-only (reflection included), publishes two small runs
with this project's .venv in between, and prints what a Superset-style engine (a new connection per
query, NullPool) and a pooled client (a connection kept open, like Metabase's pool or DBeaver) see.
It publishes into the file you give it: point it at a copy if the data matters.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import sqlalchemy as sa
from sqlalchemy.pool import NullPool, QueuePool

ROOT = Path(__file__).resolve().parents[1]
PUBLISH = r"""
import sys
from datetime import datetime
from whosaid import normalize, stages
from whosaid.ingest import RawArticle, article_key
from whosaid.nlp.records import ArticleExtraction, Mention, Sentence
path, run_id, body = sys.argv[1:4]
key = article_key(body)
art = RawArticle(key, f"mem://{key}", body, "t", None, None, None, None, None, "txt", "mem")
ex = ArticleExtraction(key, [Sentence(0, 0, len(body))], [Mention(0, 0, 7, body[:7], "PERSON", 0)], n_tokens=5)
work = stages.open_run(path, {"run_id": run_id, "started_at": datetime.now(), "inputs": "bi_client_check",
                              "extractor_version": "bi_client_check", "spacy_model": "none"})
stages.load_run(str(work.path), normalize.build_frames([art], [ex], run_id, "none", "bi_client_check").tables, [], [])
stages.close_run(work, run_id, "completed", {}, None)
"""


def publish(path: str, run_id: str, body: str) -> None:
    subprocess.run([str(ROOT / ".venv/bin/python"), "-c", PUBLISH, path, run_id, body], check=True, cwd=ROOT)


def main(path: str) -> None:
    path = str(Path(path).resolve())
    url = f"duckdb:///{path}?access_mode=READ_ONLY"
    count = sa.text("SELECT count(*) FROM dim_article")
    superset = sa.create_engine(url, poolclass=NullPool)
    with superset.connect() as c:
        print(f"duckdb {duckdb.__version__}, SQLAlchemy {sa.__version__}: articles {c.execute(count).scalar()}")
    inspector = sa.inspect(superset)
    print(f"reflection: dim_article has {len(inspector.get_columns('dim_article'))} columns, {len(inspector.get_view_names())} views")
    publish(path, "bi-check-1", "Zed Roe said the budget was late.")
    with superset.connect() as c:
        print(f"new connection per query (Superset), after a run: {c.execute(count).scalar()}")
    pooled = sa.create_engine(url, poolclass=QueuePool, pool_size=1)
    held = pooled.connect()
    print(f"kept connection, before the next run: {held.execute(count).scalar()}")
    publish(path, "bi-check-2", "Ada Poe said the audit was done.")
    print(f"kept connection, after the run: {held.execute(count).scalar()}")
    with superset.connect() as c:
        print(f"new connection in the same process while one is kept: {c.execute(count).scalar()}")
    held.close()
    pooled.dispose()
    with superset.connect() as c:
        print(f"new connection once every connection is closed: {c.execute(count).scalar()}")


if __name__ == "__main__":
    main(sys.argv[1])
