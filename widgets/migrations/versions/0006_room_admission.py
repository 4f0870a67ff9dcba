"""Version 6: a room lets in about as many people as it expects; the rest wait for the facilitator.

Adds ``room_members.admitted`` (members already in a room stay counted) and ``room_line_offers``,
when each line came to a room, so a room takes only so many lines a minute.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from widgets.migrations.versions import set_schema_version

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Mark every member admitted, from now on only up to the number expected; keep when lines came."""
    # The server default makes every existing member admitted, on SQLite and PostgreSQL alike.
    op.add_column("room_members", sa.Column("admitted", sa.Integer, nullable=False, server_default="1"))
    op.create_table(
        "room_line_offers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("room_id", sa.Integer, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("offered_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_room_line_offers_room_id_offered_at", "room_line_offers", ["room_id", "offered_at"])
    set_schema_version(op.get_bind(), 6)
