"""`voltroute tokens`: create with expiry, list, revoke, rotate; on a real SQLite database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from voltroute.cli import app

Invoke = Callable[..., tuple[int, str, str]]
"""Runs `voltroute tokens ARGS` on a fresh data directory: exit code, stdout, stderr."""


@pytest.fixture
def tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    monkeypatch.setenv("VOLTROUTE_DATA_DIR", str(tmp_path))
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, ["tokens", *args])
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_create_prints_the_token_and_its_expiry(tokens: Invoke) -> None:
    code, out, err = tokens(
        "create", "--tenant", "acme", "--user", "alice", "--expires-in-days", "30"
    )

    assert code == 0
    assert out.strip().startswith("vrt_")
    assert "token_id=1" in err
    assert "expires=20" in err


def test_an_expiry_outside_its_bounds_is_refused(tokens: Invoke) -> None:
    code, _, err = tokens("create", "--tenant", "acme", "--user", "alice", "--expires-in-days", "0")

    assert code == 2
    assert "expires-in-days" in err


def test_list_shows_states_and_never_a_token(tokens: Invoke) -> None:
    _, first, _ = tokens("create", "--tenant", "acme", "--user", "alice", "--label", "ci")
    tokens("create", "--tenant", "globex", "--user", "bob")
    tokens("revoke", "2")

    code, out, _ = tokens("list")

    assert code == 0
    rows = [line for line in out.splitlines() if "acme" in line or "globex" in line]
    assert len(rows) == 2
    assert "ci" in rows[0]
    assert "active" in rows[0]
    assert "revoked" in rows[1]
    assert first.strip() not in out
    _, only_globex, _ = tokens("list", "--tenant", "globex")
    assert "acme" not in only_globex


def test_revoke_names_what_it_revoked_and_fails_on_unknown_ids(tokens: Invoke) -> None:
    tokens("create", "--tenant", "acme", "--user", "alice", "--label", "ci")

    code, _, err = tokens("revoke", "1", "99")
    again_code, _, again = tokens("revoke", "1")

    assert code == 1
    assert 'revoked token 1 (tenant acme, user alice, label "ci")' in err
    assert "no token with id 99" in err
    assert again_code == 0
    assert "was revoked already" in again


def test_rotate_prints_the_new_token_and_when_the_old_one_stops(tokens: Invoke) -> None:
    _, old, _ = tokens("create", "--tenant", "acme", "--user", "alice")

    code, new, err = tokens("rotate", "1", "--overlap-minutes", "60")
    refused_code, _, refused = tokens("rotate", "1")

    assert code == 0
    assert new.strip().startswith("vrt_")
    assert new.strip() != old.strip()
    assert "token 2 replaces token 1 (tenant acme, user alice), which is refused from 20" in err
    assert refused_code == 1
    assert "Not rotated: token 1 is replaced by token 2" in refused
