"""Alembic environment: wirecoder runs migrations in-process on a connection it passes in
(``config.attributes["connection"]``), inside one transaction that holds the store's write lock."""

from alembic import context

from wirecoder.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
