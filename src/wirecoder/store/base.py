"""The store: one interface over SQLite (default) and PostgreSQL, through SQLAlchemy Core.

One transaction per article, keyed by the article's content hash, so re-ingesting changes nothing
and an interrupted run resumes without duplicates. Writers take the store's write lock for the
transaction (SQLite: BEGIN IMMEDIATE with a busy timeout; PostgreSQL: an advisory lock), so two
`ingest` runs into one store queue instead of failing. The schema is versioned with Alembic
(store/migrations); a store written by wirecoder 0.1 (before Alembic) is adopted in place."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import re
from collections import OrderedDict, namedtuple
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from ..schema import Article, Event, EventLink, ExtractionResult, Quote
from . import tables as T
from .backends import backend_for, path_writable
from .filters import EventFilter, parse_sort
from .reports import report_row, signature_rows

HEAD = "0004"                 # the newest migration (tests check it is Alembic's head)
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")
SCHEMA_VERSION = "4"          # meta.schema_version written by HEAD
MIGRATIONS = Path(__file__).with_name("migrations")
LIST_COLUMNS = ["id", "seq", "date_start", "date_end", "date_precision", "plover_type", "plover_mode",
                "acled_event_type", "acled_sub_event_type", "cameo", "actor1", "actor1_country", "actor2",
                "actor2_country", "location", "latitude", "longitude", "country", "admin1", "geo_precision",
                "fatalities", "injured", "source_count", "confidence", "first_reported", "last_reported",
                "updated_at"]


ExportItem = namedtuple("ExportItem", "event reports seq updated_at")
CLOSE_DAYS = 1             # dedupe's close_days: the candidate blocks' slack
MAX_NEIGHBOURHOOD = 5000   # stored reports gathered around one article's events, at most
# Days either side of a new report's date interval within which stored reports are gathered for
# re-clustering. Without a horizon the gathering percolates along a dense archive: reports that pair
# with their neighbours a day apart chain the days of a type family and country together (and, while
# month-dated reports were still matched, they tied whole months together), so the cost of one more
# article grew with the store (docs/PERFORMANCE.md, issue 18). Only a change that cascades through
# re-clusterings beyond the horizon is missed; `dedupe --rebuild` recomputes the whole store exactly.
HORIZON_DAYS = 2
# Caches of one ingest (pure caches: the same clusters with any size). Bounded so that memory stays flat over
# an archive: at the earlier 50,000 / 1,000 a 10,000-article ingest grew 88 MB past its first 1,000 articles
# (docs/PERFORMANCE.md, issue 14 "Memory"); about 4-6 KB an entry with its places, dates and actors.
REP_CACHE = 4_000          # matcher features kept in memory (the recent candidates)
EVENT_CACHE = 200          # decoded reports kept in memory (the members of recently changed events)


_NAMED = re.compile(r"(?<![:\w]):(\w+)")


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _fused(reps: list):
    """The representative of an event from its reports' features (as dedupe fuses clusters)."""
    from ..dedupe import _fuse_reps

    if not reps:
        return None
    out = reps[0]
    for r in reps[1:]:
        out = _fuse_reps(out, r)
    return out


def _horizon(reps: list) -> list[tuple[int, int]]:
    """The days around the new reports' date intervals (``HORIZON_DAYS`` either side) within which
    the neighbourhood is gathered: sorted, disjoint intervals of day ordinals."""
    spans = sorted((r.lo - HORIZON_DAYS, r.hi + HORIZON_DAYS) for r in reps)
    out: list[list[int]] = []
    for a, b in spans:
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


class StoreError(Exception):
    """The store cannot be opened or used: the message says which and why."""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _iso(d) -> str | None:
    return d.isoformat() if d is not None else None


