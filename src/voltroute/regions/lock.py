"""One lock per region directory, shared by every process that builds or writes into it."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def region_lock(region_dir: Path) -> Iterator[None]:
    """Hold the region's lock: builds, rebuilds and station imports of one region take turns.

    The lock file lies next to the directory (`.<name>.lock`), not in it, because a build
    replaces the directory as a whole. flock locks belong to an open file, so two threads of one
    process exclude each other too; the lock is not reentrant.
    """
    region_dir = Path(region_dir).resolve()
    region_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = region_dir.with_name(f".{region_dir.name}.lock")
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
