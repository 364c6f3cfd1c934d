"""The HTTP API, the same suite on SQLite and PostgreSQL: filters, details, counts, exports,
POSTed articles, and a 4xx with a message for every bad request (never a 500)."""

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from wirecoder.serve import create_app
from wirecoder.store import Store


@pytest.fixture
def client(store_url, corpus_results, pipeline):
    store = Store(store_url)
    for r in corpus_results:
        store.add(r)
    with TestClient(create_app(store, pipeline=pipeline), raise_server_exceptions=False) as c:
        c.store = store
        yield c
    store.close()


def events(c, **params):
    r = c.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_list_filter_sort_page(client):
    allev = events(client, limit=500)
    assert allev["total"] == len(allev["events"]) >= 5
    dates = [e["date_start"] for e in allev["events"]]
    assert dates == sorted(dates)
    assaults = events(client, type="ASSAULT")
    assert assaults["total"] >= 2 and all(e["plover_type"] == "ASSAULT" for e in assaults["events"])
    two = events(client, type="ASSAULT,COERCE")
    assert two["total"] > assaults["total"]
    nga = events(client, country="NGA")
    assert nga["total"] >= 2 and {e["country"] for e in nga["events"]} == {"NGA"}
    ken = events(client, country="ken")          # case does not matter
    assert "Mombasa" in {e["location"] for e in ken["events"]} and {e["country"] for e in ken["events"]} == {"KEN"}
    box = events(client, bbox="2,4,15,14")      # Nigeria
    assert box["total"] >= 2 and all(2 <= e["longitude"] <= 15 and 4 <= e["latitude"] <= 14 for e in box["events"])
    assert events(client, bbox="170,-10,-170,10")["total"] == 0    # across the antimeridian: nothing there
    april = events(client, start="2024-04-01", end="2024-04-30")
    assert april["total"] >= 2 and all("2024-04-01" <= e["date_start"] <= "2024-04-30" for e in april["events"])
    killed = events(client, min_fatalities=6)
    assert killed["total"] >= 1 and all(e["fatalities"] >= 6 for e in killed["events"])
    farmers = events(client, q="farmers")      # text search over the articles
    assert farmers["total"] >= 1 and all(e["location"] == "Jos" for e in farmers["events"])
    assert events(client, q="tuition")["events"][0]["location"] == "Santiago"
    assert events(client, event_type="Protests|Battles")["total"] >= 1
    by_f = events(client, sort="-fatalities", limit=1)["events"][0]
    assert by_f["fatalities"] == max(e["fatalities"] or 0 for e in allev["events"])
    page1 = events(client, limit=2, offset=0)["events"]
    page2 = events(client, limit=2, offset=2)["events"]
    assert len(page1) == 2 and not {e["id"] for e in page1} & {e["id"] for e in page2}


def test_event_detail_sources_figures_evidence(client):
    jos = events(client, q="farmers")["events"][0]
    d = client.get(f"/api/events/{jos['id']}").json()
    assert {s["source"] for s in d["sources"]} == {"Lake Post", "Plateau Herald"}
    assert {s["url"] for s in d["sources"]} == {"https://lakepost.example/jos", "https://plateau.example/farmers"}
    killed = [c for c in d["event"]["counts"] if c["kind"] == "killed"]
    assert {c["value"] for c in killed} >= {6, 8} and any(c["claimed_by"] for c in killed)
    fields = {e["field"] for e in d["evidence"]}
    assert {"trigger", "location", "killed"} <= fields
    for s in d["evidence"]:       # every span is the very text of the article at those offsets
        art = client.get(f"/api/articles/{s['article_id']}").json()
        assert art["clean_text"][s["start"]:s["end"]] == s["text"]


def test_article_detail(client):
    ev = events(client, q="Maiduguri")["events"][0]
    d = client.get(f"/api/events/{ev['id']}").json()
    art = client.get(f"/api/articles/{d['sources'][0]['article_id']}").json()
    assert "Maiduguri" in art["clean_text"] and art["outlets"][0]["source"] == "Sahel Wire"
    assert "removed" in art and art["events"] and art["events"][0]["evidence"]
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/events/nope").status_code == 404


def test_counts(client):
    for interval in ("day", "week", "month"):
        r = client.get("/api/counts", params={"interval": interval})
        assert r.status_code == 200
        rows = r.json()["counts"]
        assert sum(x["count"] for x in rows) == events(client)["total"]
    months = client.get("/api/counts", params={"interval": "month", "type": "ASSAULT"}).json()["counts"]
    assert all(x["period"].endswith("-01") and x["plover_type"] == "ASSAULT" for x in months)


def test_exports(client):
    for fmt in ("jsonl", "csv", "acled-csv", "geojson", "parquet"):
        r = client.get("/api/export", params={"format": fmt, "country": "NGA"})
        assert r.status_code == 200, (fmt, r.text)
        assert r.content
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export", params={"format": "csv"}).text)))
    jos = [r for r in rows if r["location"] == "Jos"][0]
    assert jos["first_report_url"] == "https://lakepost.example/jos"
    assert jos["latest_report_url"] == "https://plateau.example/farmers" and jos["source_count"] == "2"
    gj = json.loads(client.get("/api/export", params={"format": "geojson", "country": "KEN"}).text)
    assert "Mombasa" in [f["properties"]["location"] for f in gj["features"]]
    assert {f["properties"]["country"] for f in gj["features"]} == {"KEN"}


