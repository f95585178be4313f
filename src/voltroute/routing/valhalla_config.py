"""What Voltroute needs from a Valhalla configuration, applied to a copy of it."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

# Legs are routed, then edge-walked and height-sampled in full. Valhalla's defaults cap a trace
# at 200 km and 16,000 points, shorter than a day of truck driving; a 1,000 km route shape has
# about 50,000 points.
TRACE_MAX_DISTANCE_M: Final = 3_000_000.0
TRACE_MAX_SHAPE_POINTS: Final = 500_000
TRUCK_MAX_DISTANCE_M: Final = 5_000_000.0
SKADI_MAX_SHAPE_POINTS: Final = 750_000


def load_config(config: Mapping[str, Any] | Path | str) -> dict[str, Any]:
    """A Valhalla config as a fresh dict, from a dict or a valhalla.json path."""
    if isinstance(config, Path | str):
        loaded: dict[str, Any] = json.loads(Path(config).read_text(encoding="utf-8"))
        return loaded
    return copy.deepcopy(dict(config))


def with_service_limits(config: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the config whose service limits allow full-length truck legs.

    Limits are only raised, never lowered. Regions should write their valhalla.json through this
    so that a valhalla_service started on it accepts the same requests as the embedded engine.
    """
    out = copy.deepcopy(dict(config))
    limits = out.setdefault("service_limits", {})
    _raise(limits.setdefault("trace", {}), "max_distance", TRACE_MAX_DISTANCE_M)
    _raise(limits.setdefault("trace", {}), "max_shape", TRACE_MAX_SHAPE_POINTS)
    _raise(limits.setdefault("truck", {}), "max_distance", TRUCK_MAX_DISTANCE_M)
    _raise(limits.setdefault("skadi", {}), "max_shape", SKADI_MAX_SHAPE_POINTS)
    return out


def _raise(section: dict[str, Any], key: str, minimum: float) -> None:
    current = section.get(key)
    if not isinstance(current, int | float) or current < minimum:
        section[key] = minimum
