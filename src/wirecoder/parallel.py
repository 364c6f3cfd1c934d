"""Every core: the pipeline over a stream of articles in worker processes.

``extract_stream(articles, workers=N)`` yields one :class:`ExtractionResult` per article, in
input order, whatever N is, so what a caller does with the results (print them, store them)
is the same as with one process:

* each worker process builds its :class:`Pipeline` (spaCy model, lexicon, actor dictionary,
  gazetteer) once, in the pool's initializer, and keeps it for every article it is sent;
* articles go out in chunks of ``chunk`` and at most ``window`` chunks are in flight, so the
  parent holds a bounded number of articles and results whatever the corpus size;
* results come back in submission order; the caller (the parent) is the only writer.

``ingest_stream(store, results)`` is that one writer: it stores results in input order, one
transaction per batch (``Store.add_many``), so a run killed mid-way keeps every batch it
committed and a re-run skips them (the store is keyed by the article's content hash).

``workers=1`` runs in this process, with no pool: the same code path for the results.
``outcomes`` (what ``ingest`` and ``extract`` run) with N workers starts N - 1 worker processes
and codes a chunk in this process whenever they all have theirs queued: this process also reads
and stores, and on N cores N busy processes run faster than N + 1 (measured on 2 cores: 34-36 s
against 36-39 s for 1,000 articles, ~7 CPU s less; docs/PERFORMANCE.md).
Worker processes start with the ``spawn`` method (no fork of a parent that holds threads,
open databases or a loaded model) and leave on their own when the parent dies.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from .schema import Article, ExtractionResult

CHUNK = 8          # articles per task: big enough to amortise the round trip, small for even load
WINDOW_PER_WORKER = 3   # chunks in flight per worker: keeps every worker busy, memory bounded
BATCH = 64         # articles per store transaction
MIN_PARALLEL = 2 * CHUNK   # fewer articles than this are coded in this process


def default_workers() -> int:
    """All the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def make_pipeline(triggers: Iterable[str | Path] = (), actors: Iterable[str | Path] = ()):
    """The pipeline of this process: the shared default one, or one with user word lists."""
    from .pipeline import Pipeline, default_pipeline

    triggers, actors = list(triggers), list(actors)
    if triggers or actors:
        return Pipeline.with_user_files(triggers, actors)
    return default_pipeline()


# --------------------------------------------------------------------------- worker side

_WORKER_PIPELINE = None


def _watch_parent(interval: float = 1.0) -> None:
    """Leave when the process that started this one is gone (killed parent: no orphans)."""
    parent = os.getppid()

    def watch():
        import time

        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="wirecoder-parent-watch", daemon=True).start()


def _init_worker(triggers: list[str], actors: list[str]) -> None:
    """Pool initializer: build this worker's pipeline (and load the spaCy model) once."""
    global _WORKER_PIPELINE
    _watch_parent()
    _WORKER_PIPELINE = make_pipeline(triggers, actors)
    _WORKER_PIPELINE.resources.nlp   # load the spaCy model now, once


def _extract_chunk(articles: list[Article]) -> list[ExtractionResult]:
    _WORKER_PIPELINE.prepare(articles)   # one parse batch for the chunk
    return [_WORKER_PIPELINE.extract(a) for a in articles]


# --------------------------------------------------------------------------- parent side


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def extract_stream(articles: Iterable[Article], *, workers: int | None = None, triggers=(), actors=(),
                   pipeline=None, chunk: int = CHUNK, window: int | None = None) -> Iterator[ExtractionResult]:
    """The pipeline's result for each article, in input order, using ``workers`` processes.

    ``articles`` is consumed lazily: at most ``window`` chunks of ``chunk`` articles are read
    ahead of the results handed out. ``pipeline`` (one process only) reuses a built pipeline."""
    workers = default_workers() if workers is None else max(1, int(workers))
    articles = iter(articles)
    head = list(islice(articles, MIN_PARALLEL)) if workers > 1 else []
    if workers == 1 or len(head) < MIN_PARALLEL:
        # one process, or so few articles that starting workers (a model load each) costs more
        pipe = pipeline or make_pipeline(triggers, actors)
        for part in _chunks(chain(head, articles), chunk):
            pipe.prepare(part)   # one parse batch per chunk: the same results, less parser overhead
            for art in part:
                yield pipe.extract(art)
        return
    articles = chain(head, articles)
    window = window or WINDOW_PER_WORKER * workers
    ctx = mp.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=([str(p) for p in triggers], [str(p) for p in actors]))
    pending: deque = deque()
    try:
        for part in _chunks(articles, chunk):
            pending.append(pool.submit(_extract_chunk, part))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class IngestTally:
    added: int = 0
    skipped: int = 0
    events: int = 0


def ingest_stream(store, results: Iterable[ExtractionResult], *, batch: int = BATCH,
                  on_batch: Callable[[int], None] | None = None) -> IngestTally:
    """Store results in order, ``batch`` articles per transaction (the one writer)."""
    tally = IngestTally()

    def flush(buf: list[ExtractionResult]) -> None:
        for res, added in zip(buf, store.add_many(buf)):
            if added:
                tally.added += 1
                tally.events += len(res.events)
            else:
                tally.skipped += 1
        if on_batch is not None:
            on_batch(len(buf))

    buf: list[ExtractionResult] = []
    for res in results:
        buf.append(res)
        if len(buf) >= batch:
            flush(buf)
            buf = []
    if buf:
        flush(buf)
    return tally


