"""Country of a position, offline: the IANA time zone there (timezonefinder), mapped to ISO 3166.

Limits: time-zone polygons follow national borders only where a zone is one country's, which
holds in Europe (Europe/Berlin is Germany alone, Europe/Busingen the German exclave); at sea and
outside the zones below the answer is None. The polygons come from OpenStreetMap via
timezone-boundary-builder, so a point a few metres from a border can land on the wrong side.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

# One zone per European country (plus exclaves and microstates); zone.tab, tzdata 2024.
EUROPEAN_ZONE_COUNTRIES: dict[str, str] = {
    "Europe/Amsterdam": "NL",
    "Europe/Andorra": "AD",
    "Europe/Athens": "GR",
    "Europe/Belgrade": "RS",
    "Europe/Berlin": "DE",
    "Europe/Bratislava": "SK",
    "Europe/Brussels": "BE",
    "Europe/Bucharest": "RO",
    "Europe/Budapest": "HU",
    "Europe/Busingen": "DE",
    "Europe/Chisinau": "MD",
    "Europe/Copenhagen": "DK",
    "Europe/Dublin": "IE",
    "Europe/Gibraltar": "GI",
    "Europe/Helsinki": "FI",
    "Europe/Lisbon": "PT",
    "Europe/Ljubljana": "SI",
    "Europe/London": "GB",
    "Europe/Luxembourg": "LU",
    "Europe/Madrid": "ES",
    "Europe/Malta": "MT",
    "Europe/Monaco": "MC",
    "Europe/Oslo": "NO",
    "Europe/Paris": "FR",
    "Europe/Podgorica": "ME",
    "Europe/Prague": "CZ",
    "Europe/Riga": "LV",
    "Europe/Rome": "IT",
    "Europe/San_Marino": "SM",
    "Europe/Sarajevo": "BA",
    "Europe/Skopje": "MK",
    "Europe/Sofia": "BG",
    "Europe/Stockholm": "SE",
    "Europe/Tallinn": "EE",
    "Europe/Tirane": "AL",
    "Europe/Vaduz": "LI",
    "Europe/Vatican": "VA",
    "Europe/Vienna": "AT",
    "Europe/Vilnius": "LT",
    "Europe/Warsaw": "PL",
    "Europe/Zagreb": "HR",
    "Europe/Zurich": "CH",
}


class TimeZoneLookup(Protocol):
    """What timezonefinder.TimezoneFinder offers; injected so a process keeps one instance."""

    def timezone_at(self, *, lng: float, lat: float) -> str | None: ...


@lru_cache(maxsize=1)
def _default_lookup() -> TimeZoneLookup:
    from timezonefinder import TimezoneFinder

    finder: TimeZoneLookup = TimezoneFinder(in_memory=True)
    return finder


def country_of_time_zone(zone: str | None) -> str | None:
    """ISO 3166 alpha-2 code of a European time zone, None for any other."""
    return EUROPEAN_ZONE_COUNTRIES.get(zone) if zone is not None else None


def country_at(lat: float, lon: float, lookup: TimeZoneLookup | None = None) -> str | None:
    """The country at a position, from its time zone; None when unknown."""
    finder = lookup if lookup is not None else _default_lookup()
    return country_of_time_zone(finder.timezone_at(lng=lon, lat=lat))
