"""The store and the CLI end to end: idempotent ingest, resumable runs, bad input that
never corrupts what was stored, exports that pandas/QGIS-style readers open."""

import csv
import json
import sqlite3


from wirecoder.store import Store

A1 = ("Gunmen killed five villagers in an attack on a village near Maiduguri on Tuesday, "
      "a local official said.\n\nThe attackers also burned several houses.")
A2 = ("Police arrested 12 protesters in Nairobi on Monday after a march against rising food prices, "
      "a police spokesman said.")
A3 = ("Hundreds of students protested in Santiago on Friday, demanding lower tuition fees.")


def write_corpus(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    rows = [
        {"id": "a1", "published": "2024-03-06", "source": "Sahel Wire", "text": A1},
        {"id": "a2", "published": "2024-05-14", "source": "Rift Post", "text": A2},
        {"id": "a3", "published": "2024-06-08", "source": "Andes Daily", "text": A3},
    ]
    (d / "batch.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return d


def test_ingest_is_idempotent_and_resumable(tmp_path, cli):
    corpus = write_corpus(tmp_path)
    db = tmp_path / "w.db"
    r = cli("ingest", corpus, "--db", db, "-q")
    assert r.returncode == 0, r.stderr
    with Store(db) as s:
        before = s.fingerprint()
        n = s.counts()
    assert n["articles"] == 3 and n["events"] >= 3
    r = cli("ingest", corpus, "--db", db, "-q")
    assert r.returncode == 0 and "3 already stored" in r.stderr
    with Store(db) as s:
        assert s.fingerprint() == before


def test_interrupted_run_resumes_without_duplicates(tmp_path, pipeline):
    from wirecoder.ingest import read_file

    corpus = write_corpus(tmp_path)
    arts = read_file(corpus / "batch.jsonl")
    db = tmp_path / "w.db"
    with Store(db) as s:          # a run that stopped after the first article
        s.add(pipeline.extract(arts[0]))
    with Store(db) as s:          # the re-run
        added = [s.add(pipeline.extract(a)) for a in arts]
        assert added == [False, True, True]
        assert s.counts()["articles"] == 3
        ids = [e.id for e in s.events()]
        assert len(ids) == len(set(ids))


def test_bad_files_reported_and_store_untouched(tmp_path, cli):
    corpus = write_corpus(tmp_path)
    db = tmp_path / "w.db"
    assert cli("ingest", corpus, "--db", db, "-q").returncode == 0
    with Store(db) as s:
        before = {e.id: e.model_dump_json() for e in s.events()}
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(200)))
    (bad / "latin.txt").write_bytes("Caf\u00e9 workers protested.".encode("cp1252"))
    (bad / "broken.jsonl").write_text('{"text": "x"\n', encoding="utf-8")
    (bad / "ok.txt").write_text("Rebels attacked an army base near Goma on Sunday.", encoding="utf-8")
    r = cli("ingest", bad, "--db", db, "-q")
    assert r.returncode == 2   # partial: some files failed, one stored
    for name, problem in [("empty.txt", "empty file"), ("image.txt", "binary"), ("latin.txt", "UTF-8"),
                          ("broken.jsonl", "malformed JSON")]:
        assert name in r.stderr and problem in r.stderr, r.stderr
    with Store(db) as s:
        assert s.counts()["articles"] == 4
        after = {e.id: e.model_dump_json() for e in s.events()}
    assert all(after.get(k) == v for k, v in before.items())   # what was stored before is untouched
    r = cli("ingest", bad / "empty.txt", "--db", db, "-q")
    assert r.returncode == 1
    # a database that is not one
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    r = cli("ingest", corpus, "--db", junk, "-q")
    assert r.returncode != 0 and "junk.db" in r.stderr
    assert junk.read_bytes() == b"this is not sqlite" * 100


def test_extract_errors(tmp_path, cli):
    p = tmp_path / "a.txt"
    p.write_text(A2, encoding="utf-8")
    r = cli("extract", p, "--published", "not-a-date")
    assert r.returncode != 0 and "not-a-date" in r.stderr
    r = cli("extract", tmp_path / "missing.txt")
    assert r.returncode == 1 and "missing.txt: no such file" in r.stderr
    r = cli("extract", p, "--published", "2024-05-14", "--format", "csv")
    assert r.returncode == 0
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert any(row["plover_type"] == "COERCE" for row in rows)


def test_exports(tmp_path, cli):
    corpus = write_corpus(tmp_path)
    db = tmp_path / "w.db"
    cli("ingest", corpus, "--db", db, "-q")
    out = {}
    for fmt, name in [("jsonl", "e.jsonl"), ("csv", "e.csv"), ("acled-csv", "acled.csv"),
                      ("geojson", "e.geojson"), ("parquet", "e.parquet")]:
        r = cli("export", "--db", db, "--format", fmt, "-o", tmp_path / name)
        assert r.returncode == 0, r.stderr
        out[fmt] = tmp_path / name
    acled = list(csv.DictReader(out["acled-csv"].open(encoding="utf-8")))
    for col in ("event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "inter1",
                "country", "admin1", "location", "latitude", "longitude", "geo_precision", "fatalities", "notes"):
        assert col in acled[0]
    gj = json.loads(out["geojson"].read_text())
    assert gj["type"] == "FeatureCollection" and gj["features"]
    import pyarrow.parquet as pq

    t = pq.read_table(out["parquet"])
    assert t.num_rows == len(acled) and "latitude" in t.column_names
    lines = out["jsonl"].read_text().splitlines()
    assert len(lines) == t.num_rows and json.loads(lines[0])["id"]


