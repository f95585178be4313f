"""The one way Voltroute writes and reads the times it shows: ISO-8601 instants and clock times.

Every instant leaves the house rounded, never cut: the planner's times carry fractions of a
second (a leg of 890.854 s), and cutting them shows 05:59 for a tour asked to start at 06:00 as
soon as one figure is derived from another. Rounding is to the nearest unit, halves up.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

_SECOND = timedelta(seconds=1)
_MILLISECOND = timedelta(milliseconds=1)
_MINUTE = timedelta(minutes=1)


def round_to(moment: datetime, unit: timedelta) -> datetime:
    """The moment rounded to the nearest multiple of unit (halves up), its time zone kept.

    Counted from the Unix epoch in UTC, so the result does not depend on the zone it is in.
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    since_epoch = aware - datetime(1970, 1, 1, tzinfo=UTC)
    units, rest = divmod(since_epoch, unit)
    rounded = datetime(1970, 1, 1, tzinfo=UTC) + unit * (units + (1 if rest * 2 >= unit else 0))
    return rounded.astimezone(aware.tzinfo)


def iso_utc(moment: datetime) -> str:
    """ISO-8601 in UTC with `Z` and whole seconds (rounded), as the contract's examples show."""
    return _with_z(round_to(moment, _SECOND).astimezone(UTC).isoformat(timespec="seconds"))


def iso_utc_ms(moment: datetime) -> str:
    """ISO-8601 in UTC with `Z` and milliseconds (rounded): event times such as webhook stamps."""
    rounded = round_to(moment, _MILLISECOND).astimezone(UTC)
    return _with_z(rounded.isoformat(timespec="milliseconds"))


def iso_local(moment: datetime, time_zone: str) -> str:
    """ISO-8601 in an IANA time zone with its offset, whole seconds (rounded)."""
    rounded = round_to(moment, _SECOND).astimezone(ZoneInfo(time_zone))
    return rounded.isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    """An ISO-8601 instant as written by this module (or with any offset); `Z` means UTC."""
    moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def clock(moment: datetime, zone: tzinfo | None = None, with_date: bool = True) -> str:
    """`05-04 09:12` (or `09:12`): the moment rounded to the minute at zone's offset (UTC)."""
    shown = round_to(moment, _MINUTE).astimezone(zone or UTC)
    return shown.strftime("%m-%d %H:%M" if with_date else "%H:%M")


def _with_z(text: str) -> str:
    return text.removesuffix("+00:00") + "Z"
