"""Version 7: each line offered to a room keeps the language it was written in.

Adds ``room_lines.lang`` (a language tag, as the content folders name them): the dashboard and the
slides show a line in its own language and mark it so (``lang="es"``), whatever language they are in.
Lines kept before were all written in English.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from widgets.migrations.versions import set_schema_version

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the language of each line; the lines already kept are English."""
    op.add_column("room_lines", sa.Column("lang", sa.String(12), nullable=False, server_default="en"))
    set_schema_version(op.get_bind(), 7)
