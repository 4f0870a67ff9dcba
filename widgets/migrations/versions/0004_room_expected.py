"""Version 4: how many people a room's facilitator expects, so the server gets that many pages ready.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from widgets.migrations.versions import set_schema_version

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the number of people a room expects."""
    op.add_column("rooms", sa.Column("expected", sa.Integer, nullable=False, server_default="30"))
    set_schema_version(op.get_bind(), 4)
