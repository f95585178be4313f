"""What every store over the job database shares: its sessions, and the rows a write changed."""

from __future__ import annotations

from sqlalchemy import CursorResult, Delete, Update
from sqlalchemy.orm import Session, sessionmaker


class SessionStore:
    """A store that opens a session of its own for each call (one transaction per write)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions


def rows_changed(session: Session, statement: Update | Delete) -> int:
    """Rows an UPDATE or DELETE changed: the compare-and-set result conditional writes rely on."""
    result = session.execute(statement)
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
