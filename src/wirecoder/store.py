"""Store stage: SQLite (JSON1, FTS5, R*Tree). One transaction per article, keyed by the
article's content hash, so re-ingesting changes nothing and an interrupted run resumes
without duplicates."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from .schema import Event, EventLink, ExtractionResult, Quote

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, external_id TEXT, path TEXT, source TEXT, title TEXT, published TEXT, url TEXT,
    text TEXT NOT NULL, clean_text TEXT NOT NULL, removed_json TEXT, offsets_json TEXT,
    n_events INTEGER, ingested_at TEXT
);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, plover_type TEXT, plover_mode TEXT, acled_event_type TEXT, acled_sub_event_type TEXT,
    cameo TEXT, actor1 TEXT, actor1_country TEXT, actor1_sector TEXT, actor2 TEXT, actor2_country TEXT,
    actor2_sector TEXT, location TEXT, latitude REAL, longitude REAL, geonameid INTEGER, country TEXT, admin1 TEXT,
    geo_precision INTEGER, date_start TEXT, date_end TEXT, date_precision TEXT, date_inferred INTEGER,
    fatalities INTEGER, injured INTEGER, size INTEGER, source_count INTEGER, confidence REAL,
    json TEXT NOT NULL, updated_at TEXT
);
CREATE INDEX IF NOT EXISTS events_date ON events(date_start);
CREATE INDEX IF NOT EXISTS events_type ON events(plover_type, country);
CREATE TABLE IF NOT EXISTS event_articles (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, article_id)
);
CREATE TABLE IF NOT EXISTS links (
    source TEXT NOT NULL, target TEXT NOT NULL, relation TEXT NOT NULL, article_id TEXT, evidence TEXT,
    PRIMARY KEY (source, target, relation)
);
CREATE TABLE IF NOT EXISTS quotes (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, start INTEGER NOT NULL,
    speaker TEXT, speaker_text TEXT, text TEXT, direct INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (article_id, start)
);
CREATE VIRTUAL TABLE IF NOT EXISTS events_geo USING rtree(rid, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE IF NOT EXISTS events_geo_ids (rid INTEGER PRIMARY KEY, event_id TEXT UNIQUE);
"""
SCHEMA_VERSION = "1"


class StoreError(Exception):
    pass


