"""Tenants and bearer tokens: issued once in clear, stored as a SHA-256 digest only."""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, text, update
from sqlalchemy.orm import Session, sessionmaker

from voltroute.db.models import ApiToken
from voltroute.tenancy.tenants import TOKEN_PREFIX, Principal, TenantDirectory


def test_a_new_token_is_returned_in_clear_with_its_principal(directory: TenantDirectory) -> None:
    token, principal = directory.create_token("acme", "alice", label="ci")
    assert token.startswith(TOKEN_PREFIX)
    assert len(token) > len(TOKEN_PREFIX) + 32
    assert directory.authenticate(token) == principal


def test_the_token_is_stored_only_as_its_digest(directory: TenantDirectory, engine: Engine) -> None:
    token, _ = directory.create_token("acme", "alice", label="ci")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM api_tokens")).all()
    assert len(rows) == 1
    stored = [str(value) for value in rows[0]]
    assert not any(token in value or token[len(TOKEN_PREFIX) :] in value for value in stored)
    assert hashlib.sha256(token.encode()).hexdigest() in stored


def test_each_call_issues_a_new_token_for_the_same_tenant_and_user(
    directory: TenantDirectory,
) -> None:
    first, first_principal = directory.create_token("acme", "alice")
    second, second_principal = directory.create_token("acme", "alice")
    assert first != second
    assert first_principal.token_id != second_principal.token_id
    assert (first_principal.tenant_id, first_principal.user_id) == (
        second_principal.tenant_id,
        second_principal.user_id,
    )
    assert directory.authenticate(first) == first_principal
    assert directory.authenticate(second) == second_principal


def test_a_wrong_token_is_not_authenticated(directory: TenantDirectory) -> None:
    token, _ = directory.create_token("acme", "alice")
    assert directory.authenticate(token + "x") is None
    assert directory.authenticate(TOKEN_PREFIX) is None
    assert directory.authenticate("") is None


def test_a_digest_is_not_accepted_as_a_token(directory: TenantDirectory) -> None:
    token, _ = directory.create_token("acme", "alice")
    assert directory.authenticate(hashlib.sha256(token.encode()).hexdigest()) is None


def test_a_revoked_token_is_not_authenticated(
    directory: TenantDirectory, sessions: sessionmaker[Session]
) -> None:
    token, principal = directory.create_token("acme", "alice")
    other, other_principal = directory.create_token("acme", "alice")
    with sessions.begin() as session:
        session.execute(
            update(ApiToken).where(ApiToken.id == principal.token_id).values(revoked=True)
        )
    assert directory.authenticate(token) is None
    assert directory.authenticate(other) == other_principal


def test_tokens_of_two_tenants_map_to_different_tenants(directory: TenantDirectory) -> None:
    acme_token, _ = directory.create_token("acme", "alice")
    globex_token, _ = directory.create_token("globex", "alice")
    acme = directory.authenticate(acme_token)
    globex = directory.authenticate(globex_token)
    assert isinstance(acme, Principal)
    assert isinstance(globex, Principal)
    assert acme.tenant_id != globex.tenant_id
    assert acme.user_id != globex.user_id  # same user name, but a user of each tenant


def test_a_chosen_token_is_accepted_as_given(directory: TenantDirectory) -> None:
    token, principal = directory.create_token("acme", "alice", token="vrt_bootstrap-secret")
    assert token == "vrt_bootstrap-secret"
    assert directory.authenticate("vrt_bootstrap-secret") == principal


def test_has_tokens_turns_true_with_the_first_token(directory: TenantDirectory) -> None:
    assert not directory.has_tokens()
    directory.create_token("acme", "alice")
    assert directory.has_tokens()
