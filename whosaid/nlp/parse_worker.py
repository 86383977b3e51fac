"""spaCy's parse in a process of its own, beside the extractors.

Why: with one spaCy process (``n_process=1``, the default) a run parsed a batch, then ran the
extractors over it on the same core, while the machine's other core idled. The extractors cost
about a sixth of a parse, all of it on the run's critical path. With the parse in a worker process
the main process extracts batch *k* while the worker parses batch *k+1*, with the same
ArticleExtractions. Measured: the full 923-article run 218.5-221.7 s instead of 237-240 s in
separate benches; interleaved in one process (bench/parse_worker_ab.py) 0.93-0.98 of parsing here,
less than the extractors' sixth because two busy processes slow each other on a 2-core machine.
It is still one spaCy process, as ``n_process=1`` promises: the second core runs whosaid's own work.

Why not a thread: the parse holds the GIL most of the time (a parse-ahead thread saved nothing in
the full bench and cost 15 s more CPU). Why a new interpreter, not a fork: a fork of the CLI starts
with all of the CLI's pages (GX, Prefect, pandas: counted again in the run's memory) and its
threads; a new one imports spaCy and loads the model, which takes about 2 s that the main process
spends parsing the first batch itself.

Docs come back as ``Doc.to_bytes`` without the tensor (the extractors never read it), and are
rebuilt on the main process's vocab: the same tokens, annotations and strings. A worker that dies
or fails on a batch costs nothing but speed: that batch and the rest are parsed in this process,
which raises spaCy's own error if the parse itself is at fault.
"""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from whosaid.memory import malloc_trim

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

#: what a batch is, on the main side: ``(body, article_key)`` pairs, as ``nlp.pipe(as_tuples=True)`` takes
Batch = list[tuple[str, str]]

#: batches sent ahead of the one the main process is extracting: one being parsed, one waiting
IN_FLIGHT = 2
#: Doc fields left out of what the worker sends back (the extractors never read the tensor)
DOC_EXCLUDE = ("tensor",)


class WorkerFailed(RuntimeError):
    """The worker's parse of a batch raised; the text says what."""


class WorkerGone(RuntimeError):
    """The worker process is no longer there (killed, crashed, out of memory)."""


def machine_has_spare_core() -> bool:
    """A worker only helps when the extractors get a core of their own (and where its pipes are
    plain file descriptors: not on Windows)."""
    if os.name == "nt":
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # macOS
        return (os.cpu_count() or 1) > 1


def serve(texts_in: Connection, docs_out: Connection, model_name: str) -> None:
    """The worker's loop: batches of texts in, their Docs' bytes out, until the input ends (the
    main process closed it, or died: either way its end of the pipe is closed)."""
    from whosaid.nlp.pipeline import fresh_enough

    while True:
        try:
            texts = texts_in.recv()
        except (EOFError, OSError):
            return
        try:
            nlp = fresh_enough(model_name)
            reply = ("docs", [doc.to_bytes(exclude=DOC_EXCLUDE) for doc in nlp.pipe(texts, batch_size=len(texts))])
        except Exception as exc:  # noqa: BLE001 - reported to the main process, which parses the batch itself
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            docs_out.send(reply)
        except OSError:  # the main process is gone
            return
        # the batch's memory back to the OS (1-3 ms a batch): a long article's parse takes a few
        # hundred MB for a moment, which should not stay resident while the worker waits (measured
        # after each batch of the x10 corpus's articles: back to 144-158 MB)
        malloc_trim()


class ParseWorker:
    """One worker process running the spaCy pipeline ``model_name`` over the batches it is sent,
    replying in the order they were sent.

    A plain ``python -m whosaid.nlp.parse_worker``, not a ``multiprocessing`` child: a spawned one
    imports the caller's ``__main__`` again, which runs a script without a ``__main__`` guard twice.
    Texts go to its stdin and Docs come back on its stdout (its prints go to stderr). The texts are
    written by a thread of their own: the worker's reply and this process's next batch are both
    larger than a pipe holds, and each side would otherwise wait for the other to read."""

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, model_name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        self._texts = Connection(os.dup(self._process.stdin.fileno()), readable=False)
        self._docs = Connection(os.dup(self._process.stdout.fileno()), writable=False)
        self._process.stdin.close()
        self._process.stdout.close()
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="whosaid-parse-feeder", daemon=True)
        self._writer.start()
        self.in_flight = 0

    @property
    def pid(self) -> int:
        return self._process.pid

    def alive(self) -> bool:
        return self._process.poll() is None

    def _write(self) -> None:
        while (texts := self._outbox.get()) is not None:
            try:
                self._texts.send(texts)
            except OSError:  # the worker is gone: receive() says so
                break
        self._texts.close()  # the worker reads the end of its input and exits

    def send(self, texts: list[str]) -> None:
        if not self.alive():
            raise WorkerGone(f"exit code {self._process.returncode}")
        self._outbox.put(texts)
        self.in_flight += 1

    def receive(self) -> list[bytes]:
        """The Docs' bytes of the oldest batch sent (blocks until the worker has them)."""
        try:
            kind, payload = self._docs.recv()
        except (EOFError, OSError) as exc:
            raise WorkerGone(f"exit code {self._process.wait(timeout=5)}") from exc
        self.in_flight -= 1
        if kind == "error":
            raise WorkerFailed(payload)
        return payload

    def close(self, timeout: float = 5.0) -> None:
        """End the worker's input; kill it if it is still busy (batches in flight) or has not
        exited within ``timeout``."""
        self._outbox.put(None)
        if self.in_flight:
            self._process.kill()
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=timeout)
        self._writer.join(timeout=timeout)
        self._docs.close()


