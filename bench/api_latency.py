"""HTTP API latency on a large store: filtered event lists, one event's detail, and a single-article
POST (extraction + dedup + store), over loopback against `wirecoder serve`'s app (uvicorn).

    .venv/bin/python bench/api_latency.py [--events 100000] [--db PATH_OR_URL] [--repeat 40]
                                          [--out bench/results/api_latency.json]

The store is built synthetically (events with real schema JSON, articles with text for the
full-text index) unless --reuse is given and it exists. Prints p50/p95 per request kind."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

COUNTRIES = [("NGA", "Borno", 11.8, 13.1), ("NGA", "Plateau", 9.9, 8.9), ("KEN", "Nairobi", -1.3, 36.8),
             ("SYR", "Aleppo", 36.2, 37.1), ("UKR", "Kharkivska oblast", 50.0, 36.2), ("MLI", "Gao", 16.3, 0.0),
             ("SOM", "Banaadir", 2.0, 45.3), ("MMR", "Sagaing", 22.0, 95.9), ("COL", "Cauca", 2.4, -76.6),
             ("MEX", "Guerrero", 17.5, -99.5), ("PAK", "Khyber Pakhtunkhwa", 34.0, 71.5), ("IRQ", "Anbar", 33.4, 43.3),
             ("YEM", "Taizz", 13.6, 44.0), ("SDN", "Khartoum", 15.6, 32.5), ("COD", "North Kivu", -1.7, 29.2),
             ("AFG", "Kabul", 34.5, 69.2), ("IND", "Manipur", 24.8, 93.9), ("BRA", "Rio de Janeiro", -22.9, -43.2),
             ("PHL", "Mindanao", 7.1, 125.6), ("ETH", "Amhara", 11.6, 37.4)]
TYPES = [("ASSAULT", "Violence against civilians", "Attack", 0.35), ("ASSAULT", "Battles", "Armed clash", 0.15),
         ("ASSAULT", "Explosions/Remote violence", "Air/drone strike", 0.1), ("PROTEST", "Protests",
         "Peaceful protest", 0.15), ("COERCE", "Strategic developments", "Arrests", 0.1),
         ("THREATEN", None, None, 0.05), ("ACCUSE", None, None, 0.05), ("AID", None, None, 0.05)]
WORDS = ("village market convoy checkpoint farmers students police army rebels drone strike protest fuel prices "
         "election court border refugees hospital school bridge mine pipeline harbour").split()


def vocabulary(rnd, n=20000):
    """Pseudo-words; articles draw them Zipf-like (a few common, most rare), as in news text."""
    letters = "abcdefghiklmnoprstuvwyz"
    return ["".join(rnd.choice(letters) for _ in range(rnd.randint(4, 9))) for _ in range(n)]


_VOCAB = vocabulary(random.Random(3))
_WEIGHTS = [1 / (i + 1) for i in range(len(_VOCAB))]


def build(url: str, n: int, seed: int = 7) -> None:
    import sqlalchemy as sa

    from wirecoder.schema import Actor, Count, DateRange, Event, Location
    from wirecoder.store import Store
    from wirecoder.store import tables as T

    rnd = random.Random(seed)
    store = Store(url)
    now = "2026-01-01T00:00:00+00:00"
    t0 = time.perf_counter()
    n_articles = max(1, n // 4)
    with store._write() as conn:
        arts, srcs = [], []
        for i in range(n_articles):
            text = " ".join(rnd.choices(_VOCAB, _WEIGHTS, k=60)) + " " + rnd.choice(WORDS) + f" report {i}."
            aid = f"a{i:08d}"
            pub = (dt.date(2019, 1, 1) + dt.timedelta(days=rnd.randrange(2190))).isoformat()
            arts.append(dict(id=aid, source=f"Outlet {i % 97}", title=f"Report {i}", published=pub, text=text,
                             clean_text=text, removed_json="[]", offsets_json='{"segments": []}', n_events=4,
                             ingested_at=now))
            srcs.append(dict(article_id=aid, source=f"Outlet {i % 97}", title=f"Report {i}", published=pub,
                             added_at=now))
            if len(arts) == 5000:
                conn.execute(T.articles.insert(), arts)
                conn.execute(T.article_sources.insert(), srcs)
                arts, srcs = [], []
        if arts:
            conn.execute(T.articles.insert(), arts)
            conn.execute(T.article_sources.insert(), srcs)
        rows, links, geo = [], [], []
        weights = [t[3] for t in TYPES]
        for i in range(n):
            iso, adm1, lat, lon = rnd.choice(COUNTRIES)
            pt, at, st, _ = rnd.choices(TYPES, weights)[0]
            day = dt.date(2019, 1, 1) + dt.timedelta(days=rnd.randrange(2190))
            lat += rnd.uniform(-1.5, 1.5)
            lon += rnd.uniform(-1.5, 1.5)
            killed = rnd.choice([None, None, 0, 1, 2, 3, 5, 8, 12, 20, 45])
            aid = f"a{i % n_articles:08d}"
            ev = Event(id=f"ev{i:08d}", plover_type=pt, acled_event_type=at, acled_sub_event_type=st, cameo="180",
                       actors=[Actor(text="gunmen", name=rnd.choice(["Unidentified armed group", "Military",
                                                                     "Police", "Protesters", "Rebels"]))],
                       recipients=[Actor(text="villagers", name="Civilians", sector="CVL")],
                       location=Location(text=adm1, name=f"Town {i % 500}", lat=lat, lon=lon, country=iso,
                                         admin1=adm1, precision=2),
                       date=DateRange(start=day, end=day), fatalities=killed,
                       counts=[Count(kind="killed", value=killed, text=str(killed))] if killed else [],
                       article_ids=[aid], sources=[f"Outlet {i % n_articles % 97}"], first_reported=day,
                       confidence=0.7)
            a1, a2, loc = ev.actor, ev.recipient, ev.location
            rows.append(dict(id=ev.id, seq=i + 1, plover_type=pt, plover_mode=None, acled_event_type=at,
                             acled_sub_event_type=st, cameo="180", actor1=a1.name, actor1_country=None,
                             actor1_sector=None, actor2=a2.name, actor2_country=None, actor2_sector="CVL",
                             location=loc.name, latitude=lat, longitude=lon, geonameid=None, country=iso, admin1=adm1,
                             geo_precision=2, date_start=day.isoformat(), date_end=day.isoformat(),
                             date_precision="day", date_inferred=0, fatalities=killed, injured=None, size=None,
                             source_count=1, confidence=0.7, json=ev.model_dump_json(), updated_at=now,
                             first_reported=day.isoformat(), last_reported=day.isoformat()))
            links.append(dict(event_id=ev.id, article_id=aid))
            geo.append((i + 1, ev.id, lat, lon))
            if len(rows) == 5000:
                _flush(conn, store, rows, links, geo)
                rows, links, geo = [], [], []
        if rows:
            _flush(conn, store, rows, links, geo)
    store.close()
    print(f"built {n:,} events, {n_articles:,} articles in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def _flush(conn, store, rows, links, geo):
    from wirecoder.store import tables as T

    conn.execute(T.events.insert(), rows)
    conn.execute(T.event_articles.insert(), links)
    if store.dialect == "sqlite":
        conn.exec_driver_sql("INSERT INTO events_geo SELECT rowid, ?, ?, ?, ? FROM events WHERE id = ?",
                             [(la, la, lo, lo, e) for _, e, la, lo in geo])


def percentile(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    f = int(k)
    return xs[f] if f + 1 >= len(xs) else xs[f] + (xs[f + 1] - xs[f]) * (k - f)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/wirecoder-bench-api.db")
    ap.add_argument("--reuse", action="store_true", help="reuse the store if it exists")
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--posts", type=int, default=12)
    ap.add_argument("--out", default=str(HERE / "results" / "api_latency.json"))
    a = ap.parse_args()

    import httpx
    import uvicorn

    from wirecoder.serve import create_app
    from wirecoder.store import Store

    if a.db.startswith("postgres"):
        if not a.reuse:
            import sqlalchemy as sa

            eng = sa.create_engine(a.db.replace("postgresql://", "postgresql+psycopg://", 1))
            with eng.begin() as c:
                c.execute(sa.text("DROP SCHEMA public CASCADE"))
                c.execute(sa.text("CREATE SCHEMA public"))
            eng.dispose()
            build(a.db, a.events)
            eng = sa.create_engine(a.db.replace("postgresql://", "postgresql+psycopg://", 1))
            with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(sa.text("VACUUM ANALYZE"))
            eng.dispose()
    else:
        p = Path(a.db)
        if not (a.reuse and p.exists()):
            for f in (p, Path(str(p) + "-wal"), Path(str(p) + "-shm")):
                f.unlink(missing_ok=True)
            build(a.db, a.events)
            import sqlite3

            con = sqlite3.connect(a.db)
            con.execute("ANALYZE")
            con.close()
    store = Store(a.db)
    n_events = store.counts()["events"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning"))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    rnd = random.Random(11)

    def month():
        d = dt.date(2019, 1, 1) + dt.timedelta(days=rnd.randrange(2150))
        return {"start": d.isoformat(), "end": (d + dt.timedelta(days=30)).isoformat()}

    def box():
        _, _, lat, lon = rnd.choice(COUNTRIES)
        return {"bbox": f"{lon - 1},{lat - 1},{lon + 1},{lat + 1}"}

    kinds = {
        "list, no filter (first page of 50)": lambda: {},
        "type + country": lambda: {"type": "ASSAULT", "country": rnd.choice(COUNTRIES)[0]},
        "one month": month,
        "bbox (2x2 degrees)": box,
        "min_fatalities 10, sorted by fatalities": lambda: {"min_fatalities": 10, "sort": "-fatalities"},
        "text search (q, a word of middling frequency)": lambda: {"q": rnd.choice(_VOCAB[200:2000])},
        "type + month + bbox": lambda: {"type": "ASSAULT", **month(), **box()},
        "country, page 20": lambda: {"country": rnd.choice(COUNTRIES)[0], "offset": 1000},
    }
    results = {}
    with httpx.Client(base_url=base, timeout=120) as c:
        c.get("/api/events")            # warm up
        for name, make in kinds.items():
            times = []
            for _ in range(a.repeat):
                params = make()
                t = time.perf_counter()
                r = c.get("/api/events", params=params)
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, r.text
            results[name] = times
        ids = [f"ev{rnd.randrange(n_events):08d}" for _ in range(a.repeat)]
        times = []
        for i in ids:
            t = time.perf_counter()
            r = c.get(f"/api/events/{i}")
            times.append((time.perf_counter() - t) * 1000)
        results["one event's detail"] = times
        times = []
        for name in ("month",):
            for _ in range(min(a.repeat, 20)):
                t = time.perf_counter()
                c.get("/api/counts", params={"interval": "month"})
                times.append((time.perf_counter() - t) * 1000)
        results["counts by month (whole store)"] = times
        docs = [json.loads(line) for line in (ROOT / "samples" / "sample-articles.jsonl").open(encoding="utf-8")]
        c.post("/api/articles", json={"text": "Police arrested two men in Kano on Monday.",
                                      "published": "2024-01-02"})     # loads the pipeline
        times = []
        for d in docs[: a.posts]:
            t = time.perf_counter()
            r = c.post("/api/articles", json={"text": d["text"], "source": d.get("source"),
                                              "published": d.get("published"), "title": d.get("title")})
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.text
        results["POST one article (extract + dedup + store)"] = times
    server.should_exit = True
    th.join(timeout=10)
    store.close()
    table = {k: {"n": len(v), "p50_ms": round(statistics.median(v), 1), "p95_ms": round(percentile(v, 95), 1),
                 "max_ms": round(max(v), 1)} for k, v in results.items()}
    print(f"{store.dialect}, {n_events:,} events")
    print(f"| request | n | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
    for k, v in table.items():
        print(f"| {k} | {v['n']} | {v['p50_ms']} | {v['p95_ms']} | {v['max_ms']} |")
    out = {"backend": store.dialect, "events": n_events, "machine": platform.machine(), "python": platform.python_version(),
           "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "results": table}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
