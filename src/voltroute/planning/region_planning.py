"""One PlanningServices per served region (router, station catalogue), picked by a job's region."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from voltroute.planning.pipeline import PlanningServices


class UnservedRegionError(LookupError):
    """A job names a region this process does not serve (it was submitted to another setup)."""


@dataclass(frozen=True, slots=True)
class RegionPlanning:
    """The planning services of every served region, by region name, in served order."""

    by_region: Mapping[str, PlanningServices]
    default_region: str  # plans jobs stored before the region was recorded with them

    def __post_init__(self) -> None:
        if self.default_region not in self.by_region:
            raise ValueError(f"the default region {self.default_region!r} has no services")

    def for_region(self, region_name: str | None) -> PlanningServices:
        """The services of the named region (None: the default); UnservedRegionError if unknown."""
        services = self.by_region.get(region_name or self.default_region)
        if services is None:
            served = ", ".join(f"'{name}'" for name in self.by_region)
            raise UnservedRegionError(
                f"the tour was submitted for region '{region_name}', which this worker does not "
                f"serve (it serves {served})"
            )
        return services

    def __iter__(self) -> Iterator[tuple[str, PlanningServices]]:
        return iter(self.by_region.items())
