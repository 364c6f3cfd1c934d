"""The store's tables at the head revision, as SQLAlchemy Core objects (the queries use these;
the migrations in migrations/versions create them). Dates are ISO-8601 text on both backends, so
they sort and compare the same way everywhere."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text

metadata = MetaData()

meta = Table("meta", metadata, Column("key", Text, primary_key=True), Column("value", Text))

articles = Table(
    "articles", metadata,
    Column("id", Text, primary_key=True), Column("external_id", Text), Column("path", Text),
    Column("source", Text), Column("title", Text), Column("published", Text), Column("url", Text),
    Column("text", Text, nullable=False), Column("clean_text", Text, nullable=False),
    Column("removed_json", Text), Column("offsets_json", Text), Column("n_events", Integer),
    Column("ingested_at", Text),
)

# every outlet that sent this very text (the same article id): one row each
article_sources = Table(
    "article_sources", metadata,
    Column("article_id", Text, primary_key=True), Column("source", Text, primary_key=True),
    Column("url", Text), Column("title", Text), Column("published", Text), Column("external_id", Text),
    Column("added_at", Text),
)

events = Table(
    "events", metadata,
    Column("id", Text, primary_key=True), Column("plover_type", Text), Column("plover_mode", Text),
    Column("acled_event_type", Text), Column("acled_sub_event_type", Text), Column("cameo", Text),
    Column("actor1", Text), Column("actor1_country", Text), Column("actor1_sector", Text),
    Column("actor2", Text), Column("actor2_country", Text), Column("actor2_sector", Text),
    Column("location", Text), Column("latitude", Float), Column("longitude", Float), Column("geonameid", Integer),
    Column("country", Text), Column("admin1", Text), Column("geo_precision", Integer),
    Column("date_start", Text), Column("date_end", Text), Column("date_precision", Text),
    Column("date_inferred", Integer), Column("fatalities", Integer), Column("injured", Integer),
    Column("size", Integer), Column("source_count", Integer), Column("confidence", Float),
    Column("json", Text, nullable=False), Column("updated_at", Text),
    # revision 0002
    Column("seq", Integer), Column("first_reported", Text), Column("last_reported", Text),
)

event_articles = Table(
    "event_articles", metadata,
    Column("event_id", Text, primary_key=True), Column("article_id", Text, primary_key=True),
)

links = Table(
    "links", metadata,
    Column("source", Text, primary_key=True), Column("target", Text, primary_key=True),
    Column("relation", Text, primary_key=True), Column("article_id", Text), Column("evidence", Text),
    # revision 0003: the reports the link was read between (source/target follow their events)
    Column("source_report", Text), Column("target_report", Text),
)

quotes = Table(
    "quotes", metadata,
    Column("article_id", Text, primary_key=True), Column("start", Integer, primary_key=True),
    Column("speaker", Text), Column("speaker_text", Text), Column("text", Text),
    Column("direct", Integer, nullable=False, server_default="1"),
)

# revision 0003: each article's own event (a report), in the event it was fused into; the blocking
# keys of deduplication as columns (type family, date interval as day ordinals, country)
reports = Table(
    "reports", metadata,
    Column("id", Text, primary_key=True), Column("article_id", Text, nullable=False), Column("event_id", Text),
    Column("family", Text), Column("country", Text), Column("lo", Integer), Column("hi", Integer),
    Column("rep", Text, nullable=False), Column("json", Text, nullable=False),
)

# revision 0003: each article's text signature (syndication.py) and its LSH band keys, to find
# syndicated copies of a stored text through an index
article_sigs = Table(
    "article_sigs", metadata,
    Column("article_id", Text, primary_key=True), Column("sig", Text, nullable=False), Column("figures", Text),
)
article_bands = Table(
    "article_bands", metadata,
    Column("band", Text, primary_key=True), Column("article_id", Text, primary_key=True),
)

EVENT_COLUMNS = [c.name for c in events.columns]
_ = String  # re-exported for migrations
