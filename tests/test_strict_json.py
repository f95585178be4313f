"""strict_loads: RFC 8259 JSON only, refused with the position like any malformed JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from voltroute.strict_json import MAX_NESTING_DEPTH, strict_loads


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1.5, "b": [1, -2, "x"], "c": null}', {"a": 1.5, "b": [1, -2, "x"], "c": None}),
        ("1e308", 1e308),
        ("-1e-400", -0.0),  # underflow is a tiny number, not an overflow
        ('"\\ud83d\\ude00"', "\U0001f600"),  # a surrogate pair is one character
        (b'{"bytes": true}', {"bytes": True}),
    ],
)
def test_standard_json_parses_as_the_json_module_does(text: str | bytes, expected: Any) -> None:
    assert strict_loads(text) == expected


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ('{"a": NaN}', "NaN is not valid JSON", 6),
        ('{"a": Infinity}', "Infinity is not valid JSON", 6),
        ("[1, -Infinity]", "-Infinity is not valid JSON", 4),
        ("[1e400]", "1e400 is too large", 1),
        ("-1E999", "-1E999 is too large", 0),
        ("1" * 400, "400 digits is too large", 0),
        ('["\\ud800"]', "lone UTF-16 surrogate", 0),
        ('{"\\udfff": 1}', "lone UTF-16 surrogate", 0),
        (b"\xff\xfe", "not UTF-8", 0),
        ("[" * (MAX_NESTING_DEPTH + 1) + "]" * (MAX_NESTING_DEPTH + 1), "nested deeper", 0),
        ("[" * 100_000 + "]" * 100_000, "nesting too deep", 0),
    ],
)
def test_non_standard_json_is_a_decode_error_naming_the_offence(
    text: str | bytes, message: str, position: int
) -> None:
    with pytest.raises(json.JSONDecodeError) as raised:
        strict_loads(text)
    assert message in raised.value.msg
    assert raised.value.pos == position


def test_nesting_up_to_the_limit_is_accepted() -> None:
    depth = MAX_NESTING_DEPTH
    assert strict_loads("[" * depth + "]" * depth) is not None