class _Workers:
    """At most one worker per model in this process, lent to one caller at a time: a second
    concurrent caller (a thread) parses in its own thread, as it would without a worker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[str, ParseWorker] = {}
        self._lent: set[str] = set()

    def borrow(self, model_name: str) -> tuple[ParseWorker | None, bool]:
        """A worker for ``model_name`` and whether it was started just now (it is still loading
        its model), or ``None`` while another caller has it or when no process can be started."""
        with self._lock:
            if model_name in self._lent:
                return None, False
            worker = self._idle.pop(model_name, None)
            started = worker is None or not worker.alive()
            if started:
                try:
                    worker = ParseWorker(model_name)
                except Exception as exc:  # noqa: BLE001 - no process to be had: parse here
                    log.warning("could not start spaCy's parse worker (%s); parsing in this process", exc)
                    return None, False
            self._lent.add(model_name)
            return worker, started

    def give_back(self, worker: ParseWorker, usable: bool) -> None:
        with self._lock:
            self._lent.discard(worker.model_name)
            if usable and worker.in_flight == 0 and worker.alive():
                self._idle[worker.model_name] = worker
                return
        worker.close()

    def close_all(self) -> None:
        """Stop the idle workers (the end of a run: their memory goes back to the machine)."""
        with self._lock:
            idle, self._idle = list(self._idle.values()), {}
        for worker in idle:
            worker.close()


WORKERS = _Workers()


def close_workers() -> None:
    WORKERS.close_all()


def parsed_beside(batches: Iterable[Batch], nlp: Language, model_name: str) -> Iterator[tuple[Doc, str]]:
    """``(doc, key)`` for every ``(body, key)`` of ``batches``, in order, each batch parsed with
    ``nlp.pipe(batch, batch_size=len(batch))``: by a worker process, while this process goes on
    with the Docs already handed out. Input of one batch is parsed here (a process is not worth
    starting for it), and so is the first batch while a new worker loads its model."""
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    worker, started = (None, False)
    if second is not None and machine_has_spare_core():
        worker, started = WORKERS.borrow(model_name)
    if worker is None:
        yield from parsed_here(chain([first], [second] if second is not None else [], batches), nlp)
        return
    sent: deque[Batch] = deque()
    rest = chain([second], batches) if started else chain([first, second], batches)
    usable = False
    try:
        _send_ahead(worker, sent, rest)
        if started:
            yield from parsed_here([first], nlp)
        while sent:
            batch = sent.popleft()
            try:
                payload = worker.receive()
            except (WorkerGone, WorkerFailed) as exc:
                what = "failed on a batch" if isinstance(exc, WorkerFailed) else "stopped"
                log.warning("spaCy's parse worker %s (%s); parsing the rest in this process", what, exc)
                yield from parsed_here(chain([batch], sent, rest), nlp)
                return
            _send_ahead(worker, sent, rest)
            yield from _rebuilt(payload, batch, nlp)
            del payload
            malloc_trim()  # the batch's Docs, freed: this process mostly waits for the worker anyway
        usable = True
    finally:
        WORKERS.give_back(worker, usable)


def _send_ahead(worker: ParseWorker, sent: deque[Batch], rest: Iterator[Batch]) -> None:
    """Keep :data:`IN_FLIGHT` batches with the worker. A batch the worker could not be sent is
    still queued as sent: receiving it fails, and it is parsed here with the rest."""
    while len(sent) < IN_FLIGHT:
        batch = next(rest, None)
        if batch is None:
            return
        sent.append(batch)
        try:
            worker.send([body for body, _ in batch])
        except WorkerGone:
            return


def parsed_here(batches: Iterable[Batch], nlp: Language) -> Iterator[tuple[Doc, str]]:
    """``(doc, key)`` for every ``(body, key)`` of ``batches``, parsed in this process, one
    ``nlp.pipe`` per batch (as the worker does)."""
    for batch in batches:
        yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))


def _rebuilt(payload: list[bytes], batch: Batch, nlp: Language) -> Iterator[tuple[Doc, str]]:
    from spacy.tokens import Doc

    for doc_bytes, (_, key) in zip(payload, batch, strict=True):
        yield Doc(nlp.vocab).from_bytes(doc_bytes), key


def main(argv: list[str]) -> None:
    """``python -m whosaid.nlp.parse_worker MODEL``: serve batches on stdin/stdout until stdin ends."""
    texts_in = Connection(os.dup(0), writable=False)
    docs_out = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # anything printed goes to stderr, never into the Docs' stream
    serve(texts_in, docs_out, argv[0])


if __name__ == "__main__":
    main(sys.argv[1:])
