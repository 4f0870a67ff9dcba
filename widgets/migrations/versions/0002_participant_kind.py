"""Version 2: a participant is real or the demo one; an index for the retention purge.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from widgets.migrations.versions import set_schema_version

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add each participant's kind and the purge's index."""
    op.add_column(
        "participants", sa.Column("kind", sa.String(20), nullable=False, server_default="participant")
    )
    op.create_index("ix_participants_last_active_at", "participants", ["last_active_at"])
    set_schema_version(op.get_bind(), 2)
