"""The store: one interface (base.Store), two backends (SQLite by default, PostgreSQL with a
postgresql:// URL), Alembic migrations in migrations/."""

from .base import HEAD, SCHEMA_VERSION, Store, StoreError, evidence_of
from .filters import EventFilter, parse_sort

__all__ = ["Store", "StoreError", "EventFilter", "parse_sort", "evidence_of", "HEAD", "SCHEMA_VERSION"]
