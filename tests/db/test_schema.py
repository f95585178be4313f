"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from tests.db.databases import BACKENDS, migrated_engine

from voltroute.db.database import migrate
from voltroute.db.models import Base


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_migrated_schema_matches_the_models(kind: str, tmp_path: Path) -> None:
    with migrated_engine(kind, tmp_path) as engine:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
        tables = set(inspect(engine).get_table_names())
        assert {"webhook_deliveries", "idempotency_keys", "token_audit"} <= tables
        migrate(engine)  # a second run is a no-op
