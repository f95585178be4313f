"""JSON as RFC 8259 defines it, for everything a client sends: no NaN, no Infinity.

Python's `json.loads` accepts the non-standard tokens `NaN`, `Infinity` and `-Infinity`, turns
numbers too large for a float (`1e400`) into infinity, and keeps lone UTF-16 surrogates
(`"\\ud800"`) that no UTF-8 database or response can hold. Any of them would travel far into the
service before failing; `strict_loads` refuses them where the text is read, as a
`json.JSONDecodeError` with the position, so callers answer as for any malformed JSON.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_NESTING_DEPTH = 64
"""Arrays and objects nested deeper than any request body needs; deeper is refused."""
MAX_INTEGER_DIGITS = 300
"""An integer with more digits is beyond any float (and any quantity): refused."""
_SURROGATE = re.compile("[\ud800-\udfff]")


def strict_loads(text: str | bytes) -> Any:
    """Parse JSON text, refusing NaN/Infinity, numbers beyond a float, lone surrogates and
    nesting deeper than MAX_NESTING_DEPTH (JSONDecodeError naming the first offence)."""
    try:
        document = text.decode("utf-8") if isinstance(text, bytes) else text
    except UnicodeDecodeError as error:
        # RFC 8259 section 8.1: JSON exchanged between systems is UTF-8.
        raise json.JSONDecodeError(f"not UTF-8 text ({error.reason})", "", error.start) from None

    def refuse_constant(token: str) -> Any:
        raise json.JSONDecodeError(
            f"{token} is not valid JSON (numbers must be finite)",
            document,
            _position_of(document, token),
        )

    def finite_float(token: str) -> float:
        value = float(token)
        if not math.isfinite(value):
            raise json.JSONDecodeError(
                f"number {token} is too large (numbers must be finite)",
                document,
                _position_of(document, token),
            )
        return value

    def bounded_int(token: str) -> int:
        if len(token.lstrip("-")) > MAX_INTEGER_DIGITS:
            raise json.JSONDecodeError(f"integer of {len(token)} digits is too large", document, 0)
        return int(token)

    try:
        parsed = json.loads(
            document,
            parse_constant=refuse_constant,
            parse_float=finite_float,
            parse_int=bounded_int,
        )
    except RecursionError:
        raise json.JSONDecodeError("nesting too deep", document, 0) from None
    problem = _first_problem(parsed, 0)
    if problem is not None:
        raise json.JSONDecodeError(problem, document, 0)
    return parsed


def _first_problem(value: Any, depth: int) -> str | None:
    """Why a parsed document is refused (too deep, a lone surrogate), or None."""
    # Iterative: a document nested just below the parser's recursion limit must not recurse here.
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            if _has_lone_surrogate(item):
                return "a string holds a lone UTF-16 surrogate (not representable as UTF-8)"
        elif isinstance(item, dict | list):
            if level >= MAX_NESTING_DEPTH:
                return f"arrays and objects nested deeper than {MAX_NESTING_DEPTH} levels"
            if isinstance(item, dict):
                stack.extend((key, level + 1) for key in item)
                stack.extend((child, level + 1) for child in item.values())
            else:
                stack.extend((child, level + 1) for child in item)
    return None


def _has_lone_surrogate(text: str) -> bool:
    # Python joins a valid surrogate pair into one character, so any surrogate left is lone.
    return not text.isascii() and _SURROGATE.search(text) is not None


def _position_of(document: str, token: str) -> int:
    found = document.find(token)
    return max(found, 0)
