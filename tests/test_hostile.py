"""Hostile input, faults and abuse (issue 16): one test per case, each checking the exit
code, the message, and that the store is unchanged where nothing should change.
docs/RELIABILITY.md lists every case with the test that shows it."""

from __future__ import annotations

import contextlib
import csv
import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wirecoder.store import Store

GOOD = [
    {"id": "g1", "published": "2024-03-06", "source": "Sahel Wire",
     "text": "Gunmen killed five villagers in an attack on a village near Maiduguri on Tuesday, a local official said."},
    {"id": "g2", "published": "2024-05-14", "source": "=HYPERLINK(\"http://evil.example\",\"Rift Post\")",
     "text": "Police arrested 12 protesters in Nairobi on Monday after a march against food prices."},
]
MORE = {"id": "m1", "published": "2024-06-08", "source": "Andes Daily",
        "text": "Hundreds of students protested in Santiago on Friday, demanding lower tuition fees."}


def jsonl(rows) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def fingerprint(db: Path) -> str:
    with Store(db) as s:
        return s.fingerprint()


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    """A store with two articles, made once; each test copies it."""
    from conftest import run_cli

    d = tmp_path_factory.mktemp("base")
    (d / "good.jsonl").write_text(jsonl(GOOD), encoding="utf-8")
    db = d / "base.db"
    r = run_cli("ingest", d / "good.jsonl", "--db", db, "-q")
    assert r.returncode == 0, r.stderr
    with Store(db) as s:     # fold the WAL in, so that one file is the whole store
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture
def db(base_db, tmp_path):
    p = tmp_path / "w.db"
    p.write_bytes(base_db.read_bytes())
    return p


def no_traceback(r):
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr


# ------------------------------------------------------------------ export -o

def test_export_refuses_to_overwrite_the_database(db, cli):
    before, raw = fingerprint(db), db.read_bytes()
    r = cli("export", "--db", db, "--format", "csv", "-o", db)
    assert r.returncode == 1 and "refusing to overwrite the database" in r.stderr
    no_traceback(r)
    r = cli("export", "--db", db, "--format", "csv", "-o", db, "--force")     # not even with --force
    assert r.returncode == 1 and db.read_bytes() == raw and fingerprint(db) == before


def test_export_refuses_any_sqlite_file(db, tmp_path, cli):
    other = tmp_path / "other.db"
    other.write_bytes(db.read_bytes())
    r = cli("export", "--db", db, "-o", other, "--force")
    assert r.returncode == 1 and "is a SQLite database" in r.stderr and other.read_bytes() == db.read_bytes()


def test_export_refuses_fifo_device_symlink_directory(db, tmp_path, cli):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = tmp_path / "target.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    for out, what in [(fifo, "is a FIFO"), ("/dev/null", "is a device"), (link, "is a symbolic link"),
                      (tmp_path, "is a directory")]:
        r = subprocess.run([str(Path(sys.executable).with_name("wirecoder")), "export", "--db", str(db), "--format",
                            "csv", "-o", str(out), "--force"], capture_output=True, text=True, timeout=120)
        assert r.returncode == 1 and what in r.stderr, (out, r.stderr)
        no_traceback(r)
    assert target.read_text() == "keep me" and link.is_symlink() and Path(fifo).exists()


def test_export_existing_file_needs_force_and_leaves_no_temp(db, tmp_path, cli):
    out = tmp_path / "events.csv"
    out.write_text("old\n", encoding="utf-8")
    r = cli("export", "--db", db, "--format", "csv", "-o", out)
    assert r.returncode == 1 and "already exists; pass --force" in r.stderr and out.read_text() == "old\n"
    r = cli("export", "--db", db, "--format", "csv", "-o", out, "--force")
    assert r.returncode == 0 and out.read_text().startswith("event_id,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv", "w.db"]     # no .tmp left behind


def test_export_missing_directory(db, tmp_path, cli):
    r = cli("export", "--db", db, "--format", "csv", "-o", tmp_path / "nope" / "x.csv")
    assert r.returncode == 1 and "does not exist" in r.stderr
    no_traceback(r)


