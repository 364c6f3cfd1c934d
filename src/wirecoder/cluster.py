"""Cluster mode on Dask: ``wirecoder run --cluster ADDRESS SHARDS... -o OUT_DIR``.

1. **Map.** One task per shard (a JSONL file, a Parquet file, or any file ``ingest`` reads). Each
   Dask worker builds the pipeline (spaCy model, lexicon, actors, gazetteer) once, when the
   :class:`PipelinePlugin` is registered with it, and codes every article of the shards it is
   given. A task writes two Parquet parts to ``OUT_DIR/parts/``: ``results-NNNNN.parquet`` (one
   row per article, in shard order, with the full extraction result as JSON, for the merge) and
   ``events-NNNNN.parquet`` (that shard's events, unmerged, in the export's flat columns).
2. **Merge.** The client reads the result parts in shard order and stores them, in order, through
   the store's own ``add_many`` (``parallel.ingest_stream``): duplicates across parts are fused by
   the very code that fuses them at ``ingest`` (``Store._place``: ``dedupe.cluster_reps`` over the
   stored reports near each new one, then ``dedupe.fuse_events``), so
   the store equals the one ``wirecoder ingest SHARDS...`` builds. That store is ``--db`` when
   given (it may already hold articles: those are skipped, as at ingest), else a temporary one.
3. **Out.** The store's events (duplicates fused) go to ``OUT_DIR/events.parquet``.

``ADDRESS`` is ``tcp://HOST:PORT`` of a running scheduler (``dask scheduler``; workers started
with ``dask worker ADDRESS --nthreads 1``) or ``local[N]``: a LocalCluster of N one-thread worker
processes on 127.0.0.1. Shards, word-list files and OUT_DIR must be on a file system that every
worker sees (one machine, NFS, ...): tasks send paths, not data.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .schema import Article, ExtractionResult

PLUGIN_NAME = "wirecoder-pipeline"
LOCAL_RE = re.compile(r"local(?:\[(\d+)\])?$")
ROWS_PER_GROUP = 64


class ClusterError(Exception):
    pass


# --------------------------------------------------------------------------- worker side

try:  # the base class only: the cluster mode needs distributed, the rest of wirecoder does not
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPluginBase
except ImportError:  # pragma: no cover
    _WorkerPluginBase = object


class PipelinePlugin(_WorkerPluginBase):
    """Builds the worker's pipeline once (loading the spaCy model) when the worker starts or
    when the plugin is registered, and hands it to every task on that worker."""

    name = PLUGIN_NAME

    def __init__(self, triggers=(), actors=()):
        self.triggers = [str(p) for p in triggers]
        self.actors = [str(p) for p in actors]
        self.pipeline = None
        self.lock = None

    def setup(self, worker=None):
        from .parallel import make_pipeline

        self.pipeline = make_pipeline(self.triggers, self.actors)
        self.lock = threading.Lock()   # a worker with several threads codes one article at a time
        self.pipeline.resources.nlp   # load the spaCy model now, once


def _worker_plugin() -> PipelinePlugin:
    from distributed import get_worker

    return get_worker().plugins[PLUGIN_NAME]


def read_shard(path: Path, *, published=None, source=None, encoding=None) -> list[Article]:
    """The articles of one shard: Parquet (columns text, title, published/date, source, url, id),
    else whatever ``ingest`` reads. Raises ingest.InputError naming the shard."""
    from .ingest import InputError, parse_date, read_file

    if path.suffix.lower() != ".parquet":
        return read_file(path, published=published, source=source, encoding=encoding)
    import pyarrow.parquet as pq

    try:
        rows = pq.read_table(path).to_pylist()
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds
        raise InputError(path, f"not a readable Parquet file ({exc})") from None
    out = []
    for n, rec in enumerate(rows, 1):
        where = f"{path}:{n}"
        body = rec.get("text") or rec.get("body") or rec.get("content")
        if not isinstance(body, str) or not body.strip():
            raise InputError(where, "record has no 'text'")
        body = body.replace("\r\n", "\n").replace("\r", "\n")
        pub = rec.get("published") or rec.get("date")
        pub = parse_date(pub if not hasattr(pub, "isoformat") else pub.isoformat(), what="published date",
                         path=where) or published
        out.append(Article(id=Article.make_id(body), text=body, title=rec.get("title"),
                           source=rec.get("source") or source, published=pub, url=rec.get("url"), path=where,
                           external_id=str(rec["id"]) if rec.get("id") is not None else None))
    return out


def code_shard(index: int, shard: str, out_dir: str, published=None, source=None, encoding=None) -> dict:
    """The task: code one shard on this worker, write its two Parquet parts, report counts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from . import export
    from .ingest import InputError

    plugin = _worker_plugin()
    parts = Path(out_dir) / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    try:
        articles = read_shard(Path(shard), published=published, source=source, encoding=encoding)
    except InputError as exc:
        return {"index": index, "shard": shard, "articles": 0, "events": 0, "error": str(exc)}
    schema = pa.schema([("seq", pa.int64()), ("article_id", pa.string()), ("n_events", pa.int64()),
                        ("result", pa.string())])
    results_path = parts / f"results-{index:05d}.parquet"
    tmp = results_path.with_suffix(".parquet.tmp")
    events = []
    with pq.ParquetWriter(tmp, schema) as writer:
        rows: list[dict] = []
        for seq, art in enumerate(articles):
            with plugin.lock:
                res = plugin.pipeline.extract(art)
            events.extend(res.events)
            rows.append({"seq": seq, "article_id": art.id, "n_events": len(res.events),
                         "result": res.model_dump_json()})
            if len(rows) >= ROWS_PER_GROUP:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    tmp.replace(results_path)
    export.write(events, "parquet", parts / f"events-{index:05d}.parquet")
    return {"index": index, "shard": shard, "articles": len(articles), "events": len(events), "error": None}


