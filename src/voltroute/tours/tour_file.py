"""Reading a tour file (the Planner API's request body as JSON) with errors a person can act on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from voltroute.api.schemas import PlannerRequest


class TourFileError(ValueError):
    """The tour file cannot be planned; the message says where and why."""


def read_tour_file(path: Path) -> tuple[dict[str, Any], PlannerRequest]:
    """The raw body (as sent to a server) and the validated request."""
    body = _json_object(path, "the Planner API request body")
    try:
        request = PlannerRequest.model_validate(body)
    except ValidationError as error:
        raise TourFileError(f"{path}: {validation_lines(error.errors())}") from None
    return body, request


def with_driver_options(
    body: dict[str, Any],
    *,
    driver_free_during_service: bool = False,
    no_working_time: bool = False,
    team_driving: bool = False,
    driver_state_file: Path | None = None,
) -> PlannerRequest:
    """The tour body with the command line's driver options laid over its `driver_rules`
    (a flag given sets its field; one not given leaves the file's) and, from a file, its
    `driver_state` (the API's object); validated as a request body."""
    rules: dict[str, Any] = dict(body.get("driver_rules") or {})
    if driver_free_during_service:
        rules["driver_free_during_service"] = True
    if no_working_time:
        rules["working_time"] = False
    if team_driving:
        rules["team_driving"] = True
    changed = dict(body)
    if rules:
        changed["driver_rules"] = rules
    if driver_state_file is not None:
        changed["driver_state"] = _json_object(driver_state_file, "the API's driver_state")
    try:
        return PlannerRequest.model_validate(changed)
    except ValidationError as error:
        raise TourFileError(validation_lines(error.errors())) from None


def _json_object(path: Path, what: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise TourFileError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise TourFileError(f"{path}: not a UTF-8 text file") from None
    try:
        body = json.loads(text)
    except json.JSONDecodeError as error:
        raise TourFileError(
            f"{path}: not JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    if not isinstance(body, dict):
        raise TourFileError(f"{path}: expected a JSON object ({what})")
    return body


def validation_lines(errors: list[Any]) -> str:
    """`loc.path: message` per error, one a line after a count; FastAPI's 422 items work too."""
    lines = []
    for item in errors:
        loc = [str(part) for part in item.get("loc", ()) if part != "body"]
        lines.append(f"  {'.'.join(loc) or '(body)'}: {item.get('msg')}")
    count = len(lines)
    return f"{count} problem{'s' if count != 1 else ''}\n" + "\n".join(lines)