@contextlib.contextmanager
def tmpfs(path: Path, size: str, *, ro: bool = False):
    path.mkdir(exist_ok=True)
    opts = f"size={size}" + (",ro" if ro else "")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True)
    if r.returncode:
        pytest.skip("cannot mount a tmpfs here (needs root): " + r.stderr.decode()[:100])
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_export_read_only_directory(db, tmp_path, cli):
    with tmpfs(tmp_path / "ro", "64k", ro=True) as ro:
        r = cli("export", "--db", db, "--format", "csv", "-o", ro / "x.csv")
        assert r.returncode == 1 and ("not writable" in r.stderr or "cannot create" in r.stderr), r.stderr
        no_traceback(r)


def test_export_disk_full(db, tmp_path, cli):
    with tmpfs(tmp_path / "full", "64k") as full:
        (full / "old.csv").write_text("old\n", encoding="utf-8")
        with contextlib.suppress(OSError):
            with open(full / "filler", "wb") as f:
                while True:
                    f.write(b"x" * 1024)
                    f.flush()
        r = cli("export", "--db", db, "--format", "jsonl", "-o", full / "old.csv", "--force")
        assert r.returncode == 1 and "disk full" in r.stderr, r.stderr
        no_traceback(r)
        assert (full / "old.csv").read_text() == "old\n"                   # the old file is intact
        assert sorted(p.name for p in full.iterdir()) == ["filler", "old.csv"]   # no temp file left


def test_write_atomic_cleans_up_on_failure(tmp_path):
    from wirecoder.export import OutputError, write_atomic

    out = tmp_path / "x.csv"
    out.write_text("old", encoding="utf-8")

    def boom(f):
        f.write("partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError, match="disk full"):
        write_atomic(out, boom)
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_ingest_disk_full_keeps_what_was_stored(base_db, tmp_path, cli):
    with tmpfs(tmp_path / "full", "1m") as full:
        db = full / "w.db"
        db.write_bytes(base_db.read_bytes())
        before = fingerprint(db)
        with contextlib.suppress(OSError):
            with open(full / "filler", "wb") as f:
                while True:
                    f.write(b"x" * 4096)
                    f.flush()
        src = tmp_path / "more.jsonl"
        src.write_text(jsonl([MORE]), encoding="utf-8")
        r = cli("ingest", src, "--db", db, "-q")
        assert r.returncode == 1 and ("disk full" in r.stderr or "not a usable" in r.stderr or
                                      "cannot write" in r.stderr), r.stderr
        no_traceback(r)
        (full / "filler").unlink()
        assert fingerprint(db) == before


def test_export_to_closed_pipe(db):
    exe = str(Path(sys.executable).with_name("wirecoder"))
    p = subprocess.Popen(f"'{exe}' export --db '{db}' --format jsonl | head -c 1", shell=True,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err


# ------------------------------------------------------------------ CSV formula injection

def test_csv_formula_cells_neutralised(db, tmp_path, cli):
    r = cli("export", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(r.stdout.splitlines()))
    src = [row["sources"] for row in rows if "HYPERLINK" in row["sources"]]
    assert src and all(s.startswith("'=") for s in src)
    r = cli("export", "--db", db, "--format", "acled-csv")
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert any(row["source"].startswith("'=HYPERLINK") for row in rows)
    assert all(not str(v).startswith(("=", "+", "@", "\t", "\r")) for row in rows for v in row.values())
    assert any(row["longitude"] and float(row["longitude"]) == float(row["longitude"]) for row in rows)  # numbers stay
    r = cli("export", "--db", db, "--format", "csv", "--no-formula-escape")
    assert any(row["sources"].startswith("=HYPERLINK") for row in csv.DictReader(r.stdout.splitlines()))


def test_neutralise_rules():
    from wirecoder.export import neutralise

    for bad in ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(bad) == "'" + bad
    for ok in ["Police", "", None, -3.5, 12, "a=b"]:
        assert neutralise(ok) == ok


# ------------------------------------------------------------------ --published and dates

@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "0000-01-01", "2021-02-26garbage", "2021-02-30",
                                   "26/02/2021", ""])
def test_published_option_validated(db, tmp_path, cli, value):
    before = fingerprint(db)
    src = tmp_path / "a.txt"
    src.write_text(MORE["text"], encoding="utf-8")
    r = cli("ingest", src, "--db", db, "-q", "--published", value)
    if value == "":
        assert r.returncode == 0       # empty: not given
        return
    assert r.returncode == 2 and "--published" in r.stderr and (value in r.stderr or "out of range" in r.stderr)
    no_traceback(r)
    assert fingerprint(db) == before