def test_sqlite_has_geo_index(tmp_path, cli):
    corpus = write_corpus(tmp_path)
    db = tmp_path / "w.db"
    cli("ingest", corpus, "--db", db, "-q")
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM events_geo WHERE min_lat BETWEEN -60 AND 60").fetchone()[0]
    assert n >= 1


def test_help_everywhere(cli):
    for args in [(), ("extract",), ("ingest",), ("export",), ("summary",), ("eval",), ("eval", "events")]:
        r = cli(*args, "--help")
        assert r.returncode == 0 and "Usage" in r.stdout


REPORTS = [
    {"id": "r1", "published": "2024-04-10", "source": "Lake Post",
     "text": "Gunmen killed six farmers in an attack on a village near Jos on Tuesday, a local official said."},
    {"id": "r2", "published": "2024-04-11", "source": "Plateau Herald",
     "text": "Six farmers were shot dead near Jos late on Tuesday when armed men attacked their village, police said. "
             "A police spokesman put the death toll at eight."},
    {"id": "r3", "published": "2024-04-11", "source": "Coast Wire",
     "text": "Police arrested 40 protesters in Mombasa on Wednesday during a march against tax increases."},
]


def test_new_reports_merge_into_stored_events(tmp_path, pipeline):
    from wirecoder.schema import Article

    arts = [Article(id=Article.make_id(r["text"]), text=r["text"], source=r["source"],
                    published=__import__("datetime").date.fromisoformat(r["published"])) for r in REPORTS]
    db = tmp_path / "m.db"
    with Store(db) as s:
        for a in arts:
            s.add(pipeline.extract(a))
        events = list(s.events())
        attacks = [e for e in events if e.plover_type == "ASSAULT"]
        assert len(attacks) == 1, [(e.plover_type, e.location and e.location.name) for e in events]
        ev = attacks[0]
        assert sorted(ev.sources) == ["Lake Post", "Plateau Herald"] and len(ev.article_ids) == 2
        assert ev.fatalities == 6                        # the conservative figure across sources
        assert {c.value for c in ev.counts if c.kind == "killed"} >= {6, 8}   # each source's figure kept
        before = s.fingerprint()
        assert s.add(pipeline.extract(arts[1])) is False   # re-ingest changes nothing
        assert s.fingerprint() == before


def test_links_export(tmp_path, cli):
    p = tmp_path / "a.txt"
    p.write_text("Militants shelled an army post near Gao on Monday in retaliation for an air strike on their "
                 "base in Kidal last week, a military source said.", encoding="utf-8")
    db = tmp_path / "l.db"
    assert cli("ingest", p, "--db", db, "--published", "2024-02-14", "-q").returncode == 0
    r = cli("export", "--db", db, "--format", "links-csv")
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert rows and rows[0]["relation"] == "retaliation"


def test_reported_speech_stored_and_old_databases_migrate(tmp_path, pipeline):
    import datetime as dt

    from wirecoder.schema import Article

    from wirecoder.store.legacy_schema import SCHEMA_V1

    old = tmp_path / "old.db"
    con = sqlite3.connect(old)   # a database from before the `direct` column: its quotes table the old way
    con.executescript(SCHEMA_V1)
    con.execute("DROP TABLE quotes")
    con.execute("CREATE TABLE quotes (article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, "
                "start INTEGER NOT NULL, speaker TEXT, speaker_text TEXT, text TEXT, PRIMARY KEY (article_id, start))")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.commit()
    con.close()
    art = Article(id="r1", text=A1, published=dt.date(2024, 3, 6))
    with Store(old) as s:
        s.add(pipeline.extract(art))
        quotes = s.quotes()
    assert [(q.speaker, q.text, q.direct) for q in quotes] == [("local official", "Gunmen killed five villagers in "
                                                                "an attack on a village near Maiduguri on Tuesday",
                                                                False)]


def test_ingest_cli_on_both_backends(tmp_path, cli, store_url):
    """`wirecoder ingest --db URL` writes a PostgreSQL store too (the --db check only looks at a
    file path: it once refused postgresql:// URLs as a missing directory)."""
    corpus = write_corpus(tmp_path)
    r = cli("ingest", corpus, "--db", store_url, "-q")
    assert r.returncode == 0, r.stderr
    with Store(store_url) as s:
        assert s.counts()["articles"] == 3


def test_db_check_takes_urls():
    import click
    import pytest

    from wirecoder.cli import _check_db_for_writing

    _check_db_for_writing("postgresql://user@127.0.0.1:5432/events")   # nothing checked on disk
    _check_db_for_writing("postgresql+psycopg://user@127.0.0.1/events")
    with pytest.raises(click.ClickException, match="does not exist"):
        _check_db_for_writing("sqlite:////no/such/folder/events.db")
