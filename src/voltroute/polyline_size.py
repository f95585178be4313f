"""How many points a HERE Flexible Polyline holds, counted without decoding it.

Each encoded number ends with a character whose 6-bit value has no continuation bit (the
alphabet's first 32 characters), so counting those counts the numbers: two header numbers,
then two per point, or three with a third dimension. The count runs in C (str.translate) over
the longest polyline the door admits, so it can run on the event loop. Garbage gives some
count; decoding, later, says what is wrong with it.
"""

from __future__ import annotations

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_LAST_OF_NUMBER = _ALPHABET[:32]
_DROP_LAST_OF_NUMBER = str.maketrans("", "", _LAST_OF_NUMBER)
_HEADER_NUMBERS = 2
_CONTINUES = 0x20


def polyline_points(encoded: str) -> int:
    """The number of points in a flexible polyline (2D or with a third dimension)."""
    text = encoded.strip()
    numbers = len(text) - len(text.translate(_DROP_LAST_OF_NUMBER))
    per_point = 3 if _third_dimension(text) else 2
    return max(0, numbers - _HEADER_NUMBERS) // per_point


def _third_dimension(text: str) -> int:
    """The header's third-dimension type (0: none), from the number after the version."""
    header, shift = 0, 0
    for character in text[1:8]:
        value = _ALPHABET.find(character)
        if value < 0:
            return 0
        header |= (value & (_CONTINUES - 1)) << shift
        if value < _CONTINUES:
            return (header >> 4) & 0x7
        shift += 5
    return 0