# --------------------------------------------------------------------------- the readers' outcome stream


class _Deferred:
    """Stands for a result still to be computed by a worker."""

    events = ()


def _code_chunk(pipe, articles: list[Article]) -> list:
    """One chunk through ``pipe``: the same per-record handling as one process
    (ingest.ingest_stream), the chunk parsed in one batch (as ``_one_process`` does)."""
    from .ingest import ingest_stream as _stream

    pipe.prepare(articles)   # one parse batch for the chunk
    return [o for a in articles for o in _stream([a], pipe.extract)]


def _code_outcomes(articles: list[Article]) -> list:
    """Worker side: a chunk through this worker's pipeline."""
    return _code_chunk(_WORKER_PIPELINE, articles)


def _one_process(items, pipe, *, seen, language, chunk: int):
    """``workers=1``: the same Outcomes, in order, with the articles to code parsed ``chunk`` at a
    time in one batch (:meth:`Pipeline.prepare`); skips, already-stored and other-language
    records are decided at read time as with workers."""
    from .ingest import ingest_stream as _stream

    held: list = []
    n_code = 0

    def run():
        pipe.prepare([o.article for o in held if isinstance(o.result, _Deferred)])
        for o in held:
            if isinstance(o.result, _Deferred):
                yield from _stream([o.article], pipe.extract)
            else:
                yield o
        held.clear()

    for o in _stream(items, lambda art: _Deferred(), seen=seen, language=language):
        if not isinstance(o.result, _Deferred) and not held:
            yield o
            continue
        held.append(o)
        n_code += isinstance(o.result, _Deferred)
        if n_code >= chunk:
            yield from run()
            n_code = 0
    yield from run()


def outcomes(items, pipe, *, workers: int | None = None, triggers=(), actors=(), seen=None, language=None,
             chunk: int = CHUNK, window: int | None = None):
    """``ingest.ingest_stream`` over ``workers`` processes: the same Outcomes in the same order.

    Skips, articles already stored (``seen``) and other languages are decided here, in input
    order; the articles to code go in chunks to ``workers - 1`` worker processes, each running
    ``ingest_stream`` on them (so a record the pipeline cannot code is skipped the same way), or,
    when every worker has its chunks queued, through ``ingest_stream`` here with ``pipe``."""
    from .ingest import ingest_stream as _stream

    workers = default_workers() if workers is None else max(1, int(workers))
    if workers == 1:
        yield from _one_process(items, pipe, seen=seen, language=language, chunk=chunk)
        return
    pre = _stream(items, lambda art: _Deferred(), seen=seen, language=language)
    head, pending_n = [], 0
    for o in pre:
        head.append(o)
        pending_n += isinstance(o.result, _Deferred)
        if pending_n >= MIN_PARALLEL:
            break
    else:   # so few articles that starting workers costs more: code them here
        for o in head:
            if isinstance(o.result, _Deferred):
                yield from _stream([o.article], pipe.extract)
            else:
                yield o
        return
    # N workers: N - 1 worker processes, and this process codes a chunk whenever they all have
    # theirs queued (it also reads and stores: on N cores, N processes and not N + 1)
    helpers = workers - 1
    window = window or WINDOW_PER_WORKER * helpers
    ctx = mp.get_context("spawn")
    pool = ProcessPoolExecutor(helpers, mp_context=ctx, initializer=_init_worker,
                               initargs=([str(p) for p in triggers], [str(p) for p in actors]))
    queue: deque = deque()   # (outcome or None, future or None) in input order
    cap = 4 * window * chunk  # entries held at most (outcomes coded here count one each)

    def in_flight() -> int:
        return sum(1 for _, f in queue if f is not None)

    def oldest():
        """The outcomes of the oldest entry, waiting for its chunk if a worker codes it."""
        o, fut = queue.popleft()
        if fut is None:
            yield o
        else:
            yield from fut.result()

    def ready():
        """What is done at the head of the queue, in order, without waiting."""
        while queue and (queue[0][1] is None or queue[0][1].done()):
            yield from oldest()

    def send(buf: list[Article]) -> None:
        if in_flight() >= window:    # every worker has its chunks: this process codes this one
            queue.extend((o, None) for o in _code_chunk(pipe, buf))
        else:
            queue.append((None, pool.submit(_code_outcomes, buf)))

    try:
        buf: list[Article] = []
        for o in chain(head, pre):
            if isinstance(o.result, _Deferred):
                buf.append(o.article)
                if len(buf) >= chunk:
                    send(buf)
                    buf = []
                    yield from ready()
                    while len(queue) > cap:   # what this process coded waits behind the workers' chunks:
                        yield from oldest()   # wait for the oldest (memory stays bounded)
            elif buf:
                send(buf)
                buf = []
                queue.append((o, None))
            else:
                queue.append((o, None))
        if buf:
            send(buf)
        while queue:
            yield from oldest()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