class Store:
    """``merge=True`` (default): a new article's events that report an event already stored
    are fused into it (dedupe.find_match over a date/type block), not stored again."""

    def __init__(self, path: str | Path = "wirecoder.db", *, merge: bool = True):
        self.path = str(path)
        self.merge = merge
        try:
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(SCHEMA)
            self._migrate()
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            self.db.commit()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable wirecoder database ({exc})") from None

    def _migrate(self) -> None:
        """Bring a database written by an older wirecoder up to date, in place, keeping its rows."""
        cols = {r[1] for r in self.db.execute("PRAGMA table_info(quotes)")}
        if "direct" not in cols:   # before reported speech was kept: every stored quote was direct
            self.db.execute("ALTER TABLE quotes ADD COLUMN direct INTEGER NOT NULL DEFAULT 1")

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ writes
    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def add(self, result: ExtractionResult) -> bool:
        """Store one article with its events; False (and no change) if it was stored before."""
        with self.db:  # one transaction: all of the article or nothing
            return self._add(result)

    def add_many(self, results: list[ExtractionResult]) -> list[bool]:
        """Store several articles in order, in one transaction (all of them or none); for each,
        False if it was stored before (or earlier in the batch). Same rows as ``add`` one by one."""
        with self.db:
            return [self._add(r) for r in results]

    def _add(self, result: ExtractionResult) -> bool:
        a = result.article
        if self.has_article(a.id):
            return False
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.db.execute(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (a.id, a.external_id, a.path, a.source, a.title or result.clean.title,
             a.published.isoformat() if a.published else None, a.url, a.text, result.clean.text,
             json.dumps([r.model_dump() for r in result.clean.removed]),
             result.clean.offsets.model_dump_json(), len(result.events), now),
        )
        ids = {}
        for new in result.events:
            stored = self._match(new) if self.merge else None
            ev = new
            if stored is not None:
                from .dedupe import fuse_events

                ev = fuse_events([stored, new]).model_copy(update={"id": stored.id})
            ids[new.id] = ev.id
            self._put_event(ev, now)
            for aid in ev.article_ids:
                if aid == a.id or self.has_article(aid):
                    self.db.execute("INSERT OR IGNORE INTO event_articles VALUES (?,?)", (ev.id, aid))
        for link in result.links:
            self.db.execute("INSERT OR IGNORE INTO links VALUES (?,?,?,?,?)",
                            (ids.get(link.source, link.source), ids.get(link.target, link.target),
                             link.relation, link.article_id,
                             link.evidence.model_dump_json() if link.evidence else None))
        for q in result.quotes:
            self.db.execute("INSERT OR IGNORE INTO quotes (article_id, start, speaker, speaker_text, text, direct)"
                            " VALUES (?,?,?,?,?,?)", (a.id, q.span.start, q.speaker, q.speaker_text, q.text,
                                                      int(q.direct)))
        return True

    def _match(self, ev: Event) -> Event | None:
        """The stored event this one reports too, searched in its type and date block only."""
        from .dedupe import family, find_match

        if ev.date is None:
            return None
        lo = (ev.date.start - dt.timedelta(days=4)).isoformat()
        hi = (ev.date.end + dt.timedelta(days=4)).isoformat()
        rows = self.db.execute("SELECT plover_type, country, json FROM events WHERE date_start <= ? AND date_end >= ?"
                               " LIMIT 2000", (hi, lo)).fetchall()
        # find_match rejects another type family or another country before anything else: skip
        # decoding those rows (the same candidates are scored, at a fraction of the cost)
        fam = family(ev.plover_type)
        country = ev.location.country if ev.location is not None else None
        cands = [Event.model_validate_json(js) for t, c, js in rows
                 if family(t) == fam and (not country or not c or c == country)]
        cands = [c for c in cands if not set(c.article_ids) & set(ev.article_ids)]
        if not cands:
            return None
        i = find_match(ev, cands)
        return cands[i] if i is not None else None

    def _put_event(self, ev: Event, now: str) -> None:
        a1, a2 = ev.actor, ev.recipient
        loc = ev.location
        d = ev.date
        self.db.execute(
            "INSERT OR REPLACE INTO events VALUES (" + ",".join("?" * 30) + ")",
            (ev.id, ev.plover_type, ev.plover_mode, ev.acled_event_type, ev.acled_sub_event_type, ev.cameo,
             a1.name if a1 else None, a1.country if a1 else None, a1.sector if a1 else None,
             a2.name if a2 else None, a2.country if a2 else None, a2.sector if a2 else None,
             loc.name if loc else None, loc.lat if loc else None, loc.lon if loc else None,
             loc.geonameid if loc else None, loc.country if loc else None, loc.admin1 if loc else None,
             loc.precision if loc else None, d.start.isoformat() if d else None, d.end.isoformat() if d else None,
             d.precision if d else None, int(d.inferred) if d else None, ev.fatalities, ev.injured, ev.size,
             len(set(ev.sources)) or len(ev.article_ids), ev.confidence, ev.model_dump_json(), now),
        )
        if loc and loc.lat is not None:
            self.db.execute("INSERT OR IGNORE INTO events_geo_ids(event_id) VALUES (?)", (ev.id,))
            rid = self.db.execute("SELECT rid FROM events_geo_ids WHERE event_id=?", (ev.id,)).fetchone()[0]
            self.db.execute("INSERT OR REPLACE INTO events_geo VALUES (?,?,?,?,?)", (rid, loc.lat, loc.lat, loc.lon, loc.lon))

    # ------------------------------------------------------------------ reads
    def events(self) -> Iterator[Event]:
        for (js,) in self.db.execute("SELECT json FROM events ORDER BY date_start, id"):
            yield Event.model_validate_json(js)

    def links(self) -> list[EventLink]:
        out = []
        for s, t, r, aid, ev in self.db.execute("SELECT source, target, relation, article_id, evidence FROM links"):
            out.append(EventLink(source=s, target=t, relation=r, article_id=aid,
                                 evidence=json.loads(ev) if ev else None))
        return out

    def quotes(self) -> list[Quote]:
        rows = self.db.execute("SELECT article_id, start, speaker, speaker_text, text, direct FROM quotes "
                               "ORDER BY article_id, start")
        return [Quote(article_id=a, speaker=sp, speaker_text=st or "", text=t, direct=bool(d),
                      span={"start": s, "end": s + len(t), "text": t}) for a, s, sp, st, t, d in rows]

    def counts(self) -> dict[str, int]:
        q = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {"articles": q("SELECT count(*) FROM articles"), "events": q("SELECT count(*) FROM events"),
                "links": q("SELECT count(*) FROM links"), "quotes": q("SELECT count(*) FROM quotes")}

    def fingerprint(self) -> str:
        """A digest of all stored rows: equal before and after a no-op re-ingest."""
        import hashlib

        h = hashlib.sha256()
        for table, key in (("articles", "id"), ("events", "id"), ("event_articles", "event_id, article_id"),
                           ("links", "source, target, relation"), ("quotes", "article_id, start")):
            cols = "*" if table != "articles" and table != "events" else (
                "id, text, clean_text, n_events" if table == "articles" else "id, json")
            for row in self.db.execute(f"SELECT {cols} FROM {table} ORDER BY {key}"):
                h.update(repr(row).encode())
        return h.hexdigest()

