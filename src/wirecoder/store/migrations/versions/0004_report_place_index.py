"""Deduplication candidates by place too: an index over the reports' blocking keys with the country
(family, country, lo, hi) that also holds the event and report ids, so a new report's candidates
are read from the index alone (rows of other countries are not read, and a report's features are
read only for the candidates that pass the date and place test).

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("reports_place", "reports", ["family", "country", "lo", "hi", "event_id", "id"])
    op.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")


def downgrade() -> None:
    raise NotImplementedError("wirecoder stores are only upgraded")
