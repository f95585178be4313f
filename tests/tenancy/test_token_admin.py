"""Token expiry, listing, revocation and rotation on a real SQLite job database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from voltroute.db.models import utcnow
from voltroute.tenancy.tenants import TenantDirectory
from voltroute.tenancy.token_admin import TokenAdmin, TokenNotFoundError, TokenNotRotatableError

HOUR = timedelta(hours=1)


@pytest.fixture
def admin(sessions: sessionmaker[Session]) -> TokenAdmin:
    return TokenAdmin(sessions)


def test_a_token_is_refused_once_its_expiry_time_has_passed(directory: TenantDirectory) -> None:
    expired, _ = directory.create_token("acme", "alice", expires_at=utcnow() - HOUR)
    valid, principal = directory.create_token("acme", "alice", expires_at=utcnow() + HOUR)

    assert directory.authenticate(expired) is None
    assert directory.authenticate(valid) == principal


def test_the_list_shows_each_tokens_owner_and_state_never_its_secret(
    directory: TenantDirectory, admin: TokenAdmin
) -> None:
    active, _ = directory.create_token("acme", "alice", label="ci")
    directory.create_token("acme", "bob", expires_at=utcnow() - HOUR)
    _, revoked = directory.create_token("globex", "carol")
    admin.revoke(revoked.token_id)

    listed = admin.list_tokens()

    assert [(t.tenant, t.user, t.label, t.state) for t in listed] == [
        ("acme", "alice", "ci", "active"),
        ("acme", "bob", "", "expired"),
        ("globex", "carol", "", "revoked"),
    ]
    assert active not in repr(listed)
    assert [t.user for t in admin.list_tokens("globex")] == ["carol"]


def test_a_revoked_token_is_refused_and_revoking_again_keeps_the_first_time(
    directory: TenantDirectory, admin: TokenAdmin
) -> None:
    token, principal = directory.create_token("acme", "alice")

    first = admin.revoke(principal.token_id)
    again = admin.revoke(principal.token_id)

    assert directory.authenticate(token) is None
    assert first.state == again.state == "revoked"
    assert again.revoked_at == first.revoked_at


def test_an_unknown_token_id_is_reported(admin: TokenAdmin) -> None:
    with pytest.raises(TokenNotFoundError, match="no token with id 42"):
        admin.revoke(42)
    with pytest.raises(TokenNotFoundError, match="no token with id 42"):
        admin.rotate(42)


def test_rotation_without_overlap_refuses_the_old_token_at_once(
    directory: TenantDirectory, admin: TokenAdmin
) -> None:
    old, principal = directory.create_token(
        "acme", "alice", label="ci", callback_url="https://hooks.example.com/voltroute"
    )

    rotation = admin.rotate(principal.token_id)

    assert directory.authenticate(old) is None
    new_principal = directory.authenticate(rotation.token)
    assert new_principal is not None
    assert (new_principal.tenant_id, new_principal.user_id, new_principal.callback_url) == (
        principal.tenant_id,
        principal.user_id,
        "https://hooks.example.com/voltroute",
    )
    assert rotation.new.label == "ci"
    assert rotation.old.state == "revoked"
    assert rotation.old.replaced_by_id == rotation.new.token_id


def test_rotation_with_overlap_keeps_the_old_token_working_until_the_overlap_ends(
    directory: TenantDirectory, admin: TokenAdmin
) -> None:
    old, principal = directory.create_token("acme", "alice")

    rotation = admin.rotate(principal.token_id, overlap=timedelta(minutes=30))

    assert directory.authenticate(old) == principal
    assert directory.authenticate(rotation.token) is not None
    assert rotation.old.state == "active"
    assert rotation.old.expires_at is not None
    assert timedelta(minutes=29) < rotation.old.expires_at - utcnow() <= timedelta(minutes=30)


def test_an_overlap_never_extends_an_old_tokens_expiry(
    directory: TenantDirectory, admin: TokenAdmin
) -> None:
    soon = utcnow() + timedelta(minutes=5)
    _, principal = directory.create_token("acme", "alice", expires_at=soon)

    rotation = admin.rotate(principal.token_id, overlap=timedelta(days=1))

    assert rotation.old.expires_at == soon


def test_a_rotated_token_lives_as_long_as_the_old_one_was_issued_for(
    directory: TenantDirectory, admin: TokenAdmin
) -> None:
    _, principal = directory.create_token("acme", "alice", expires_at=utcnow() + 30 * 24 * HOUR)
    issued = admin.get(principal.token_id)
    assert issued.expires_at is not None
    lifetime = issued.expires_at - issued.created_at

    rotation = admin.rotate(principal.token_id)
    chosen = admin.rotate(rotation.new.token_id, lifetime=timedelta(days=7))

    assert rotation.new.expires_at is not None
    assert rotation.new.expires_at - rotation.new.created_at == pytest.approx(
        lifetime, abs=timedelta(seconds=60)
    )
    assert chosen.new.expires_at is not None
    assert chosen.new.expires_at - chosen.new.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=60)
    )


def test_a_revoked_or_already_replaced_token_cannot_be_rotated(
    directory: TenantDirectory, admin: TokenAdmin
) -> None:
    _, revoked = directory.create_token("acme", "alice")
    admin.revoke(revoked.token_id)
    _, replaced = directory.create_token("acme", "alice")
    rotation = admin.rotate(replaced.token_id, overlap=HOUR)

    with pytest.raises(TokenNotRotatableError, match="is revoked"):
        admin.rotate(revoked.token_id)
    with pytest.raises(TokenNotRotatableError, match=f"replaced by token {rotation.new.token_id}"):
        admin.rotate(replaced.token_id)
    assert len(admin.list_tokens()) == 3  # the refused rotations issued nothing
