"""Router on an in-process Valhalla engine (pyvalhalla's Actor), one Actor per thread."""

from __future__ import annotations

import json
import os
import tempfile
import threading
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import valhalla

from voltroute.routing.errors import RoutingError, ValhallaEngineError
from voltroute.routing.valhalla_config import load_config, with_service_limits
from voltroute.routing.valhalla_json import Json
from voltroute.routing.valhalla_router import ValhallaRouter

# Service action name -> the Actor's method (the binding names the matrix action `matrix`).
_ACTIONS = {
    "route": "route",
    "trace_route": "trace_route",
    "trace_attributes": "trace_attributes",
    "height": "height",
    "locate": "locate",
    "expansion": "expansion",
    "sources_to_targets": "matrix",
    "status": "status",
}


class EmbeddedValhallaRouter(ValhallaRouter):
    """Routes with Valhalla linked into this process; safe to share between threads.

    An Actor is not thread safe, so each thread lazily builds its own (they share the tiles
    through the OS page cache; the binding releases the GIL while it works).
    """

    def __init__(self, config: Mapping[str, Any] | Path | str) -> None:
        try:
            effective = with_service_limits(load_config(config))
        except (OSError, ValueError) as exc:  # JSONDecodeError is a ValueError
            raise RoutingError(f"cannot read the Valhalla config {config!s:.200}: {exc}") from exc
        # pyvalhalla turns a dict config into a temp file it never deletes; we own ours instead.
        fd, name = tempfile.mkstemp(prefix="voltroute-valhalla-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(effective, f)
        self._config_path = Path(name)
        self._finalizer = weakref.finalize(self, self._config_path.unlink, missing_ok=True)
        self._local = threading.local()
        self._actor()  # fail at construction, not on the first request, if tiles are missing

    def close(self) -> None:
        """Delete the router's config copy; Actors already built keep working."""
        self._finalizer()

    def _actor(self) -> Any:
        actor = getattr(self._local, "actor", None)
        if actor is None:
            try:
                actor = valhalla.Actor(str(self._config_path))
            except (OSError, AttributeError, RuntimeError) as exc:
                raise RoutingError(f"cannot start the Valhalla engine: {exc}") from exc
            self._local.actor = actor
        return actor

    def _call(self, action: str, request: Json) -> Any:
        if action not in _ACTIONS:
            raise ValueError(f"unsupported Valhalla action {action!r}")
        method = getattr(self._actor(), _ACTIONS[action])
        try:
            answer = method(json.dumps(request))
        except valhalla.ValhallaError as exc:
            code = getattr(exc, "code", None)
            raise ValhallaEngineError(
                int(code) if code is not None else None, str(getattr(exc, "message", exc))
            ) from exc
        except RuntimeError as exc:
            raise RoutingError(f"Valhalla engine failed on {action}: {exc}") from exc
        return json.loads(answer)
