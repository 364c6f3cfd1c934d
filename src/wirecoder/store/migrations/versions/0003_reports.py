"""Reports: every article's own event, kept with the matcher's features and indexed blocking keys
(type family, date interval, country), so that deduplication reads an index range instead of
decoding candidate events, and clusters can be recomputed (`wirecoder dedupe --rebuild`).
Existing events are split back into their reports (store/reports.py). Also each article's text
signature and LSH band keys (syndication.py), to find syndicated copies through an index.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from wirecoder.schema import Event
    from wirecoder.store.reports import report_row, reports_of

    bind = op.get_bind()
    op.create_table(
        "reports", sa.Column("id", sa.Text, primary_key=True), sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("event_id", sa.Text), sa.Column("family", sa.Text), sa.Column("country", sa.Text),
        sa.Column("lo", sa.Integer), sa.Column("hi", sa.Integer), sa.Column("rep", sa.Text, nullable=False),
        sa.Column("json", sa.Text, nullable=False))
    # candidates: one family, an interval of start days (an event spans at most a month when it can match)
    op.create_index("reports_block", "reports", ["family", "lo", "hi"])
    op.create_index("reports_event", "reports", ["event_id"])
    op.create_index("reports_article", "reports", ["article_id"])
    with op.batch_alter_table("links") as b:
        b.add_column(sa.Column("source_report", sa.Text))
        b.add_column(sa.Column("target_report", sa.Text))
    op.execute("UPDATE links SET source_report = source, target_report = target")
    op.create_index("links_source_report", "links", ["source_report"])
    op.create_index("links_target_report", "links", ["target_report"])
    arts = {i: (p, s) for i, p, s in bind.execute(sa.text("SELECT id, published, source FROM articles"))}
    table = sa.table("reports", *[sa.column(c) for c in ("id", "article_id", "event_id", "family", "country", "lo",
                                                          "hi", "rep", "json")])
    seen = set()
    rows = bind.execute(sa.text("SELECT id, json FROM events ORDER BY id")).fetchall()
    batch = []
    for eid, js in rows:
        ev = Event.model_validate_json(js)
        for rep in reports_of(ev, arts):
            if rep.id in seen:
                continue
            seen.add(rep.id)
            aid = rep.article_ids[0] if rep.article_ids else ""
            batch.append(report_row(rep, aid, eid))
        if len(batch) >= 500:
            bind.execute(table.insert(), batch)
            batch = []
    if batch:
        bind.execute(table.insert(), batch)
    # syndicated copies: every stored text's signature and band keys
    from wirecoder.store.reports import signature_rows

    op.create_table("article_sigs", sa.Column("article_id", sa.Text, primary_key=True),
                    sa.Column("sig", sa.Text, nullable=False), sa.Column("figures", sa.Text))
    op.create_table("article_bands", sa.Column("band", sa.Text, primary_key=True),
                    sa.Column("article_id", sa.Text, primary_key=True))
    sigs = sa.table("article_sigs", sa.column("article_id"), sa.column("sig"), sa.column("figures"))
    bands = sa.table("article_bands", sa.column("band"), sa.column("article_id"))
    for aid, text in bind.execute(sa.text("SELECT id, text FROM articles")).fetchall():
        got = signature_rows(aid, text)
        if got is not None:
            bind.execute(sigs.insert(), [got[0]])
            bind.execute(bands.insert(), got[1])
    op.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")


def downgrade() -> None:
    raise NotImplementedError("wirecoder stores are only upgraded")
