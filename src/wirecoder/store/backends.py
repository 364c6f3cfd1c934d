"""What differs between the two backends: connecting, the write lock, upserts, bounding boxes
and full-text search. Everything else is in base.py and runs unchanged on both."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.pool import QueuePool, StaticPool

from .tables import articles, event_articles, events

_geo_md = sa.MetaData()
events_geo = sa.Table("events_geo", _geo_md, sa.Column("rid", sa.Integer, primary_key=True),
                      sa.Column("min_lat", sa.Float), sa.Column("max_lat", sa.Float),
                      sa.Column("min_lon", sa.Float), sa.Column("max_lon", sa.Float))
BUSY_TIMEOUT_S = 60
PG_WRITE_LOCK = 0x77697265   # 'wire': one advisory lock key for a store's writers


class Backend:
    name = "?"

    def insert(self, table):
        raise NotImplementedError

    def lock(self, conn) -> None:
        """Called first in every write transaction."""

    def after_open(self, engine) -> None:
        """Called once the store is known to be a wirecoder store at the head revision."""

    def bbox_clause(self, x0, y0, x1, y1):
        lon = events.c.longitude
        lat = events.c.latitude
        lon_ok = lon.between(x0, x1) if x0 <= x1 else sa.or_(lon >= x0, lon <= x1)
        return sa.and_(lat.between(y0, y1), lon_ok)

    def text_clause(self, q: str):
        raise NotImplementedError

    def put_geo(self, conn, event_id, lat, lon) -> None:
        pass

    def drop_geo(self, conn, event_id) -> None:
        """Called before an event row is deleted (its reports joined another event)."""


def _words(q: str) -> list[str]:
    return re.findall(r"\w+", q)[:32]


class SQLiteBackend(Backend):
    name = "sqlite"

    def __init__(self, path: str, readonly: bool):
        self.path = path
        self.readonly = readonly

    def engine(self):
        path, readonly = self.path, self.readonly
        memory = path == ":memory:"
        if memory:
            uri = "file:wirecoder-mem?mode=memory&cache=shared"
        else:
            uri = "file:" + quote(str(Path(path).absolute())) + ("?mode=ro" if readonly else "")
        immutable = {"on": False}

        def creator():
            target = uri
            if immutable["on"]:
                target = uri + "&immutable=1"
            con = sqlite3.connect(target, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False,
                                  isolation_level=None)
            if readonly and not immutable["on"]:
                try:   # a WAL store on read-only media without its -shm file: read it as immutable
                    con.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except sqlite3.OperationalError:
                    con.close()
                    immutable["on"] = True
                    con = sqlite3.connect(uri + "&immutable=1", uri=True, timeout=BUSY_TIMEOUT_S,
                                          check_same_thread=False, isolation_level=None)
            return con

        eng = sa.create_engine("sqlite://", creator=creator, poolclass=StaticPool if memory else QueuePool,
                               **({} if memory else {"pool_size": 8, "max_overflow": 8}))

        @event.listens_for(eng, "connect")
        def _on_connect(dbapi_con, _rec):
            dbapi_con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
            dbapi_con.execute("PRAGMA foreign_keys=ON")

        @event.listens_for(eng, "begin")
        def _on_begin(conn):
            # BEGIN IMMEDIATE takes the write lock at once: two writers queue (busy timeout)
            # instead of both reading, then one failing to upgrade its lock
            write = conn.get_execution_options().get("write") and not readonly
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return eng

    def after_open(self, engine) -> None:
        """Once the file is known to be a wirecoder store (or empty): WAL, so readers never block
        the writer (a setting kept in the file)."""
        if not self.readonly and self.path != ":memory:":
            raw = engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA journal_mode=WAL")
            finally:
                raw.close()

    def insert(self, table):
        from sqlalchemy.dialects.sqlite import insert

        return insert(table)

    def bbox_clause(self, x0, y0, x1, y1):
        g = events_geo

        def box(a, b):
            return sa.and_(g.c.min_lat >= y0, g.c.max_lat <= y1, g.c.min_lon >= a, g.c.max_lon <= b)

        cond = box(x0, x1) if x0 <= x1 else sa.or_(box(x0, 180.0), box(-180.0, x1))
        return sa.literal_column("events.rowid").in_(sa.select(g.c.rid).where(cond))

    def text_clause(self, q: str):
        words = _words(q)
        if not words:
            return sa.false()
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        fts = sa.table("articles_fts", sa.column("rowid"))
        arts = sa.select(articles.c.id).where(
            sa.literal_column("articles.rowid").in_(
                sa.select(sa.literal_column("rowid")).select_from(fts).where(
                    sa.literal_column("articles_fts").op("MATCH")(match))))
        return events.c.id.in_(sa.select(event_articles.c.event_id).where(event_articles.c.article_id.in_(arts)))

    def put_geo(self, conn, event_id, lat, lon) -> None:
        conn.exec_driver_sql("INSERT OR REPLACE INTO events_geo SELECT rowid, ?, ?, ?, ? FROM events WHERE id = ?",
                             (lat, lat, lon, lon, event_id))

    def drop_geo(self, conn, event_id) -> None:
        conn.exec_driver_sql("DELETE FROM events_geo WHERE rid IN (SELECT rowid FROM events WHERE id = ?)", (event_id,))


class PostgresBackend(Backend):
    name = "postgresql"

    def __init__(self, url: str, readonly: bool):
        self.url = url
        self.readonly = readonly

    def engine(self):
        url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", self.url)
        eng = sa.create_engine(url, pool_size=8, max_overflow=8, connect_args={"connect_timeout": 10})
        if self.readonly:
            @event.listens_for(eng, "connect")
            def _ro(dbapi_con, _rec):
                with dbapi_con.cursor() as cur:
                    cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                dbapi_con.commit()
        return eng

    def insert(self, table):
        from sqlalchemy.dialects.postgresql import insert

        return insert(table)

    def lock(self, conn) -> None:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK})

    def text_clause(self, q: str):
        words = _words(q)
        if not words:
            return sa.false()
        # the very expression of the GIN index made by migration 0002, so the index serves it
        doc = sa.literal_column("to_tsvector('english', COALESCE(articles.title, '') || ' ' || articles.clean_text)")
        query = sa.func.plainto_tsquery(sa.literal_column("'english'"), " ".join(words))
        arts = sa.select(articles.c.id).where(doc.op("@@")(query))
        return events.c.id.in_(sa.select(event_articles.c.event_id).where(event_articles.c.article_id.in_(arts)))


def backend_for(url: str, readonly: bool) -> Backend:
    """A path or sqlite:///path -> SQLite; postgresql://... -> PostgreSQL."""
    url = str(url)
    if re.match(r"^postgres(ql)?(\+\w+)?://", url):
        return PostgresBackend(url, readonly)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):] or ":memory:"
    elif url == "sqlite://":
        url = ":memory:"
    elif "://" in url:
        raise ValueError(f"{url.split('://')[0]}:// stores are not supported (use a file path, sqlite:///PATH "
                         f"or postgresql://USER@HOST/DB)")
    return SQLiteBackend(url, readonly)


def path_writable(path: str) -> bool:
    p = Path(path).absolute()
    if p.exists():
        return os.access(p, os.W_OK) and os.access(p.parent, os.W_OK)
    return os.access(p.parent, os.W_OK)