# --------------------------------------------------------------------------- client side


def connect(address: str):
    """A distributed Client for ``tcp://HOST:PORT`` or ``local[N]`` (and the LocalCluster to close)."""
    from distributed import Client, LocalCluster

    m = LOCAL_RE.match(address.strip())
    if m:
        n = int(m.group(1) or 0) or None
        from .parallel import default_workers

        cluster = LocalCluster(n_workers=n or default_workers(), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        return Client(cluster), cluster
    if not re.match(r"(tcp|tls|inproc|ucx)://", address):
        raise ClusterError(f"--cluster {address!r}: expected tcp://HOST:PORT or local[N]")
    try:
        return Client(address, timeout=15), None
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"--cluster {address}: cannot reach the Dask scheduler ({exc})") from None


def iter_results(out_dir: Path, indexes: list[int]) -> Iterator[ExtractionResult]:
    """The coded articles of the result parts, shard by shard, in order, a row group at a time."""
    import pyarrow.parquet as pq

    for i in indexes:
        pf = pq.ParquetFile(out_dir / "parts" / f"results-{i:05d}.parquet")
        for batch in pf.iter_batches(columns=["result"], batch_size=ROWS_PER_GROUP):
            for js in batch.column(0).to_pylist():
                yield ExtractionResult.model_validate_json(js)


@dataclass
class RunSummary:
    shards: int = 0
    articles: int = 0
    events_unmerged: int = 0
    added: int = 0
    skipped: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    totals: dict = field(default_factory=dict)


def run(shards: list[Path], out_dir: Path, *, cluster: str, db: str | Path | None = None, published=None,
        source=None, encoding=None, triggers=(), actors=()) -> RunSummary:
    """Map the pipeline over ``shards`` on the cluster, then merge into a store (see the module)."""
    from . import export
    from .parallel import ingest_stream
    from .store import Store

    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    shards = [Path(s).resolve() for s in shards]
    client, local = connect(cluster)
    try:
        client.register_plugin(PipelinePlugin(triggers, actors), name=PLUGIN_NAME)
        futures = [client.submit(code_shard, i, str(s), str(out_dir), published, source, encoding,
                                 pure=False, key=f"wirecoder-shard-{i:05d}-{s.name}")
                   for i, s in enumerate(shards)]
        reports = client.gather(futures)
    finally:
        client.close()
        if local is not None:
            local.close()
    summary = RunSummary(shards=len(shards))
    good = []
    for rep in sorted(reports, key=lambda r: r["index"]):
        if rep["error"]:
            summary.errors.append(rep["error"])
            continue
        good.append(rep["index"])
        summary.articles += rep["articles"]
        summary.events_unmerged += rep["events"]
    with tempfile.TemporaryDirectory(prefix="wirecoder-merge-") as tmp:
        store_path = Path(db) if db else Path(tmp) / "merge.db"
        with Store(store_path) as store:
            tally = ingest_stream(store, iter_results(out_dir, good))
            events = list(store.export_items())     # with each event's first and latest report, as `export`
            summary.totals = store.counts()
    summary.added, summary.skipped, summary.events = tally.added, tally.skipped, len(events)
    export.write(events, "parquet", out_dir / "events.parquet")
    (out_dir / "summary.json").write_text(json.dumps(summary.__dict__, indent=1) + "\n")
    return summary
