"""Exports analysts' scripts read: ACLED's conventions value by value, report provenance in every
flat export, the API's filters on `export`; `extract` JSON for several files, -o, stdin; summary."""

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wirecoder.store import Store

from conftest import CORPUS

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def db(tmp_path_factory, corpus_results):
    path = tmp_path_factory.mktemp("exp") / "e.db"
    with Store(path) as s:
        for r in corpus_results:
            s.add(r)
    return path


def test_acled_csv_conventions_and_analysis_script(db, tmp_path, cli):
    out = tmp_path / "acled.csv"
    r = cli("export", "--db", db, "--format", "acled-csv", "-o", out)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows
    evidence = set()
    with Store(db) as s:
        for ev in s.events():
            evidence.update(m.sentence_span.text for m in ev.mentions)
        n_acled = sum(1 for ev in s.events() if ev.acled_event_type and ev.date)
    assert len(rows) == n_acled                       # only events with an ACLED type, all dated
    for row in rows:
        assert re.fullmatch(r"[A-Z]{3}\d+", row["event_id_cnty"]), row["event_id_cnty"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["event_date"]) and row["year"] == row["event_date"][:4]
        assert row["time_precision"] in ("1", "2", "3") and row["geo_precision"] in ("1", "2", "3")
        assert row["iso"].isdigit() and row["region"] and row["country"]
        assert row["event_id_cnty"].startswith({"566": "NGA", "404": "KEN", "152": "CHL", "466": "MLI"}[row["iso"]])
        assert row["timestamp"].isdigit() and row["fatalities"].isdigit()
        assert row["notes"].startswith(("On ", "Around ")) and row["notes"] not in evidence
        assert row["source"] and row["first_report_published"] and int(row["source_count"]) >= 1
        assert row["disorder_type"] in ("Political violence", "Demonstrations", "Strategic developments",
                                        "Political violence; Demonstrations")
        if row["inter1"] and row["inter2"]:
            assert row["interaction"] == "".join(sorted(row["inter1"] + row["inter2"]))
    nga = [r for r in rows if r["iso"] == "566"]
    assert {r["region"] for r in nga} == {"Western Africa"} and {r["country"] for r in nga} == {"Nigeria"}
    assert any(r["actor1"].startswith("Unidentified Armed Group (") or r["actor2"] == "Civilians (Nigeria)" for r in nga)
    ken = [r for r in rows if r["iso"] == "404"]
    assert ken and all(r["region"] == "Eastern Africa" for r in ken)
    res = subprocess.run([sys.executable, str(DATA / "acled_analysis.py"), str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["events"] == len(rows) == summary["unique_ids"] and summary["coords"]
    assert any(k.startswith("Borno 2024-03") for k in summary["fatalities_by_admin1_month"])
    # --all adds the events without an ACLED type (still no undated row)
    r = cli("export", "--db", db, "--format", "acled-csv", "--all")
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) - 1 >= len(rows)


def test_export_filters(db, cli):
    def export(*args):
        r = cli("export", "--db", db, "--format", "csv", *args)
        assert r.returncode == 0, r.stderr
        return list(csv.DictReader(r.stdout.splitlines()))

    everything = export()
    assert {"first_report_url", "first_report_title", "first_report_published", "latest_report_url",
            "latest_report_published", "source_count"} <= set(everything[0])
    nga = export("--country", "NGA")
    assert nga and {r["country"] for r in nga} == {"NGA"} and len(nga) < len(everything)
    assert all(r["plover_type"] == "ASSAULT" for r in export("--type", "ASSAULT"))
    april = export("--since", "2024-04-01", "--until", "2024-04-30")
    assert april and all("2024-04-01" <= r["date_start"] <= "2024-04-30" for r in april)
    assert all(int(r["fatalities"]) >= 6 for r in export("--min-fatalities", "6"))
    box = export("--bbox", "2,4,15,14")
    assert box and all(r["country"] == "NGA" for r in box)
    # every bad value is checked by the filter parser the API shares (tests/test_api.py sends each);
    # here: that the CLI reports it as a usage error
    for bad, msg in ((("--type", "BOGUS"), "unknown PLOVER type"), (("--bbox", "1,2,3"), "four numbers")):
        r = cli("export", "--db", db, *bad)
        assert r.returncode == 2 and msg in r.stderr, r.stderr


def test_extract_json_array_jsonl_output_and_stdin(tmp_path, cli):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(CORPUS[2]["text"], encoding="utf-8")
    b.write_text(CORPUS[4]["text"], encoding="utf-8")
    r = cli("extract", a, b, "--published", "2024-06-08")
    assert r.returncode == 0, r.stderr
    docs = json.loads(r.stdout)
    assert isinstance(docs, list) and len(docs) == 2 and docs[0]["events"]
    r = cli("extract", a, b, "--published", "2024-06-08", "--format", "jsonl")
    assert [json.loads(line)["article"]["path"] for line in r.stdout.splitlines()] == [str(a), str(b)]
    out = tmp_path / "out.json"
    r = cli("extract", a, "--published", "2024-06-08", "-o", out)
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(out.read_text())["events"]
    r = cli("extract", "-", "--published", "2024-06-08", input=CORPUS[2]["text"])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["events"][0]["location"]["name"] == "Mombasa"
    r = cli("extract", "-", input="")
    assert r.returncode == 1 and "<stdin>: empty file" in r.stderr
