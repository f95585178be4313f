"""A real, migrated SQLite job database per test, and two tenants with a user each (fixtures)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from voltroute.db.database import create_db_engine, migrate, session_factory
from voltroute.jobs.store import JobStore
from voltroute.tenancy.tenants import Principal, TenantDirectory


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite file (WAL, foreign keys on), as the embedded deployment uses."""
    engine = create_db_engine(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> JobStore:
    return JobStore(sessions)


@pytest.fixture
def directory(sessions: sessionmaker[Session]) -> TenantDirectory:
    return TenantDirectory(sessions)


@pytest.fixture
def acme(directory: TenantDirectory) -> Principal:
    """Tenant "acme", user "alice"."""
    return directory.create_token("acme", "alice")[1]


@pytest.fixture
def globex(directory: TenantDirectory) -> Principal:
    """Tenant "globex", user "bob"."""
    return directory.create_token("globex", "bob")[1]