def test_rss_one_bad_item_date_keeps_the_feed(db, tmp_path, cli):
    from readers_fixtures import RSS

    p = tmp_path / "feed.rss"
    p.write_text(RSS, encoding="utf-8")
    r = cli("ingest", p, "--db", db, "-q")
    assert r.returncode == 2
    assert f"{p}#item2: bad item date" in r.stderr and "year 0000" in r.stderr
    assert "2 article(s) stored" in r.stderr and "bad date: 1" in r.stderr and "no text: 1" in r.stderr


# ------------------------------------------------------------------ --db

@pytest.mark.parametrize("value", ["", ":memory:", "file::memory:?cache=shared"])
def test_ingest_refuses_in_memory_or_empty_db(tmp_path, cli, value):
    src = tmp_path / "a.txt"
    src.write_text(MORE["text"], encoding="utf-8")
    r = cli("ingest", src, "--db", value, "-q", cwd=tmp_path)
    assert r.returncode == 1 and "keeps nothing" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


# ------------------------------------------------------------------ inputs that hang or eat memory

def test_fifo_dev_zero_sparse_file(db, tmp_path, cli):
    before = fingerprint(db)
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    sparse = tmp_path / "huge.txt"
    with open(sparse, "wb") as f:
        f.truncate(50 * 1024 ** 3)           # 50 GB, no blocks
    ok = tmp_path / "ok.txt"
    ok.write_text(MORE["text"], encoding="utf-8")
    t0 = time.monotonic()
    r = subprocess.run([str(Path(sys.executable).with_name("wirecoder")), "ingest", str(fifo), "/dev/zero",
                        str(sparse), str(ok), "--db", str(db), "-q"], capture_output=True, text=True, timeout=300)
    assert time.monotonic() - t0 < 300
    assert r.returncode == 2, r.stderr
    assert f"{fifo}: not a regular file (a FIFO" in r.stderr
    assert "/dev/zero: not a regular file (a character device" in r.stderr
    assert f"{sparse}: too large: 53,687,091,200 bytes" in r.stderr
    assert "1 article(s) stored" in r.stderr
    no_traceback(r)
    assert fingerprint(db) != before     # the good file was stored; nothing else


def test_zip_bomb_is_cut_at_the_limit(tmp_path):
    import io
    import zipfile

    from wirecoder.readers import read_paths

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.txt", b"a " * 4_000_000)       # 8 MB of text in a few KB
    (tmp_path / "bomb.zip").write_bytes(buf.getvalue())
    import gzip

    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a " * 4_000_000))
    items = list(read_paths([tmp_path]))
    assert [i.kind for i in items] == ["too large", "too large"]


# ------------------------------------------------------------------ one bad record never aborts a run

def test_bad_jsonl_records_each_skipped_rest_stored(db, tmp_path, cli):
    before = fingerprint(db)
    rows = [
        {"id": "n1", "source": 12345, "text": "Troops clashed with rebels near Goma on Monday, the army said."},
        '{"id": "s1", "text": "Police arrested \\ud800 two men in Lagos on Friday, a police spokesman said."}',
        '{"id": ' + "9" * 5000 + ', "text": "Rebels attacked a village."}',
        "[" * 100_000 + "]" * 100_000,
        {"id": "deep", "text": "x", "extra": json.loads("[" * 60 + "]" * 60)},
        {"id": "t2", "text": ["not", "a", "string"]},
        {"id": "d1", "text": "Soldiers arrested three suspects in Kano on Wednesday.", "published": {"y": 2021}},
        {"id": "big", "text": "word " * 420_000},      # over the 2,000,000-character limit per article
        MORE,
    ]
    p = tmp_path / "bad.jsonl"
    p.write_text(jsonl(rows), encoding="utf-8")
    r = cli("ingest", p, "--db", db, "-q")
    no_traceback(r)
    assert r.returncode == 2, r.stderr
    assert f"{p}:3: malformed JSON: Exceeds the limit (4300 digits)" in r.stderr
    assert f"{p}:4: malformed JSON: nested more than 64 levels deep" in r.stderr
    assert f"{p}:6: text field is a list, not a string" in r.stderr
    assert f"{p}:7: unparseable published date" in r.stderr
    assert f"{p}:8: article too long: 2,100,000 characters" in r.stderr
    assert "4 article(s) stored" in r.stderr     # n1 (source as text), s1 (surrogate dropped), deep, MORE
    with Store(db) as s:
        texts = {row[0]: row[1] for row in s.db.execute("SELECT external_id, source FROM articles")}
    assert texts["n1"] == "12345" and "s1" in texts and "m1" in texts
    assert fingerprint(db) != before


