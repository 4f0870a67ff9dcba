"""Alembic's environment: the store hands over its connection, already inside its write transaction.

The store takes the database's write lock first (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory
lock), so two pages opening a new database never upgrade it twice; Alembic runs in that transaction.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
