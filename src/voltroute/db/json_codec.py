"""Domain dataclasses to JSON for the job row and back, validated on the way in."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter


class JsonCodec[T]:
    """JSON-ready dicts for one domain type (a frozen dataclass tree)."""

    def __init__(self, kind: type[T]) -> None:
        self._adapter: TypeAdapter[T] = TypeAdapter(kind)

    def dump(self, value: T) -> dict[str, Any]:
        """The value as plain JSON types."""
        data: dict[str, Any] = self._adapter.dump_python(value, mode="json")
        return data

    def load(self, data: dict[str, Any]) -> T:
        """Inverse of dump; raises pydantic.ValidationError on a malformed document."""
        return self._adapter.validate_python(data)