def test_openapi(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/counts", "/api/export",
            "/api/articles"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


BAD_GETS = [
    ("/api/events", {"type": "EXPLODE"}, "unknown PLOVER type"),
    ("/api/events", {"start": "2021-13-01"}, "not a valid date"),
    ("/api/events", {"end": "yesterday"}, "not a date"),
    ("/api/events", {"start": "2024-05-01", "end": "2024-04-01"}, "after end"),
    ("/api/events", {"bbox": "0,0,181,10"}, "bbox"),
    ("/api/events", {"bbox": "0,10,5,0"}, "min_lat"),
    ("/api/events", {"bbox": "a,b,c,d"}, "four numbers"),
    ("/api/events", {"bbox": "1,2,3"}, "four numbers"),
    ("/api/events", {"limit": "100000"}, "limit"),
    ("/api/events", {"limit": "0"}, "limit"),
    ("/api/events", {"offset": "-1"}, "offset"),
    ("/api/events", {"limit": "ten"}, "limit"),
    ("/api/events", {"min_fatalities": "many"}, "whole number"),
    ("/api/events", {"min_fatalities": "-3"}, "min_fatalities"),
    ("/api/events", {"sort": "name; DROP TABLE events"}, "unknown key"),
    ("/api/events", {"country": "SYR' OR '1'='1"}, "ISO-3166"),
    ("/api/events", {"type": "ASSAULT' --"}, "unknown PLOVER type"),
    ("/api/events", {"event_type": "<script>alert(1)</script>"}, "unknown ACLED event type"),
    ("/api/events", {"actor": "x" * 500}, "at most 200"),
    ("/api/events", {"actor": "bad\x00byte"}, "control characters"),
    ("/api/events", {"q": "\x01"}, "control characters"),
    ("/api/counts", {"interval": "year"}, "interval"),
    ("/api/counts", {"by": "json"}, "by"),
    ("/api/export", {"format": "xlsx"}, "format"),
    ("/api/export", {"format": "csv", "country": "12"}, "ISO-3166"),
]


@pytest.mark.parametrize("path,params,message", BAD_GETS)
def test_bad_requests_get_4xx_with_message(client, path, params, message):
    before = client.store.fingerprint()
    r = client.get(path, params=params)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    assert message.lower() in r.json()["detail"].lower(), r.text
    assert client.store.fingerprint() == before


def test_odd_but_valid_params_are_not_errors(client):
    for params in ({"actor": "%"}, {"actor": "_"}, {"q": "\" OR * NEAR("}, {"q": "'; DROP TABLE articles; --"},
                   {"admin1": "Borno' --"}, {"q": "<script>"}):
        r = client.get("/api/events", params=params)
        assert r.status_code == 200, (params, r.text)
    assert events(client)["total"] >= 5


def test_post_article_extracts_and_merges(client):
    text = ("Gunmen killed five villagers in an attack on a village near Maiduguri on Tuesday, a local official "
            "said.\n\nThe attackers also burned several houses.")
    before = events(client)["total"]
    # the very text of a stored article, from another outlet: a source more, no new event
    r = client.post("/api/articles", json={"text": text, "source": "Borno Times", "published": "2024-03-07"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stored"] is False and body["new_outlet"] is True
    assert any("Borno Times" in e["sources"] for e in body["events"])
    assert events(client)["total"] == before
    # a new report of the Jos attack merges into the stored event
    r = client.post("/api/articles", json={
        "html": "<html><head><title>Jos toll</title></head><body><p>Armed men killed six farmers in a village near "
                "Jos on Tuesday, residents said.</p></body></html>",
        "source": "Jos Monitor", "published": "2024-04-12"})
    assert r.status_code == 200, r.text
    assert r.json()["stored"] is True
    jos = [e for e in events(client, q="farmers")["events"] if e["location"] == "Jos"]
    assert len(jos) == 1 and jos[0]["source_count"] == 3
    assert events(client)["total"] == before


BAD_POSTS = [
    (b"{not json", {"content-type": "application/json"}, 400, "not valid JSON"),
    (b'{"text": 5}', {"content-type": "application/json"}, 422, "text"),
    (b'{"text": "x", "published": "2024-02-30"}', {"content-type": "application/json"}, 422, "published"),
    (b'{"text": "x", "evil": 1}', {"content-type": "application/json"}, 422, "evil"),
    (b'{"title": "no text"}', {"content-type": "application/json"}, 422, "text"),
    (b'{"text": "   "}', {"content-type": "application/json"}, 422, "text"),
    (b'[1, 2]', {"content-type": "application/json"}, 422, "body"),
    (b"text=hello", {"content-type": "application/x-www-form-urlencoded"}, 415, "JSON"),
    (b"[" * 100000 + b"]" * 100000, {"content-type": "application/json"}, 400, "JSON"),
    (b'{"text": "' + b"a" * 5_100_000 + b'"}', {"content-type": "application/json"}, 413, "larger"),
    (b'{"text": "a\\u0000b"}', {"content-type": "application/json"}, 422, "NUL"),
]


@pytest.mark.parametrize("body,headers,status,message", BAD_POSTS, ids=range(len(BAD_POSTS)))
def test_bad_posts(client, body, headers, status, message):
    before = client.store.fingerprint()
    r = client.post("/api/articles", content=body, headers=headers)
    assert r.status_code == status, r.text[:300]
    assert message.lower() in r.json()["detail"].lower()
    assert client.store.fingerprint() == before


def test_read_only_store_refuses_posts(store_url, corpus_results, pipeline):
    with Store(store_url) as s:
        s.add(corpus_results[0])
    with Store(store_url, readonly=True) as ro:
        with TestClient(create_app(ro, pipeline=pipeline)) as c:
            assert c.get("/api/events").json()["total"] >= 1
            r = c.post("/api/articles", json={"text": "Police arrested two men in Kano on Monday."})
            assert r.status_code == 403 and "read-only" in r.json()["detail"]
