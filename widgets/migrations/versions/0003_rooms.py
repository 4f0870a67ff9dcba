"""Version 3: group rooms: who joined, what each chose to share, and lines offered to the group.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from widgets.migrations.versions import set_schema_version

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_PARTICIPANT = ("participants.id",)


def upgrade() -> None:
    """Create the four room tables."""
    op.create_table(
        "rooms",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("join_code", sa.String(12), nullable=False, unique=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("threshold", sa.Integer, nullable=False),
        sa.Column("pace_section", sa.Integer, nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("last_active_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "room_members",
        sa.Column(
            "participant_id", sa.Integer, sa.ForeignKey(*_PARTICIPANT, ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("room_id", sa.Integer, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("joined_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_room_members_room_id", "room_members", ["room_id"])
    op.create_table(
        "room_shares",
        sa.Column("room_id", sa.Integer, sa.ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True),
        sa.Column(
            "participant_id", sa.Integer, sa.ForeignKey(*_PARTICIPANT, ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("slug", sa.String(80), primary_key=True),
    )
    op.create_table(
        "room_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("room_id", sa.Integer, sa.ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "participant_id", sa.Integer, sa.ForeignKey(*_PARTICIPANT, ondelete="CASCADE"), nullable=False
        ),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("approved", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_room_lines_room_id", "room_lines", ["room_id"])
    set_schema_version(op.get_bind(), 3)
