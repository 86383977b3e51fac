"""The parse in a worker process (whosaid.nlp.parse_worker): the same extractions as parsing in this
process, and nothing lost or left running when the worker dies, fails or is abandoned."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from whosaid.nlp import parse_worker
from whosaid.nlp.parse_worker import WORKERS, ParseWorker, parsed_beside
from whosaid.nlp.pipeline import extract_texts, load_nlp
from whosaid.settings import Settings

MODEL = Settings().spacy_model

needs_two_cores = pytest.mark.skipif(
    not parse_worker.machine_has_spare_core(), reason="the parse worker is used only with a second core"
)

#: hand-written news paragraphs: quotes with speakers, accusations, a denial, organisations
PARAGRAPHS = [
    'Senator Ann Lee accused the mayor of hiding the audit. "We will not stay silent," she told reporters.',
    "The mayor denied the charge on Tuesday, calling it a political stunt by the Lee campaign.",
    '"This is a witch hunt," said Governor Tom Reyes, who blamed Democrats for the delay.',
    "Beijing accused Washington of meddling in Hong Kong, a foreign ministry spokesman said.",
    "The union said the company had lied to workers about the closure of the plant in Ohio.",
    'According to police, the suspect fled. "He ran north," Officer Dana Cruz said.',
    "Critics charged that the agency ignored warnings. The agency declined to comment.",
]


def _pairs(seed_text: str) -> list[tuple[str, str]]:
    return [("seed", seed_text)] + [(f"p{i}", text) for i, text in enumerate(PARAGRAPHS)]


def _idle_worker() -> ParseWorker | None:
    return WORKERS._idle.get(MODEL)


@pytest.fixture
def here(seed_text):
    """What parsing in this process extracts: the reference every worker run must equal."""
    return list(extract_texts(_pairs(seed_text), MODEL, batch_size=2, batch_chars=0, parse_worker=False))


@needs_two_cores
def test_a_worker_extracts_exactly_what_parsing_here_does(seed_text, here):
    beside = list(extract_texts(_pairs(seed_text), MODEL, batch_size=2, batch_chars=0, parse_worker=True))
    assert beside == here
    assert sum(len(e.quotes) for e in here) >= 3  # the comparison is of real extractions
    worker = _idle_worker()
    assert worker is not None and worker.alive() and worker.pid != os.getpid()  # a worker did the parsing

    again = list(extract_texts(_pairs(seed_text), MODEL, batch_size=2, batch_chars=0, parse_worker=True))
    assert again == here
    assert _idle_worker() is worker  # the next call reuses it: no new process per batch of articles


def test_one_batch_is_parsed_here_without_a_worker(monkeypatch, seed_text):
    started = []
    monkeypatch.setattr(parse_worker, "ParseWorker", lambda name: started.append(name))
    WORKERS.close_all()
    out = list(extract_texts(_pairs(seed_text)[:2], MODEL, batch_size=16, parse_worker=True))
    assert [e.article_key for e in out] == ["seed", "p0"]
    assert started == []


def test_no_worker_when_it_is_turned_off(monkeypatch):
    monkeypatch.setenv("WHOSAID_PARSE_WORKER", "0")
    assert Settings().parse_worker is False
    monkeypatch.delenv("WHOSAID_PARSE_WORKER")
    assert Settings().parse_worker is True


@needs_two_cores
def test_a_worker_killed_mid_run_costs_only_speed(seed_text, here, caplog):
    """The worker is SIGKILLed after the first article: the rest are parsed here, nothing is lost."""
    out = []
    with caplog.at_level(logging.WARNING, logger="whosaid.nlp.parse_worker"):
        for extraction in extract_texts(_pairs(seed_text), MODEL, batch_size=2, batch_chars=0, parse_worker=True):
            if not out:
                [worker] = _workers_alive()  # the one lent to this call
                os.kill(worker.pid, signal.SIGKILL)
            out.append(extraction)
    assert out == here
    assert "parse worker stopped (exit code -9)" in caplog.text
    assert _idle_worker() is None  # the dead one is not lent again


def _workers_alive() -> list[ParseWorker]:
    """Workers this process started that are still running (the lent one included)."""
    import gc

    return [obj for obj in gc.get_objects() if isinstance(obj, ParseWorker) and obj.alive()]


@needs_two_cores
def test_a_caller_that_stops_early_leaves_no_busy_worker(seed_text, here):
    WORKERS.close_all()
    items = extract_texts(_pairs(seed_text), MODEL, batch_size=2, batch_chars=0, parse_worker=True)
    assert next(items) == here[0]
    busy = _workers_alive()
    assert len(busy) == 1
    items.close()  # batches were still in flight: that worker is stopped, not lent with stale replies
    busy[0]._process.wait(timeout=10)
    assert not busy[0].alive()
    assert list(extract_texts(_pairs(seed_text), MODEL, batch_size=2, batch_chars=0, parse_worker=True)) == here


@needs_two_cores
def test_a_batch_the_worker_cannot_parse_raises_spacys_own_error_here():
    nlp = load_nlp(MODEL)
    batches = [[("One sentence.", "a")], [("Two.", "b")], [(12345, "not text")]]
    with pytest.raises(ValueError, match="E1041"):  # spaCy: "Expected a string, Doc, or bytes as input"
        list(parsed_beside(batches, nlp, MODEL))
    with pytest.raises(ValueError, match="E1041"):  # the same error as without a worker
        list(nlp.pipe([12345]))


def test_a_worker_exits_when_its_input_ends():
    worker = ParseWorker(MODEL)
    worker.send(["A sentence to parse."])
    assert len(worker.receive()) == 1
    worker.close()
    assert worker._process.returncode == 0


def test_a_worker_exits_when_the_process_that_started_it_is_killed(tmp_path):
    """``kill -9`` of a run must not leave its worker behind: the worker sees its input end."""
    psutil = pytest.importorskip("psutil")
    script = textwrap.dedent(
        f"""
        import sys, time
        from whosaid.nlp.parse_worker import ParseWorker
        worker = ParseWorker({MODEL!r})
        worker.send(["Warm up."]); worker.receive()
        print(worker.pid, flush=True)
        time.sleep(600)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        worker_pid = int(parent.stdout.readline())
        assert psutil.pid_exists(worker_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _running(psutil, worker_pid):
            time.sleep(0.1)
        assert not _running(psutil, worker_pid)
    finally:
        parent.kill()


def _running(psutil, pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
