"""--workers N: the same store and output as one process, and an ingest killed mid-run (with two
workers) resumes without duplicates or losses."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from wirecoder.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "sample-articles.jsonl"


def make_corpus(path: Path, copies: int) -> int:
    """The sample articles, ``copies`` times, each copy a week later with its own sign-off (so each
    is a new article and many report events already stored: the store's merge is exercised)."""
    recs = [json.loads(line) for line in SAMPLES.read_text().splitlines() if line.strip()]
    n = 0
    with path.open("w") as f:
        for k in range(copies):
            for r in recs:
                pub = dt.date.fromisoformat(r["published"]) + dt.timedelta(days=7 * k)
                f.write(json.dumps({**r, "id": f"{r['id']}-{k}", "published": pub.isoformat(),
                                    "text": r["text"] + f"\n\nReporting by the {k + 1}th desk."}) + "\n")
                n += 1
    return n


def fingerprint(db) -> str:
    with Store(db) as s:
        return s.fingerprint()


# articles of other languages among the English ones (written for this test): with workers they
# must be set aside exactly as one process sets them aside, and counted the same
OTHER_LANGUAGES = [
    "La police a arrêté trois hommes mardi soir dans le centre de la ville, après une longue "
    "manifestation contre la hausse des loyers, selon un porte-parole de la préfecture.",
    "Los bomberos trabajaron durante toda la noche para apagar el incendio que destruyó dos "
    "almacenes en el puerto, informaron las autoridades municipales el miércoles.",
    "Die Stadtverwaltung hat am Donnerstag neue Regeln für den Verkehr in der Innenstadt "
    "vorgestellt, die ab dem kommenden Monat gelten sollen, teilte ein Sprecher mit.",
]


def test_workers_give_the_same_store_and_output(tmp_path, cli):
    corpus = tmp_path / "corpus.jsonl"
    make_corpus(corpus, 1)
    with corpus.open("a") as f:
        for i, text in enumerate(OTHER_LANGUAGES):
            f.write(json.dumps({"id": f"other-{i}", "published": "2024-03-0{}".format(i + 1), "text": text}) + "\n")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    r1 = cli("ingest", corpus, "--db", one, "--workers", "1")
    r2 = cli("ingest", corpus, "--db", two, "--workers", "2")
    assert r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr
    assert "30 article(s) stored" in r2.stderr
    assert "3 not English (" in r2.stderr and "fr: 1" in r2.stderr and "es: 1" in r2.stderr and "de: 1" in r2.stderr
    assert r1.stderr.replace(str(one), "X") == r2.stderr.replace(str(two), "X")
    assert fingerprint(one) == fingerprint(two)
    e1 = cli("extract", corpus, "--format", "jsonl", "-j", "1")
    e2 = cli("extract", corpus, "--format", "jsonl", "-j", "2")
    assert e1.returncode == 0 and e1.stdout and e1.stdout == e2.stdout


def test_extract_stream_keeps_order_and_bounds_read_ahead():
    from wirecoder.parallel import CHUNK, extract_stream
    from wirecoder.schema import Article

    texts = [json.loads(line)["text"] for line in SAMPLES.read_text().splitlines() if line.strip()]
    arts = [Article(id=Article.make_id(t), text=t, published=dt.date(2023, 3, 1)) for t in texts]
    read = []

    def feed():
        for a in arts:
            read.append(a.id)
            yield a

    out = []
    for res in extract_stream(feed(), workers=2, window=2):
        out.append(res.article.id)
        # never more than the window (2 chunks) plus the chunk being handed out read ahead
        assert len(read) - len(out) <= 3 * CHUNK
    assert out == [a.id for a in arts]


def test_killed_ingest_with_two_workers_resumes_without_duplicates(tmp_path, cli):
    corpus = tmp_path / "corpus.jsonl"
    n = make_corpus(corpus, 5)
    ref, db = tmp_path / "ref.db", tmp_path / "killed.db"
    exe = Path(sys.executable).with_name("wirecoder")
    proc = subprocess.Popen([str(exe), "ingest", str(corpus), "--db", str(db), "--workers", "2", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    stored = 0
    deadline = time.time() + 240
    try:
        while time.time() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    with Store(db) as s:
                        stored = s.counts()["articles"]
                except Exception:  # noqa: BLE001 - the database is being created
                    stored = 0
                if stored:
                    break
            time.sleep(0.1)
        assert proc.poll() is None, "ingest finished before it could be interrupted"
        helpers = psutil.Process(proc.pid).children(recursive=True)
        assert len(helpers) >= 2
        os.kill(proc.pid, signal.SIGKILL)   # the writer dies mid-run, between or inside a batch
        proc.wait()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    # the workers leave by themselves when their parent is gone
    gone, alive = psutil.wait_procs(helpers, timeout=20)
    for p in alive:
        p.kill()
    assert not alive, f"orphaned workers: {alive}"
    with Store(db) as s:
        partial = s.counts()["articles"]
    assert 0 < partial < n
    again = cli("ingest", corpus, "--db", db, "--workers", "2")
    assert again.returncode == 0, again.stderr
    assert f"{partial} already stored" in again.stderr
    full = cli("ingest", corpus, "--db", ref, "--workers", "2")
    assert full.returncode == 0, full.stderr
    with Store(db) as s:
        assert s.counts()["articles"] == n
    assert fingerprint(db) == fingerprint(ref)
