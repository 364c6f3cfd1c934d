"""The Dask cluster mode against a real scheduler and two real workers on loopback.

The fixture starts `dask scheduler` and two `dask worker` processes (the venv's own console
scripts) on 127.0.0.1 with free ports, and stops them after; CI needs nothing else."""

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from wirecoder.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "sample-articles.jsonl"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    from distributed import Client

    work = tmp_path_factory.mktemp("dask")
    port = free_port()
    addr = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ)
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=open(work / "scheduler.log", "w"),
                              env=env, start_new_session=True)]
    for i in range(2):
        procs.append(subprocess.Popen(
            [str(BIN / "dask"), "worker", addr, "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
             "--no-dashboard", "--name", f"wirecoder-test-{i}", "--local-directory", str(work / f"w{i}")],
            stdout=subprocess.DEVNULL, stderr=open(work / f"worker{i}.log", "w"), env=env, start_new_session=True))
    try:
        deadline = time.time() + 120
        client = None
        while client is None:
            try:
                client = Client(addr, timeout=5)
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        client.wait_for_workers(2, timeout=120)
        client.close()
        yield addr
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


def make_shards(folder: Path) -> list[Path]:
    """Three JSONL shards: the sample articles, and then the same reports re-published a day later
    with another sign-off (new articles reporting stored events: the merge across parts must fuse them)."""
    recs = [json.loads(line) for line in SAMPLES.read_text().splitlines() if line.strip()]
    rows = list(recs)
    for r in recs[:14]:
        pub = dt.date.fromisoformat(r["published"]) + dt.timedelta(days=1)
        rows.append({**r, "id": r["id"] + "-later", "published": pub.isoformat(), "source": "Other Wire",
                     "text": r["text"] + "\n\nAdditional reporting by our correspondent."})
    folder.mkdir()
    shards = []
    for k in range(3):
        p = folder / f"shard-{k}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in rows[k::3]))
        shards.append(p)
    return shards


def test_cluster_output_equals_single_process(tmp_path, scheduler, cli):
    shards = make_shards(tmp_path / "shards")
    single = tmp_path / "single.db"
    r = cli("ingest", *shards, "--db", single, "--workers", "1")
    assert r.returncode == 0, r.stderr
    out, db = tmp_path / "out", tmp_path / "cluster.db"
    r = cli("run", "--cluster", scheduler, *shards, "-o", out, "--db", db)
    assert r.returncode == 0, r.stderr
    assert "coded 44 article(s) in 3 of 3 shard(s)" in r.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["events"] < summary["events_unmerged"]   # duplicates across parts were fused
    with Store(single) as a, Store(db) as b:
        assert a.counts() == b.counts()
        assert a.fingerprint() == b.fingerprint()
    # the merged Parquet equals the single-process store's Parquet export
    ref = tmp_path / "single.parquet"
    r = cli("export", "--db", single, "--format", "parquet", "-o", ref)
    assert r.returncode == 0, r.stderr
    assert pq.read_table(out / "events.parquet").to_pylist() == pq.read_table(ref).to_pylist()
    parts = sorted(p.name for p in (out / "parts").iterdir())
    assert parts == [f"{k}-{i:05d}.parquet" for k in ("events", "results") for i in range(3)]
    # without --db the merge runs in a temporary store: same events
    out2 = tmp_path / "out2"
    r = cli("run", "--cluster", scheduler, *shards, "-o", out2)
    assert r.returncode == 0, r.stderr
    assert pq.read_table(out2 / "events.parquet").to_pylist() == pq.read_table(ref).to_pylist()


def test_cluster_bad_shard_is_reported_and_the_rest_is_coded(tmp_path, scheduler, cli):
    shards = make_shards(tmp_path / "shards")
    bad = tmp_path / "shards" / "bad.jsonl"
    bad.write_text('{"text": "Police arrested two men in Lagos on Monday."}\nnot json\n')
    pq_shard = tmp_path / "shards" / "extra.parquet"
    import pyarrow as pa

    text = "Soldiers shot dead three protesters in Kidal on Tuesday, residents said."
    pq.write_table(pa.Table.from_pylist([{"id": "p1", "text": text, "published": dt.date(2023, 5, 2),
                                          "source": "Parquet Wire"}]), pq_shard)
    out = tmp_path / "out"
    r = cli("run", "--cluster", scheduler, shards[0], bad, pq_shard, "-o", out)
    assert r.returncode == 2, r.stderr
    assert f"error: {bad}:2: malformed JSON" in r.stderr
    assert "in 2 of 3 shard(s)" in r.stderr
    rows = pq.read_table(out / "events.parquet").to_pylist()
    from wirecoder.schema import Article

    assert any(Article.make_id(text) in row["article_ids"] for row in rows)


def test_cluster_address_errors(tmp_path, cli):
    shards = make_shards(tmp_path / "shards")
    r = cli("run", "--cluster", "nonsense", shards[0], "-o", tmp_path / "out")
    assert r.returncode == 1 and "expected tcp://HOST:PORT or local[N]" in r.stderr
    r = cli("run", "--cluster", "tcp://127.0.0.1:9", shards[0], "-o", tmp_path / "out")   # nothing listens
    assert r.returncode == 1 and "cannot reach the Dask scheduler" in r.stderr
    r = cli("run", "--help")
    assert r.returncode == 0 and "--cluster" in r.stdout and "local[N]" in r.stdout
