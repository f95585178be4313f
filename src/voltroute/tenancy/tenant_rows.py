"""Rows a tenant owns under a key of its own: one lookup, so no tenant reads another's row."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from voltroute.db.models import Base


@dataclass(frozen=True, slots=True)
class TenantKeyedRows[RowT: Base, KeyT]:
    """A table whose rows each tenant keeps under a key (a custom vehicle's slot, a station id)."""

    table: type[RowT]
    tenant_column: InstrumentedAttribute[int]
    key_column: InstrumentedAttribute[KeyT]

    def row(self, session: Session, tenant_id: int, key: KeyT) -> RowT | None:
        """The tenant's row under key; None when it has none (another tenant's does not count)."""
        query = select(self.table).where(self.tenant_column == tenant_id, self.key_column == key)
        return session.scalars(query).first()

    def in_key_order(self, session: Session, tenant_id: int) -> list[RowT]:
        """Every row of the tenant, by key."""
        query = select(self.table).where(self.tenant_column == tenant_id)
        return list(session.scalars(query.order_by(self.key_column)))

    def delete(self, sessions: sessionmaker[Session], tenant_id: int, key: KeyT) -> bool:
        """Delete the tenant's row under key; False when it has none."""
        with sessions.begin() as session:
            row = self.row(session, tenant_id, key)
            if row is None:
                return False
            session.delete(row)
        return True
