"""Tenants, users and bearer tokens. Tokens are stored as SHA-256 digests, never in clear.

A token is accepted until it is revoked or its expiry time passes; both are read from the
database on every request, so a revocation takes effect at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from voltroute.db.models import ApiToken, Tenant, User, as_utc, utcnow
from voltroute.db.session_store import SessionStore

TOKEN_PREFIX = "vrt_"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the tenant and user a token belongs to."""

    tenant_id: int
    user_id: int
    token_id: int
    callback_url: str | None = None  # the token's default webhook target


def token_digest(token: str) -> str:
    """SHA-256 hex digest of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token_text() -> str:
    """A fresh random token (256 bits), as the client sends it."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def is_expired(expires_at: datetime | None, now: datetime) -> bool:
    """True once a token's expiry time has come (never for a token without one)."""
    return expires_at is not None and as_utc(expires_at) <= now


class TenantDirectory(SessionStore):
    """Creates tenants, users and tokens; resolves a bearer token to its principal."""

    def create_token(
        self,
        tenant_name: str,
        user_name: str,
        label: str = "",
        token: str | None = None,
        callback_url: str | None = None,
        expires_at: datetime | None = None,
    ) -> tuple[str, Principal]:
        """Create (or reuse) tenant and user by name and issue a new token; returns it in clear.

        expires_at: the token is refused from then on (None: it never expires).
        """
        token = token or new_token_text()
        with self._sessions.begin() as session:
            tenant = session.scalars(select(Tenant).where(Tenant.name == tenant_name)).first()
            if tenant is None:
                tenant = Tenant(name=tenant_name)
                session.add(tenant)
                session.flush()
            user = session.scalars(
                select(User).where(User.tenant_id == tenant.id, User.name == user_name)
            ).first()
            if user is None:
                user = User(tenant_id=tenant.id, name=user_name)
                session.add(user)
                session.flush()
            record = ApiToken(
                token_sha256=token_digest(token),
                tenant_id=tenant.id,
                user_id=user.id,
                label=label,
                callback_url=callback_url,
                expires_at=expires_at,
            )
            session.add(record)
            session.flush()
            principal = Principal(tenant.id, user.id, record.id, callback_url)
        return token, principal

    def authenticate(self, token: str) -> Principal | None:
        """The principal of a valid token, neither revoked nor expired; None otherwise."""
        digest = token_digest(token)
        with self._sessions() as session:
            record = session.scalars(
                select(ApiToken).where(ApiToken.token_sha256 == digest)
            ).first()
            # The lookup is by digest; compare again in constant time so no timing leaks a match.
            if (
                record is None
                or record.revoked
                or is_expired(record.expires_at, utcnow())
                or not hmac.compare_digest(record.token_sha256, digest)
            ):
                return None
            return Principal(record.tenant_id, record.user_id, record.id, record.callback_url)

    def mark_used(self, token_id: int) -> None:
        """Record the token's last use (audit)."""
        with self._sessions.begin() as session:
            session.execute(
                update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow())
            )

    def has_tokens(self) -> bool:
        """True once any token exists."""
        with self._sessions() as session:
            return session.scalars(select(ApiToken.id).limit(1)).first() is not None
