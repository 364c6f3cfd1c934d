"""The store under faults and concurrency (issue 16's store bullets): two concurrent writers,
read-only media, a store from a newer wirecoder, streaming summary/export, one text from several
outlets, and a store written by wirecoder 0.1 (before Alembic). Each checks the exit code, the
message, and that the store is unchanged where nothing should change."""

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from wirecoder.store import HEAD, Store

from conftest import CORPUS

DATA = Path(__file__).parent / "data"
V1 = DATA / "store-v1.db"


def file_digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_two_concurrent_ingests_of_the_same_files(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", CORPUS)
    db = tmp_path / "w.db"
    exe = Path(sys.executable).with_name("wirecoder")
    procs = [subprocess.Popen([str(exe), "ingest", str(corpus), "--db", str(db), "-q"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "IntegrityError" not in err and "Traceback" not in err
    with Store(db) as s:
        assert s.counts()["articles"] == len(CORPUS)
        ids = [e.id for e in s.events()]
        assert len(ids) == len(set(ids))
        before = s.fingerprint()
    r = subprocess.run([str(exe), "ingest", str(corpus), "--db", str(db), "-q"], capture_output=True, text=True)
    assert r.returncode == 0 and f"{len(CORPUS)} already stored" in r.stderr
    with Store(db) as s:
        assert s.fingerprint() == before


def test_concurrent_writers_in_one_process(tmp_path, corpus_results):
    """Threads adding the same results through separate Store objects: each article once."""
    import threading

    db = tmp_path / "t.db"
    Store(db).close()
    errors = []

    def worker():
        try:
            with Store(db) as s:
                for r in corpus_results:
                    s.add(r)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Store(db) as s:
        assert s.counts()["articles"] == len(corpus_results)


def _ro_run(tmp_path, db_name, *args):
    """Run `wirecoder ARGS` with tmp_path/ro mounted read-only (a private mount namespace)."""
    src = tmp_path / "ro"
    exe = Path(sys.executable).with_name("wirecoder")
    cmd = " ".join(["mount --bind", str(src), str(src), "&& mount -o remount,ro,bind", str(src), "&&",
                    str(exe), *[f"'{a}'" for a in args]])
    return subprocess.run(["unshare", "-m", "sh", "-c", cmd], capture_output=True, text=True)


def _can_mount_ro(tmp_path) -> bool:
    d = tmp_path / "probe"
    d.mkdir()
    if shutil.which("unshare") is None:
        return False
    r = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind {d} {d} && mount -o remount,ro,bind {d} && "
                        f"! touch {d}/x 2>/dev/null"], capture_output=True)
    return r.returncode == 0


def test_store_on_read_only_media(tmp_path, corpus_results):
    if not _can_mount_ro(tmp_path):
        pytest.skip("needs root (unshare -m and a read-only bind mount) to make read-only media")
    ro = tmp_path / "ro"
    ro.mkdir()
    db = ro / "w.db"
    with Store(db) as s:
        for r in corpus_results:
            s.add(r)
        before = s.fingerprint()
    digest = file_digest(db)
    r = _ro_run(tmp_path, "w.db", "summary", "--db", str(db), "--limit", "3")
    assert r.returncode == 0, r.stderr
    assert "events" in r.stdout and "showing the first 3" in r.stdout
    r = _ro_run(tmp_path, "w.db", "export", "--db", str(db), "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("\n") >= 4
    r = _ro_run(tmp_path, "w.db", "ingest", str(tmp_path / "none.txt"), "--db", str(db), "-q")
    assert r.returncode != 0
    assert file_digest(db) == digest
    with Store(db) as s:
        assert s.fingerprint() == before


def test_read_only_open_never_writes(tmp_path, corpus_results):
    db = tmp_path / "w.db"
    with Store(db) as s:
        s.add(corpus_results[0])
    digest = file_digest(db)
    with Store(db, readonly=True) as s:
        assert s.counts()["articles"] == 1
        with pytest.raises(Exception, match="read-only"):
            s.add(corpus_results[1])
    assert file_digest(db) == digest


def test_newer_schema_is_refused(tmp_path, cli, corpus_results):
    db = tmp_path / "new.db"
    with Store(db) as s:
        s.add(corpus_results[0])
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.commit()
    con.close()
    digest = file_digest(db)
    for args in (("summary", "--db", db), ("export", "--db", db), ("ingest", tmp_path, "--db", db, "-q")):
        r = cli(*args)
        assert r.returncode == 1, (args, r.stderr)
        assert "newer wirecoder" in r.stderr and "Traceback" not in r.stderr
    assert file_digest(db) == digest


def test_not_a_database_and_empty_names(tmp_path, cli):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 64)
    digest = file_digest(junk)
    r = cli("summary", "--db", junk)
    assert r.returncode == 1 and "junk.db" in r.stderr and "not a usable" in r.stderr
    assert file_digest(junk) == digest
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    digest = file_digest(other)
    r = cli("summary", "--db", other)
    assert r.returncode == 1 and "not a wirecoder database" in r.stderr
    assert file_digest(other) == digest
    (tmp_path / "a.txt").write_text("Police arrested two men in Kano on Monday.", encoding="utf-8")
    for db in ("", ":memory:"):
        r = cli("ingest", tmp_path / "a.txt", "--db", db, "-q")
        assert r.returncode != 0 and "keeps nothing" in r.stderr
    r = cli("summary", "--db", tmp_path / "missing.db")
    assert r.returncode == 1 and "no such database" in r.stderr
    assert not (tmp_path / "missing.db").exists()


def _synthetic_store(path, n):
    """n stored events (no pipeline), to measure what reads cost."""
    import datetime as dt

    from wirecoder.schema import DateRange, Event, Location

    s = Store(path)
    with s._write() as conn:
        for i in range(n):
            day = dt.date(2020, 1, 1) + dt.timedelta(days=i % 1500)
            ev = Event(id=f"e{i:07d}", plover_type="ASSAULT" if i % 3 else "PROTEST", article_ids=[f"a{i}"],
                       sources=[f"Outlet {i % 7}"], date=DateRange(start=day, end=day),
                       location=Location(text="X", name=f"Town {i % 50}", lat=10 + i % 7, lon=20 + i % 5,
                                         country="NGA", admin1="Borno"),
                       notes="x" * 400)
            s._put_event(conn, ev, "2024-01-01T00:00:00+00:00")
    return s


def test_summary_and_export_stream(tmp_path):
    """summary --limit 5 reads 5 rows (a LIMIT query, no JSON decoding); export memory does not grow
    with the store (peak for 2,000 events within 2x that for 400, plus 2 MB)."""
    import tracemalloc

    import sqlalchemy as sa

    from wirecoder import export

    s = _synthetic_store(tmp_path / "big.db", 2000)
    seen = []
    sa.event.listen(s.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    rows = list(s.rows(columns=["date_start", "plover_type"], limit=5))
    assert len(rows) == 5 and any("LIMIT" in q for q in seen) and not any("json" in q for q in seen)

    def peak(n):
        tracemalloc.start()
        export.write(s.export_items(), "csv", tmp_path / f"out{n}.csv") if n == 2000 else export.write(
            s.export_items(limit_filter(n)), "csv", tmp_path / f"out{n}.csv")
        _, p = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return p

    def limit_filter(n):
        from wirecoder.store import EventFilter

        return EventFilter.parse(end="2020-07-18" if n == 200 else None)

    small = peak(200)     # 400 events
    big = peak(2000)
    assert (tmp_path / "out200.csv").read_text().count("\n") == 401     # days 0-199 of each 1,500-day cycle
    assert (tmp_path / "out2000.csv").read_text().count("\n") == 2001
    assert big < 2 * small + 2_000_000, (small, big)
    s.close()


def test_summary_cli_truncates_with_notice(tmp_path, cli):
    s = _synthetic_store(tmp_path / "big.db", 300)
    s.close()
    r = cli("summary", "--db", tmp_path / "big.db", "--limit", "5")
    assert r.returncode == 0, r.stderr
    assert "showing the first 5 of 300 events" in r.stdout
    assert len([ln for ln in r.stdout.splitlines() if ln.startswith("2020-")]) == 5


def test_summary_cuts_names_at_word_boundaries():
    from wirecoder.cli import _cut

    assert _cut("Military Forces of the Democratic Republic of Congo", 24) == "Military Forces of the\u2026"
    assert _cut("Short name", 24) == "Short name"
    assert len(_cut("Averyveryveryverylongsinglewordname", 10)) == 10


def test_same_text_from_several_outlets(tmp_path, cli):
    text = CORPUS[0]["text"]
    rows = [{"id": "x1", "published": "2024-04-10", "source": "Lake Post", "url": "https://a.example/1", "text": text},
            {"id": "x2", "published": "2024-04-11", "source": "Wire Echo", "url": "https://b.example/2", "text": text}]
    corpus = write_jsonl(tmp_path / "dup.jsonl", rows)
    db = tmp_path / "w.db"
    r = cli("ingest", corpus, "--db", db, "-q")
    assert r.returncode == 0, r.stderr
    with Store(db) as s:
        assert s.counts()["articles"] == 1
        outlets = s.article_sources()
        (aid, outs), = outlets.items()
        assert {o["source"] for o in outs} == {"Lake Post", "Wire Echo"}
        evs = list(s.events())
        assert evs and all(set(e.sources) == {"Lake Post", "Wire Echo"} for e in evs)
        assert all(str(e.last_reported) == "2024-04-11" for e in evs)
        before = s.fingerprint()
    r = cli("ingest", corpus, "--db", db, "-q")
    assert r.returncode == 0 and "2 already stored" in r.stderr
    with Store(db) as s:
        assert s.fingerprint() == before
    r = cli("export", "--db", db, "--format", "csv")
    row = r.stdout.splitlines()[1]
    assert "https://a.example/1" in row and "https://b.example/2" in row


def test_store_of_todays_schema_opens_and_upgrades(tmp_path, corpus_results):
    """tests/data/store-v1.db was written by wirecoder 0.1's store (schema 1, before Alembic)."""
    db = tmp_path / "v1.db"
    shutil.copy(V1, db)
    con = sqlite3.connect(db)
    old_events = dict(con.execute("SELECT id, json FROM events"))
    old_counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "events", "links", "quotes")}
    con.close()
    with Store(db) as s:
        assert s.counts() == old_counts
        from wirecoder.schema import Event

        # the same events (read through today's schema, which may have gained fields with defaults)
        assert {e.id: e.model_dump_json() for e in s.events()} == {
            k: Event.model_validate_json(v).model_dump_json() for k, v in old_events.items()}
        assert s.list_events(limit=1)[0] == old_counts["events"]
        # and it takes new articles, merging reports of stored events
        assert s.add(corpus_results[4])          # Santiago: not in the old store
        assert s.counts()["articles"] == old_counts["articles"] + 1
    con = sqlite3.connect(db)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    assert con.execute("SELECT count(*) FROM article_sources").fetchone()[0] == old_counts["articles"] + 1
    con.close()


def test_head_is_alembics_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from wirecoder.store.base import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD
