# whosaid — two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
WAREHOUSE ?= warehouse/whosaid.duckdb
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export PREFECT_LOGGING_LEVEL ?= WARNING
export DO_NOT_TRACK ?= 1

.PHONY: run test install lock bench eval clean serve train-cues train-boundaries train-source-boundaries

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps -e .
	touch $@

install: $(BIN)/.installed

## make run: set up .venv, run the ETL on seeds/articles/, print who accused whom
run: install
	$(BIN)/whosaid run --input seeds/articles --warehouse $(WAREHOUSE)

## make serve: schedule the ETL (cron CRON over SERVE_INPUT) on the Prefect server at PREFECT_API_URL
## (start one first: `.venv/bin/prefect server start`) and execute its runs until Ctrl-C
SERVE_INPUT ?= seeds/articles
CRON ?= */30 * * * *
serve: export PREFECT_API_URL ?= http://127.0.0.1:4200/api
serve: install
	$(BIN)/whosaid serve $(foreach i,$(SERVE_INPUT),--input $(i)) --cron "$(CRON)" --warehouse $(WAREHOUSE)

## make test: the whole suite (corpus tests skip without ../shared)
test: install
	$(BIN)/python -m pytest -q tests

## make lock: re-resolve pinned versions after editing pyproject.toml
lock:
	test -x $(BIN)/uv || ( $(PY) -m venv $(VENV) && $(BIN)/python -m pip install --quiet uv )
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet -o requirements.lock

## make train-cues: re-learn the quote cue lexicon and context model from PolNeAR train/
## (writes seeds/lexicons/speech_cues.csv and cue_nouns.csv; ~10 min of parsing, cached in warehouse/)
POLNEAR ?= ../shared/corpora/polnear
train-cues: install
	$(BIN)/python bench/mine_cues.py $(POLNEAR)/train --write-lexicons --cache warehouse/polnear-train.spacy

## make train-boundaries: re-learn the content-boundary chooser from PolNeAR train/
## (writes seeds/lexicons/boundary_model.csv; reuses the parsed train cache of train-cues)
train-boundaries: install
	$(BIN)/python bench/train_boundaries.py $(POLNEAR)/train --write --doc-cache warehouse/polnear-train.spacy

## make train-source-boundaries: re-learn the source (speaker-phrase) boundary chooser from PolNeAR train/
## (writes seeds/lexicons/source_boundary_model.csv; same cache)
train-source-boundaries: install
	$(BIN)/python bench/train_boundaries.py $(POLNEAR)/train --target source --l2 1 --write --doc-cache warehouse/polnear-train.spacy

bench: install
	$(BIN)/python bench/run_bench.py

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.wal
