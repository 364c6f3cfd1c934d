"""The schema of wirecoder 0.1 (meta.schema_version 1), as it was before Alembic.

A store written by that version has these tables already and is stamped at this revision
when first opened (store/base.py), so only later revisions run on it.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from wirecoder.store.legacy_schema import SCHEMA_V1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for stmt in SCHEMA_V1.split(";"):
            if stmt.strip():
                op.execute(stmt)
        op.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', '1')")
        return
    # PostgreSQL: the same tables (no R*Tree: bounding boxes use a (latitude, longitude) index)
    op.create_table("meta", sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text))
    op.create_table(
        "articles", sa.Column("id", sa.Text, primary_key=True), sa.Column("external_id", sa.Text),
        sa.Column("path", sa.Text), sa.Column("source", sa.Text), sa.Column("title", sa.Text),
        sa.Column("published", sa.Text), sa.Column("url", sa.Text), sa.Column("text", sa.Text, nullable=False),
        sa.Column("clean_text", sa.Text, nullable=False), sa.Column("removed_json", sa.Text),
        sa.Column("offsets_json", sa.Text), sa.Column("n_events", sa.Integer), sa.Column("ingested_at", sa.Text))
    cols = [sa.Column("id", sa.Text, primary_key=True)]
    for name in ("plover_type", "plover_mode", "acled_event_type", "acled_sub_event_type", "cameo", "actor1",
                 "actor1_country", "actor1_sector", "actor2", "actor2_country", "actor2_sector", "location"):
        cols.append(sa.Column(name, sa.Text))
    cols += [sa.Column("latitude", sa.Float), sa.Column("longitude", sa.Float), sa.Column("geonameid", sa.Integer),
             sa.Column("country", sa.Text), sa.Column("admin1", sa.Text), sa.Column("geo_precision", sa.Integer),
             sa.Column("date_start", sa.Text), sa.Column("date_end", sa.Text), sa.Column("date_precision", sa.Text),
             sa.Column("date_inferred", sa.Integer), sa.Column("fatalities", sa.Integer),
             sa.Column("injured", sa.Integer), sa.Column("size", sa.Integer), sa.Column("source_count", sa.Integer),
             sa.Column("confidence", sa.Float), sa.Column("json", sa.Text, nullable=False),
             sa.Column("updated_at", sa.Text)]
    op.create_table("events", *cols)
    op.create_index("events_date", "events", ["date_start"])
    op.create_index("events_type", "events", ["plover_type", "country"])
    op.create_table(
        "event_articles",
        sa.Column("event_id", sa.Text, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True))
    op.create_table(
        "links", sa.Column("source", sa.Text, primary_key=True), sa.Column("target", sa.Text, primary_key=True),
        sa.Column("relation", sa.Text, primary_key=True), sa.Column("article_id", sa.Text),
        sa.Column("evidence", sa.Text))
    op.create_table(
        "quotes",
        sa.Column("article_id", sa.Text, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("start", sa.Integer, primary_key=True), sa.Column("speaker", sa.Text),
        sa.Column("speaker_text", sa.Text), sa.Column("text", sa.Text),
        sa.Column("direct", sa.Integer, nullable=False, server_default="1"))
    op.execute("INSERT INTO meta VALUES ('schema_version', '1') ON CONFLICT DO NOTHING")


def downgrade() -> None:
    for t in ("quotes", "links", "event_articles", "events", "articles", "meta"):
        op.drop_table(t)
