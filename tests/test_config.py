"""Settings: which regions a process serves, from VOLTROUTE_REGION_DIR or VOLTROUTE_REGION_DIRS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from voltroute.config import Settings


@pytest.fixture(autouse=True)
def no_region_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("VOLTROUTE_REGION_DIR", "VOLTROUTE_REGION_DIRS", "VOLTROUTE_REGION_SOURCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VOLTROUTE_DATA_DIR", str(tmp_path))


def test_without_region_settings_the_demo_region_is_served(tmp_path: Path) -> None:
    assert Settings().served_region_paths == (tmp_path / "regions" / "heidelberg",)


def test_one_region_directory_is_served_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VOLTROUTE_REGION_DIR", str(tmp_path / "berlin"))
    assert Settings().served_region_paths == (tmp_path / "berlin",)


def test_region_dirs_is_a_path_list_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    listed = os.pathsep.join([str(tmp_path / "berlin"), "", str(tmp_path / "regions")])
    monkeypatch.setenv("VOLTROUTE_REGION_DIRS", listed)

    assert Settings().served_region_paths == (tmp_path / "berlin", tmp_path / "regions")


def test_region_dir_and_region_dirs_together_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VOLTROUTE_REGION_DIR", str(tmp_path / "berlin"))
    monkeypatch.setenv("VOLTROUTE_REGION_DIRS", str(tmp_path / "denmark"))
    with pytest.raises(ValidationError, match=r"set region_dir .* or region_dirs .*, not both"):
        Settings()
