"""Which queued job a free planning thread takes next: a fair share of the workers per tenant.

The queue (Huey) delivers one message per queued job, first in, first out; read as "a thread is
free", not as "run this job". The thread then claims, from the job table, the oldest queued
job of the tenant that is served least right now:

1. the fewest running jobs (a tenant with a thread busy waits behind one without);
2. then the longest since its last job started (round-robin between equals; a tenant that
   never ran goes first);
3. then the oldest queued job (submission order).

So a burst of one tenant cannot hold back another tenant's job for longer than the time until
the next thread is free: that thread's next claim is the other tenant's. The answer comes from
the database on SQLite and PostgreSQL alike, whatever order the messages arrive in.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from voltroute.db.models import Job, JobStatus


def next_fair_job(session: Session) -> int | None:
    """optimization_id of the queued job whose turn it is; None when nothing is queued."""
    waiting = (
        select(Job.tenant_id, func.min(Job.optimization_id).label("oldest"))
        .where(Job.status == JobStatus.QUEUED.value)
        .group_by(Job.tenant_id)
        .subquery()
    )
    other = aliased(Job)
    running = (
        select(func.count())
        .select_from(other)
        .where(other.tenant_id == waiting.c.tenant_id, other.status == JobStatus.RUNNING.value)
        .scalar_subquery()
    )
    last_start = (
        select(func.max(other.started_at))
        .where(other.tenant_id == waiting.c.tenant_id)
        .scalar_subquery()
    )
    query = (
        select(waiting.c.oldest)
        .order_by(running, last_start.asc().nulls_first(), waiting.c.oldest)
        .limit(1)
    )
    oldest: int | None = session.scalar(query)
    return oldest
