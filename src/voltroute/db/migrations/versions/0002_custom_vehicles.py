"""custom vehicles per tenant

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "custom_vehicles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.String(length=12), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("custom_vehicles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_custom_vehicles_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index("ix_custom_vehicles_tenant_slot", ["tenant_id", "slot"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("custom_vehicles", schema=None) as batch_op:
        batch_op.drop_index("ix_custom_vehicles_tenant_slot")
        batch_op.drop_index(batch_op.f("ix_custom_vehicles_tenant_id"))
    op.drop_table("custom_vehicles")
