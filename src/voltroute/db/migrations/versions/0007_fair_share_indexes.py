"""jobs: indexes for the fair claim (running jobs and latest start per tenant)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-12 10:00:00
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_jobs_tenant_status", "jobs", ["tenant_id", "status"])
    op.create_index("ix_jobs_tenant_started", "jobs", ["tenant_id", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_jobs_tenant_started", table_name="jobs")
    op.drop_index("ix_jobs_tenant_status", table_name="jobs")
