"""Checks at the door that leave the published schema as it is: bounds from `voltroute.bounds`.

The contract publishes most request numbers without bounds, and the served OpenAPI must stay the
contract's, so these are pydantic validators (which generate no JSON schema) rather than Field
constraints. They raise pydantic's own error types (`less_than_equal`, `too_long`, ...) with the
bound in `ctx`, so a client sees the same 422 item as for a bound the schema publishes.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from voltroute.bounds import Bound
from voltroute.polyline_size import polyline_points

# Unicode category Cc (C0, DEL, C1), Cs (surrogates: lone ones, as a JSON escape can produce),
# and the non-characters U+FFFE, U+FFFF. A regex, not a loop: it runs on the event loop over
# strings of up to MAX_POLYLINE_CHARS.
_NOT_PLAIN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def published(bound: Bound) -> FieldInfo:
    """The bound as a constraint the schema publishes (extensions, where the schema is ours)."""
    info: FieldInfo
    if bound.min_exclusive:
        info = Field(gt=bound.min_value, le=bound.max_value)
    else:
        info = Field(ge=bound.min_value, le=bound.max_value)
    return info


def within(bound: Bound) -> AfterValidator:
    """A validator refusing numbers outside bound (None passes: optional fields keep it)."""

    def check(value: float | None) -> float | None:
        if value is None:
            return value
        if not math.isfinite(value):
            raise PydanticCustomError("finite_number", "Input should be a finite number")
        where = f"{bound.quantity}, {bound.text()}"
        if value > bound.max_value:
            raise PydanticCustomError(
                "less_than_equal",
                "Input should be less than or equal to {le} ({where})",
                {"le": bound.max_value, "where": where},
            )
        if bound.min_exclusive and value <= bound.min_value:
            raise PydanticCustomError(
                "greater_than",
                "Input should be greater than {gt} ({where})",
                {"gt": bound.min_value, "where": where},
            )
        if value < bound.min_value:
            raise PydanticCustomError(
                "greater_than_equal",
                "Input should be greater than or equal to {ge} ({where})",
                {"ge": bound.min_value, "where": where},
            )
        return value

    return AfterValidator(check)


def at_most_items(max_items: int, what: str) -> BeforeValidator:
    """A validator refusing a list longer than max_items before its items are validated."""

    def check(value: Any) -> Any:
        if isinstance(value, list) and len(value) > max_items:
            raise PydanticCustomError(
                "too_long",
                "List should have at most {max_length} items ({what}), not {actual_length}",
                {"max_length": max_items, "actual_length": len(value), "what": what},
            )
        return value

    return BeforeValidator(check)


def plain_text(max_chars: int) -> AfterValidator:
    """A validator refusing text longer than max_chars or holding control characters.

    Control characters (tab and newline included) have no place in an identifier or a name,
    and they would leave exports such as GPX malformed.
    """

    def check(value: str | None) -> str | None:
        if value is None:
            return value
        if len(value) > max_chars:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": max_chars},
            )
        position = control_character_at(value)
        if position is not None:
            raise PydanticCustomError(
                "string_control_character",
                "String should not contain control characters ({character} at index {index})",
                {"character": f"U+{ord(value[position]):04X}", "index": position},
            )
        return value

    return AfterValidator(check)


def at_most_points(max_points: int, what: str) -> AfterValidator:
    """A validator refusing a flexible polyline of more than max_points points (counted
    without decoding; garbage is refused when it is decoded at submission)."""

    def check(value: str | None) -> str | None:
        if value is None:
            return value
        points = polyline_points(value)
        if points > max_points:
            raise PydanticCustomError(
                "too_long",
                "Polyline should have at most {max_length} points ({what}), not {actual_length}",
                {
                    "max_length": max_points,
                    "actual_length": points,
                    "what": what,
                },
            )
        return value

    return AfterValidator(check)


def control_character_at(text: str) -> int | None:
    """Index of the first control character, lone surrogate or non-character, or None."""
    found = _NOT_PLAIN.search(text)
    return found.start() if found else None
