"""Which workers are alive: each beats its row in `workers`, and removes it when it stops.

A worker counts as alive while it beat within WORKER_SILENT_AFTER_S and, when it runs on this
host, its process exists: a killed worker is seen as gone at once here, and within seconds from
other hosts. /health reports `degraded` while none is alive.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, select, update

from voltroute.db.models import WorkerProcess, utcnow
from voltroute.db.session_store import SessionStore, rows_changed

WORKER_SILENT_AFTER_S = 10.0  # five missed heartbeats of 2 s
FORGET_AFTER_S = 3600.0  # rows of workers silent this long are deleted


def new_worker_id() -> str:
    """host:pid:start, so a restarted worker never shares an identity with its predecessor."""
    return f"{socket.gethostname()}:{os.getpid()}:{int(time.time() * 1000)}"


def dead_local_workers(worker_ids: Iterable[str]) -> set[str]:
    """Workers on this host whose process no longer exists."""
    host = socket.gethostname()
    dead = set()
    for worker_id in worker_ids:
        parts = worker_id.split(":")
        if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
            continue
        try:
            os.kill(int(parts[1]), 0)
        except ProcessLookupError:
            dead.add(worker_id)
        except PermissionError:
            continue
    return dead


class WorkerRegistry(SessionStore):
    """Reads and writes the `workers` rows."""

    def beat(self, worker_id: str) -> None:
        """This worker is alive now (its row is created on the first beat)."""
        now = utcnow()
        with self._sessions.begin() as session:
            beaten = rows_changed(
                session,
                update(WorkerProcess)
                .where(WorkerProcess.worker_id == worker_id)
                .values(beat_at=now),
            )
            if beaten == 0:  # only the worker itself writes its row: no insert race
                session.add(WorkerProcess(worker_id=worker_id, started_at=now, beat_at=now))

    def remove(self, worker_id: str) -> None:
        """This worker has stopped."""
        with self._sessions.begin() as session:
            session.execute(delete(WorkerProcess).where(WorkerProcess.worker_id == worker_id))

    def alive(self, silent_after_s: float = WORKER_SILENT_AFTER_S) -> list[str]:
        """Ids of the workers alive now, oldest first."""
        cutoff = utcnow() - timedelta(seconds=silent_after_s)
        with self._sessions() as session:
            recent = list(
                session.scalars(
                    select(WorkerProcess.worker_id)
                    .where(WorkerProcess.beat_at >= cutoff)
                    .order_by(WorkerProcess.started_at)
                )
            )
        dead = dead_local_workers(recent)
        return [worker_id for worker_id in recent if worker_id not in dead]

    def forget_dead(self, forget_after_s: float = FORGET_AFTER_S) -> int:
        """Delete the rows of dead local workers and of workers silent for forget_after_s."""
        cutoff = utcnow() - timedelta(seconds=forget_after_s)
        with self._sessions.begin() as session:
            known = list(session.scalars(select(WorkerProcess.worker_id)))
            return rows_changed(
                session,
                delete(WorkerProcess).where(
                    (WorkerProcess.beat_at < cutoff)
                    | WorkerProcess.worker_id.in_(dead_local_workers(known))
                ),
            )
