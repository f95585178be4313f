"""Operators' work on tokens: list them, revoke one, rotate one (a new token in its place).

Every change is one transaction with a conditional UPDATE, so two operators rotating the same
token at once get one new token, not two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Select, select, update

from voltroute.db.models import ApiToken, Tenant, User, as_utc, utcnow
from voltroute.db.session_store import SessionStore, rows_changed
from voltroute.tenancy.tenants import is_expired, new_token_text, token_digest

TokenState = Literal["active", "expired", "revoked"]

# Limits as (minimum, default, maximum).
TOKEN_LIFETIME_DAYS = (1, None, 3650)  # default: the token never expires
ROTATION_OVERLAP_MIN = (0, 0, 10_080)  # default: the old token is refused at once; max a week


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token as an operator sees it: who it belongs to and its state, never its secret."""

    token_id: int
    tenant: str
    user: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    replaced_by_id: int | None
    state: TokenState

    def describe(self) -> str:
        """One line for a CLI: `token 3 (tenant acme, user alice, label "ci")`."""
        label = f', label "{self.label}"' if self.label else ""
        return f"token {self.token_id} (tenant {self.tenant}, user {self.user}{label})"


@dataclass(frozen=True, slots=True)
class Rotation:
    """The outcome of a rotation: the new token in clear, and both tokens after it."""

    token: str
    new: TokenInfo
    old: TokenInfo


class TokenNotFoundError(LookupError):
    """No token has this id."""


class TokenNotRotatableError(ValueError):
    """A revoked or already replaced token cannot be rotated."""


class TokenAdmin(SessionStore):
    """Lists, revokes and rotates tokens."""

    def list_tokens(self, tenant: str | None = None) -> list[TokenInfo]:
        """Every token (of one tenant, by name), by tenant and id."""
        query = _info_query().order_by(Tenant.name, ApiToken.id)
        if tenant is not None:
            query = query.where(Tenant.name == tenant)
        now = utcnow()
        with self._sessions() as session:
            return [
                _info(record, tenant, user, now) for record, tenant, user in session.execute(query)
            ]

    def get(self, token_id: int) -> TokenInfo:
        """One token; TokenNotFoundError if there is none with this id."""
        with self._sessions() as session:
            row = session.execute(_info_query().where(ApiToken.id == token_id)).first()
        if row is None:
            raise TokenNotFoundError(f"no token with id {token_id}")
        record, tenant, user = row
        return _info(record, tenant, user, utcnow())

    def revoke(self, token_id: int) -> TokenInfo:
        """Revoke a token: refused from the next request on. Revoking twice changes nothing."""
        with self._sessions.begin() as session:
            session.execute(
                update(ApiToken)
                .where(ApiToken.id == token_id, ApiToken.revoked.is_(False))
                .values(revoked=True, revoked_at=utcnow())
            )
        return self.get(token_id)

    def rotate(
        self,
        token_id: int,
        overlap: timedelta = timedelta(0),
        lifetime: timedelta | None = None,
    ) -> Rotation:
        """Issue a new token for the same tenant, user, label and webhook; retire the old one.

        With no overlap the old token is revoked at once; otherwise it expires after the overlap
        (or at its own expiry, if that is sooner), so clients can switch without a gap. The new
        token lives for lifetime, or as long as the old one was issued for (None: no expiry).
        """
        now = utcnow()
        token = new_token_text()
        with self._sessions.begin() as session:
            old = session.get(ApiToken, token_id)
            if old is None:
                raise TokenNotFoundError(f"no token with id {token_id}")
            if old.revoked or old.replaced_by_id is not None:
                state = "revoked" if old.revoked else f"replaced by token {old.replaced_by_id}"
                raise TokenNotRotatableError(f"token {token_id} is {state}")
            if lifetime is None and old.expires_at is not None:
                lifetime = as_utc(old.expires_at) - as_utc(old.created_at)
            new = ApiToken(
                token_sha256=token_digest(token),
                tenant_id=old.tenant_id,
                user_id=old.user_id,
                label=old.label,
                callback_url=old.callback_url,
                expires_at=now + lifetime if lifetime is not None else None,
            )
            session.add(new)
            session.flush()
            retire: dict[str, object] = {"replaced_by_id": new.id}
            if overlap <= timedelta(0):
                retire |= {"revoked": True, "revoked_at": now}
            elif old.expires_at is None or as_utc(old.expires_at) > now + overlap:
                retire["expires_at"] = now + overlap
            retired = rows_changed(
                session,
                update(ApiToken)
                .where(
                    ApiToken.id == token_id,
                    ApiToken.revoked.is_(False),
                    ApiToken.replaced_by_id.is_(None),
                )
                .values(**retire),
            )
            if retired != 1:  # another rotation or a revocation came first
                raise TokenNotRotatableError(f"token {token_id} changed while rotating it")
            new_id = new.id
        return Rotation(token, self.get(new_id), self.get(token_id))


def _info_query() -> Select[ApiToken, str, str]:
    return (
        select(ApiToken, Tenant.name, User.name)
        .join(Tenant, Tenant.id == ApiToken.tenant_id)
        .join(User, User.id == ApiToken.user_id)
    )


def _info(record: ApiToken, tenant: str, user: str, now: datetime) -> TokenInfo:
    state: TokenState = "active"
    if record.revoked:
        state = "revoked"
    elif is_expired(record.expires_at, now):
        state = "expired"
    return TokenInfo(
        token_id=record.id,
        tenant=tenant,
        user=user,
        label=record.label,
        created_at=as_utc(record.created_at),
        last_used_at=_utc_or_none(record.last_used_at),
        expires_at=_utc_or_none(record.expires_at),
        revoked_at=_utc_or_none(record.revoked_at),
        replaced_by_id=record.replaced_by_id,
        state=state,
    )


def _utc_or_none(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment is not None else None
