"""The revisions, one per schema version ("0001" is version 1), and what each one writes in ``meta``.

``meta.schema_version`` is kept beside Alembic's own ``alembic_version``: it is how databases written
before Alembic (by the workbook's earlier hand-written steps, with the same tables) say where they
are, so they are stamped at that revision and upgraded from there.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

_META = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))


def set_schema_version(connection: Connection, version: int) -> None:
    """Record ``version`` in ``meta`` (the row is made by revision 0001)."""
    updated = connection.execute(
        sa.update(_META).where(_META.c.key == "schema_version").values(value=str(version))
    )
    if updated.rowcount == 0:
        connection.execute(sa.insert(_META).values(key="schema_version", value=str(version)))
