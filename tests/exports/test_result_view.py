"""read_result: the origin's departure, as the result states it or derived without cutting."""

from __future__ import annotations

from typing import Any

from voltroute.exports import read_result


def test_the_origin_leaves_when_the_first_section_says(small_result: dict[str, Any]) -> None:
    first = small_result["sections"][0]
    first["start_departure_time"] = "2026-01-13T05:00:00Z"
    first["poi_summary"] |= {"arrival_time": "2026-01-13T07:44:58Z", "sec_duration_min": 165.0}
    assert read_result(small_result).stops[0].departure_time == "2026-01-13T05:00:00Z"


def test_without_it_the_departure_is_derived_and_rounded(small_result: dict[str, Any]) -> None:
    # Another server's result: 07:44:58 less 164.96 min is 04:59:59.6, which is 05:00:00 rounded
    # (cut, it was 04:59:59, shown as 05:59 local for a tour asked to start at 06:00).
    first = small_result["sections"][0]
    first.pop("start_departure_time", None)
    first["poi_summary"] |= {"arrival_time": "2026-01-13T07:44:58Z", "sec_duration_min": 164.96}
    assert read_result(small_result).stops[0].departure_time == "2026-01-13T05:00:00Z"
