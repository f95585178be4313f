"""Overlay CSV parsing: a file the csv reader refuses is an ImportFileError, never a crash."""

from __future__ import annotations

import csv

import pytest

from voltroute.stations import ImportFileError
from voltroute.stations.overlay import parse_overlay_csv


def test_a_header_field_longer_than_the_csv_field_limit_is_an_import_file_error() -> None:
    text = "id," + "x" * (csv.field_size_limit() + 1) + "\nnord,1\n"
    with pytest.raises(ImportFileError, match="malformed"):
        parse_overlay_csv(text)


def test_a_csv_without_an_id_column_is_an_import_file_error() -> None:
    with pytest.raises(ImportFileError, match="'id' column"):
        parse_overlay_csv("name,lat\nDepot,49.4\n")
