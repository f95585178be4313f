"""The audit log of token use: one row per authenticated request (`voltroute tokens audit`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from voltroute.db.models import ApiToken, Tenant, TokenAuditEntry, as_utc, utcnow
from voltroute.db.session_store import SessionStore

PATH_MAX_CHARS = 512
CLIENT_MAX_CHARS = 64


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One logged request, with the token's label and the tenant's name."""

    at: datetime
    token_id: int
    token_label: str
    tenant: str
    method: str
    path: str
    status_code: int
    client_address: str


class TokenAudit(SessionStore):
    """Writes and reads the token audit log."""

    def record(
        self,
        token_id: int,
        tenant_id: int,
        method: str,
        path: str,
        status_code: int,
        client_address: str,
    ) -> None:
        """Append one entry (a single INSERT)."""
        with self._sessions.begin() as session:
            session.add(
                TokenAuditEntry(
                    token_id=token_id,
                    tenant_id=tenant_id,
                    method=method[:16],
                    path=path[:PATH_MAX_CHARS],
                    status_code=status_code,
                    client_address=client_address[:CLIENT_MAX_CHARS],
                    created_at=utcnow(),
                )
            )

    def recent(self, limit: int = 50, tenant: str | None = None) -> list[AuditRecord]:
        """The newest entries first, of every tenant or of the tenant with this name."""
        query = (
            select(TokenAuditEntry, ApiToken.label, Tenant.name)
            .join(ApiToken, ApiToken.id == TokenAuditEntry.token_id)
            .join(Tenant, Tenant.id == TokenAuditEntry.tenant_id)
            .order_by(TokenAuditEntry.created_at.desc(), TokenAuditEntry.id.desc())
            .limit(limit)
        )
        if tenant is not None:
            query = query.where(Tenant.name == tenant)
        with self._sessions() as session:
            return [
                AuditRecord(
                    at=as_utc(entry.created_at),
                    token_id=entry.token_id,
                    token_label=label,
                    tenant=name,
                    method=entry.method,
                    path=entry.path,
                    status_code=entry.status_code,
                    client_address=entry.client_address,
                )
                for entry, label, name in session.execute(query).all()
            ]