def test_html_unclosed_nav_and_title_keep_the_article(db, tmp_path, cli):
    body = "Troops clashed with rebels near Goma on Monday, killing four fighters, a military spokesman said."
    (tmp_path / "nav.html").write_text(f"<html><body><nav><a href='/'>Home</a><p>{body}</p></body></html>",
                                       encoding="utf-8")
    (tmp_path / "title.html").write_text(f"<html><head><title>Goma clash<body><p>{body} Again.</p>",
                                         encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><head><title>Nothing</title></head><body></body></html>",
                                         encoding="utf-8")
    r = cli("ingest", tmp_path / "nav.html", tmp_path / "title.html", tmp_path / "empty.html", "--db", db, "-q")
    assert r.returncode == 2 and "2 article(s) stored" in r.stderr
    assert f"{tmp_path / 'empty.html'}: no text in HTML page" in r.stderr


def test_pipeline_limit_is_a_per_record_error(monkeypatch, pipeline):
    import wirecoder.limits as limits
    from wirecoder.ingest import ingest_stream
    from wirecoder.readers import Options
    from wirecoder.readers.base import make_article

    monkeypatch.setattr(limits, "MAX_SENTENCES", 3)
    many = " ".join(f"Police arrested {n} men in Lagos on Friday." for n in range(2, 9))
    arts = [make_article(many, "many.txt", Options()), make_article(MORE["text"], "ok.txt", Options())]
    out = list(ingest_stream(arts, pipeline.extract))
    assert [o.status for o in out] == ["skipped", "stored"]
    assert out[0].kind == "over a limit" and "more than 3 sentences" in out[0].reason


def test_long_paragraph_parsed_in_pieces(pipeline):
    from wirecoder.analyse import _pieces
    from wirecoder.limits import MAX_PARSE_CHARS

    line = " ".join(["soldiers attacked the village"] * 3000)             # 90 KB, no punctuation
    pieces = list(_pieces(0, line, MAX_PARSE_CHARS))
    assert all(len(t) <= MAX_PARSE_CHARS for _, t in pieces)
    assert "".join(t for _, t in pieces) == line and [s for s, _ in pieces][0] == 0
    starts = [s for s, _ in pieces]
    assert all(line[s:s + 8] == t[:8] for s, (_, t) in zip(starts, pieces))


# ------------------------------------------------------------------ evidence maps back to the input

@pytest.mark.parametrize("bom,eol", [(True, "\r\n"), (False, "\r\n"), (True, "\n"), (False, "\r")])
def test_evidence_offsets_map_to_the_original_file(tmp_path, pipeline, bom, eol):
    from wirecoder.ingest import read_file

    text = ("KABUL, Afghanistan (Reuters) - Gunmen attacked a checkpoint in Kunduz on Monday, killing\n"
            "three police officers, a provincial spokesman said.\n\n"
            "Photo: a checkpoint (Picture: Reuters)\n\n"
            "Police arrested two suspects in Kunduz later on Monday, the\ninterior ministry said.\n\n"
            "The Taliban denied involvement in the attack, a spokesman said.\n")
    raw = ("\ufeff" if bom else "") + text.replace("\n", eol)
    p = tmp_path / "a.txt"
    p.write_bytes(raw.encode("utf-8"))
    original = p.read_bytes().decode("utf-8")          # the bytes the user gave, decoded
    art = read_file(p, published=__import__("datetime").date(2024, 5, 6))[0]
    res = pipeline.extract(art)
    spans = []
    for e in res.events:
        for m in e.mentions:
            spans += [m.trigger, m.sentence_span]
    assert len(spans) >= 4
    off = res.clean.offsets
    for sp in spans:
        a, b = off.to_original(sp.start), off.to_original(sp.end, end=True)
        # the same characters; a hard-wrapped line break is a space in the cleaned text
        assert original[a:b].replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ") == sp.text, \
            (sp, original[a:b])
        assert original[a] == sp.text[0] and original[b - 1] == sp.text[-1]
