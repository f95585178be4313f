"""HERE Flexible Polyline: the contract's geometry format, 3D with elevation in metres."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import flexpolyline as _codec

from voltroute.routing.route import ShapePoint

LATLON_PRECISION: Final = 5  # ~1 m, what HERE Routing v8 returns
ELEVATION_PRECISION: Final = 1  # decimetres; elevation data is never better than that
_THIRD_DIM_ALTITUDE: Final[int] = _codec.ALTITUDE
_ALPHABET: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_RESERVED_THIRD_DIMS: Final = frozenset({4, 5})


def encode_shape(points: Sequence[ShapePoint]) -> str:
    """Encode a leg's shape as a 3D flexible polyline (third dimension ALTITUDE, metres)."""
    rows = [(p.lat, p.lon, p.elevation_m) for p in points]
    return _encode(rows, LATLON_PRECISION, _THIRD_DIM_ALTITUDE, ELEVATION_PRECISION)


def encode_latlon(points: Sequence[tuple[float, float]]) -> str:
    """Encode a 2D flexible polyline (no third dimension)."""
    return _encode([(lat, lon) for lat, lon in points], LATLON_PRECISION, 0, 0)


def decode_polyline(encoded: str) -> list[tuple[float, float, float | None]]:
    """Decode a flexible polyline to (lat, lon, third dimension or None); ValueError if garbage."""
    if not isinstance(encoded, str) or not encoded.strip():
        raise ValueError("flexible polyline is empty")
    text = encoded.strip()
    bad = sorted(set(text) - _ALPHABET)
    if bad:
        # The library indexes its table with ord(c) - 45 and would wrap around for low characters.
        raise ValueError(f"flexible polyline contains invalid characters: {''.join(bad)[:20]!r}")
    try:
        third_dim = int(_codec.get_third_dimension(text))
        rows: list[tuple[float, ...]] = list(_codec.decode(text))
    except (ValueError, RuntimeError, StopIteration, IndexError) as exc:
        # RuntimeError: a StopIteration escaping the library's generators (truncated header).
        raise ValueError(f"not a valid flexible polyline ({exc or 'truncated'})") from exc
    if third_dim in _RESERVED_THIRD_DIMS:
        raise ValueError(f"flexible polyline uses reserved third dimension {third_dim}")
    points: list[tuple[float, float, float | None]] = []
    for i, row in enumerate(rows):
        lat, lon = float(row[0]), float(row[1])
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise ValueError(
                f"flexible polyline point {i} is out of range (lat={lat}, lon={lon}): "
                "not a valid polyline"
            )
        points.append((lat, lon, float(row[2]) if len(row) > 2 else None))
    return points


def _encode(
    rows: Sequence[tuple[float, ...]], precision: int, third_dim: int, third_dim_precision: int
) -> str:
    encoded: Any = _codec.encode(
        rows, precision=precision, third_dim=third_dim, third_dim_precision=third_dim_precision
    )
    return str(encoded)
