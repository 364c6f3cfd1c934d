"""Serve and export: every outlet of an article, an event sequence number (ACLED event_id_cnty),
first/last report dates, indexes for the API's filters, full-text search over articles.

Revision ID: 0002
Revises: 0001
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.create_table(
        "article_sources", sa.Column("article_id", sa.Text, primary_key=True),
        sa.Column("source", sa.Text, primary_key=True), sa.Column("url", sa.Text), sa.Column("title", sa.Text),
        sa.Column("published", sa.Text), sa.Column("external_id", sa.Text), sa.Column("added_at", sa.Text))
    op.execute("INSERT INTO article_sources (article_id, source, url, title, published, external_id, added_at) "
               "SELECT id, COALESCE(source, ''), url, title, published, external_id, ingested_at FROM articles")
    for col in ("seq", "first_reported", "last_reported"):
        op.add_column("events", sa.Column(col, sa.Integer if col == "seq" else sa.Text))
    # sequence numbers in the order events were stored (then by id)
    rows = bind.execute(sa.text("SELECT id FROM events ORDER BY updated_at, id")).fetchall()
    for i, (eid,) in enumerate(rows, 1):
        bind.execute(sa.text("UPDATE events SET seq = :s WHERE id = :i"), {"s": i, "i": eid})
    bind.execute(sa.text(
        "UPDATE events SET first_reported = (SELECT min(a.published) FROM event_articles ea JOIN articles a "
        "ON a.id = ea.article_id WHERE ea.event_id = events.id), last_reported = (SELECT max(a.published) "
        "FROM event_articles ea JOIN articles a ON a.id = ea.article_id WHERE ea.event_id = events.id)"))
    # the longest span of an event (days): a date filter then reads only [start - span, end] of the date index
    rows = bind.execute(sa.text("SELECT date_start, date_end FROM events WHERE date_start IS NOT NULL")).fetchall()
    span = max([(dt.date.fromisoformat(e) - dt.date.fromisoformat(s)).days for s, e in rows if e] or [0])
    bind.execute(sa.text("INSERT INTO meta (key, value) VALUES ('max_span_days', :v)"), {"v": str(span)})
    # one index per sort key, each ending with the id (the tie-breaker, sorted in the same direction),
    # so a page is an index range. PostgreSQL: (key DESC NULLS LAST, id DESC), whose forward scan is the
    # descending order and whose backward scan the ascending one, NULLs placed as SQLite places them.
    sort_indexes = [("events_date_id", [], "date_start", ["date_end"]), ("events_country_date", ["country"],
                    "date_start", []), ("events_type_date", ["plover_type"], "date_start", []),
                    ("events_fatalities", [], "fatalities", []), ("events_updated", [], "updated_at", []),
                    ("events_sources", [], "source_count", []), ("events_confidence", [], "confidence", [])]
    for name, lead, key, extra in sort_indexes:
        if sqlite:
            op.create_index(name, "events", [*lead, key, "id", *extra])
        else:
            include = f" INCLUDE ({', '.join(extra)})" if extra else ""
            op.execute(f"CREATE INDEX {name} ON events ({''.join(c + ', ' for c in lead)}{key} DESC NULLS LAST, "
                       f"id DESC){include}")
    op.create_index("events_seq", "events", ["seq"], unique=True)
    op.create_index("events_day_type", "events", ["date_start", "plover_type", "acled_event_type", "country"])
    op.create_index("events_acled", "events", ["acled_event_type", "acled_sub_event_type", "date_start"])
    op.create_index("event_articles_article", "event_articles", ["article_id"])
    if sqlite:
        # the R*Tree keyed by the events' own rowid (an upsert keeps it): a box is a rowid set, no id mapping
        op.execute("DELETE FROM events_geo")
        op.execute("INSERT INTO events_geo SELECT rowid, latitude, latitude, longitude, longitude FROM events "
                   "WHERE latitude IS NOT NULL AND longitude IS NOT NULL")
        op.execute("DROP TABLE events_geo_ids")
        op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, clean_text, content='articles', "
                   "content_rowid='rowid')")
        op.execute("INSERT INTO articles_fts(rowid, title, clean_text) SELECT rowid, title, clean_text FROM articles")
        op.execute("CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN INSERT INTO articles_fts(rowid, "
                   "title, clean_text) VALUES (new.rowid, new.title, new.clean_text); END")
        op.execute("CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN INSERT INTO articles_fts("
                   "articles_fts, rowid, title, clean_text) VALUES ('delete', old.rowid, old.title, old.clean_text); END")
    else:
        op.create_index("events_latlon", "events", ["latitude", "longitude"])
        op.execute("CREATE INDEX articles_fts ON articles USING gin "
                   "(to_tsvector('english', COALESCE(title, '') || ' ' || clean_text))")
    op.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


def downgrade() -> None:
    raise NotImplementedError("wirecoder stores are only upgraded")
