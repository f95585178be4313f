"""What `voltroute plan` and `submit` print: a table, or the result as JSON, GeoJSON or GPX."""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TextIO

from rich.console import Console

from voltroute.exports import read_result, result_geojson, result_gpx
from voltroute.exports.table import result_tables

PIPED_TABLE_WIDTH = 160


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    GEOJSON = "geojson"
    GPX = "gpx"


def output_format(as_json: bool, as_geojson: bool, as_gpx: bool) -> OutputFormat:
    """The one format the flags ask for; ValueError when more than one is given."""
    chosen = [
        fmt
        for fmt, flag in (
            (OutputFormat.JSON, as_json),
            (OutputFormat.GEOJSON, as_geojson),
            (OutputFormat.GPX, as_gpx),
        )
        if flag
    ]
    if len(chosen) > 1:
        raise ValueError("give at most one of --json, --geojson, --gpx")
    return chosen[0] if chosen else OutputFormat.TABLE


def print_result(result: Mapping[str, Any], fmt: OutputFormat, out: TextIO) -> None:
    """Write the result to out: tables for people, documents (unstyled) for other tools."""
    if fmt is OutputFormat.JSON:
        out.write(json.dumps(result, indent=2) + "\n")
    elif fmt is OutputFormat.GEOJSON:
        out.write(json.dumps(result_geojson(read_result(result))) + "\n")
    elif fmt is OutputFormat.GPX:
        out.write(result_gpx(read_result(result)))
    else:
        # A pipe or file gets wide tables rather than rich's 80 columns.
        width = None if out.isatty() else PIPED_TABLE_WIDTH
        Console(file=out, width=width).print(result_tables(result, read_result(result)))
