"""The answer store's schema versions, as Alembic revisions (``versions/``), for SQLite and PostgreSQL.

:class:`widgets.store.Store` runs them when it opens a database; nothing here is run by hand.
"""
