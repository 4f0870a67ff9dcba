"""Version 5: the figures each room last released, so a room's figures change only in steps.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from widgets.migrations.versions import set_schema_version

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the released figures of each room's activities."""
    op.create_table(
        "room_releases",
        sa.Column("room_id", sa.Integer, sa.ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("slug", sa.String(80), primary_key=True),
        sa.Column("members", sa.Text, nullable=False),
        sa.Column("figures", sa.Text, nullable=False),
        sa.Column("released_at", sa.String(32), nullable=False),
    )
    set_schema_version(op.get_bind(), 5)
