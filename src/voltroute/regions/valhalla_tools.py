"""The Valhalla side of a build: the config we ship with a region and the pyvalhalla executables."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import valhalla
from valhalla import get_config

from voltroute.regions.errors import RegionBuildError
from voltroute.routing import with_service_limits

# Valhalla's truck defaults (20 locations, 400 km matrices, 200 km traces) are far below a
# multi-day truck tour with charging candidates; these are the limits a region ships with.
TRUCK_MAX_LOCATIONS = 200
TRUCK_MAX_DISTANCE_M = 5_000_000
TRUCK_MAX_MATRIX_DISTANCE_M = 5_000_000
TRUCK_MAX_MATRIX_LOCATION_PAIRS = TRUCK_MAX_LOCATIONS * TRUCK_MAX_LOCATIONS
TRACE_MAX_DISTANCE_M = 5_000_000
# Valhalla's default 500 km would refuse a departure-time route across Germany.
MAX_TIME_DEPENDENT_DISTANCE_M = 5_000_000
# Depots and chargers may sit on private yards away from the mapped road; 200 m is too tight.
MAX_SNAP_RADIUS_M = 1_000

TOOL_TIMEOUT_S = 3_600
_ERROR_TAIL_LINES = 25


def valhalla_version() -> str:
    """The version of the Valhalla engine shipped by pyvalhalla."""
    return str(valhalla.__version__)


def valhalla_bin_dir() -> Path:
    """The directory of executables inside the pyvalhalla wheel."""
    # The console scripts in the venv look the binaries up with shutil.which and fail.
    return Path(valhalla.__file__).parent / "bin"


def region_config(work_dir: Path) -> dict[str, Any]:
    """Valhalla's default config with truck-sized service limits; paths are pinned later."""
    config: dict[str, Any] = get_config(tile_extract="", tile_dir=str(work_dir))
    config["logging"]["type"] = ""
    # Rest and service areas become distinct edge uses, which break planning needs.
    config["mjolnir"]["data_processing"]["use_rest_area"] = True
    limits = config["service_limits"]
    limits["truck"].update(
        max_locations=TRUCK_MAX_LOCATIONS,
        max_distance=TRUCK_MAX_DISTANCE_M,
        max_matrix_distance=TRUCK_MAX_MATRIX_DISTANCE_M,
        max_matrix_location_pairs=TRUCK_MAX_MATRIX_LOCATION_PAIRS,
    )
    limits["trace"]["max_distance"] = TRACE_MAX_DISTANCE_M
    limits["max_timedep_distance"] = MAX_TIME_DEPENDENT_DISTANCE_M
    limits["max_radius"] = MAX_SNAP_RADIUS_M
    # The router owns the trace and height limits its requests need; it only ever raises them.
    return with_service_limits(config)


def run_valhalla_tool(
    name: str, args: Sequence[str], *, cwd: Path, timeout_s: float = TOOL_TIMEOUT_S
) -> str:
    """Run an executable from the pyvalhalla wheel; RegionBuildError with its output tail."""
    executable = valhalla_bin_dir() / name
    if not executable.is_file():
        raise RegionBuildError(f"{name} not found in the pyvalhalla wheel ({executable})")
    return _run(name, [str(executable), *args], cwd=cwd, timeout_s=timeout_s)


def run_python_module(
    module: str, args: Sequence[str], *, cwd: Path, timeout_s: float = TOOL_TIMEOUT_S
) -> str:
    """Run `python -m module` with this interpreter; RegionBuildError with its output tail."""
    return _run(module, [sys.executable, "-m", module, *args], cwd=cwd, timeout_s=timeout_s)


def _run(command: str, argv: list[str], *, cwd: Path, timeout_s: float) -> str:
    try:
        done = subprocess.run(
            argv,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RegionBuildError(
            f"{command} did not finish within {timeout_s:.0f} s\n{_tail(_text(exc.output))}"
        ) from exc
    except OSError as exc:
        raise RegionBuildError(f"cannot run {command}: {exc}") from exc
    if done.returncode != 0:
        if done.returncode < 0:
            how = f"was killed by {signal.Signals(-done.returncode).name}"
        else:
            how = f"failed with exit code {done.returncode}"
        raise RegionBuildError(f"{command} {how}; last output:\n{_tail(done.stdout)}")
    return done.stdout


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


def _tail(output: str) -> str:
    lines = output.rstrip().splitlines()
    return "\n".join(lines[-_ERROR_TAIL_LINES:]) if lines else "(no output)"
