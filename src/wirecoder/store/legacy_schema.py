"""The store's schema as wirecoder 0.1 wrote it (meta.schema_version = "1"), before Alembic.

Migration 0001 creates exactly this (SQLite), and a store written by that version is adopted by
stamping it at 0001 (see store/base.py), then upgraded in place."""

SCHEMA_V1 = """
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
