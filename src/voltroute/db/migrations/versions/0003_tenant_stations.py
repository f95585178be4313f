"""tenant stations: a tenant's own charging stations (depot chargers)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tenant_stations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.String(length=200), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tenant_stations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tenant_stations_tenant_station", ["tenant_id", "station_id"], unique=True
        )
        batch_op.create_index("ix_tenant_stations_tenant_lat_lon", ["tenant_id", "lat", "lon"])


def downgrade() -> None:
    with op.batch_alter_table("tenant_stations", schema=None) as batch_op:
        batch_op.drop_index("ix_tenant_stations_tenant_lat_lon")
        batch_op.drop_index("ix_tenant_stations_tenant_station")
    op.drop_table("tenant_stations")
