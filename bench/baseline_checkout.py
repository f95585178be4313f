"""An earlier commit of voltroute to measure against, checked out with its own compiled core.

`check_out(ref, worktree)` adds a detached git worktree of ref at worktree and puts a compiled
core in its src/: built from the ref's own C++ (a wheel built with uv, about 20 s) when
src/voltroute/planner/cpp differs from this working tree's, else a copy of ours. `remove` takes
the worktree away again (call it in a finally).

The editable install of this repository puts a finder for `voltroute` ahead of sys.path, so
PYTHONPATH alone does not reach the checkout's sources: `Checkout.python` starts a script with
that finder removed (a server that starts a worker needs more: bench/long_haul.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Runs sys.argv[2] as __main__ with voltroute from sys.argv[1]: the editable install's finder
# goes, the sources come first on sys.path, and the import is checked before the script runs.
_RUN_FROM_SOURCES = """import runpy, sys
from pathlib import Path
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__module__]
sources = Path(sys.argv[1])
sys.path.insert(0, str(sources))
import voltroute
if not Path(voltroute.__file__).resolve().is_relative_to(sources.resolve()):
    raise SystemExit(f"voltroute imported from {voltroute.__file__}, not from {sources}")
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@dataclass(frozen=True)
class Checkout:
    """A worktree of an earlier commit whose src/ holds its own compiled core."""

    ref: str
    path: Path

    @property
    def sources(self) -> Path:
        """The directory to import `voltroute` from."""
        return self.path / "src"

    @property
    def env(self) -> dict[str, str]:
        """The environment, on top of os.environ, for Python against the checkout's sources."""
        return {"PYTHONPATH": os.pathsep.join([str(self.sources), str(self.path)])}

    def python(self, script: str, *args: str) -> list[str]:
        """The command that runs the checkout's script (relative to its root) with its
        voltroute; run it with cwd=self.path and env={**os.environ, **self.env}."""
        return self.python_running(self.path / script, *args)

    def python_running(self, script: Path, *args: str) -> list[str]:
        """The command that runs any script (this repository's, say: the same workload on both
        sides) with the checkout's voltroute; run it as python()'s."""
        command = [sys.executable, "-c", _RUN_FROM_SOURCES, str(self.sources)]
        return [*command, str(script), *args]


def check_out(ref: str, worktree: Path) -> Checkout:
    """A detached worktree of ref at worktree, its compiled core in place."""
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(worktree), ref],
        check=True,
        capture_output=True,
    )
    try:
        _place_core(ref, worktree)
    except BaseException:
        remove(worktree)
        raise
    return Checkout(ref, worktree)


def remove(worktree: Path) -> None:
    """Takes the worktree away (and git's record of it)."""
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)],
        check=False,
        capture_output=True,
    )


def _place_core(ref: str, worktree: Path) -> None:
    planner = worktree / "src" / "voltroute" / "planner"
    core_changed = subprocess.run(
        # Against the working tree: the core in src/ is built from it.
        ["git", "-C", str(REPO), "diff", "--quiet", ref, "--", "src/voltroute/planner/cpp"],
        check=False,
    ).returncode
    if core_changed:
        # Its own compiled core, built from its sources into a wheel (about 20 s).
        wheels = worktree.parent / "baseline-wheel"
        subprocess.run(
            [*_uv(), "build", "--wheel", "--python", sys.executable, "--out-dir", str(wheels)],
            cwd=worktree,
            env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
            check=True,
            capture_output=True,
        )
        with zipfile.ZipFile(next(wheels.glob("*.whl"))) as wheel:
            for name in wheel.namelist():
                if name.startswith("voltroute/planner/_search") and name.endswith(".so"):
                    (planner / Path(name).name).write_bytes(wheel.read(name))
    else:
        for module in (REPO / "src" / "voltroute" / "planner").glob("_search*.so"):
            shutil.copy2(module, planner / module.name)


def _uv() -> list[str]:
    """uv as scripts/setup left it: on the PATH, or beside the base interpreter."""
    found = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.base_prefix) / "bin"))
    if found:
        return [found]
    return [str(Path(sys.base_prefix) / "bin" / "python3"), "-m", "uv"]