class Store:
    """``Store("events.db")``, ``Store("postgresql://user@host/db")``.

    ``merge=True`` (default): a new article's events that report an event already stored are fused
    into it (``_place``: the batch clustering over the stored reports near it), not stored again.
    ``readonly``: True opens the store for reading only; "auto" does so when the file or its folder
    cannot be written (read-only media), else opens it normally."""

    def __init__(self, url: str | Path = "wirecoder.db", *, merge: bool = True, readonly: bool | str = False,
                 must_exist: bool = False):
        url = str(url)
        if not url.strip():
            raise StoreError("empty store name: give a file path or a postgresql:// URL")
        self.url = url
        self.merge = merge
        self._reps: OrderedDict = OrderedDict()
        self._evs: OrderedDict = OrderedDict()
        self._upsert = self._cand_sql = None
        self._span_written = -1   # the widest date span this process has written to meta (committed)
        try:
            probe = backend_for(url, False)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        if probe.name == "sqlite":
            self.path = probe.path
            if probe.path != ":memory:":
                exists = Path(probe.path).exists()
                if must_exist and not exists:
                    raise StoreError(f"{url}: no such database (run `wirecoder ingest` first)")
                if Path(probe.path).is_dir():
                    raise StoreError(f"{url}: is a directory, not a database file")
                if readonly == "auto":
                    readonly = exists and not path_writable(probe.path)
                if readonly and not exists:
                    raise StoreError(f"{url}: no such database")
        else:
            self.path = None
            if readonly == "auto":
                readonly = False
        self.readonly = bool(readonly)
        self.backend = backend_for(url, self.readonly)
        self.dialect = self.backend.name
        try:
            self.engine = self.backend.engine()
            self._prepare()
        except StoreError:
            self._dispose()
            raise
        except (sa.exc.DBAPIError, sa.exc.ArgumentError, OSError) as exc:
            self._dispose()
            msg = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            raise StoreError(f"{self._display()}: not a usable wirecoder database ({msg})") from None

    # ------------------------------------------------------------------ lifecycle
    def _display(self) -> str:
        if self.dialect == "postgresql":
            return sa.engine.make_url(self.backend.url).render_as_string(hide_password=True)
        return self.url

    def _dispose(self) -> None:
        eng = getattr(self, "engine", None)
        if eng is not None:
            eng.dispose()

    @property
    def db(self):
        """An SQLite store's sqlite3 connection (autocommit), for tools and tests written against
        wirecoder 0.1's Store; new code goes through the methods."""
        if self.dialect != "sqlite":
            raise AttributeError("db: only an SQLite store has a sqlite3 connection")
        if getattr(self, "_raw", None) is None:
            self._raw = self.engine.raw_connection()
        return self._raw.driver_connection

    def close(self) -> None:
        raw = getattr(self, "_raw", None)
        if raw is not None:
            raw.close()
            self._raw = None
        self._dispose()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def _write(self):
        if self.readonly:
            raise StoreError(f"{self._display()}: opened read-only")
        with self.engine.connect().execution_options(write=True) as conn:
            span = self._span_written
            try:
                with conn.begin():
                    self.backend.lock(conn)
                    yield conn
            except BaseException:
                self._span_written = span   # rolled back: what it wrote to meta is gone
                raise

    @contextmanager
    def _read(self):
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    # ------------------------------------------------------------------ schema
    def _check_newer(self, rev, version) -> None:
        if rev not in (None, "legacy") and rev not in KNOWN_REVISIONS or (
                version is not None and version.isdigit() and int(version) > int(SCHEMA_VERSION)):
            raise StoreError(f"{self._display()}: written by a newer wirecoder (schema revision {rev}, version "
                             f"{version}); this wirecoder {_pkg_version()} reads up to revision {HEAD} "
                             f"(version {SCHEMA_VERSION}). Upgrade wirecoder to use this store; it was not changed.")

    def _prepare(self) -> None:
        with self._read() as conn:
            rev, version = self._state_checked(conn)
        self._check_newer(rev, version)
        if rev == HEAD:
            self.backend.after_open(self.engine)
            return
        if self.readonly:
            if rev is None:
                raise StoreError(f"{self._display()}: empty, not a wirecoder database")
            raise StoreError(f"{self._display()}: written by an older wirecoder (schema {rev}) and opened read-only: "
                             f"open it once where it can be written to upgrade it in place")
        self._migrate()
        self.backend.after_open(self.engine)

    def _state_checked(self, conn):
        names = set(sa.inspect(conn).get_table_names())
        foreign = names - {"meta", "articles", "article_sources", "events", "event_articles", "links", "quotes", "reports",
                           "article_sigs", "article_bands",
                           "alembic_version", "sqlite_sequence", "sqlite_stat1"} - {
            n for n in names if n.startswith(("events_geo", "articles_fts"))}
        if foreign and not names & {"events", "articles", "alembic_version"}:
            raise StoreError(f"{self._display()}: not a wirecoder database (it holds other tables: "
                             f"{', '.join(sorted(foreign)[:5])}); it was not changed")
        version = None
        if "meta" in names:
            version = conn.execute(sa.text("SELECT value FROM meta WHERE key='schema_version'")).scalar()
        if "alembic_version" in names:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar(), version
        if "events" in names or "articles" in names:
            return "legacy", version
        return None, version

    def _migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self._write() as conn:
            rev, version = self._state_checked(conn)   # again, under the write lock
            self._check_newer(rev, version)
            if rev == HEAD:
                return
            cfg.attributes["connection"] = conn
            if rev == "legacy":
                self._adopt_legacy(conn)
                command.stamp(cfg, "0001")
            command.upgrade(cfg, "head")

    def _adopt_legacy(self, conn) -> None:
        """A wirecoder 0.1 store: bring it to exactly revision 0001's tables."""
        if self.dialect != "sqlite":
            return
        cols = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(quotes)")}
        if cols and "direct" not in cols:   # before reported speech was kept: every stored quote was direct
            conn.exec_driver_sql("ALTER TABLE quotes ADD COLUMN direct INTEGER NOT NULL DEFAULT 1")
        from .legacy_schema import SCHEMA_V1

        for stmt in SCHEMA_V1.split(";"):   # any table an early store lacked (all IF NOT EXISTS)
            if stmt.strip():
                conn.exec_driver_sql(stmt)

    # ------------------------------------------------------------------ writes
    def has_article(self, article_id: str) -> bool:
        with self._read() as conn:
            return conn.execute(sa.select(T.articles.c.id).where(T.articles.c.id == article_id)).first() is not None

    def add(self, result: ExtractionResult) -> bool:
        """Store one article with its events; False if it was stored before, or a syndicated copy of
        it was (then only a new outlet of that text is recorded, as a source of the article and its
        events)."""
        with self._write() as conn:   # one transaction: all of the article or nothing
            return self._add(conn, result, _now())

    def add_many(self, results: list[ExtractionResult]) -> list[bool]:
        """Store several articles in order, in one transaction (all of them or none); for each, False if
        it was stored before (or earlier in the batch). Same rows as ``add`` one by one."""
        now = _now()
        with self._write() as conn:
            return [self._add(conn, r, now) for r in results]

    def _add(self, conn, result: ExtractionResult, now: str) -> bool:
        a = result.article
        if conn.execute(sa.select(T.articles.c.id).where(T.articles.c.id == a.id)).first() is not None:
            self._add_outlet(conn, a, now)
            return False
        twin = self._near_copy(conn, a)
        if twin is not None:   # a syndicated copy of a stored text: one more outlet of it
            self._add_outlet(conn, a.model_copy(update={"id": twin}), now)
            return False
        conn.execute(T.articles.insert().values(
            id=a.id, external_id=a.external_id, path=a.path, source=a.source, title=a.title or result.clean.title,
            published=_iso(a.published), url=a.url, text=a.text, clean_text=result.clean.text,
            removed_json=json.dumps([r.model_dump() for r in result.clean.removed]),
            offsets_json=result.clean.offsets.model_dump_json(), n_events=len(result.events), ingested_at=now))
        conn.execute(T.article_sources.insert().values(
            article_id=a.id, source=a.source or "", url=a.url, title=a.title or result.clean.title,
            published=_iso(a.published), external_id=a.external_id, added_at=now))
        sig = signature_rows(a.id, a.text)
        if sig is not None:
            conn.execute(T.article_sigs.insert().values(**sig[0]))
            conn.execute(T.article_bands.insert(), sig[1])
        if result.events:      # one statement per table, all rows at once (executemany)
            conn.execute(T.reports.insert(), [report_row(ev, a.id, None) for ev in result.events])
        ids = self._place(conn, {ev.id: ev for ev in result.events}, now)
        if result.links:
            conn.execute(self.backend.insert(T.links).on_conflict_do_nothing(), [dict(
                source=ids.get(link.source, link.source), target=ids.get(link.target, link.target),
                relation=link.relation, article_id=link.article_id, source_report=link.source,
                target_report=link.target,
                evidence=link.evidence.model_dump_json() if link.evidence else None) for link in result.links])
        if result.quotes:
            conn.execute(self.backend.insert(T.quotes).on_conflict_do_nothing(), [dict(
                article_id=a.id, start=q.span.start, speaker=q.speaker, speaker_text=q.speaker_text, text=q.text,
                direct=int(q.direct)) for q in result.quotes])
        return True

    def near_copy(self, article: Article) -> str | None:
        """The id of a stored article whose text this one's nearly repeats (a syndicated copy: the
        same story and figures, a credit line or a sentence apart; see syndication.py), or None."""
        with self._read() as conn:
            return self._near_copy(conn, article)

    @staticmethod
    def _near_copy(conn, article: Article) -> str | None:
        from ..syndication import bands, figures, is_copy, signature

        sig = signature(article.text)
        if sig is None:
            return None
        figs = figures(article.text)
        ids = sorted({r[0] for r in conn.execute(sa.select(T.article_bands.c.article_id).where(
            T.article_bands.c.band.in_(sorted(set(bands(sig))))).limit(200))} - {article.id})
        if not ids:
            return None
        rows = conn.execute(sa.select(T.article_sigs.c.article_id, T.article_sigs.c.sig, T.article_sigs.c.figures)
                            .where(T.article_sigs.c.article_id.in_(ids)).order_by(T.article_sigs.c.article_id))
        for aid, other, ofigs in rows:
            if is_copy(sig, figs, json.loads(other), ofigs or ""):
                return aid
        return None

    def add_outlet(self, article: Article) -> bool:
        """Record one more outlet of an already stored text; True if it was new."""
        with self._write() as conn:
            return self._add_outlet(conn, article, _now())

    def _add_outlet(self, conn, a: Article, now: str) -> bool:
        src = a.source or ""
        if conn.execute(sa.select(T.articles.c.id).where(T.articles.c.id == a.id)).first() is None:
            return False
        res = conn.execute(self.backend.insert(T.article_sources).values(
            article_id=a.id, source=src, url=a.url, title=a.title, published=_iso(a.published),
            external_id=a.external_id, added_at=now).on_conflict_do_nothing())
        if not res.rowcount or not src:
            return bool(res.rowcount)
        # the article's reports gain the outlet (and its date), then their events are fused again
        changed, moved = {}, False
        for rid, js, rep in conn.execute(sa.select(T.reports.c.id, T.reports.c.json, T.reports.c.rep).where(
                T.reports.c.article_id == a.id)):
            ev = Event.model_validate_json(js)
            upd = {}
            if src not in ev.sources:
                upd["sources"] = [*ev.sources, src]
            if a.published:
                if ev.first_reported is None or a.published < ev.first_reported:
                    upd["first_reported"] = a.published
                if ev.last_reported is None or a.published > ev.last_reported:
                    upd["last_reported"] = a.published
            if upd:
                ev = ev.model_copy(update=upd)
                row = report_row(ev, a.id, None)
                del row["event_id"]
                conn.execute(T.reports.update().where(T.reports.c.id == rid).values(**row))
                changed[rid] = ev
                moved = moved or row["rep"] != rep
        if moved:      # an earlier date of first report: the matcher's features changed
            self._place(conn, changed, now, stored=True)
        elif changed:  # only the sources or the last report date: the same events, fused again
            self._refuse(conn, changed, now)
        return True

    def _refuse(self, conn, changed: dict[str, Event], now: str) -> None:
        """Fuse again the events of re-filed reports whose matcher features did not change (a
        copy from another outlet adds a source): the clustering depends on the features alone, so
        the groups stay as they are and only those events are written again."""
        placed = dict(self._select_in(conn, "id, event_id", "id", sorted(changed)))
        if None in placed.values():   # not filed yet (cannot happen after ingest): file them
            self._place(conn, changed, now, stored=True)
            return
        eids = sorted(set(placed.values()))
        groups: dict[str, list] = {}
        reps, old = {}, {}
        for rid, eid, rep in self._members(conn, eids):
            groups.setdefault(eid, []).append(rid)
            reps[rid], old[rid] = self._rep(rid, rep), eid
        self._apply(conn, list(groups.values()), reps, old, set(changed), changed, now)

    # ------------------------------------------------------------------ deduplication
    def _rep(self, rid: str, s: str):
        """The matcher's features of a stored report, from its JSON (memoised: batch ingest keeps
        the recent candidates in memory, bounded)."""
        from ..dedupe import rep_loads

        hit = self._reps.get(rid)
        if hit is not None and hit[0] == s:
            self._reps.move_to_end(rid)
            return hit[1]
        r = rep_loads(s)
        self._reps[rid] = (s, r)
        if len(self._reps) > REP_CACHE:
            self._reps.popitem(last=False)
        return r

    def _report_event(self, rid: str, js: str) -> Event:
        """A stored report decoded (memoised like :meth:`_rep`: an event that grows is fused again
        from its reports, most of them decoded before)."""
        hit = self._evs.get(rid)
        if hit is not None and hit[0] == js:
            self._evs.move_to_end(rid)
            return hit[1]
        ev = Event.model_validate_json(js)
        self._evs[rid] = (js, ev)
        if len(self._evs) > EVENT_CACHE:
            self._evs.popitem(last=False)
        return ev

    def _frontier_candidates(self, conn, frontier: list, events_in: set, hood: dict, pending: set, read: dict,
                             horizon: list):
        """The stored reports in the blocks (type family, date interval, country) of any rep of
        ``frontier``, in one query for the whole frontier: ``(rid, eid, features, reps)`` with
        the frontier reps whose blocks hold the report. The blocks are index ranges of
        ``reports_place`` (family, country, lo, hi: rows of other countries are not read); a
        report whose event is already gathered (``events_in``, ``pending``) or that is itself
        (``hood``) is dropped before its features are read. The blocks come from the index alone;
        the features of the rest are read by primary key, once per placement (``read``: report id
        -> features, filled here; the reports do not change while the neighbourhood is gathered).
        Only reports whose date interval meets one of the ``horizon`` intervals (the new reports'
        dates, ``HORIZON_DAYS`` either side; sorted, disjoint) are read."""
        from ..dedupe import MAX_DATE_WIDTH, may_pair

        slack = CLOSE_DAYS
        h_lo, h_hi = horizon[0][0], horizon[-1][1]
        by_group: dict[tuple, list] = {}
        for r in frontier:
            by_group.setdefault((r.family, r.country or None), []).append(r)
        branches, params = [], {}
        for (fam, country), reps in sorted(by_group.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            # the rep's block on the start day: [lo - slack - MAX_DATE_WIDTH, hi + slack]; overlapping
            # blocks of one group are read as one range (the exact test is made below, per rep)
            spans = sorted((r.lo - slack - MAX_DATE_WIDTH, r.hi + slack, r.lo - slack) for r in reps)
            merged = []
            for a, b, h in spans:
                if merged and a <= merged[-1][1]:
                    m = merged[-1]
                    m[1], m[2] = max(m[1], b), min(m[2], h)
                else:
                    merged.append([a, b, h])
            for a, b, h in merged:
                b, h = min(b, h_hi), max(h, h_lo)   # within the horizon's span
                if a > b:
                    continue
                k = len(params)
                params.update({f"f{k}": fam, f"a{k}": a, f"b{k}": b, f"h{k}": h})
                dates = f"lo >= :a{k} AND lo <= :b{k} AND hi >= :h{k}"
                if country is None:
                    branches.append(f"family = :f{k} AND {dates}")
                else:   # two index ranges: this country, and no country
                    params[f"c{k}"] = country
                    branches.append(f"family = :f{k} AND country = :c{k} AND {dates}")
                    branches.append(f"family = :f{k} AND country IS NULL AND {dates}")
        rows: dict[str, tuple] = {}
        for chunk in _chunks(branches, 200):   # SQLite allows 500 terms in a compound select
            sql = " UNION ALL ".join(f"SELECT id, event_id, family, country, lo, hi FROM reports WHERE {w}"
                                     for w in chunk)
            for rid, eid, fam, country, lo, hi in self._select(conn, sql, params):
                if eid is None or eid in events_in or rid in hood or eid in pending:
                    continue
                if len(horizon) > 1 and not any(lo <= w_hi and hi >= w_lo for w_lo, w_hi in horizon):
                    continue
                rows[rid] = (eid, fam, country, lo, hi)
        # the exact block test of each frontier rep (what one query per rep would read)
        fam_reps: dict[str, list] = {}
        for r in frontier:
            fam_reps.setdefault(r.family, []).append(r)
        want: dict[str, list] = {}
        for rid, (eid, fam, country, lo, hi) in rows.items():
            hit = [r for r in fam_reps.get(fam, ()) if r.lo - slack - MAX_DATE_WIDTH <= lo <= r.hi + slack
                   and hi >= r.lo - slack and (not r.country or country is None or country == r.country)]
            if hit:
                want[rid] = hit
        # the features of the candidates not read before in this placement, by primary key; a
        # report is decoded only when some frontier rep may pair with it (dedupe.may_pair)
        need = sorted(rid for rid in want if rid not in read)
        for rid, rep in self._select_in(conn, "id, rep", "id", need):
            hit = self._reps.get(rid)
            read[rid] = [rep, hit[1] if hit is not None and hit[0] == rep else None, None]
        for rid in sorted(want):
            got = read[rid]
            if got[1] is None:   # not decoded yet: the cheap tests first, on the parsed list
                if got[2] is None:
                    got[2] = json.loads(got[0])
                reps = [r for r in want[rid] if may_pair(r, got[2])]
                if not reps:
                    continue
                got[1] = self._rep(rid, got[0])
            else:
                reps = want[rid]
            yield rid, rows[rid][0], got[1], reps

    def _members(self, conn, event_ids: list[str]):
        """(report id, event id, features JSON) of every report of these events."""
        yield from self._select_in(conn, "id, event_id, rep", "event_id", event_ids)

    def _select_in(self, conn, columns: str, key: str, values: list):
        """``SELECT columns FROM reports WHERE key IN values``, 500 values a query (:meth:`_select`)."""
        for chunk in _chunks(values, 500):
            names = [f"v{i}" for i in range(len(chunk))]
            sql = f"SELECT {columns} FROM reports WHERE {key} IN ({', '.join(':' + n for n in names)})"
            yield from self._select(conn, sql, dict(zip(names, chunk)))

    def _exec(self, conn, sql: str, params: dict) -> None:
        """A plain write statement with ``:name`` parameters on the transaction's own DB-API
        connection (see :meth:`_select`)."""
        if self.dialect != "sqlite":   # psycopg: pyformat
            sql = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        cur = conn.connection.dbapi_connection.cursor()
        try:
            cur.execute(sql, params)
        finally:
            cur.close()

    def _select(self, conn, sql: str, params: dict) -> list:
        """Rows of a plain SELECT with ``:name`` parameters, run on the transaction's own DB-API
        connection: the neighbourhood of one article takes tens of small queries, and SQLAlchemy's
        statement handling cost more than SQLite's answer."""
        if self.dialect != "sqlite":   # psycopg: pyformat
            sql = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        cur = conn.connection.dbapi_connection.cursor()
        try:
            cur.execute(sql, params)
            return cur.fetchall()
        finally:
            cur.close()

    def _place(self, conn, seeds: dict[str, Event], now: str, *, stored: bool = False) -> dict[str, str]:
        """File reports (already written to ``reports``) into events: the stored reports that could
        be one event with them, and the whole events those belong to, are clustered again with
        dedupe.cluster_reps, and the events whose members changed are fused again from their
        reports. What is gathered: the stored reports that could pair with a new report, then with
        the fused features of each gathered event, to a fixpoint; then every group the clustering
        changed (its fused features and its reports) is looked up in turn, and the neighbourhood
        clustered again, until nothing more is gathered. All of it within ``HORIZON_DAYS`` of the
        new reports' dates. So the events are those that clustering all reports at once gives
        (`dedupe --rebuild`), whatever the order the articles came in, unless a change cascades
        across more than the horizon (measured on the bench archive: docs/PERFORMANCE.md, issue 18);
        a report that bridges two stored events merges them.
        Returns report id -> its event id."""
        # nothing made here forms a reference cycle; the cyclic collector would rescan the caches
        # (tens of thousands of features) many times over while the neighbourhood is built
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            return self._place_inner(conn, seeds, now, stored=stored)
        finally:
            if gc_was_on:
                gc.enable()

    def _place_inner(self, conn, seeds: dict[str, Event], now: str, *, stored: bool = False) -> dict[str, str]:
        from ..dedupe import cluster_reps, rep_of, usable

        hood: dict[str, object] = {}      # report id -> features
        old: dict[str, str | None] = {}   # report id -> its event before
        for rid, ev in seeds.items():
            hood[rid] = rep_of(ev)
            old[rid] = None
        if stored:   # re-filed reports: their events come along whole
            rows = conn.execute(sa.select(T.reports.c.id, T.reports.c.event_id).where(
                T.reports.c.id.in_(list(seeds)))).fetchall()
            old.update({rid: eid for rid, eid in rows})
        if not self.merge:
            return self._apply(conn, [[rid] for rid in seeds], hood, old, set(seeds), seeds, now)
        events_in: set[str] = set()
        read: dict[str, object] = {}      # candidates' features read in this placement
        frontier = [r for r in hood.values() if usable(r)]
        pending = {eid for eid in old.values() if eid is not None}
        horizon = self._gather(conn, frontier, pending, [], hood, old, events_in, read)
        probed: set[frozenset] = set()
        probed_reports = set(seeds)
        while True:
            ids = list(hood)
            groups = [[ids[i] for i in g] for g in cluster_reps([hood[i] for i in ids])]
            # a group that is not a stored event as it was (it holds a new report, or an event lost
            # or gained reports) may pair with stored reports that none of the gathered events could
            # pair with: its fused features are looked up in turn, until nothing more is gathered
            before: dict[str, int] = {}
            for eid in old.values():
                if eid is not None:
                    before[eid] = before.get(eid, 0) + 1
            frontier = []
            for g in groups:
                key = frozenset(g)
                eids = {old[x] for x in g}
                if key in probed or (len(eids) == 1 and None not in eids and before[next(iter(eids))] == len(g)):
                    continue
                probed.add(key)
                mine = [hood[x] for x in g if usable(hood[x])]
                fused = _fused(mine)
                if fused is not None:
                    frontier.append(fused)
                for x in g:   # and so are its reports: what they pair with may now be settled otherwise
                    if x not in probed_reports and usable(hood[x]):
                        probed_reports.add(x)
                        frontier.append(hood[x])
            size = len(hood)
            if not frontier or size > MAX_NEIGHBOURHOOD:
                break
            horizon = self._gather(conn, frontier, set(), horizon, hood, old, events_in, read)
            if len(hood) == size:
                break   # nothing more could pair: the groups stand
        return self._apply(conn, groups, hood, old, set(seeds), seeds, now)

    def _gather(self, conn, frontier: list, pending: set, horizon: list, hood: dict, old: dict, events_in: set,
                read: dict) -> list:
        """Gather into ``hood`` (report id -> features; ``old``: its event) the stored events with a
        report that could pair with a ``frontier`` rep, whole, then those that could pair with their
        fused features, to a fixpoint within ``horizon``; ``pending``: events to gather anyway.
        Returns the horizon (set from the first frontier when it had none)."""
        from ..dedupe import compatible, usable

        while frontier or pending:
            if frontier and not horizon:   # the new reports' dates (or, for re-filed reports that
                horizon = _horizon(frontier)   # cannot pair, their events' dates)
            if frontier:   # the stored events with a report that could pair with a frontier rep
                for _rid, eid, rep, reps in self._frontier_candidates(conn, frontier, events_in, hood, pending, read,
                                                                      horizon):
                    if eid not in pending and any(compatible(r, rep) for r in reps):
                        pending.add(eid)
            frontier = []
            if not pending or len(hood) > MAX_NEIGHBOURHOOD:
                break
            events_in |= pending
            members: dict[str, list] = {}
            for rid, eid, rep in self._members(conn, sorted(pending)):
                members.setdefault(eid, []).append(rid)
                if rid not in hood:
                    hood[rid] = self._rep(rid, rep)
                    old[rid] = eid
            # what a stored event's reports could pair with outside it was settled when they were
            # stored; what is new is the event as a whole, whose fused features may pair with more
            for rids in members.values():
                fused = _fused([hood[x] for x in rids if usable(hood[x])])
                if fused is not None:
                    frontier.append(fused)
            pending.clear()
        return horizon

    def _apply(self, conn, groups: list[list[str]], reps: dict, old: dict, dirty: set, known: dict[str, Event],
               now: str, progress=None) -> dict[str, str]:
        """Write the events of ``groups`` (report ids) where their members changed; delete the events
        whose reports all went elsewhere; move links and article rows with them."""
        from ..dedupe import fuse_events

        before: dict[str, set] = {}
        for rid, eid in old.items():
            if eid is not None:
                before.setdefault(eid, set()).add(rid)
        out: dict[str, str] = {}
        new_ids: set[str] = set()
        for g in groups:
            gid = min(g, key=lambda x: reps[x].key)
            new_ids.add(gid)
            for rid in g:
                out[rid] = gid
        for n, g in enumerate(groups):
            gid = out[g[0]]
            if progress is not None:
                progress(n + 1, len(groups))
            if before.get(gid) == set(g) and not dirty.intersection(g):
                continue   # the same event as before
            need = [rid for rid in g if rid not in known]
            evs = {rid: known[rid] for rid in g if rid in known}
            for rid, js in self._select_in(conn, "id, json", "id", need):
                evs[rid] = self._report_event(rid, js)
            ev = fuse_events([evs[rid] for rid in g]) if len(g) > 1 else evs[g[0]]
            ev = ev.model_copy(update={"id": gid}) if ev.id != gid else ev
            self._put_event(conn, ev, now)
            # the small per-event statements on the transaction's DB-API cursor (as _select)
            for chunk in _chunks(g, 500):
                names = {f"r{i}": rid for i, rid in enumerate(chunk)}
                self._exec(conn, f"UPDATE reports SET event_id = :gid WHERE id IN ({', '.join(':' + n for n in names)}) "
                                 "AND (event_id IS NULL OR event_id != :gid)", {**names, "gid": gid})
            self._exec(conn, "DELETE FROM event_articles WHERE event_id = :gid", {"gid": gid})
            aids = sorted(set(ev.article_ids))
            if aids:   # one statement for all of the event's articles
                conn.execute(self.backend.insert(T.event_articles).on_conflict_do_nothing(),
                             [{"event_id": gid, "article_id": aid} for aid in aids])
        gone = sorted(set(before) - new_ids)
        for eid in gone:
            conn.execute(T.event_articles.delete().where(T.event_articles.c.event_id == eid))
            self.backend.drop_geo(conn, eid)
            conn.execute(T.events.delete().where(T.events.c.id == eid))
        moved = sorted(rid for rid, eid in out.items() if old.get(rid) is not None and old[rid] != eid)
        if moved:
            self._move_links(conn, moved, out)
        return out

    def _move_links(self, conn, moved: list[str], event_of: dict[str, str]) -> None:
        """Links read between reports that now belong to another event follow them."""
        lk = T.links.c
        for chunk in _chunks(moved, 500):
            rows = conn.execute(sa.select(T.links).where(sa.or_(lk.source_report.in_(chunk),
                                                                lk.target_report.in_(chunk)))).fetchall()
            ends = {x for r in rows for x in (r.source_report, r.target_report) if x not in event_of}
            where = {i: e for i, e in conn.execute(sa.select(T.reports.c.id, T.reports.c.event_id).where(
                T.reports.c.id.in_(sorted(ends))))} if ends else {}
            for r in rows:
                src = event_of.get(r.source_report) or where.get(r.source_report) or r.source
                tgt = event_of.get(r.target_report) or where.get(r.target_report) or r.target
                if (src, tgt) == (r.source, r.target):
                    continue
                conn.execute(T.links.delete().where(lk.source == r.source, lk.target == r.target,
                                                    lk.relation == r.relation))
                if src != tgt:
                    conn.execute(self.backend.insert(T.links).values(
                        source=src, target=tgt, relation=r.relation, article_id=r.article_id, evidence=r.evidence,
                        source_report=r.source_report, target_report=r.target_report).on_conflict_do_nothing())

    def rebuild(self, progress=None) -> dict:
        """Cluster every stored report again (dedupe.cluster_reps over all of them) and rewrite the
        events whose members changed, in one transaction: interrupted, the store is as it was.
        ``progress(done, total)`` is called as events are written. Returns counts."""
        from ..dedupe import cluster_reps, rep_loads

        with self._write() as conn:
            before = conn.execute(sa.select(sa.func.count()).select_from(T.events)).scalar()
            reps, old = {}, {}
            stmt = sa.select(T.reports.c.id, T.reports.c.event_id, T.reports.c.rep).order_by(T.reports.c.id)
            # streamed by the statement's own option: Connection.execution_options would set it on the
            # transaction's connection, and PostgreSQL would then run the writes below through a
            # server-side cursor too ("DECLARE ... CURSOR FOR UPDATE": a syntax error)
            for rid, eid, rep in conn.execute(stmt.execution_options(yield_per=2000)):
                reps[rid] = rep_loads(rep)
                old[rid] = eid
            ids = list(reps)
            if self.merge:
                groups = [[ids[i] for i in g] for g in cluster_reps([reps[i] for i in ids])]
            else:
                groups = [[i] for i in ids]
            # a report whose event row is missing is written again
            have = {r[0] for r in conn.execute(sa.select(T.events.c.id))}
            dirty = {rid for rid, eid in old.items() if eid is None or eid not in have}
            self._apply(conn, groups, reps, old, dirty, {}, _now(), progress=progress)
            after = conn.execute(sa.select(sa.func.count()).select_from(T.events)).scalar()
        return {"reports": len(reps), "events_before": before, "events": after}

    def _put_event(self, conn, ev: Event, now: str) -> None:
        a1, a2, loc, d = ev.actor, ev.recipient, ev.location, ev.date
        got = self._select(conn, "SELECT seq FROM events WHERE id = :id", {"id": ev.id})
        seq = got[0][0] if got else None
        if seq is None:
            seq = (self._select(conn, "SELECT max(seq) FROM events", {})[0][0] or 0) + 1
        row = dict(
            id=ev.id, plover_type=ev.plover_type, plover_mode=ev.plover_mode, acled_event_type=ev.acled_event_type,
            acled_sub_event_type=ev.acled_sub_event_type, cameo=ev.cameo,
            actor1=a1.name if a1 else None, actor1_country=a1.country if a1 else None,
            actor1_sector=a1.sector if a1 else None, actor2=a2.name if a2 else None,
            actor2_country=a2.country if a2 else None, actor2_sector=a2.sector if a2 else None,
            location=loc.name if loc else None, latitude=loc.lat if loc else None, longitude=loc.lon if loc else None,
            geonameid=loc.geonameid if loc else None, country=loc.country if loc else None,
            admin1=loc.admin1 if loc else None, geo_precision=loc.precision if loc else None,
            date_start=_iso(d.start) if d else None, date_end=_iso(d.end) if d else None,
            date_precision=d.precision if d else None, date_inferred=int(d.inferred) if d else None,
            fatalities=ev.fatalities, injured=ev.injured, size=ev.size,
            source_count=len(set(ev.sources)) or len(ev.article_ids), confidence=ev.confidence,
            json=ev.model_dump_json(), updated_at=now, seq=seq, first_reported=_iso(ev.first_reported),
            last_reported=_iso(ev.last_reported or ev.first_reported))
        if d is not None and (d.end - d.start).days > self._span_written:
            span = (d.end - d.start).days
            self._span_written = span   # meta.max_span_days only grows: a narrower span is no change
            conn.execute(T.meta.update().where(T.meta.c.key == "max_span_days",
                                               sa.cast(T.meta.c.value, sa.Integer) < span).values(value=str(span)))
        if self._upsert is None:   # built once: SQLAlchemy then reuses its compiled form
            ins = self.backend.insert(T.events)
            self._upsert = ins.on_conflict_do_update(
                index_elements=["id"], set_={k: ins.excluded[k] for k in row if k not in ("id", "seq")})
        conn.execute(self._upsert, row)
        if loc and loc.lat is not None and loc.lon is not None:
            self.backend.put_geo(conn, ev.id, loc.lat, loc.lon)

    def ingest(self, inputs, *, published: dt.date | str | None = None, source: str | None = None,
               pipeline=None) -> dict:
        """Extract and store files, folders, :class:`Article` s or texts; returns counts
        (added, skipped, failed, events) and the errors of bad inputs (the rest is still stored)."""
        from ..ingest import InputError, iter_files, parse_date, read_file
        from ..pipeline import default_pipeline

        pipe = pipeline or default_pipeline()
        pub = parse_date(published, what="published date") if isinstance(published, str) else published
        if isinstance(inputs, (str, Path, Article)):
            inputs = [inputs]
        stats = {"added": 0, "skipped": 0, "failed": 0, "events": 0, "errors": []}

        def articles():
            for item in inputs:
                if isinstance(item, Article):
                    yield item
                elif isinstance(item, Path) or (isinstance(item, str) and "\n" not in item and Path(item).exists()):
                    for path in iter_files([item]):
                        try:
                            yield from read_file(path, published=pub, source=source)
                        except InputError as exc:
                            stats["failed"] += 1
                            stats["errors"].append(str(exc))
                else:
                    yield Article(id=Article.make_id(str(item)), text=str(item), published=pub, source=source)

        for art in articles():
            twin = art.id if self.has_article(art.id) else self.near_copy(art)
            if twin is not None:   # the same text (or a syndicated copy of it) from another outlet
                self.add_outlet(art.model_copy(update={"id": twin}))
                stats["skipped"] += 1
                continue
            result = pipe.extract(art)
            if self.add(result):
                stats["added"] += 1
                stats["events"] += len(result.events)
            else:
                stats["skipped"] += 1
        return stats

    # ------------------------------------------------------------------ reads
    def _where(self, f: EventFilter | None) -> list:
        if f is None:
            return []
        e = T.events.c
        w = []
        if f.start:
            w.append(e.date_end >= f.start.isoformat())
            span = self._max_span()
            w.append(e.date_start >= (f.start - dt.timedelta(days=span)).isoformat())
        if f.end:
            w.append(e.date_start <= f.end.isoformat())
        if f.plover_type:
            w.append(e.plover_type.in_(f.plover_type))
        if f.plover_mode:
            w.append(e.plover_mode.in_(f.plover_mode))
        if f.acled_event_type:
            w.append(e.acled_event_type.in_(f.acled_event_type))
        if f.acled_sub_event_type:
            w.append(e.acled_sub_event_type.in_(f.acled_sub_event_type))
        if f.actor:
            pat = "%" + f.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            w.append(sa.or_(e.actor1.ilike(pat, escape="\\"), e.actor2.ilike(pat, escape="\\")))
        if f.country:
            w.append(e.country.in_(f.country))
        if f.admin1:
            w.append(sa.func.lower(e.admin1) == f.admin1.lower())
        if f.bbox:
            w.append(self.backend.bbox_clause(*f.bbox))
        if f.min_fatalities is not None:
            w.append(e.fatalities >= f.min_fatalities)
        if f.q:
            w.append(self.backend.text_clause(f.q))
        if f.acled_only:
            w.append(e.acled_event_type.is_not(None))
            w.append(e.acled_event_type != "")
        if f.dated_only:
            w.append(e.date_start.is_not(None))
        return w

    def _max_span(self, conn=None) -> int:
        """The longest event span stored (days), kept in meta by _put_event."""
        if conn is None:
            with self._read() as conn:
                return self._max_span(conn)
        v = conn.execute(sa.select(T.meta.c.value).where(T.meta.c.key == "max_span_days")).scalar()
        try:
            return int(v)
        except (TypeError, ValueError):
            return 36500

    @staticmethod
    def _filter(filters: EventFilter | None, kw: dict) -> EventFilter | None:
        if filters is not None and kw:
            raise TypeError("give an EventFilter or keyword filters, not both")
        if kw:
            return EventFilter.parse(**kw)
        return filters

    def events(self, filters: EventFilter | None = None, *, sort: str | None = None, limit: int | None = None,
               offset: int = 0, **kw) -> Iterator[Event]:
        """Stored events (streamed from a cursor), filtered by ``EventFilter`` fields given as keywords:
        ``start``/``end`` (or ``since``/``until``), ``plover_type``, ``country``, ``bbox``, ``q``, ..."""
        f = self._filter(filters, kw)
        col, desc = parse_sort(sort)
        c = T.events.c[col]
        stmt = sa.select(T.events.c.json).where(*self._where(f)).order_by(*self._order(c, desc)).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=500).execute(stmt)
            for (js,) in result:
                yield Event.model_validate_json(js)

    def export_items(self, filters: EventFilter | None = None, *, batch: int = 500) -> Iterator[ExportItem]:
        """Events with what exports need beside them (every report: outlet, URL, title, date; the
        sequence number; the time of the last change), streamed in batches: constant memory."""
        stmt = sa.select(T.events.c.json, T.events.c.seq, T.events.c.updated_at).where(
            *self._where(filters)).order_by(T.events.c.date_start, T.events.c.id)
        with self.engine.connect() as conn, self.engine.connect() as side:
            result = conn.execution_options(stream_results=True, yield_per=batch).execute(stmt)
            for part in result.partitions(batch):
                evs = [(Event.model_validate_json(js), seq, upd) for js, seq, upd in part]
                outlets = self._outlets(side, sorted({a for e, _, _ in evs for a in e.article_ids}))
                for ev, seq, upd in evs:
                    reports = [o for a in ev.article_ids for o in outlets.get(a, [])]
                    yield ExportItem(ev, reports, seq, upd)

    def _order(self, col, desc: bool) -> list:
        """ORDER BY the key, then the id in the same direction (so one index serves both). NULLs
        sort as in SQLite on both backends: first going up, last going down."""
        if self.dialect == "postgresql":
            return [col.desc().nulls_last(), T.events.c.id.desc()] if desc else [col.nulls_first(), T.events.c.id]
        return [col.desc(), T.events.c.id.desc()] if desc else [col, T.events.c.id]

    def get_event(self, event_id: str) -> Event | None:
        with self._read() as conn:
            js = conn.execute(sa.select(T.events.c.json).where(T.events.c.id == event_id)).scalar()
        return Event.model_validate_json(js) if js else None

    def list_events(self, filters: EventFilter | None = None, *, sort: str | None = None, limit: int = 50,
                    offset: int = 0) -> tuple[int, list[dict]]:
        """(total matching, one page of flat rows) from the indexed columns (no JSON decoding)."""
        col, desc = parse_sort(sort)
        c = T.events.c[col]
        where = self._where(filters)
        cols = [T.events.c[n] for n in LIST_COLUMNS]
        with self._read() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(T.events).where(*where)).scalar()
            rows = conn.execute(sa.select(*cols).where(*where).order_by(*self._order(c, desc)).limit(limit)
                                .offset(offset))
            return total, [dict(r._mapping) for r in rows]

    def rows(self, filters: EventFilter | None = None, *, columns: Iterable[str] = LIST_COLUMNS,
             sort: str | None = None, limit: int | None = None) -> Iterator[dict]:
        """Flat rows (streamed), for tables and summaries."""
        col, desc = parse_sort(sort)
        c = T.events.c[col]
        stmt = sa.select(*[T.events.c[n] for n in columns]).where(*self._where(filters)).order_by(
            *self._order(c, desc))
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            for r in conn.execution_options(stream_results=True, yield_per=1000).execute(stmt):
                yield dict(r._mapping)

    def count_by(self, column: str, filters: EventFilter | None = None) -> dict[str, int]:
        col = T.events.c[column]
        with self._read() as conn:
            rows = conn.execute(sa.select(col, sa.func.count()).where(*self._where(filters)).group_by(col))
            return {k if k is not None else "": n for k, n in rows}

    def timeline(self, filters: EventFilter | None = None, interval: str = "day",
                 by: str = "plover_type") -> list[dict]:
        """Counts of events by start day / ISO week (its Monday) / month, and by ``by``."""
        if interval not in ("day", "week", "month"):
            raise ValueError("interval: one of day, week, month")
        if by not in ("plover_type", "acled_event_type", "country"):
            raise ValueError("by: one of plover_type, acled_event_type, country")
        e = T.events.c
        with self._read() as conn:
            rows = conn.execute(sa.select(e.date_start, e[by], sa.func.count()).where(
                e.date_start.is_not(None), *self._where(filters)).group_by(e.date_start, e[by]))
            out: dict[tuple[str, str], int] = {}
            for day, key, n in rows:
                d = dt.date.fromisoformat(day)
                if interval == "week":
                    d = d - dt.timedelta(days=d.weekday())
                elif interval == "month":
                    d = d.replace(day=1)
                k = (d.isoformat(), key or "")
                out[k] = out.get(k, 0) + n
        return [{"period": p, by: k, "count": n} for (p, k), n in sorted(out.items())]

    def event_detail(self, event_id: str) -> dict | None:
        """One event with every source article (outlets, URL, title, dates), its figures with
        claimants, its links and the evidence of each field."""
        with self._read() as conn:
            row = conn.execute(sa.select(T.events.c.json, T.events.c.seq, T.events.c.updated_at)
                               .where(T.events.c.id == event_id)).first()
            if row is None:
                return None
            ev = Event.model_validate_json(row.json)
            arts = conn.execute(sa.select(T.articles.c.id, T.articles.c.title, T.articles.c.source,
                                          T.articles.c.url, T.articles.c.published)
                                .join(T.event_articles, T.event_articles.c.article_id == T.articles.c.id)
                                .where(T.event_articles.c.event_id == event_id)
                                .order_by(T.articles.c.published, T.articles.c.id)).fetchall()
            outlets = self._outlets(conn, [a.id for a in arts])
            lk = conn.execute(sa.select(T.links).where(sa.or_(T.links.c.source == event_id,
                                                              T.links.c.target == event_id))).fetchall()
        sources = [{"article_id": a.id, "title": a.title, "source": a.source, "url": a.url,
                    "published": a.published, "outlets": outlets.get(a.id, [])} for a in arts]
        links = [{"source": r.source, "target": r.target, "relation": r.relation, "article_id": r.article_id,
                  "evidence": json.loads(r.evidence) if r.evidence else None} for r in lk]
        return {"event": json.loads(ev.model_dump_json()), "seq": row.seq, "updated_at": row.updated_at,
                "sources": sources, "links": links, "evidence": evidence_of(ev)}

    @staticmethod
    def _outlets(conn, article_ids: list[str]) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        if not article_ids:
            return out
        rows = conn.execute(sa.select(T.article_sources).where(T.article_sources.c.article_id.in_(article_ids))
                            .order_by(T.article_sources.c.published, T.article_sources.c.added_at,
                                      T.article_sources.c.source))
        for r in rows:
            out.setdefault(r.article_id, []).append(
                {"source": r.source or None, "url": r.url, "title": r.title, "published": r.published})
        return out

    def article_detail(self, article_id: str) -> dict | None:
        """One article: its cleaned text, what cleaning removed, its outlets, its events and the
        evidence spans (offsets into the cleaned text) of each."""
        with self._read() as conn:
            a = conn.execute(sa.select(T.articles).where(T.articles.c.id == article_id)).first()
            if a is None:
                return None
            outlets = self._outlets(conn, [a.id]).get(a.id, [])
            evs = [Event.model_validate_json(js) for (js,) in conn.execute(
                sa.select(T.events.c.json).join(T.event_articles, T.event_articles.c.event_id == T.events.c.id)
                .where(T.event_articles.c.article_id == article_id).order_by(T.events.c.date_start, T.events.c.id))]
            qs = conn.execute(sa.select(T.quotes).where(T.quotes.c.article_id == article_id)
                              .order_by(T.quotes.c.start)).fetchall()
        events_out = []
        for ev in evs:
            events_out.append({"id": ev.id, "plover_type": ev.plover_type, "acled_event_type": ev.acled_event_type,
                               "acled_sub_event_type": ev.acled_sub_event_type,
                               "date": ev.date.start.isoformat() if ev.date else None,
                               "location": ev.location.name if ev.location else None,
                               "actor": ev.actor.name if ev.actor else None,
                               "recipient": ev.recipient.name if ev.recipient else None,
                               "fatalities": ev.fatalities, "sources": ev.sources,
                               "other_articles": [x for x in ev.article_ids if x != article_id],
                               "evidence": [s for s in evidence_of(ev) if s["article_id"] == article_id]})
        return {"id": a.id, "external_id": a.external_id, "title": a.title, "source": a.source, "url": a.url,
                "published": a.published, "outlets": outlets, "clean_text": a.clean_text,
                "removed": json.loads(a.removed_json) if a.removed_json else [], "ingested_at": a.ingested_at,
                "events": events_out,
                "quotes": [{"start": q.start, "end": q.start + len(q.text or ""), "speaker": q.speaker,
                            "text": q.text, "direct": bool(q.direct)} for q in qs]}

    def article_sources(self) -> dict[str, list[dict]]:
        with self._read() as conn:
            ids = [r[0] for r in conn.execute(sa.select(T.articles.c.id))]
            return self._outlets(conn, ids)

    def links(self) -> list[EventLink]:
        with self._read() as conn:
            rows = conn.execute(sa.select(T.links.c.source, T.links.c.target, T.links.c.relation,
                                          T.links.c.article_id, T.links.c.evidence)).fetchall()
        return [EventLink(source=s, target=t, relation=r, article_id=aid, evidence=json.loads(ev) if ev else None)
                for s, t, r, aid, ev in rows]

    def quotes(self) -> list[Quote]:
        with self._read() as conn:
            rows = conn.execute(sa.select(T.quotes.c.article_id, T.quotes.c.start, T.quotes.c.speaker,
                                          T.quotes.c.speaker_text, T.quotes.c.text, T.quotes.c.direct)
                                .order_by(T.quotes.c.article_id, T.quotes.c.start)).fetchall()
        return [Quote(article_id=a, speaker=sp, speaker_text=st or "", text=t, direct=bool(d),
                      span={"start": s, "end": s + len(t), "text": t}) for a, s, sp, st, t, d in rows]

    def counts(self) -> dict[str, int]:
        with self._read() as conn:
            def q(t):
                return conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()

            return {"articles": q(T.articles), "events": q(T.events), "links": q(T.links), "quotes": q(T.quotes)}

    def groups(self) -> set[frozenset]:
        """The events as sets of report ids (what deduplication decided: compare two stores, or a
        store before and after `dedupe --rebuild`)."""
        with self._read() as conn:
            rows = conn.execute(sa.select(T.reports.c.event_id, T.reports.c.id)).fetchall()
        out: dict[str, set] = {}
        for eid, rid in rows:
            out.setdefault(eid, set()).add(rid)
        return {frozenset(v) for v in out.values()}

    def fingerprint(self) -> str:
        """A digest of all stored rows: equal before and after a no-op re-ingest."""
        h = hashlib.sha256()
        with self._read() as conn:
            for table, cols, key in (
                    (T.articles, ("id", "text", "clean_text", "n_events"), ("id",)),
                    (T.article_sources, ("article_id", "source", "url", "published"), ("article_id", "source")),
                    (T.events, ("id", "json"), ("id",)),
                    (T.event_articles, ("event_id", "article_id"), ("event_id", "article_id")),
                    (T.links, ("source", "target", "relation", "article_id", "evidence"),
                     ("source", "target", "relation")),
                    (T.quotes, ("article_id", "start", "speaker", "speaker_text", "text", "direct"),
                     ("article_id", "start"))):
                stmt = sa.select(*[table.c[c] for c in cols]).order_by(*[table.c[k] for k in key])
                for row in conn.execute(stmt):
                    h.update(repr(tuple(row)).encode())
        return h.hexdigest()

    # ------------------------------------------------------------------ analysis-friendly output
    def records(self, filters: EventFilter | None = None, **kw) -> Iterator[dict]:
        """Flat records with typed values: dates as ``datetime.date``, CAMEO codes as strings,
        counts as ints; plus the first and latest report (URL, title, date) and the source count."""
        from ..export import flat

        for ev in self.events(self._filter(filters, kw)):
            row = flat(ev)
            for k in ("date_start", "date_end"):
                row[k] = dt.date.fromisoformat(row[k]) if row[k] else None
            for k in ("first_report_published", "latest_report_published"):
                if row.get(k):
                    row[k] = dt.date.fromisoformat(row[k])
            row["cameo"] = str(row["cameo"]) if row["cameo"] is not None else None
            yield row

    def to_pandas(self, filters: EventFilter | None = None, **kw):
        """A pandas DataFrame of :meth:`records` (pandas must be installed: it is not a dependency)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Store.to_pandas() needs pandas: pip install pandas") from None
        from ..export import FLAT_COLUMNS

        df = pd.DataFrame.from_records(list(self.records(filters, **kw)), columns=FLAT_COLUMNS)
        for k in ("date_start", "date_end", "first_report_published", "latest_report_published"):
            if k in df:
                df[k] = pd.to_datetime(df[k])
        df["cameo"] = df["cameo"].astype("string")
        return df

    def to_geopandas(self, filters: EventFilter | None = None, **kw):
        """A GeoDataFrame (EPSG:4326 points) of :meth:`records` (needs geopandas, not a dependency)."""
        try:
            import geopandas as gpd
        except ImportError:
            raise ImportError("Store.to_geopandas() needs geopandas: pip install geopandas") from None
        df = self.to_pandas(filters, **kw)
        return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326")


def evidence_of(ev: Event) -> list[dict]:
    """Every evidence span of the event, per field, with its article (offsets into the cleaned text)."""
    out = []

    def add(field, span, article_id, **extra):
        if span is not None:
            out.append({"field": field, "article_id": article_id, "start": span.start, "end": span.end,
                        "text": span.text, **extra})

    for m in ev.mentions:
        aid = m.article_id
        add("sentence", m.sentence_span, aid)
        add("trigger", m.trigger, aid, plover_type=m.plover_type)
        for a in m.actors:
            add("actor", a.span, aid, value=a.name)
        for r in m.recipients:
            add("recipient", r.span, aid, value=r.name)
        if m.location:
            add("location", m.location.span, aid, value=m.location.name)
        if m.date:
            add("date", m.date.span, aid, value=m.date.start.isoformat())
        for c in m.counts:
            add(c.kind, c.span, c.source_article or aid, value=c.value, claimed_by=c.claimed_by)
            if c.claimed_by_span is not None:
                add("claimant", c.claimed_by_span, c.source_article or aid, value=c.claimed_by)
    seen, uniq = set(), []
    for s in out:
        k = (s["field"], s["article_id"], s["start"], s["end"])
        if k not in seen:
            seen.add(k)
            uniq.append(s)
    return uniq


def _pkg_version() -> str:
    from .. import __version__

    return __version__
